//! Grammar of `post add`: a first line `post add`, then one `key: value` line per field.
//!
//! ```text
//! !post add
//! title: River clean-up day
//! link: https://example.org/river
//! text.en: Join us on Saturday to clean the river banks!
//! text.fr: Rejoignez-nous samedi pour nettoyer les berges !
//! caption.x: Saturday, river clean-up, be there 🌊
//! caption.linkedin.fr: Samedi, nous nettoyons les berges avec nos bénévoles.
//! hashtags: #rivers #volunteering
//! campaign: rivers-2026
//! intent: action
//! kind: hot
//! expires: 2026-11-30 18:00
//! publish: 2026-11-23
//! ```
//!
//! Required: `title`, `link`, at least one `text.LANG`. Defaults: `intent: awareness`,
//! `kind: hot` (expiring at the end of the day after publication unless `expires` is given),
//! `publish`: today. A value may continue on following lines that do not start with `key:`.

use crate::domain::{Caption, Intent, Lang};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::BTreeMap;

/// A new item as typed by a coordinator, before the core assigns an id and resolves dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPost {
    pub title: String,
    pub link: String,
    pub texts: BTreeMap<Lang, String>,
    pub captions: Vec<Caption>,
    /// Without the leading `#`.
    pub hashtags: Vec<String>,
    pub campaign: Option<String>,
    pub intent: Intent,
    pub kind: NewKind,
    /// `None`: today (the core decides, in the organisation's time zone).
    pub publish: Option<NaiveDate>,
}

/// The kind as typed: hot (with an optional local expiry) or evergreen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// Expires at this local date-time (organisation time zone); `None`: the default expiry.
    Hot { expires: Option<NaiveDateTime> },
    Evergreen,
}
