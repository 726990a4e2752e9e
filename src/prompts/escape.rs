//! What people typed, made safe for the light Markdown of the prompts: as text, in a code span, or
//! as a link the core builds.
//!
//! Every value a template prints goes through [`text`] unless it is markup the core made itself
//! (see [`markup`]): the formatter of the prompts' environment calls it. The escapes are the ones
//! CommonMark (Matrix) and Discord both honour, and only where a character could mean something, so
//! that the console, which prints texts as they are, still reads naturally: `Jean_Luc` and `a < b`
//! stay as typed, `**` and `[x](y)` get a backslash.

use serde_json::{json, Value};

/// The key of the JSON object that marks a context value as markup (see [`markup`]).
pub(super) const MARKUP_KEY: &str = "$markup";

/// Zero-width space, put after the `@` of `@room`, `@everyone` and `@here` so that they notify nobody.
const DEFUSE: char = '\u{200B}';

/// Words that notify a whole room after `@` (Matrix's legacy `@room`; Discord's `@everyone`, `@here`).
const ROOM_MENTIONS: [&str; 3] = ["room", "everyone", "here"];

/// What ends a line: CR, LF, and Unicode's other vertical spaces.
const LINE_BREAKS: [char; 7] = ['\n', '\r', '\u{0B}', '\u{0C}', '\u{85}', '\u{2028}', '\u{2029}'];

/// URL schemes a link may have; any other destination is shown as text.
pub const LINK_SCHEMES: [&str; 3] = ["https", "http", "mailto"];

/// Marks `markdown` (a text the core rendered from a prompt, or built itself) as markup for a
/// template context: it is printed as it is, not escaped.
pub fn markup(markdown: impl Into<String>) -> Value {
    json!({ MARKUP_KEY: markdown.into() })
}

/// `value` as Markdown text: trimmed, every character that could start markup (emphasis, code,
/// links, images, HTML, mentions, spoilers, entities; headings, quotes and lists at the start of a
/// line) escaped, and room-wide mentions defused. Its line breaks stay line breaks in the same
/// paragraph (or list item): blank lines are dropped and each further line is indented by a space,
/// so that it can neither end a list nor start a block of its own.
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + value.len() / 8);
    for line in value.split(LINE_BREAKS).map(str::trim).filter(|line| !line.is_empty()) {
        if !out.is_empty() {
            out.push_str("\n ");
        }
        push_line(&mut out, line);
    }
    out
}

/// Appends one line of a value (without line breaks), escaped, to `out`.
fn push_line(out: &mut String, line: &str) {
    let chars: Vec<char> = line.chars().collect();
    let at_start = line_start_escape(&chars);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let escape = at_start == Some(i)
            || match c {
                '`' | '*' | '~' | '[' | ']' => true,
                '\\' => next.is_none_or(|n| n.is_ascii_punctuation()),
                // Inside a word (`Jean_Luc`) an underscore is no emphasis, in CommonMark or Discord.
                '_' => {
                    !(prev.is_some_and(|p| p.is_ascii_alphanumeric())
                        && next.is_some_and(|n| n.is_ascii_alphanumeric()))
                }
                // `<b>`, `<https://…>`, Discord's `<@id>`, `<#id>`, `<t:…>`; `a < b` is no tag.
                '<' => next.is_none_or(|n| !n.is_whitespace()),
                // Discord's `||spoiler||`.
                '|' => prev.is_none_or(|p| p == '|') || next.is_none_or(|n| n == '|'),
                '&' => is_entity(&chars[i + 1..]),
                _ => false,
            };
        if escape {
            out.push('\\');
        }
        out.push(c);
        if c == '@' && room_mention_at(&chars[i + 1..]) {
            out.push(DEFUSE);
        }
    }
}

/// Longest value (in characters) a code span shows: what people typed is echoed back in one, and a
/// 3,000-character link pasted by mistake must not come back in full.
pub const MAX_ECHO_CHARS: usize = 80;

/// `text` cut to [`MAX_ECHO_CHARS`] characters (on a character boundary), ending with `…` when cut:
/// the one place where echoed values are shortened.
pub fn shorten(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_ECHO_CHARS) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", text.get(..cut).unwrap_or_default())),
    }
}

/// `value` as a whole code span (shortened by [`shorten`]), backticks included: fenced with one more backtick than its longest
/// backtick run (and padded with spaces where CommonMark needs it), so nothing in it can close the
/// span. An empty value is an empty-looking span (one space).
pub fn code(value: &str) -> String {
    let chars: Vec<char> = shorten(&one_line(value)).chars().collect();
    if chars.is_empty() {
        return "` `".to_string();
    }
    let longest = chars.split(|c| *c != '`').map(<[char]>::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let (first, last) = (chars[0], chars[chars.len() - 1]);
    let pad = first == '`' || last == '`' || (first == ' ' && last == ' ' && chars.iter().any(|c| *c != ' '));
    let pad = if pad { " " } else { "" };
    let mut content = String::with_capacity(value.len() + 2);
    for (i, &c) in chars.iter().enumerate() {
        content.push(c);
        if c == '@' && room_mention_at(&chars[i + 1..]) {
            content.push(DEFUSE);
        }
    }
    format!("{fence}{pad}{content}{pad}{fence}")
}

/// A Markdown link to `url` labelled `label` (escaped as [`text`]), when `url` has one of the
/// [`LINK_SCHEMES`]; its destination cannot end early (spaces, parentheses, `<`, `>`, backslashes
/// and entity-like `&` are percent-encoded). Any other URL is shown as text after the label.
pub fn link(label: &str, url: &str) -> String {
    let url = url.trim();
    let label = if label.trim().is_empty() { url } else { label };
    if !has_link_scheme(url) {
        return format!("{} ({})", text(label), text(url));
    }
    let chars: Vec<char> = url.chars().collect();
    let mut destination = String::with_capacity(url.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let encode = c.is_control()
            || c.is_whitespace()
            || matches!(c, '(' | ')' | '<' | '>' | '\\' | '`')
            || (c == '&' && is_entity(&chars[i + 1..]));
        if encode {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                destination.push_str(&format!("%{byte:02X}"));
            }
        } else {
            destination.push(c);
        }
    }
    format!("[{}]({destination})", text(label))
}

/// Whether `url` starts with one of the [`LINK_SCHEMES`] and a colon (in any case).
pub fn has_link_scheme(url: &str) -> bool {
    url.split_once(':')
        .is_some_and(|(scheme, _)| LINK_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)))
}

/// `value` with every line break as a space (a code span is one line).
fn one_line(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains(LINE_BREAKS) {
        value.replace(LINE_BREAKS, " ").into()
    } else {
        value.into()
    }
}

/// The index of the character to escape because the value may begin a line, where it would start
/// a heading (`# `, Discord's `-# `), a quote (`>`), a list item (`- `, `+ `, `1. `, `2) `), a
/// thematic break or a heading underline (`---`, `===`).
fn line_start_escape(chars: &[char]) -> Option<usize> {
    let first = *chars.first()?;
    let after = |i: usize| chars.get(i).copied();
    let blank_or_end = |i: usize| after(i).is_none_or(char::is_whitespace);
    match first {
        '>' => Some(0),
        '#' => {
            let run = chars.iter().take_while(|c| **c == '#').count();
            blank_or_end(run).then_some(0)
        }
        '-' | '+' => (blank_or_end(1) || after(1) == Some('#') || after(1) == Some(first)).then_some(0),
        '=' => chars.iter().all(|c| *c == '=').then_some(0),
        '0'..='9' => {
            let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
            (matches!(after(digits), Some('.' | ')')) && blank_or_end(digits + 1)).then_some(digits)
        }
        _ => None,
    }
}

/// Whether `rest` (what follows an `&`) makes an HTML entity (`amp;`, `#60;`, `#x3C;`), which
/// Markdown would decode.
fn is_entity(rest: &[char]) -> bool {
    let name = rest
        .iter()
        .take(33)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && rest.get(name) == Some(&';')
}

/// Whether `rest` (what follows an `@`) begins with a room-wide mention word.
fn room_mention_at(rest: &[char]) -> bool {
    ROOM_MENTIONS
        .iter()
        .any(|word| rest.len() >= word.len() && rest.iter().zip(word.chars()).all(|(c, w)| c.to_ascii_lowercase() == w))
}

#[cfg(test)]
mod tests;
