//! Ambassadors: the staff and volunteers who reshare, and the coordinators who run the programme.

use super::{AmbassadorId, Identity, Lang};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// What a person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Ambassador,
    Coordinator,
}

/// Whether and when the ambassador wants a personal reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "mode", content = "at")]
pub enum NudgePref {
    /// At the organisation's default local time.
    On,
    Off,
    /// At this local time.
    At(NaiveTime),
}

/// An ambassador's preferences. Only what the programme needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    pub nudges: NudgePref,
    /// No nudges until the end of this local date.
    pub away_until: Option<NaiveDate>,
    /// Left out of the public leaderboard.
    pub hidden: bool,
    /// The Mastodon instance (host) for one-tap Mastodon sharing.
    pub mastodon_instance: Option<String>,
    /// No direct messages for urgent pushes.
    pub urgent_muted: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            nudges: NudgePref::On,
            away_until: None,
            hidden: false,
            mastodon_instance: None,
            urgent_muted: false,
        }
    }
}

/// A person taking part: one record, one or more chat identities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ambassador {
    pub id: AmbassadorId,
    /// Pseudonymous code used in share links (`utm_content`); never a chat id.
    pub code: String,
    pub display_name: String,
    pub identities: Vec<Identity>,
    pub lang: Lang,
    /// IANA time zone name, validated on input (`Europe/Paris`).
    pub tz: String,
    pub role: Role,
    pub prefs: Prefs,
    pub joined_at: DateTime<Utc>,
}

impl Ambassador {
    /// The parsed time zone (falls back to UTC if the stored name is somehow invalid).
    pub fn time_zone(&self) -> chrono_tz::Tz {
        self.tz.parse().unwrap_or(chrono_tz::UTC)
    }

    pub fn is_coordinator(&self) -> bool {
        self.role == Role::Coordinator
    }
}
