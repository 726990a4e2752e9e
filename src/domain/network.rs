//! The social networks ambassadors reshare on.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A social network. `Other` is any web page we do not recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    X,
    LinkedIn,
    Facebook,
    Instagram,
    Bluesky,
    Mastodon,
    TikTok,
    WhatsApp,
    Telegram,
    Threads,
    YouTube,
    Other,
}

impl Network {
    /// Every network, in display order.
    pub const ALL: [Network; 12] = [
        Network::X,
        Network::LinkedIn,
        Network::Facebook,
        Network::Instagram,
        Network::Bluesky,
        Network::Mastodon,
        Network::TikTok,
        Network::WhatsApp,
        Network::Telegram,
        Network::Threads,
        Network::YouTube,
        Network::Other,
    ];

    /// Lower-case key, used in configuration, `caption.<key>` fields and UTM sources.
    pub fn key(self) -> &'static str {
        match self {
            Network::X => "x",
            Network::LinkedIn => "linkedin",
            Network::Facebook => "facebook",
            Network::Instagram => "instagram",
            Network::Bluesky => "bluesky",
            Network::Mastodon => "mastodon",
            Network::TikTok => "tiktok",
            Network::WhatsApp => "whatsapp",
            Network::Telegram => "telegram",
            Network::Threads => "threads",
            Network::YouTube => "youtube",
            Network::Other => "other",
        }
    }

    /// Human name (`LinkedIn`).
    pub fn name(self) -> &'static str {
        match self {
            Network::X => "X",
            Network::LinkedIn => "LinkedIn",
            Network::Facebook => "Facebook",
            Network::Instagram => "Instagram",
            Network::Bluesky => "Bluesky",
            Network::Mastodon => "Mastodon",
            Network::TikTok => "TikTok",
            Network::WhatsApp => "WhatsApp",
            Network::Telegram => "Telegram",
            Network::Threads => "Threads",
            Network::YouTube => "YouTube",
            Network::Other => "web",
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Network {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let alias = match lower.as_str() {
            "twitter" => "x",
            "fb" => "facebook",
            "ig" => "instagram",
            "bsky" => "bluesky",
            "wa" => "whatsapp",
            other => other,
        };
        Network::ALL
            .into_iter()
            .find(|n| n.key() == alias)
            .ok_or_else(|| format!("`{}` is not a known network", s.trim()))
    }
}
