//! Realistic records for the conformance cases: ambassadors in Paris, items, and reshares
//! recorded the way the application records them (scored first).

use crate::domain::reshare::AmbassadorStats;
use crate::domain::scoring::{award, PointsRules};
use crate::domain::{
    Ambassador, AmbassadorId, Identity, Intent, Item, ItemId, ItemKind, ItemStatus, Lang, Network, Platform, Prefs,
    Reshare, ReshareSource, Role, WeekKey,
};
use crate::store::{RecordOutcome, Store};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use std::collections::BTreeMap;

/// The organisation's (and the ambassadors') time zone.
pub const ZONE: chrono_tz::Tz = chrono_tz::Europe::Paris;

/// Monday 16 November 2026 (week 2026-W47), plus `hours`.
pub fn monday_plus(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 16, 8, 0, 0).single().unwrap_or_default() + Duration::hours(hours)
}

pub fn week_of(at: DateTime<Utc>) -> WeekKey {
    WeekKey::of(at, ZONE)
}

/// A Matrix identity `@user:example.org`.
pub fn matrix(user: &str) -> Identity {
    Identity::new(Platform::Matrix, format!("@{user}:example.org"))
}

/// An ambassador record (not stored).
pub fn ambassador(id: AmbassadorId, name: &str, identities: Vec<Identity>) -> Ambassador {
    Ambassador {
        id,
        code: format!("amb{:04x}", id.0.wrapping_mul(7919)),
        display_name: name.to_string(),
        identities,
        lang: Lang::Fr,
        tz: "Europe/Paris".to_string(),
        role: Role::Ambassador,
        prefs: Prefs::default(),
        joined_at: monday_plus(-24 * 30),
    }
}

/// Stores a new ambassador with one Matrix identity named after them.
pub fn add_ambassador(store: &dyn Store, name: &str) -> Ambassador {
    let id = store.next_ambassador_id().expect("next ambassador id");
    let record = ambassador(id, name, vec![matrix(&name.to_lowercase())]);
    store.put_ambassador(&record).expect("put ambassador");
    record
}

/// An item record (not stored).
pub fn item(id: ItemId, title: &str) -> Item {
    let mut texts = BTreeMap::new();
    texts.insert(Lang::Fr, format!("{title} : lisez et partagez"));
    texts.insert(Lang::En, format!("{title}: read and share"));
    Item {
        id,
        title: title.to_string(),
        link: format!("https://example.org/news/{}", title.to_lowercase().replace(' ', "-")),
        texts,
        captions: Vec::new(),
        hashtags: vec!["solidarity".to_string()],
        campaign: Some("winter-appeal".to_string()),
        intent: Intent::Awareness,
        kind: ItemKind::Evergreen,
        publish: NaiveDate::from_ymd_opt(2026, 11, 16).unwrap_or_default(),
        status: ItemStatus::Approved,
        created_by: AmbassadorId(1),
        created_at: monday_plus(-48),
    }
}

/// A claimed reshare of item `item` with a URL (id 0: the store assigns it).
pub fn url_reshare(who: AmbassadorId, item: u32, url: &str, at: DateTime<Utc>, points: u32) -> Reshare {
    Reshare {
        id: 0,
        ambassador: who,
        item: Some(ItemId(item)),
        network: Network::LinkedIn,
        url: Some(url.to_string()),
        dedup_key: url.to_string(),
        keys: Vec::new(),
        source: ReshareSource::Command,
        at,
        points,
        week: week_of(at),
    }
}

/// A quick claim (a reaction) without URL.
pub fn quick_reshare(who: AmbassadorId, item: u32, at: DateTime<Utc>, points: u32) -> Reshare {
    Reshare {
        url: None,
        network: Network::Other,
        dedup_key: Reshare::quick_key(who, ItemId(item)),
        keys: Vec::new(),
        source: ReshareSource::Reaction,
        ..url_reshare(who, item, "", at, points)
    }
}

/// A LinkedIn post URL, distinct per `n`.
pub fn linkedin(n: u64) -> String {
    format!("https://www.linkedin.com/feed/update/urn:li:activity:72543{n:08}")
}

/// The stats after `reshare`, scored like the application does (ambassador's local day).
pub fn stats_after(store: &dyn Store, reshare: &Reshare) -> AmbassadorStats {
    let before = store.stats(reshare.ambassador).expect("stats");
    let day = reshare.at.with_timezone(&ZONE).date_naive();
    let mut stats = award(&PointsRules::default(), &before, day, day, None).stats;
    stats.points = before.points + u64::from(reshare.points);
    stats
}

/// Records a reshare that must be new, with scored stats; returns it with its id.
pub fn record(store: &dyn Store, reshare: Reshare) -> Reshare {
    let stats = stats_after(store, &reshare);
    match store.record_reshare(reshare, &stats).expect("record reshare") {
        RecordOutcome::Recorded(stored) => stored,
        RecordOutcome::AlreadyCounted(existing) => panic!("expected a new reshare, got {existing:?}"),
    }
}

/// The total of `who` in `week`, if any.
pub fn total_of(store: &dyn Store, week: WeekKey, who: AmbassadorId) -> Option<crate::domain::reshare::WeekTotal> {
    let totals = store.week_totals(week).expect("week totals");
    totals.into_iter().find(|(id, _)| *id == who).map(|(_, total)| total)
}
