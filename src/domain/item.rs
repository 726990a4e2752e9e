//! Content items: the posts the organisation asks its ambassadors to reshare.

use super::{AmbassadorId, ItemId, Lang, Network};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Why the organisation publishes an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Intent {
    Awareness,
    Appreciation,
    Action,
    Advocacy,
}

impl Intent {
    pub const ALL: [Intent; 4] = [
        Intent::Awareness,
        Intent::Appreciation,
        Intent::Action,
        Intent::Advocacy,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Intent::Awareness => "awareness",
            Intent::Appreciation => "appreciation",
            Intent::Action => "action",
            Intent::Advocacy => "advocacy",
        }
    }
}

impl fmt::Display for Intent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Intent {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Intent::ALL
            .into_iter()
            .find(|i| i.key().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "`{}` is not an intent (awareness, appreciation, action or advocacy)",
                    s.trim()
                )
            })
    }
}

/// Hot items matter now and expire; evergreen items fill quiet days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum ItemKind {
    Hot { expires: DateTime<Utc> },
    Evergreen,
}

/// Where an item is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemStatus {
    Draft,
    Approved,
    Cancelled,
}

impl ItemStatus {
    pub fn key(self) -> &'static str {
        match self {
            ItemStatus::Draft => "draft",
            ItemStatus::Approved => "approved",
            ItemStatus::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for ItemStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A caption written for one network, optionally for one language only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caption {
    pub network: Network,
    pub lang: Option<Lang>,
    pub text: String,
}

/// A shareable post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: ItemId,
    pub title: String,
    /// The organisation's own post or page that ambassadors reshare.
    pub link: String,
    /// The text to share, per language (at least one).
    pub texts: BTreeMap<Lang, String>,
    pub captions: Vec<Caption>,
    /// Hashtags without the leading `#`.
    pub hashtags: Vec<String>,
    pub campaign: Option<String>,
    pub intent: Intent,
    pub kind: ItemKind,
    /// The local date (organisation time zone) from which the item is pushed.
    pub publish: NaiveDate,
    pub status: ItemStatus,
    pub created_by: AmbassadorId,
    pub created_at: DateTime<Utc>,
}

impl Item {
    /// The text in `lang`, else in its sibling (pt-PT, pt-BR), else in `fallback`, else in
    /// English, else any text.
    pub fn text_for(&self, lang: Lang, fallback: Lang) -> &str {
        lang.preferences(fallback)
            .find_map(|l| self.texts.get(&l))
            .or_else(|| self.texts.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The caption for `network` in `lang`: a caption for that language, else for its sibling
    /// (pt-PT, pt-BR), else a caption for any language, else `None` (callers then use `text_for`).
    pub fn caption_for(&self, network: Network, lang: Lang) -> Option<&str> {
        let of_network = || self.captions.iter().filter(move |c| c.network == network);
        of_network()
            .find(|c| c.lang == Some(lang))
            .or_else(|| of_network().find(|c| c.lang.is_some() && c.lang == lang.sibling()))
            .or_else(|| of_network().find(|c| c.lang.is_none()))
            .map(|c| c.text.as_str())
    }

    /// Whether a hot item has expired at `now` (evergreen items never do).
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        matches!(self.kind, ItemKind::Hot { expires } if expires <= now)
    }
}
