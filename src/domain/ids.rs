//! Identifiers: ambassadors, content items, chat platforms, identities and rooms.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Internal number of an ambassador (never shown in links; see `Ambassador::code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AmbassadorId(pub u64);

impl fmt::Display for AmbassadorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a{}", self.0)
    }
}

/// A content item id, shown and typed as `c12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ItemId(pub u32);

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}", self.0)
    }
}

/// Why a text is not an item id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an item id (item ids look like c12)")]
pub struct BadItemId(pub String);

impl FromStr for ItemId {
    type Err = BadItemId;
    /// Accepts `c12`, `C12` and `#c12`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().trim_start_matches('#');
        let digits = t
            .strip_prefix('c')
            .or_else(|| t.strip_prefix('C'))
            .ok_or_else(|| BadItemId(s.to_string()))?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BadItemId(s.to_string()));
        }
        digits.parse::<u32>().map(ItemId).map_err(|_| BadItemId(s.to_string()))
    }
}

/// The chat platform a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Matrix,
    Discord,
    Console,
}

impl Platform {
    /// Lower-case name, as used in keys and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Matrix => "matrix",
            Platform::Discord => "discord",
            Platform::Console => "console",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Platform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "matrix" => Ok(Platform::Matrix),
            "discord" => Ok(Platform::Discord),
            "console" => Ok(Platform::Console),
            other => Err(format!("unknown platform `{other}` (matrix, discord or console)")),
        }
    }
}

/// One chat account of a person: a platform and the platform's user id
/// (`@alice:example.org`, a Discord snowflake, or a console name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Identity {
    pub platform: Platform,
    pub user: String,
}

impl Identity {
    pub fn new(platform: Platform, user: impl Into<String>) -> Self {
        Identity {
            platform,
            user: user.into(),
        }
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.platform, self.user)
    }
}

/// A chat room on a platform (a Matrix room id, a Discord channel id, a console room name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RoomRef {
    pub platform: Platform,
    pub room: String,
}

impl RoomRef {
    pub fn new(platform: Platform, room: impl Into<String>) -> Self {
        RoomRef {
            platform,
            room: room.into(),
        }
    }
}

impl fmt::Display for RoomRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.platform, self.room)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_ids_parse_in_their_usual_spellings() {
        for (text, want) in [
            ("c12", Some(12)),
            ("C7", Some(7)),
            ("#c3", Some(3)),
            ("12", None),
            ("c", None),
            ("c-1", None),
            ("cx", None),
            ("c99999999999", None),
        ] {
            assert_eq!(text.parse::<ItemId>().ok().map(|i| i.0), want, "{text}");
        }
        assert_eq!(ItemId(12).to_string(), "c12");
    }
}
