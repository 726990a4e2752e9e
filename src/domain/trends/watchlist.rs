//! Watchlists: the keywords and hashtags a team room watches, matched in the titles and summaries
//! of feed items without regard to case or accents, on word boundaries.

use super::fold::{fold, words, Word};
use crate::domain::RoomRef;
use std::collections::BTreeMap;
use std::fmt;

/// The most words a watched keyword may have.
pub const MAX_WORDS: usize = 6;
/// The longest watched term, in characters.
pub const MAX_CHARS: usize = 100;

/// Why a text cannot be watched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    #[error("a watched term needs at least one letter or digit")]
    Empty,
    #[error("a watched term has at most {MAX_CHARS} characters")]
    TooLong,
    #[error("a watched keyword has at most {MAX_WORDS} words")]
    TooManyWords,
    #[error("a hashtag is one word, without spaces or punctuation")]
    HashtagNotOneWord,
}

/// A watched term: a keyword (one or more words, found anywhere in a text, hashtags included) or a
/// hashtag (found only as a hashtag).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Term {
    /// As the coordinator wrote it (trimmed), to show back.
    shown: String,
    /// The folded words to find, in order.
    words: Vec<String>,
    hashtag: bool,
}

impl Term {
    /// A term from what a coordinator typed: `#tag` is a hashtag, anything else a keyword.
    pub fn parse(text: &str) -> Result<Term, TermError> {
        let shown = text.trim();
        if shown.chars().count() > MAX_CHARS {
            return Err(TermError::TooLong);
        }
        let (hashtag, body) = match shown.strip_prefix(['#', '＃']) {
            Some(tag) => (true, tag),
            None => (false, shown),
        };
        let folded = fold(body);
        let found: Vec<String> = words(&folded).map(|w| w.text.to_owned()).collect();
        if found.is_empty() {
            return Err(TermError::Empty);
        }
        if hashtag && (found.len() > 1 || found[0] != folded) {
            return Err(TermError::HashtagNotOneWord);
        }
        if found.len() > MAX_WORDS {
            return Err(TermError::TooManyWords);
        }
        Ok(Term {
            shown: shown.to_owned(),
            words: found,
            hashtag,
        })
    }

    /// The term as it was written.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The folded form that identifies the term: two spellings that fold alike are one term.
    pub fn key(&self) -> String {
        let joined = self.words.join(" ");
        if self.hashtag {
            format!("#{joined}")
        } else {
            joined
        }
    }

    /// Whether the term occurs in these words of one text.
    fn found_in(&self, text: &[Word<'_>]) -> bool {
        let n = self.words.len();
        text.windows(n).any(|window| {
            window.iter().zip(&self.words).all(|(w, t)| w.text == t) && (!self.hashtag || window[0].hashtag)
        })
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

/// The terms one room watches, each once (by its folded [`Term::key`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watchlist {
    terms: BTreeMap<String, Term>,
}

impl Watchlist {
    /// Watch `term`; false if an equal term (same folded form) was already watched.
    pub fn add(&mut self, term: Term) -> bool {
        let key = term.key();
        if self.terms.contains_key(&key) {
            return false;
        }
        self.terms.insert(key, term);
        true
    }

    /// Stop watching the term that folds like `term`; the removed term, if it was watched.
    pub fn remove(&mut self, term: &Term) -> Option<Term> {
        self.terms.remove(&term.key())
    }

    /// The watched terms, in the order of their folded forms.
    pub fn terms(&self) -> impl Iterator<Item = &Term> {
        self.terms.values()
    }

    /// The watched terms found in the title or the summary of an item (each term once; a keyword of
    /// several words must sit within one of the two texts).
    pub fn matches(&self, title: &str, summary: &str) -> Vec<&Term> {
        let (title, summary) = (fold(title), fold(summary));
        self.matches_words(&words(&title).collect::<Vec<_>>(), &words(&summary).collect::<Vec<_>>())
    }

    fn matches_words(&self, title: &[Word<'_>], summary: &[Word<'_>]) -> Vec<&Term> {
        self.terms
            .values()
            .filter(|t| t.found_in(title) || t.found_in(summary))
            .collect()
    }
}

/// The watchlists of every room.
#[derive(Debug, Clone, Default)]
pub struct RoomWatchlists {
    rooms: BTreeMap<RoomRef, Watchlist>,
}

impl RoomWatchlists {
    /// The watchlist of `room`, created empty if it had none.
    pub fn room_mut(&mut self, room: &RoomRef) -> &mut Watchlist {
        self.rooms.entry(room.clone()).or_default()
    }

    /// For each room, the terms it watches that an item's title or summary contains.
    pub fn matches(&self, title: &str, summary: &str) -> Vec<(&RoomRef, Vec<&Term>)> {
        let (title, summary) = (fold(title), fold(summary));
        let (title, summary): (Vec<_>, Vec<_>) = (words(&title).collect(), words(&summary).collect());
        self.rooms
            .iter()
            .map(|(room, list)| (room, list.matches_words(&title, &summary)))
            .filter(|(_, terms)| !terms.is_empty())
            .collect()
    }
}

#[cfg(test)]
#[path = "watchlist_tests.rs"]
mod tests;
