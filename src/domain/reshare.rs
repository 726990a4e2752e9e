//! Reshares: an ambassador's claim that they shared an item on a network.

use super::{AmbassadorId, ItemId, Network, WeekKey};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How the claim reached Relais.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReshareSource {
    Command,
    Reaction,
    Button,
}

/// A recorded reshare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reshare {
    /// Assigned by the store, increasing.
    pub id: u64,
    pub ambassador: AmbassadorId,
    pub item: Option<ItemId>,
    pub network: Network,
    /// The normalised URL; `None` for a quick claim (a reaction) that gave no URL.
    pub url: Option<String>,
    /// What makes this reshare unique: the post's identity on its network (`x:1859…`, see
    /// [`SharedUrl::post`](super::link::SharedUrl::post); the normalised URL for reshares recorded
    /// before posts had one), or [`Reshare::quick_key`] for a claim by reaction.
    pub dedup_key: String,
    /// Further keys, each unique like `dedup_key`: for a claim that names an item,
    /// [`Reshare::claim_key`] (one claim per person, item and network), the
    /// [`Reshare::quick_key`] of a person's first claim of the item, and the post's key once a
    /// claim by reaction was given its URL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    pub source: ReshareSource,
    pub at: DateTime<Utc>,
    /// Points awarded (already including bonuses).
    pub points: u32,
    /// The organisation-time-zone week it counts for.
    pub week: WeekKey,
}

impl Reshare {
    /// The dedup key of a quick claim without URL; also held by a person's first claim of an item,
    /// so that a reaction after a claim with a link is not counted again.
    pub fn quick_key(ambassador: AmbassadorId, item: ItemId) -> String {
        format!("{QUICK}{}:{}", ambassador.0, item.0)
    }

    /// The key that lets a person claim an item once per network.
    pub fn claim_key(ambassador: AmbassadorId, item: ItemId, network: Network) -> String {
        format!("{CLAIM}{}:{}:{}", ambassador.0, item.0, network.key())
    }

    /// What `key` becomes when its owner `from` is merged into `into`: quick and claim keys name
    /// their owner, so they follow the person. `None` for keys that name nobody.
    pub fn key_after_merge(key: &str, from: AmbassadorId, into: AmbassadorId) -> Option<String> {
        [QUICK, CLAIM].into_iter().find_map(|kind| {
            let rest = key
                .strip_prefix(kind)?
                .strip_prefix(&from.0.to_string())?
                .strip_prefix(':')?;
            Some(format!("{kind}{}:{rest}", into.0))
        })
    }
}

const QUICK: &str = "quick:";
const CLAIM: &str = "claim:";

/// Running totals of one ambassador, kept up to date by every recorded reshare.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmbassadorStats {
    pub points: u64,
    pub reshares: u64,
    /// Consecutive local days with at least one reshare, ending on `last_day`.
    pub streak: u32,
    pub best_streak: u32,
    /// The last local day (ambassador's time zone) with a reshare.
    pub last_day: Option<NaiveDate>,
}

/// One ambassador's totals for one week.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekTotal {
    pub points: u64,
    pub reshares: u64,
    /// When the current point total was reached (earlier wins a tie).
    pub reached_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_name_a_person_follow_them_when_merged() {
        let (from, into, item) = (AmbassadorId(12), AmbassadorId(3), ItemId(7));
        let rows = [
            (Reshare::quick_key(from, item), Some(Reshare::quick_key(into, item))),
            (
                Reshare::claim_key(from, item, Network::X),
                Some(Reshare::claim_key(into, item, Network::X)),
            ),
            (Reshare::quick_key(AmbassadorId(1), item), None),
            (Reshare::claim_key(AmbassadorId(123), item, Network::X), None),
            ("x:1859".to_string(), None),
            ("https://x.com/quick:12:7".to_string(), None),
        ];
        for (key, want) in rows {
            assert_eq!(Reshare::key_after_merge(&key, from, into), want, "{key}");
        }
        assert_eq!(Reshare::claim_key(from, item, Network::LinkedIn), "claim:12:7:linkedin");
    }
}
