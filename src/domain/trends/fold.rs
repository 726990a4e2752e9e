//! Folding text for watchlist matching: lower case, no accents, Catalan `l·l` joined, and the
//! words of a text with whether each was written as a hashtag.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// `text` in lower case without accents: compatibility decomposition (NFKD), combining marks
/// dropped, so "Élection", "ÉLECTION" and "election" fold alike, "Çà" to "ca". The Catalan middle
/// dot (`col·lectiu`, also the single letter `ŀ`) joins the word, as if written `collectiu`; the
/// ligatures œ and æ become "oe" and "ae" (French `œuvre` matches `oeuvre`).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if is_combining_mark(c) || is_word_joiner(c) {
            continue;
        }
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The middle dot of Catalan `l·l` (and the hyphenation point some keyboards type for it).
fn is_word_joiner(c: char) -> bool {
    matches!(c, '\u{00B7}' | '\u{2027}' | '\u{0387}')
}

/// One word of a folded text: letters and digits between non-word characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    /// The folded word.
    pub text: &'a str,
    /// Written as a hashtag (`#word`).
    pub hashtag: bool,
}

/// The words of an already folded text, in order. Word boundaries are any character that is not a
/// letter or a digit: spaces, punctuation, apostrophes (`l'election` is "l", "election").
pub fn words(folded: &str) -> impl Iterator<Item = Word<'_>> {
    let mut rest = folded;
    std::iter::from_fn(move || {
        let start = rest.find(|c: char| c.is_alphanumeric())?;
        let hashtag = rest[..start].ends_with(['#', '＃']);
        let tail = &rest[start..];
        let len = tail.find(|c: char| !c.is_alphanumeric()).unwrap_or(tail.len());
        rest = &tail[len..];
        Some(Word {
            text: &tail[..len],
            hashtag,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_case_and_accents() {
        let rows = [
            ("Élection", "election"),
            ("ÉLECTION présidentielle", "election presidentielle"),
            ("Çà et là", "ca et la"),
            ("col·lectiu", "collectiu"),
            ("COL·LECTIU", "collectiu"),
            ("coŀlectiu", "collectiu"),
            ("Œuvre", "oeuvre"),
            ("São João", "sao joao"),
            ("niño", "nino"),
            ("déjà-vu", "deja-vu"),
        ];
        for (text, folded) in rows {
            assert_eq!(fold(text), folded, "{text}");
        }
    }

    #[test]
    fn words_split_on_punctuation_and_mark_hashtags() {
        let folded = fold("L'Élection: #COP30, ça va! (l·l) #");
        let got: Vec<(&str, bool)> = words(&folded).map(|w| (w.text, w.hashtag)).collect();
        assert_eq!(
            got,
            [
                ("l", false),
                ("election", false),
                ("cop30", true),
                ("ca", false),
                ("va", false),
                ("ll", false)
            ]
        );
    }
}
