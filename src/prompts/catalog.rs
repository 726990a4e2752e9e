//! The catalog: every prompt key the code renders, each with a sample of the context it passes.
//!
//! At start every locale's template for a key is rendered with its sample in strict mode, so a
//! template that uses a variable the code does not provide is caught before anyone sees it. A sample
//! must therefore hold every variable the code may pass for that key, optional ones included.
//! To add a key: append an `Entry` below, then write its English text in `prompts/en/`.

/// One key the code renders and a sample context (a JSON object) like the one it passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub key: &'static str,
    pub sample: &'static str,
}

/// Every key the code renders.
pub const CATALOG: &[Entry] = &[
    Entry {
        key: "error.internal",
        sample: "{}",
    },
    Entry {
        key: "error.too_long",
        sample: r#"{"max": 4000, "length": 5210}"#,
    },
    Entry {
        key: "shared.recorded",
        sample: r#"{"points": 3, "week_points": 12, "streak": 4}"#,
    },
    Entry {
        key: "help.unknown_topic",
        sample: r#"{"topic": "sharred", "topics": ["today", "shared", "me", "top"]}"#,
    },
];

/// The catalog entry for `key`, if the code renders it.
pub fn entry(key: &str) -> Option<&'static Entry> {
    CATALOG.iter().find(|entry| entry.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn keys_are_unique_and_samples_are_json_objects() {
        let mut seen = HashSet::new();
        for entry in CATALOG {
            assert!(seen.insert(entry.key), "{} is listed twice", entry.key);
            let sample: Result<serde_json::Value, _> = serde_json::from_str(entry.sample);
            assert!(
                matches!(sample, Ok(serde_json::Value::Object(_))),
                "{}: sample is not a JSON object",
                entry.key
            );
        }
    }

    #[test]
    fn entries_are_found_by_key() {
        assert_eq!(entry("error.internal").map(|e| e.sample), Some("{}"));
        assert_eq!(entry("no.such.key"), None);
    }
}
