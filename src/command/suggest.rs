//! "Did you mean...?": a bounded Damerau-Levenshtein distance and the closest command word.
//!
//! Only error paths use this, but it still works on the stack and gives up on words longer than
//! [`MAX_CHARS`], so a huge message costs nothing.

use super::COMMANDS;
use std::sync::OnceLock;

/// Longest word (in characters) compared; longer words get no suggestion.
pub(super) const MAX_CHARS: usize = 48;

/// Other spellings of commands: `(alias, COMMANDS first word)`.
pub(super) const ALIASES: &[(&str, &str)] = &[
    ("leaderboard", "top"),
    ("board", "top"),
    ("mydata", "my-data"),
    ("my_data", "my-data"),
    ("forgetme", "forget-me"),
    ("forget_me", "forget-me"),
];

/// A word's ASCII-lower-cased characters, on the stack.
pub(super) struct Word {
    chars: [char; MAX_CHARS],
    len: usize,
}

impl Word {
    /// `None` when the word is longer than [`MAX_CHARS`].
    pub(super) fn new(text: &str) -> Option<Self> {
        let mut chars = ['\0'; MAX_CHARS];
        let mut len = 0;
        for c in text.chars() {
            *chars.get_mut(len)? = c.to_ascii_lowercase();
            len += 1;
        }
        Some(Word { chars, len })
    }

    fn chars(&self) -> &[char] {
        self.chars.get(..self.len).unwrap_or_default()
    }

    /// The optimal-string-alignment (restricted Damerau-Levenshtein) distance to `other` if it is at
    /// most `limit`; gives up as soon as a whole row of the table exceeds `limit`.
    pub(super) fn distance_within(&self, other: &Word, limit: usize) -> Option<usize> {
        let (a, b) = (self.chars(), other.chars());
        if a.len().abs_diff(b.len()) > limit {
            return None;
        }
        // Three rotating rows of the table (row i is rows[i % 3]); cells are at most MAX_CHARS.
        let mut rows = [[0u8; MAX_CHARS + 1]; 3];
        for (j, cell) in rows[0].iter_mut().enumerate() {
            *cell = j as u8;
        }
        for (i, &ca) in a.iter().enumerate() {
            let (before, prev, cur) = ((i + 2) % 3, i % 3, (i + 1) % 3);
            rows[cur][0] = (i + 1) as u8;
            let mut row_min = rows[cur][0];
            for (j, &cb) in b.iter().enumerate() {
                let cost = u8::from(ca != cb);
                let mut best = (rows[prev][j + 1] + 1).min(rows[cur][j] + 1).min(rows[prev][j] + cost);
                let swapped = i > 0 && j > 0 && a.get(i - 1) == Some(&cb) && b.get(j - 1) == Some(&ca);
                if swapped {
                    best = best.min(rows[before][j - 1] + 1);
                }
                rows[cur][j + 1] = best;
                row_min = row_min.min(best);
            }
            if usize::from(row_min) > limit {
                return None;
            }
        }
        let d = usize::from(rows[a.len() % 3][b.len()]);
        (d <= limit).then_some(d)
    }
}

/// The distance between two words (see [`Word::distance_within`]); `None` when one is too long.
pub(crate) fn distance(a: &str, b: &str) -> Option<usize> {
    Word::new(a)?.distance_within(&Word::new(b)?, usize::MAX)
}

/// The candidate closest to `typed` within `limit` edits, the first one on ties.
pub(super) fn closest<'c, I>(typed: &str, candidates: I, limit: usize) -> Option<&'c str>
where
    I: IntoIterator<Item = &'c str>,
{
    let typed = Word::new(typed)?;
    let mut best: Option<(usize, &'c str)> = None;
    for candidate in candidates {
        let limit = best.map_or(limit, |(d, _)| d.saturating_sub(1));
        let Some(d) = Word::new(candidate).and_then(|c| typed.distance_within(&c, limit)) else {
            continue;
        };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The command word (first word of a `COMMANDS` name) a mistyped word probably meant: the only command or
/// alias it is a prefix of (at least two letters), else the closest within two edits (fewer than its length).
pub(super) fn command_suggestion(typed: &str) -> Option<&'static str> {
    let lower = typed.to_lowercase();
    let words = command_words().chain(ALIASES.iter().map(|(alias, _)| *alias));
    if lower.chars().count() >= 2 {
        let mut prefixed = words.clone().filter(|w| w.starts_with(&lower)).map(canonical);
        if let Some(first) = prefixed.next() {
            if prefixed.all(|other| other == first) {
                return Some(first);
            }
        }
    }
    let limit = 2.min(lower.chars().count().saturating_sub(1));
    closest(&lower, words, limit).map(canonical)
}

/// The distinct first words of [`COMMANDS`] (`post` once), in table order; computed once.
pub(super) fn command_words() -> impl Iterator<Item = &'static str> + Clone {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        let mut words: Vec<&'static str> = Vec::new();
        for word in COMMANDS
            .iter()
            .map(|spec| spec.name.split(' ').next().unwrap_or(spec.name))
        {
            if !words.contains(&word) {
                words.push(word);
            }
        }
        words
    });
    words.iter().copied()
}

/// The command word an alias stands for (the word itself when it is no alias).
pub(super) fn canonical(word: &'static str) -> &'static str {
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == word)
        .map_or(word, |(_, target)| target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits_and_transpositions() {
        let rows = [
            ("", "", Some(0)),
            ("abc", "", Some(3)),
            ("shared", "shared", Some(0)),
            ("sahred", "shared", Some(1)),
            ("hlep", "help", Some(1)),
            ("tody", "today", Some(1)),
            ("TODAY", "today", Some(0)),
            ("kitten", "sitting", Some(3)),
            ("ca", "abc", Some(3)),
            ("café", "cafe", Some(1)),
        ];
        for (a, b, want) in rows {
            assert_eq!(distance(a, b), want, "{a} / {b}");
            assert_eq!(distance(b, a), want, "{b} / {a}");
        }
        assert_eq!(distance(&"x".repeat(MAX_CHARS + 1), "x"), None);
        let (kitten, sitting) = (Word::new("kitten").unwrap(), Word::new("sitting").unwrap());
        assert_eq!(kitten.distance_within(&sitting, 2), None);
        assert_eq!(kitten.distance_within(&sitting, 3), Some(3));
        assert_eq!(
            Word::new("abcdef")
                .unwrap()
                .distance_within(&Word::new("ab").unwrap(), 3),
            None
        );
        assert_eq!(
            distance(&"x".repeat(MAX_CHARS), &"y".repeat(MAX_CHARS)),
            Some(MAX_CHARS)
        );
    }

    #[test]
    fn mistyped_commands_get_the_closest_command_word() {
        let rows = [
            ("sahred", Some("shared")),
            ("hlep", Some("help")),
            ("tody", Some("today")),
            ("TODy", Some("today")),
            ("amb", Some("ambassadors")),
            ("rep", Some("report")),
            ("mastodn", Some("mastodon")),
            ("leaderbord", Some("top")),
            ("lead", Some("top")),
            ("forget", Some("forget-me")),
            ("psot", Some("post")),
            ("xy", None),
            ("s", None),
            ("zzzzzz", None),
            ("", None),
        ];
        for (typed, want) in rows {
            assert_eq!(command_suggestion(typed), want, "{typed}");
        }
    }

    #[test]
    fn command_words_are_distinct_first_words() {
        let words: Vec<&str> = command_words().collect();
        assert_eq!(words.iter().filter(|w| **w == "post").count(), 1);
        assert!(words.contains(&"help") && words.contains(&"role"));
        assert!(ALIASES.iter().all(|(_, target)| words.contains(target)));
    }
}
