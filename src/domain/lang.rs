//! The languages Relais speaks to ambassadors.
//!
//! Portuguese comes as European (`pt-PT`) and Brazilian (`pt-BR`) Portuguese, each with its own
//! prompts. Before them there was one `pt`, whose texts were Brazilian: a stored or configured
//! `pt` (a person's language, an item's `texts.pt`) reads as `pt-BR`, so nobody's texts change,
//! and is written back as `pt-BR` at the next save. A typed `pt` or `português` means `pt-BR`
//! too (CLDR's `pt` is Brazilian); `pt-PT` (and `pt-AO`, `pt-MZ`, … which follow the European
//! norm) and `português (Portugal)` mean `pt-PT`.

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
    /// European Portuguese.
    #[serde(rename = "pt-PT")]
    PtPt,
    /// Brazilian Portuguese; also what a stored `pt` (from before the split) reads as.
    #[serde(rename = "pt-BR", alias = "pt")]
    PtBr,
}

impl Lang {
    /// Every supported language, English first.
    pub const ALL: [Lang; 6] = [Lang::En, Lang::Fr, Lang::Es, Lang::Ca, Lang::PtPt, Lang::PtBr];

    /// The code (`fr`, `pt-BR`): also the name of its prompts folder.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Ca => "ca",
            Lang::PtPt => "pt-PT",
            Lang::PtBr => "pt-BR",
        }
    }

    /// The language's own name for itself (`français`).
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "français",
            Lang::Es => "español",
            Lang::Ca => "català",
            Lang::PtPt => "português (Portugal)",
            Lang::PtBr => "português (Brasil)",
        }
    }

    /// The other variety of the same language (pt-PT for pt-BR and back): the closest text when
    /// an item has none in this one.
    pub fn sibling(self) -> Option<Lang> {
        match self {
            Lang::PtPt => Some(Lang::PtBr),
            Lang::PtBr => Some(Lang::PtPt),
            Lang::En | Lang::Fr | Lang::Es | Lang::Ca => None,
        }
    }

    /// The languages to try, in order, for a text meant for a `self` reader: `self`, its sibling,
    /// `fallback` (the organisation's), then English.
    pub fn preferences(self, fallback: Lang) -> impl Iterator<Item = Lang> {
        [Some(self), self.sibling(), Some(fallback), Some(Lang::En)]
            .into_iter()
            .flatten()
    }

    /// Every code, as the usage of `lang` shows them (`en|fr|…`).
    pub fn codes(separator: &str) -> String {
        Lang::ALL.map(Lang::code).join(separator)
    }

    /// Whether the count `n` takes the singular in this language: French counts 0 and 1 as
    /// singular ("0 partage"), English, Spanish, Catalan and both Portugueses only 1 ("0 pontos":
    /// CLDR puts Brazilian 0 with 1, but written Brazilian usage says "zero pontos").
    pub fn is_singular(self, n: i64) -> bool {
        match self {
            Lang::Fr => n == 0 || n == 1,
            Lang::En | Lang::Es | Lang::Ca | Lang::PtPt | Lang::PtBr => n == 1,
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
#[error("`{0}` is not a supported language (en, fr, es, ca, pt-PT, pt-BR)")]
pub struct UnsupportedLang(pub String);

impl FromStr for Lang {
    type Err = UnsupportedLang;
    /// Accepts codes (`fr`, `FR`, `pt-pt`), regional tags (`fr-CA`, `pt_BR`, `pt-AO`) and native
    /// names (`français`, `português (Portugal)`). Portuguese: `pt-BR`, `pt` and `português` are
    /// Brazilian, any other region European.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_lowercase();
        let mut parts = lower.split(['-', '_']);
        let base = parts.next().unwrap_or("");
        let region = parts.next();
        let portuguese = match (base, region) {
            ("pt", None | Some("br")) => Some(Lang::PtBr),
            ("pt", Some(_)) => Some(Lang::PtPt),
            _ if lower == "português" || lower == "portugues" => Some(Lang::PtBr),
            _ => None,
        };
        portuguese
            .or_else(|| {
                Lang::ALL
                    .into_iter()
                    .find(|l| l.code() == base || l.native_name().to_lowercase() == lower)
            })
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
            ("pt-BR", Some(Lang::PtBr)),
            ("pt_br", Some(Lang::PtBr)),
            ("pt", Some(Lang::PtBr)),
            ("pt-PT", Some(Lang::PtPt)),
            ("PT_pt", Some(Lang::PtPt)),
            ("pt-AO", Some(Lang::PtPt)),
            ("português", Some(Lang::PtBr)),
            ("Português (Portugal)", Some(Lang::PtPt)),
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

    /// Issue 17: a `pt` stored before the split (a person's language, an item's texts) still
    /// reads, as Brazilian Portuguese, and is written back as `pt-BR`.
    #[test]
    fn issue17_a_stored_pt_reads_as_brazilian_portuguese() {
        let person: Lang = serde_json::from_str("\"pt\"").unwrap_or(Lang::En);
        assert_eq!(person, Lang::PtBr);
        let texts: std::collections::BTreeMap<Lang, String> =
            serde_json::from_str(r#"{"pt": "Olá", "pt-PT": "Olá!", "en": "Hi"}"#).unwrap_or_default();
        assert_eq!(texts.get(&Lang::PtBr).map(String::as_str), Some("Olá"));
        assert_eq!(texts.get(&Lang::PtPt).map(String::as_str), Some("Olá!"));
        assert_eq!(serde_json::to_string(&Lang::PtBr).unwrap_or_default(), "\"pt-BR\"");
        for lang in Lang::ALL {
            let json = serde_json::to_string(&lang).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", lang.code()), "{lang}");
            assert_eq!(lang.code().parse::<Lang>().ok(), Some(lang), "{lang}");
            assert_eq!(lang.native_name().parse::<Lang>().ok(), Some(lang), "{lang}");
        }
    }

    #[test]
    fn singular_follows_each_language() {
        for (lang, singular) in [
            (Lang::En, [false, true, false, false]),
            (Lang::Fr, [true, true, false, false]),
            (Lang::Es, [false, true, false, false]),
            (Lang::Ca, [false, true, false, false]),
            (Lang::PtPt, [false, true, false, false]),
            (Lang::PtBr, [false, true, false, false]),
        ] {
            let got = [0, 1, 2, 21].map(|n| lang.is_singular(n));
            assert_eq!(got, singular, "{lang}");
        }
    }
}
