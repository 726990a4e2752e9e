//! Why a message addressed to Relais is not a valid command: a [`ParseError`] the app renders from its `kind`.
//!
//! Every value a user-facing message needs lives inside the [`ParseErrorKind`] variant, which serialises
//! (serde, tagged by `kind`) into the context of a translated template. `Display` is English, for logs only.

use super::post::problem::{self, PostProblem};
use serde::Serialize;
use std::fmt;

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

/// What is wrong, with everything the message needs.
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
    /// Every problem in the fields of a `post add` (at most
    /// [`MAX_POST_PROBLEMS`](super::post::problem::MAX_POST_PROBLEMS)), in line order, then the
    /// missing fields; `more` counts those left out.
    PostInvalid {
        problems: Vec<PostProblem>,
        more: usize,
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
            ParseErrorKind::PostInvalid { .. } => "post_invalid",
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
            K::UnsupportedLang { text } => {
                write!(f, "`{text}` is not a supported language (en, fr, es, ca, pt-PT, pt-BR)")
            }
            K::UnknownTimeZone { text, suggestion } => {
                write!(f, "unknown time zone `{text}`{}", DidYouMean(suggestion.as_deref()))
            }
            K::InvalidTime { text } => write!(f, "`{text}` is not a time (like 18:00)"),
            K::InvalidDate { text } => write!(f, "`{text}` is not a date (like 2026-11-30)"),
            K::InvalidWeek { text } => write!(f, "`{text}` is not a week (like 2026-W47)"),
            K::InvalidChoice { text, choices } => write!(f, "`{text}` is not one of {choices}"),
            K::InvalidHost { text } => write!(f, "`{text}` is not a server name (like mastodon.social)"),
            K::PostInvalid { problems, more } => write!(f, "post add: {}", problem::list(problems, *more)),
        }
    }
}

/// Copies user text into an error, cut to [`MAX_ECHO_CHARS`](crate::prompts::escape::MAX_ECHO_CHARS)
/// characters so a huge message is not kept, logged or echoed back ([`shorten`](crate::prompts::escape::shorten), the one rule for it).
pub(super) fn echo(text: &str) -> String {
    crate::prompts::escape::shorten(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prompts::escape::MAX_ECHO_CHARS;

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
            K::PostInvalid {
                problems: vec![PostProblem::MissingField { field: "title" }],
                more: 0,
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
        let problems = vec![PostProblem::BadValue {
            line: 4,
            field: "link".into(),
            value: "nope".into(),
            expected: "url",
        }];
        let kind = ParseErrorKind::PostInvalid { problems, more: 0 };
        let json = serde_json::to_string(&kind).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"kind":"post_invalid","problems":[{"kind":"bad_value","line":4,"field":"link","value":"nope","expected":"url"}],"more":0}"#
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
                ParseErrorKind::PostInvalid {
                    problems: vec![
                        PostProblem::ExpiresEvergreen { line: 9 },
                        PostProblem::MissingField { field: "link" },
                    ],
                    more: 2,
                },
                "post add: line 9: `expires` needs `kind: hot` (evergreen items do not expire); missing field `link`; and 2 more",
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
