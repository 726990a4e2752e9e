//! The languages Relais speaks to ambassadors.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A supported language. English is the fallback for any missing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Fr,
    Es,
    Ca,
    Pt,
}

impl Lang {
    /// Every supported language, English first.
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Fr, Lang::Es, Lang::Ca, Lang::Pt];

    /// The two-letter code (`fr`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Ca => "ca",
            Lang::Pt => "pt",
        }
    }

    /// The language's own name for itself (`français`).
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "français",
            Lang::Es => "español",
            Lang::Ca => "català",
            Lang::Pt => "português",
        }
    }

    /// Whether `n` takes the singular (CLDR's "one" category for whole numbers) in this language:
    /// French counts 0 and 1 as singular ("0 partage"), English, Spanish, Catalan and Portuguese only 1.
    pub fn is_singular(self, n: i64) -> bool {
        match self {
            Lang::Fr => n == 0 || n == 1,
            Lang::En | Lang::Es | Lang::Ca | Lang::Pt => n == 1,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The text names no supported language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a supported language (en, fr, es, ca, pt)")]
pub struct UnsupportedLang(pub String);

impl FromStr for Lang {
    type Err = UnsupportedLang;
    /// Accepts codes (`fr`, `FR`), regional tags (`fr-CA`, `pt_BR`) and native names (`français`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_lowercase();
        let base = lower.split(['-', '_']).next().unwrap_or("");
        Lang::ALL
            .into_iter()
            .find(|l| l.code() == base || l.native_name().to_lowercase() == lower)
            .ok_or_else(|| UnsupportedLang(s.trim().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse_from_codes_tags_and_names() {
        for (text, want) in [
            ("fr", Some(Lang::Fr)),
            ("EN", Some(Lang::En)),
            ("pt-BR", Some(Lang::Pt)),
            ("ca_ES", Some(Lang::Ca)),
            ("español", Some(Lang::Es)),
            ("Français", Some(Lang::Fr)),
            ("de", None),
            ("", None),
            ("-", None),
        ] {
            assert_eq!(text.parse::<Lang>().ok(), want, "{text}");
        }
    }

    #[test]
    fn singular_follows_each_language() {
        for (lang, singular) in [
            (Lang::En, [false, true, false, false]),
            (Lang::Fr, [true, true, false, false]),
            (Lang::Es, [false, true, false, false]),
            (Lang::Ca, [false, true, false, false]),
            (Lang::Pt, [false, true, false, false]),
        ] {
            let got = [0, 1, 2, 21].map(|n| lang.is_singular(n));
            assert_eq!(got, singular, "{lang}");
        }
    }
}
