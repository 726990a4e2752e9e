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
    /// What makes this reshare unique: the normalised URL, or `quick:<ambassador>:<item>`.
    pub dedup_key: String,
    pub source: ReshareSource,
    pub at: DateTime<Utc>,
    /// Points awarded (already including bonuses).
    pub points: u32,
    /// The organisation-time-zone week it counts for.
    pub week: WeekKey,
}

impl Reshare {
    /// The dedup key of a quick claim without URL.
    pub fn quick_key(ambassador: AmbassadorId, item: ItemId) -> String {
        format!("quick:{}:{}", ambassador.0, item.0)
    }
}

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
