//! Why a message addressed to Relais is not a valid command: a [`ParseError`] the app renders from its `kind`.
//!
//! Every value a user-facing message needs lives inside the [`ParseErrorKind`] variant, which serialises
//! (serde, tagged by `kind`) into the context of a translated template. `Display` is English, for logs only.

use serde::Serialize;
use std::fmt;

/// Longest user text (in characters) copied into an error; longer text is cut and ends with `…`.
pub const MAX_ECHO_CHARS: usize = 80;

/// A message that starts with the prefix but is not a valid command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct ParseError {
    /// The [`COMMANDS`](super::COMMANDS) name whose usage line fits the error, when one does.
    pub command: Option<&'static str>,
    pub kind: ParseErrorKind,
}

impl ParseError {
    /// An error in the arguments of `command` (a `COMMANDS` name).
    pub fn new(command: &'static str, kind: ParseErrorKind) -> Self {
        ParseError {
            command: Some(command),
            kind,
        }
    }

    /// An error that belongs to no single command (empty or unknown command, bare `post`).
    pub fn general(kind: ParseErrorKind) -> Self {
        ParseError { command: None, kind }
    }
}

/// What is wrong, with everything the message needs. `expected` in [`ParseErrorKind::PostBadValue`] is one
/// of `url`, `lang`, `network`, `intent`, `kind`, `date`, `datetime`, `text`; `field: "expires"` with
/// `expected: "kind"` means `expires` was given for an evergreen item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ParseErrorKind {
    /// Only the prefix was typed.
    Empty,
    UnknownCommand {
        typed: String,
        suggestion: Option<&'static str>,
    },
    /// `what` is the usage placeholder (`URL`, `ITEM`, `grant|revoke`...).
    MissingArgument {
        what: &'static str,
    },
    UnexpectedArgument {
        extra: String,
    },
    InvalidUrl {
        text: String,
    },
    InvalidItem {
        text: String,
    },
    UnsupportedLang {
        text: String,
    },
    UnknownTimeZone {
        text: String,
        suggestion: Option<String>,
    },
    InvalidTime {
        text: String,
    },
    InvalidDate {
        text: String,
    },
    InvalidWeek {
        text: String,
    },
    InvalidChoice {
        text: String,
        choices: &'static str,
    },
    InvalidHost {
        text: String,
    },
    PostUnknownField {
        line: usize,
        field: String,
        suggestion: Option<&'static str>,
    },
    PostMissingField {
        field: &'static str,
    },
    PostDuplicateField {
        line: usize,
        field: String,
    },
    PostBadValue {
        line: usize,
        field: String,
        value: String,
        expected: &'static str,
    },
}

impl ParseErrorKind {
    /// The snake_case name of the kind, the same as the serde tag: the key of its message template.
    pub fn key(&self) -> &'static str {
        match self {
            ParseErrorKind::Empty => "empty",
            ParseErrorKind::UnknownCommand { .. } => "unknown_command",
            ParseErrorKind::MissingArgument { .. } => "missing_argument",
            ParseErrorKind::UnexpectedArgument { .. } => "unexpected_argument",
            ParseErrorKind::InvalidUrl { .. } => "invalid_url",
            ParseErrorKind::InvalidItem { .. } => "invalid_item",
            ParseErrorKind::UnsupportedLang { .. } => "unsupported_lang",
            ParseErrorKind::UnknownTimeZone { .. } => "unknown_time_zone",
            ParseErrorKind::InvalidTime { .. } => "invalid_time",
            ParseErrorKind::InvalidDate { .. } => "invalid_date",
            ParseErrorKind::InvalidWeek { .. } => "invalid_week",
            ParseErrorKind::InvalidChoice { .. } => "invalid_choice",
            ParseErrorKind::InvalidHost { .. } => "invalid_host",
            ParseErrorKind::PostUnknownField { .. } => "post_unknown_field",
            ParseErrorKind::PostMissingField { .. } => "post_missing_field",
            ParseErrorKind::PostDuplicateField { .. } => "post_duplicate_field",
            ParseErrorKind::PostBadValue { .. } => "post_bad_value",
        }
    }
}

/// ` (did you mean `x`?)` when there is a suggestion.
struct DidYouMean<'a>(Option<&'a str>);

impl fmt::Display for DidYouMean<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(s) => write!(f, " (did you mean `{s}`?)"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ParseErrorKind as K;
        match self {
            K::Empty => f.write_str("no command after the prefix"),
            K::UnknownCommand { typed, suggestion } => {
                write!(f, "unknown command `{typed}`{}", DidYouMean(*suggestion))
            }
            K::MissingArgument { what } => write!(f, "missing argument {what}"),
            K::UnexpectedArgument { extra } => write!(f, "unexpected argument `{extra}`"),
            K::InvalidUrl { text } => write!(f, "`{text}` is not a web link (http or https)"),
            K::InvalidItem { text } => write!(f, "`{text}` is not an item id (like c12)"),
            K::UnsupportedLang { text } => write!(f, "`{text}` is not a supported language (en, fr, es, ca, pt)"),
            K::UnknownTimeZone { text, suggestion } => {
                write!(f, "unknown time zone `{text}`{}", DidYouMean(suggestion.as_deref()))
            }
            K::InvalidTime { text } => write!(f, "`{text}` is not a time (like 18:00)"),
            K::InvalidDate { text } => write!(f, "`{text}` is not a date (like 2026-11-30)"),
            K::InvalidWeek { text } => write!(f, "`{text}` is not a week (like 2026-W47)"),
            K::InvalidChoice { text, choices } => write!(f, "`{text}` is not one of {choices}"),
            K::InvalidHost { text } => write!(f, "`{text}` is not a server name (like mastodon.social)"),
            K::PostUnknownField {
                line,
                field,
                suggestion,
            } => {
                write!(f, "line {line}: unknown field `{field}`{}", DidYouMean(*suggestion))
            }
            K::PostMissingField { field } => write!(f, "missing field `{field}`"),
            K::PostDuplicateField { line, field } => write!(f, "line {line}: field `{field}` given twice"),
            K::PostBadValue {
                line,
                field,
                expected: "kind",
                ..
            } if field == "expires" => {
                write!(
                    f,
                    "line {line}: `expires` needs `kind: hot` (evergreen items do not expire)"
                )
            }
            K::PostBadValue {
                line,
                field,
                value,
                expected,
            } => {
                write!(f, "line {line}: `{value}` is not a valid {field} (expected {expected})")
            }
        }
    }
}

/// Copies user text into an error, cut to [`MAX_ECHO_CHARS`] characters so a huge message is not echoed back.
pub(super) fn echo(text: &str) -> String {
    match text.char_indices().nth(MAX_ECHO_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => {
            let mut short = String::with_capacity(cut + 3);
            short.push_str(text.get(..cut).unwrap_or_default());
            short.push('…');
            short
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<ParseErrorKind> {
        use ParseErrorKind as K;
        let s = || "x".to_string();
        vec![
            K::Empty,
            K::UnknownCommand {
                typed: s(),
                suggestion: Some("shared"),
            },
            K::MissingArgument { what: "URL" },
            K::UnexpectedArgument { extra: s() },
            K::InvalidUrl { text: s() },
            K::InvalidItem { text: s() },
            K::UnsupportedLang { text: s() },
            K::UnknownTimeZone {
                text: s(),
                suggestion: None,
            },
            K::InvalidTime { text: s() },
            K::InvalidDate { text: s() },
            K::InvalidWeek { text: s() },
            K::InvalidChoice {
                text: s(),
                choices: "a|b",
            },
            K::InvalidHost { text: s() },
            K::PostUnknownField {
                line: 2,
                field: s(),
                suggestion: None,
            },
            K::PostMissingField { field: "title" },
            K::PostDuplicateField { line: 3, field: s() },
            K::PostBadValue {
                line: 4,
                field: s(),
                value: s(),
                expected: "url",
            },
        ]
    }

    #[test]
    fn key_is_the_serde_tag_for_every_kind() {
        let kinds = every_kind();
        let mut keys: Vec<&str> = kinds.iter().map(ParseErrorKind::key).collect();
        for kind in &kinds {
            let json = serde_json::to_value(kind).unwrap_or_default();
            assert_eq!(json["kind"].as_str(), Some(kind.key()), "{kind:?}");
        }
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), kinds.len(), "keys are distinct");
    }

    #[test]
    fn variants_serialise_their_values_for_templates() {
        let kind = ParseErrorKind::PostBadValue {
            line: 4,
            field: "link".into(),
            value: "nope".into(),
            expected: "url",
        };
        let json = serde_json::to_string(&kind).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"kind":"post_bad_value","line":4,"field":"link","value":"nope","expected":"url"}"#
        );
    }

    #[test]
    fn display_is_readable_english() {
        let rows = [
            (
                ParseErrorKind::UnknownCommand {
                    typed: "sahred".into(),
                    suggestion: Some("shared"),
                },
                "unknown command `sahred` (did you mean `shared`?)",
            ),
            (
                ParseErrorKind::UnknownCommand {
                    typed: "zzz".into(),
                    suggestion: None,
                },
                "unknown command `zzz`",
            ),
            (ParseErrorKind::MissingArgument { what: "URL" }, "missing argument URL"),
            (
                ParseErrorKind::PostBadValue {
                    line: 9,
                    field: "expires".into(),
                    value: "2026-11-30".into(),
                    expected: "kind",
                },
                "line 9: `expires` needs `kind: hot` (evergreen items do not expire)",
            ),
        ];
        for (kind, want) in rows {
            assert_eq!(ParseError::general(kind.clone()).to_string(), want, "{kind:?}");
        }
    }

    #[test]
    fn echo_cuts_long_text_on_a_character_boundary() {
        assert_eq!(echo("short"), "short");
        let long = "é".repeat(MAX_ECHO_CHARS + 5);
        let cut = echo(&long);
        assert_eq!(cut.chars().count(), MAX_ECHO_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(echo(&"a".repeat(MAX_ECHO_CHARS)).len(), MAX_ECHO_CHARS);
    }
}
