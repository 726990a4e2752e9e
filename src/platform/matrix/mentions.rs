//! Mention pills. A Matrix client shows a mention as a pill: the plain `body` holds the person's
//! display name, and only the HTML `formatted_body` holds their account
//! (`<a href="https://matrix.to/#/@dana:example.org">Dana</a>`). The command text handed to the
//! core gets the account id in place of the name, as a Discord mention (`<@id>`) already is, so
//! that a command naming a person (`role grant`) never goes by a display name anyone can choose.

use crate::domain::{Identity, Platform};
use crate::html_text::{decode_entities, strip_tags};
use percent_encoding::percent_decode_str;

/// `body` with the shown text of each user pill of `html` replaced by the account id, in order.
/// A pill whose text is not found as a word in the rest of the body is left alone.
pub fn with_account_ids(body: &str, html: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    for (account, shown) in pills(html) {
        let Some((start, end)) = find_word(rest, &shown) else {
            continue;
        };
        out.push_str(&rest[..start]);
        out.push_str(&account);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The user pills of an HTML body, in order: (account id, shown text). The quoted message of a
/// reply (`<mx-reply>`) is left out.
pub fn pills(html: &str) -> Vec<(String, String)> {
    let html = without_reply_quote(html);
    let mut found = Vec::new();
    let mut rest = html.as_str();
    while let Some(at) = find_ascii_case(rest, "<a ") {
        rest = &rest[at + 3..];
        let Some(tag_end) = rest.find('>') else { break };
        let (attributes, after) = (&rest[..tag_end], &rest[tag_end + 1..]);
        let Some(close) = find_ascii_case(after, "</a>") else {
            break;
        };
        let shown = decode_entities(&strip_tags(&after[..close], None));
        rest = &after[close + 4..];
        if let Some(account) = href(attributes).and_then(|h| user_of_link(&h)) {
            if !shown.trim().is_empty() {
                found.push((account, shown.trim().to_string()));
            }
        }
    }
    found
}

/// The Matrix user a link points at: `https://matrix.to/#/@dana:example.org` (escaped or not)
/// or `matrix:u/dana:example.org`.
fn user_of_link(href: &str) -> Option<String> {
    let target = if let Some(rest) = href.strip_prefix("https://matrix.to/#/") {
        rest.split('?').next().unwrap_or(rest).to_string()
    } else {
        let rest = href.strip_prefix("matrix:u/")?;
        format!("@{}", rest.split('?').next().unwrap_or(rest))
    };
    let target = percent_decode_str(&target).decode_utf8().ok()?;
    Identity::parse_account(Platform::Matrix, &target)
        .filter(|i| i.platform == Platform::Matrix)
        .map(|i| i.user)
}

/// The value of the `href` attribute, quoted with `"` or `'`, entities decoded.
fn href(attributes: &str) -> Option<String> {
    let at = find_ascii_case(attributes, "href=")?;
    let value = &attributes[at + 5..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    let end = value.find(quote)?;
    Some(decode_entities(&value[..end]))
}

/// `html` without the `<mx-reply>…</mx-reply>` quote a reply starts with.
fn without_reply_quote(html: &str) -> String {
    match (
        find_ascii_case(html, "<mx-reply>"),
        find_ascii_case(html, "</mx-reply>"),
    ) {
        (Some(start), Some(end)) if start < end => format!("{}{}", &html[..start], &html[end + 11..]),
        _ => html.to_string(),
    }
}

/// Where `word` first stands as a word in `text` (an `@` just before it included).
fn find_word(text: &str, word: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(found) = text[from..].find(word) {
        let (start, end) = (from + found, from + found + word.len());
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let starts_word = before.is_none_or(|c| c.is_whitespace() || c == '@');
        let ends_word = after.is_none_or(|c| c.is_whitespace() || ",:;.!?)".contains(c));
        if starts_word && ends_word {
            let start = if before == Some('@') { start - 1 } else { start };
            return Some((start, end));
        }
        from = start + word.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// The first position of `needle` (ASCII) in `haystack`, ignoring ASCII case.
fn find_ascii_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pills_become_account_ids_in_the_command_text() {
        let rows: &[(&str, &str, &str)] = &[
            // Element: the body holds the display name, the HTML the account.
            (
                "!role grant Dana",
                r#"!role grant <a href="https://matrix.to/#/@dana:example.org">Dana</a>"#,
                "!role grant @dana:example.org",
            ),
            (
                "!role grant Dana Smith",
                r#"!role grant <a href="https://matrix.to/#/%40dana%3Aexample.org">Dana Smith</a>"#,
                "!role grant @dana:example.org",
            ),
            (
                "!role grant @Dana",
                r#"!role grant <A HREF='matrix:u/dana:example.org?action=chat'>@Dana</A>"#,
                "!role grant @dana:example.org",
            ),
            (
                "!role grant Dana & Co",
                r#"!role grant <a href="https://matrix.to/#/@dana:example.org"><b>Dana &amp; Co</b></a>"#,
                "!role grant @dana:example.org",
            ),
            // Two people with the same shown name: each pill in its place.
            (
                "Dana: !role grant Dana",
                r#"<a href="https://matrix.to/#/@bot:example.org">Dana</a>: !role grant <a href="https://matrix.to/#/@dana:example.org">Dana</a>"#,
                "@bot:example.org: !role grant @dana:example.org",
            ),
            // A reply's quote is not part of the command.
            (
                "!role grant Dana",
                r#"<mx-reply><blockquote><a href="https://matrix.to/#/@eve:evil.org">Dana</a></blockquote></mx-reply>!role grant Dana"#,
                "!role grant Dana",
            ),
            // Room links, other links and names not standing as a word stay as they are.
            (
                "!role grant Dana",
                r#"!role grant <a href="https://matrix.to/#/#team:example.org">Dana</a>"#,
                "!role grant Dana",
            ),
            (
                "!role grant Dana",
                r#"!role grant <a href="https://evil.example/#/@eve:evil.org">Dana</a>"#,
                "!role grant Dana",
            ),
            (
                "!role grant Danaë",
                r#"!role grant <a href="https://matrix.to/#/@dana:example.org">Dana</a>"#,
                "!role grant Danaë",
            ),
            ("!me", "<b>!me</b>", "!me"),
            (
                "!role grant Dana",
                "<a href=\"https://matrix.to/#/@dana:example.org\">Dana",
                "!role grant Dana",
            ),
        ];
        for (body, html, want) in rows {
            assert_eq!(with_account_ids(body, html), *want, "{html}");
        }
    }
}
