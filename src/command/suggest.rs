//! "Did you mean...?": a bounded Damerau-Levenshtein distance and the closest command word.
//!
//! Only error paths use this, but it still works on the stack and gives up on words longer than
//! [`MAX_CHARS`], so a huge message costs nothing.

use super::COMMANDS;

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

/// Optimal-string-alignment (restricted Damerau-Levenshtein) distance, ASCII case-insensitive.
/// `None` when either word is longer than [`MAX_CHARS`].
pub(super) fn distance(a: &str, b: &str) -> Option<usize> {
    let mut a_buf = ['\0'; MAX_CHARS];
    let mut b_buf = ['\0'; MAX_CHARS];
    let a = fill(&mut a_buf, a)?;
    let b = fill(&mut b_buf, b)?;
    let mut before = [0usize; MAX_CHARS + 1];
    let mut prev = [0usize; MAX_CHARS + 1];
    let mut cur = [0usize; MAX_CHARS + 1];
    for (j, cell) in prev.iter_mut().enumerate() {
        *cell = j;
    }
    let mut last_a = '\0';
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut last_b = '\0';
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let mut best = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
            if i > 0 && j > 0 && ca == last_b && last_a == cb {
                best = best.min(before[j - 1] + 1);
            }
            cur[j + 1] = best;
            last_b = cb;
        }
        before = prev;
        prev = cur;
        last_a = ca;
    }
    prev.get(b.len()).copied()
}

/// Copies the lower-cased characters of `word` into `buf`; `None` if it does not fit.
fn fill<'b>(buf: &'b mut [char; MAX_CHARS], word: &str) -> Option<&'b [char]> {
    let mut n = 0;
    for c in word.chars() {
        *buf.get_mut(n)? = c.to_ascii_lowercase();
        n += 1;
    }
    buf.get(..n)
}

/// The candidate closest to `typed` within `limit` edits, the first one on ties.
pub(super) fn closest<'c, I>(typed: &str, candidates: I, limit: usize) -> Option<&'c str>
where
    I: IntoIterator<Item = &'c str>,
{
    let mut best: Option<(usize, &'c str)> = None;
    for candidate in candidates {
        let Some(d) = distance(typed, candidate) else { continue };
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
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

/// The distinct first words of [`COMMANDS`] (`post` once).
pub(super) fn command_words() -> impl Iterator<Item = &'static str> + Clone {
    COMMANDS.iter().enumerate().filter_map(|(i, spec)| {
        let word = spec.name.split(' ').next().unwrap_or(spec.name);
        let seen = COMMANDS
            .iter()
            .take(i)
            .any(|earlier| earlier.name.split(' ').next() == Some(word));
        (!seen).then_some(word)
    })
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
