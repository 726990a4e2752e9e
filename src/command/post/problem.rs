//! What can be wrong in the fields of a `post add`: each problem with its line, so that one reply
//! lists every one of them.

use serde::Serialize;
use std::fmt;

/// Most problems one `post add` reply lists; any further ones are only counted.
pub const MAX_POST_PROBLEMS: usize = 10;

/// One problem in the fields of a `post add`; lines count from the `post add` line (line 1).
/// `expected` in [`PostProblem::BadValue`] is one of `url`, `lang`, `network`, `intent`, `kind`,
/// `date`, `datetime`, `text`; for `lang` and `network`, `value` is that part of the key
/// (`de` in `text.de`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PostProblem {
    UnknownField {
        line: usize,
        field: String,
        suggestion: Option<String>,
    },
    MissingField {
        field: &'static str,
    },
    DuplicateField {
        line: usize,
        field: String,
    },
    BadValue {
        line: usize,
        field: String,
        value: String,
        expected: &'static str,
    },
    /// `expires` was given for an evergreen post, which never expires.
    ExpiresEvergreen {
        line: usize,
    },
}

impl PostProblem {
    /// The line the problem is on; `None` for a missing field.
    pub fn line(&self) -> Option<usize> {
        match self {
            PostProblem::UnknownField { line, .. }
            | PostProblem::DuplicateField { line, .. }
            | PostProblem::BadValue { line, .. }
            | PostProblem::ExpiresEvergreen { line } => Some(*line),
            PostProblem::MissingField { .. } => None,
        }
    }

    /// The key of its message template under `parse.` (the serde tag, prefixed with `post_`).
    pub fn key(&self) -> &'static str {
        match self {
            PostProblem::UnknownField { .. } => "post_unknown_field",
            PostProblem::MissingField { .. } => "post_missing_field",
            PostProblem::DuplicateField { .. } => "post_duplicate_field",
            PostProblem::BadValue { .. } => "post_bad_value",
            PostProblem::ExpiresEvergreen { .. } => "post_expires_evergreen",
        }
    }
}

impl fmt::Display for PostProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PostProblem::UnknownField {
                line,
                field,
                suggestion,
            } => {
                write!(f, "line {line}: unknown field `{field}`")?;
                match suggestion {
                    Some(s) => write!(f, " (did you mean `{s}`?)"),
                    None => Ok(()),
                }
            }
            PostProblem::MissingField { field } => write!(f, "missing field `{field}`"),
            PostProblem::DuplicateField { line, field } => write!(f, "line {line}: field `{field}` given twice"),
            PostProblem::BadValue {
                line,
                field,
                value,
                expected,
            } => write!(f, "line {line}: `{value}` is not a valid {field} (expected {expected})"),
            PostProblem::ExpiresEvergreen { line } => {
                write!(
                    f,
                    "line {line}: `expires` needs `kind: hot` (evergreen items do not expire)"
                )
            }
        }
    }
}

/// Every problem, one per `; `, and how many more were left out.
pub(in crate::command) fn list(problems: &[PostProblem], more: usize) -> String {
    let mut text = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
    if more > 0 {
        text.push_str(&format!("; and {more} more"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_post_and_the_serde_tag() {
        let problems = [
            PostProblem::UnknownField {
                line: 2,
                field: "x".into(),
                suggestion: None,
            },
            PostProblem::MissingField { field: "title" },
            PostProblem::DuplicateField {
                line: 3,
                field: "x".into(),
            },
            PostProblem::BadValue {
                line: 4,
                field: "x".into(),
                value: "y".into(),
                expected: "url",
            },
            PostProblem::ExpiresEvergreen { line: 5 },
        ];
        for problem in &problems {
            let json = serde_json::to_value(problem).unwrap_or_default();
            let tag = json["kind"].as_str().unwrap_or_default();
            assert_eq!(problem.key(), format!("post_{tag}"), "{problem:?}");
        }
    }
}
