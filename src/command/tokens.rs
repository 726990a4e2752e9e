//! Tokenising without allocation: the prefix, the command line and its whitespace-separated arguments.
//!
//! A Markdown link `[label with spaces](url)` is kept as one argument so that `shared` can unwrap it.

/// What follows the prefix in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Addressed<'a> {
    /// The message does not start with the prefix followed by a word.
    NotForUs,
    /// Only the prefix (and spaces) on the first line.
    Empty,
    /// The text after the prefix, starting with the command word.
    Body(&'a str),
}

/// Strips leading whitespace and `prefix` (ASCII case-insensitive) and decides whether the message is for us.
///
/// A prefix ending in a letter or digit (`relais`) must be followed by something else, so that `relaisbot`
/// is not read as the command `bot`.
pub(super) fn strip_prefix<'a>(text: &'a str, prefix: &str) -> Addressed<'a> {
    let text = text.trim_start();
    let Some(after) = strip_ascii_case_prefix(text, prefix.trim()) else {
        return Addressed::NotForUs;
    };
    let ends_in_word = prefix.trim().chars().next_back().is_some_and(char::is_alphanumeric);
    if ends_in_word && after.chars().next().is_some_and(char::is_alphanumeric) {
        return Addressed::NotForUs;
    }
    let body = after.trim_start_matches(is_blank);
    match body.chars().next() {
        None | Some('\n' | '\r') => Addressed::Empty,
        Some(c) if c.is_alphabetic() => Addressed::Body(body),
        Some(_) => Addressed::NotForUs,
    }
}

fn strip_ascii_case_prefix<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        text.get(prefix.len()..)
    } else {
        None
    }
}

/// Whitespace inside a line (anything but line breaks).
pub(super) fn is_blank(c: char) -> bool {
    c.is_whitespace() && c != '\n' && c != '\r'
}

/// Splits a body into its first line and the lines after it.
pub(super) fn first_line(body: &str) -> (&str, &str) {
    match body.split_once('\n') {
        Some((first, rest)) => (first, rest),
        None => (body, ""),
    }
}

/// Lower-cases an ASCII word into `buf`; `None` when it is longer than the buffer or not ASCII.
pub(super) fn ascii_lower<'b>(word: &str, buf: &'b mut [u8; 16]) -> Option<&'b str> {
    let out = buf.get_mut(..word.len())?;
    if !word.is_ascii() {
        return None;
    }
    for (o, b) in out.iter_mut().zip(word.bytes()) {
        *o = b.to_ascii_lowercase();
    }
    std::str::from_utf8(out).ok()
}

/// The arguments of a command line, one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Words<'a> {
    rest: &'a str,
}

impl<'a> Words<'a> {
    pub(super) fn new(line: &'a str) -> Self {
        Words { rest: line.trim() }
    }

    /// Everything not yet taken, trimmed (empty when done).
    pub(super) fn rest(&self) -> &'a str {
        self.rest
    }

    pub(super) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let end = markdown_link_len(self.rest)
            .unwrap_or_else(|| self.rest.find(char::is_whitespace).unwrap_or(self.rest.len()));
        let (word, rest) = self.rest.split_at(end);
        self.rest = rest.trim_start();
        Some(word)
    }
}

/// Length of a Markdown link `[label](url)` at the start of `text`; the URL may hold balanced parentheses.
fn markdown_link_len(text: &str) -> Option<usize> {
    if !text.starts_with('[') {
        return None;
    }
    let open = text.find("](")? + 2;
    let mut depth = 1usize;
    for (i, c) in text.get(open..)?.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i + 1);
                }
            }
            c if c.is_whitespace() => return None,
            _ => {}
        }
    }
    None
}

/// Removes Discord's `<url>` and Markdown's `[label](url)` (also `[label](<url>)`) around a link.
pub(super) fn unwrap_link(token: &str) -> &str {
    let mut t = token.trim();
    if let Some(inner) = t.strip_prefix('[').and_then(|s| s.strip_suffix(')')) {
        if let Some((_, url)) = inner.split_once("](") {
            t = url.trim();
        }
    }
    if let Some(inner) = t.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
        t = inner.trim();
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_decides_who_the_message_is_for() {
        let rows: &[(&str, &str, Addressed)] = &[
            ("!today", "!", Addressed::Body("today")),
            ("  ! today now", "!", Addressed::Body("today now")),
            ("!", "!", Addressed::Empty),
            ("!   ", "!", Addressed::Empty),
            ("!  \ntoday", "!", Addressed::Empty),
            ("!!!", "!", Addressed::NotForUs),
            ("!?", "!", Addressed::NotForUs),
            ("! 42", "!", Addressed::NotForUs),
            ("today", "!", Addressed::NotForUs),
            ("", "!", Addressed::NotForUs),
            ("Relais: me", "relais:", Addressed::Body("me")),
            ("relais me", "relais", Addressed::Body("me")),
            ("relaisbot me", "relais", Addressed::NotForUs),
            ("?top", "?", Addressed::Body("top")),
            ("é", "!", Addressed::NotForUs),
            ("!é", "!", Addressed::Body("é")),
            ("ü!x", "ü!", Addressed::Body("x")),
        ];
        for (text, prefix, want) in rows {
            assert_eq!(strip_prefix(text, prefix), *want, "{text:?} with {prefix:?}");
        }
    }

    #[test]
    fn words_keep_markdown_links_whole() {
        let rows: &[(&str, &[&str])] = &[
            ("a  b\tc ", &["a", "b", "c"]),
            (
                "[my post](https://x.org/a_(b)) c1",
                &["[my post](https://x.org/a_(b))", "c1"],
            ),
            ("[broken label](no close", &["[broken", "label](no", "close"]),
            ("<https://x.org> c2", &["<https://x.org>", "c2"]),
            ("", &[]),
        ];
        for (line, want) in rows {
            let got: Vec<&str> = Words::new(line).collect();
            assert_eq!(got, *want, "{line:?}");
        }
        let mut words = Words::new("one two  three");
        assert_eq!(words.next(), Some("one"));
        assert_eq!(words.rest(), "two  three");
        assert!(!words.is_empty());
    }

    #[test]
    fn links_unwrap_from_angle_brackets_and_markdown() {
        let rows = [
            ("<https://x.org/a>", "https://x.org/a"),
            ("[label](https://x.org/a)", "https://x.org/a"),
            ("[label](<https://x.org/a>)", "https://x.org/a"),
            ("https://x.org/a", "https://x.org/a"),
            ("<>", ""),
        ];
        for (token, want) in rows {
            assert_eq!(unwrap_link(token), want, "{token:?}");
        }
    }

    #[test]
    fn ascii_lower_fits_short_ascii_words_only() {
        let mut buf = [0u8; 16];
        assert_eq!(ascii_lower("ToDaY", &mut buf), Some("today"));
        assert_eq!(ascii_lower("çà", &mut buf), None);
        assert_eq!(ascii_lower("a-very-long-command-word", &mut buf), None);
    }
}
