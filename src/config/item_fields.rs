//! Parsers of demo item values: texts per language, captions per network and hashtags.

use super::fields::{non_empty, parsed};
use crate::domain::{Caption, Lang, Network};
use serde::de::{Error as _, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt;

/// A language used as a map key (`fr = "..."`); the error points at the key.
struct LangKey(Lang);

impl<'de> Deserialize<'de> for LangKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parsed(d, |s| s.parse::<Lang>().map(LangKey).map_err(|e| e.to_string()))
    }
}

/// `{ en = "...", fr = "..." }`: at least one language, no empty text.
pub(super) fn texts<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<Lang, String>, D::Error> {
    let raw: Vec<(LangKey, NonEmpty)> = pairs(d)?;
    if raw.is_empty() {
        return Err(D::Error::custom(
            "needs a text in at least one language, e.g. `{ en = \"...\" }`",
        ));
    }
    Ok(raw.into_iter().map(|(k, v)| (k.0, v.0)).collect())
}

struct NonEmpty(String);

impl<'de> Deserialize<'de> for NonEmpty {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        non_empty(d).map(NonEmpty)
    }
}

/// A caption key: `network` or `network.lang`.
struct CaptionKey(Network, Option<Lang>);

impl<'de> Deserialize<'de> for CaptionKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parsed(d, |s| {
            let (network, lang) = match s.split_once('.') {
                Some((network, lang)) => (network, Some(lang.parse::<Lang>().map_err(|e| e.to_string())?)),
                None => (s, None),
            };
            let network = network
                .parse::<Network>()
                .map_err(|e| format!("{e} (x, linkedin, mastodon, ...)"))?;
            Ok(CaptionKey(network, lang))
        })
    }
}

/// `{ x = "...", "linkedin.fr" = "..." }`.
pub(super) fn captions<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Caption>, D::Error> {
    let raw: Vec<(CaptionKey, NonEmpty)> = pairs(d)?;
    Ok(raw
        .into_iter()
        .map(|(k, text)| Caption {
            network: k.0,
            lang: k.1,
            text: text.0,
        })
        .collect())
}

pub(super) fn hashtags<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Vec::<Hashtag>::deserialize(d).map(|v| v.into_iter().map(|h| h.0).collect())
}

struct Hashtag(String);

impl<'de> Deserialize<'de> for Hashtag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parsed(d, |s| {
            let tag = s.strip_prefix('#').unwrap_or(s);
            if tag.is_empty() || tag.contains(|c: char| c.is_whitespace() || c == '#') {
                Err(format!("`{s}` is not a hashtag (one word, without spaces)"))
            } else {
                Ok(Hashtag(tag.to_string()))
            }
        })
    }
}

/// Reads a map as key/value pairs in order, so each key keeps its own position in errors.
fn pairs<'de, D: Deserializer<'de>, K: Deserialize<'de>, V: Deserialize<'de>>(d: D) -> Result<Vec<(K, V)>, D::Error> {
    d.deserialize_map(PairsVisitor(std::marker::PhantomData))
}

struct PairsVisitor<K, V>(std::marker::PhantomData<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for PairsVisitor<K, V> {
    type Value = Vec<(K, V)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a table such as `{ en = \"...\" }`")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut pairs = Vec::new();
        while let Some(pair) = map.next_entry()? {
            pairs.push(pair);
        }
        Ok(pairs)
    }
}
