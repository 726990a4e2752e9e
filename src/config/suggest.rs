//! "Did you mean ...?": the closest known name to a misspelt one.

/// Lower case, with `_` and spaces read as `-`, so `Time_Zone` matches `time-zone`.
fn normalise(word: &str) -> String {
    word.chars()
        .map(|c| {
            if c == '_' || c == ' ' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// Edit distance (insertions, deletions, substitutions, swaps of neighbours) in chars: the
/// command parser's, so both "did you mean" helpers agree. Words too long to compare are far.
fn distance(a: &str, b: &str) -> usize {
    crate::command::edit_distance(a, b).unwrap_or(usize::MAX)
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub(super) fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = normalise(word);
    let allowed = match wanted.chars().count() {
        0..=4 => 1,
        5..=10 => 2,
        _ => 3,
    };
    candidates
        .into_iter()
        .map(|c| (distance(&wanted, &normalise(c)), c))
        .filter(|(d, _)| *d <= allowed)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        let keys = ["name", "time-zone", "default-language"];
        let rows = [
            ("timezone", Some("time-zone")),
            ("time_zone", Some("time-zone")),
            ("Time-Zone", Some("time-zone")),
            ("nmae", Some("name")),
            ("default-langage", Some("default-language")),
            ("colour", None),
            ("", None),
        ];
        for (word, want) in rows {
            assert_eq!(closest(word, keys), want, "{word}");
        }
    }

    #[test]
    fn distance_counts_edits() {
        for (a, b, want) in [
            ("kitten", "sitting", 3),
            ("", "abc", 3),
            ("é", "e", 1),
            ("same", "same", 0),
            ("nmae", "name", 1),
        ] {
            assert_eq!(distance(a, b), want, "{a} / {b}");
        }
    }
}
