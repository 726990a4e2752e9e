//! Grammar of `post add`: a first line `post add`, then one `key: value` line per field.
//!
//! ```text
//! !post add
//! title: River clean-up day
//! link: https://example.org/river
//! text.en: Join us on Saturday to clean the river banks!
//! text.fr: Rejoignez-nous samedi pour nettoyer les berges !
//! caption.x: Saturday, river clean-up, be there 🌊
//! caption.linkedin.fr: Samedi, nous nettoyons les berges avec nos bénévoles.
//! hashtags: #rivers #volunteering
//! campaign: rivers-2026
//! intent: action
//! kind: hot
//! expires: 2026-11-30 18:00
//! publish: 2026-11-23
//! ```
//!
//! Required: `title`, `link`, at least one `text.LANG`. Defaults: `intent: awareness`,
//! `kind: hot` (expiring at the end of the day after publication unless `expires` is given),
//! `publish`: today. A value may continue on following lines that do not start with `key:`.
//!
//! Details: keys are case-insensitive and may have spaces before the colon (`titre :` typography);
//! `https://` never starts a key. A line that starts with whitespace always continues the previous value,
//! so a text line like `  Note: bring gloves` is not read as a field. Continuation lines are trimmed and
//! joined with `\n`; blank lines are ignored. `hashtags` are split on spaces and commas, `#` optional.
//! `expires: YYYY-MM-DD` alone means the end of that day (23:59:59). A line whose start reads like a
//! key (one or two words, any letters, then `:`) is a field, so that a misspelt `légende:` or
//! `text en:` is reported instead of silently joining the value above it.
//!
//! Every problem is reported at once ([`PostProblem`], at most [`MAX_POST_PROBLEMS`]), each with its
//! line in the message (the `post add` line is line 1), in line order (`expires` with
//! `kind: evergreen` on the `expires` line); then each missing field of `title`, `link`, `text`.

pub(super) mod problem;

use super::error::{echo, ParseError, ParseErrorKind};
use super::suggest::{closest, distance};
use super::tokens::is_blank;
use super::values::{date, time_of_day, web_url};
use crate::domain::{Caption, Intent, Lang, Network};
use chrono::{NaiveDate, NaiveDateTime};
use problem::{PostProblem, MAX_POST_PROBLEMS};
use std::collections::BTreeMap;

/// A new item as typed by a coordinator, before the core assigns an id and resolves dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPost {
    pub title: String,
    pub link: String,
    pub texts: BTreeMap<Lang, String>,
    pub captions: Vec<Caption>,
    /// Without the leading `#`.
    pub hashtags: Vec<String>,
    pub campaign: Option<String>,
    pub intent: Intent,
    pub kind: NewKind,
    /// `None`: today (the core decides, in the organisation's time zone).
    pub publish: Option<NaiveDate>,
}

/// The kind as typed: hot (with an optional local expiry) or evergreen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// Expires at this local date-time (organisation time zone); `None`: the default expiry.
    Hot {
        expires: Option<NaiveDateTime>,
    },
    Evergreen,
}

/// Where a field line's key points, to detect the same field given twice (`text.fr` and `text.FR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Link,
    Text(Lang),
    Caption(Network, Option<Lang>),
    Hashtags,
    Campaign,
    Intent,
    Kind,
    Expires,
    Publish,
}

/// Keys without a language or network part, for suggestions.
const PLAIN_KEYS: &[&str] = &[
    "title", "link", "hashtags", "campaign", "intent", "kind", "expires", "publish",
];

/// Words people type for a field, with the key they meant.
const KEY_SYNONYMS: &[(&str, &str)] = &[
    ("url", "link"),
    ("tags", "hashtags"),
    ("hashtag", "hashtags"),
    ("expiry", "expires"),
    ("expire", "expires"),
    ("until", "expires"),
    ("date", "publish"),
    ("name", "title"),
    ("type", "kind"),
];

/// One `key: value` line with its continuation lines.
struct RawField<'a> {
    line: usize,
    key: &'a str,
    value: String,
}

/// Parses the lines after `post add` (line 2 onwards of the message), reporting every problem.
pub(super) fn post_add(lines: &str) -> Result<NewPost, ParseError> {
    let mut problems = Vec::new();
    let fields = collect_fields(lines, &mut problems);
    let mut draft = Draft::default();
    for field in &fields {
        if let Err(problem) = draft.apply(field) {
            problems.push(problem);
        }
    }
    draft.finish(problems).map_err(|mut problems| {
        let more = problems.len().saturating_sub(MAX_POST_PROBLEMS);
        problems.truncate(MAX_POST_PROBLEMS);
        ParseError::new("post add", ParseErrorKind::PostInvalid { problems, more })
    })
}

/// Groups the lines into fields: a line `key: value` starts a field (spaces before `:` allowed, `://` is
/// not a key), any other line, and any indented line, continues the previous value. Text before the
/// first field is a problem.
fn collect_fields<'a>(lines: &'a str, problems: &mut Vec<PostProblem>) -> Vec<RawField<'a>> {
    let mut fields: Vec<RawField<'_>> = Vec::new();
    for (index, line) in lines.split('\n').enumerate() {
        let line_no = index + 2;
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let key_value = if line.starts_with(char::is_whitespace) {
            None
        } else {
            split_key(line)
        };
        match (key_value, fields.last_mut()) {
            (Some((key, value)), _) => fields.push(RawField {
                line: line_no,
                key,
                value: value.trim().to_string(),
            }),
            (None, Some(previous)) => {
                if !previous.value.is_empty() {
                    previous.value.push('\n');
                }
                previous.value.push_str(text);
            }
            (None, None) => problems.push(PostProblem::UnknownField {
                line: line_no,
                field: echo(text),
                suggestion: None,
            }),
        }
    }
    fields
}

/// `(key, value)` when the line starts with a key and `:`: one or two words of letters, digits, `.`,
/// `_` or `-`, the first starting with a letter, and no `//` right after the colon (a URL).
fn split_key(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim_end_matches(is_blank);
    let words = key.split(is_blank).filter(|w| !w.is_empty()).count();
    let key_chars = key
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-') || is_blank(c));
    let is_key = key.starts_with(char::is_alphabetic) && key_chars && words <= 2 && !value.starts_with("//");
    is_key.then_some((key, value))
}

/// The fields read so far.
#[derive(Default)]
struct Draft {
    seen: Vec<Field>,
    title: Option<String>,
    link: Option<String>,
    texts: BTreeMap<Lang, String>,
    captions: Vec<Caption>,
    hashtags: Vec<String>,
    campaign: Option<String>,
    intent: Option<Intent>,
    evergreen: bool,
    /// Line and the parsed local date-time.
    expires: Option<(usize, NaiveDateTime)>,
    publish: Option<NaiveDate>,
}

impl Draft {
    fn apply(&mut self, raw: &RawField<'_>) -> Result<(), PostProblem> {
        let key = raw.key.to_lowercase();
        let bad = |expected: &'static str, value: &str| PostProblem::BadValue {
            line: raw.line,
            field: key.clone(),
            value: echo(value),
            expected,
        };
        let field = field_of(&key, raw.line, &bad)?;
        if self.seen.contains(&field) {
            return Err(PostProblem::DuplicateField {
                line: raw.line,
                field: key,
            });
        }
        self.seen.push(field);
        let value = raw.value.as_str();
        let text = || {
            if value.is_empty() {
                Err(bad("text", value))
            } else {
                Ok(value.to_string())
            }
        };
        match field {
            Field::Title => self.title = Some(text()?),
            Field::Link => self.link = Some(web_url(value).ok_or_else(|| bad("url", value))?),
            Field::Text(lang) => {
                self.texts.insert(lang, text()?);
            }
            Field::Caption(network, lang) => self.captions.push(Caption {
                network,
                lang,
                text: text()?,
            }),
            Field::Hashtags => self.hashtags = hashtags(value),
            Field::Campaign => self.campaign = Some(text()?),
            Field::Intent => self.intent = Some(value.parse().map_err(|_| bad("intent", value))?),
            Field::Kind => self.evergreen = evergreen(value).ok_or_else(|| bad("kind", value))?,
            Field::Expires => {
                let at = date_time(value).ok_or_else(|| bad("datetime", value))?;
                self.expires = Some((raw.line, at));
            }
            Field::Publish => self.publish = Some(date(value).ok_or_else(|| bad("date", value))?),
        }
        Ok(())
    }

    /// The post, or every problem: those on a line (the ones found so far and `expires` on an
    /// evergreen post) in line order, then each missing field.
    fn finish(self, mut problems: Vec<PostProblem>) -> Result<NewPost, Vec<PostProblem>> {
        if let (true, Some((line, _))) = (self.evergreen, self.expires) {
            problems.push(PostProblem::ExpiresEvergreen { line });
        }
        problems.sort_by_key(|p| p.line().unwrap_or(usize::MAX));
        let missing = |field| PostProblem::MissingField { field };
        if self.title.is_none() && !self.seen.contains(&Field::Title) {
            problems.push(missing("title"));
        }
        if self.link.is_none() && !self.seen.contains(&Field::Link) {
            problems.push(missing("link"));
        }
        if self.texts.is_empty() && !self.seen.iter().any(|f| matches!(f, Field::Text(_))) {
            problems.push(missing("text"));
        }
        let kind = if self.evergreen {
            NewKind::Evergreen
        } else {
            NewKind::Hot {
                expires: self.expires.map(|(_, at)| at),
            }
        };
        let (Some(title), Some(link), true) = (self.title, self.link, problems.is_empty()) else {
            return Err(problems);
        };
        Ok(NewPost {
            title,
            link,
            texts: self.texts,
            captions: self.captions,
            hashtags: self.hashtags,
            campaign: self.campaign,
            intent: self.intent.unwrap_or(Intent::Awareness),
            kind,
            publish: self.publish,
        })
    }
}

/// Which field a lower-cased key names; `bad` builds the error for a bad language or network part.
fn field_of(key: &str, line: usize, bad: &dyn Fn(&'static str, &str) -> PostProblem) -> Result<Field, PostProblem> {
    let unknown = |suggestion: Option<&str>| PostProblem::UnknownField {
        line,
        field: echo(key),
        suggestion: suggestion.map(str::to_string),
    };
    let lang_of = |code: &str| code.parse::<Lang>().map_err(|_| bad("lang", code));
    let (head, tail) = key.split_once('.').unwrap_or((key, ""));
    match (head, tail) {
        ("title", "") => Ok(Field::Title),
        ("link", "") => Ok(Field::Link),
        ("hashtags", "") => Ok(Field::Hashtags),
        ("campaign", "") => Ok(Field::Campaign),
        ("intent", "") => Ok(Field::Intent),
        ("kind", "") => Ok(Field::Kind),
        ("expires", "") => Ok(Field::Expires),
        ("publish", "") => Ok(Field::Publish),
        ("text", "") => Err(unknown(Some("text.LANG"))),
        ("text", code) => lang_of(code).map(Field::Text),
        ("caption", "") => Err(unknown(Some("caption.NETWORK"))),
        ("caption", rest) => {
            let (network, lang) = rest.split_once('.').unwrap_or((rest, ""));
            let network = network.parse::<Network>().map_err(|_| bad("network", network))?;
            let lang = if lang.is_empty() { None } else { Some(lang_of(lang)?) };
            Ok(Field::Caption(network, lang))
        }
        _ if key.contains(is_blank) => {
            // `text en` for `text.en`: suggest the dotted key when that one is valid.
            let dotted = key
                .split(is_blank)
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(".");
            let valid = field_of(&dotted, line, bad).is_ok();
            Err(unknown(valid.then_some(dotted.as_str())))
        }
        _ => Err(unknown(key_suggestion(head, !tail.is_empty()))),
    }
}

/// The key an unknown key probably meant.
fn key_suggestion(head: &str, dotted: bool) -> Option<&'static str> {
    let near = |word: &str| distance(head, word).is_some_and(|d| d <= 2 && d < head.len());
    if near("text") {
        return Some("text.LANG");
    }
    if near("caption") {
        return Some("caption.NETWORK");
    }
    if dotted {
        return None;
    }
    let synonym = KEY_SYNONYMS.iter().find(|(word, _)| *word == head).map(|(_, key)| *key);
    synonym.or_else(|| closest(head, PLAIN_KEYS.iter().copied(), 2.min(head.len().saturating_sub(1))))
}

/// Hashtags separated by spaces or commas, without `#`, each once.
fn hashtags(value: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in value
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim_start_matches('#'))
    {
        if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    tags
}

/// `hot` → false, `evergreen` → true.
fn evergreen(value: &str) -> Option<bool> {
    match value {
        v if v.eq_ignore_ascii_case("hot") => Some(false),
        v if v.eq_ignore_ascii_case("evergreen") => Some(true),
        _ => None,
    }
}

/// `YYYY-MM-DD` (the end of that day, 23:59:59) or `YYYY-MM-DD HH:MM` (also with `T`).
fn date_time(value: &str) -> Option<NaiveDateTime> {
    let (day, time) = match value.split_once([' ', 'T']) {
        Some((day, time)) => (day, Some(time.trim())),
        None => (value, None),
    };
    let day = date(day)?;
    match time {
        None => day.and_hms_opt(23, 59, 59),
        Some(time) => time_of_day(time).map(|t| day.and_time(t)),
    }
}

#[cfg(test)]
mod tests;
