//! Schema migrations of the sled database, and the running-total arithmetic (stats, week totals)
//! that the migrations share with both stores.
//!
//! # Schema history
//!
//! * **1**: trees `meta`, `ambassadors`, `identities`, `items`, `reshares`, `reshare_keys`,
//!   `reshares_by_time`, `reshares_by_ambassador`, `link_codes` (encodings as in schema 2, see
//!   `sled_store::codec`). No running totals: leaderboards were computed from the reshares.
//! * **2**: adds `stats` (ambassador id → JSON [`AmbassadorStats`]) and `week_totals`
//!   (`WeekKey::to_bytes()` ++ ambassador id → compact binary [`WeekTotal`]), kept up to date by
//!   every write. Migrating from 1 rebuilds both from the reshares in one transaction.
//!
//! `meta["schema_version"]` holds the version as a big-endian `u32`.

use super::sled_store::codec::{self, tree};
use super::sled_store::tx::Trees;
use super::{StoreError, SCHEMA_VERSION};
use crate::domain::reshare::{AmbassadorStats, WeekTotal};
use crate::domain::scoring::{award, PointsRules};
use crate::domain::{Ambassador, AmbassadorId, Reshare, WeekKey};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// The later of two optional instants.
pub(crate) fn later(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    a.max(b)
}

/// Adds one reshare to a week total: its points, one reshare, and `reached_at` moves to `at`
/// when the reshare earned points (never backwards).
pub(crate) fn add_to_total(total: &mut WeekTotal, points: u32, at: DateTime<Utc>) {
    total.points += u64::from(points);
    total.reshares += 1;
    if points > 0 {
        total.reached_at = later(total.reached_at, Some(at));
    }
}

/// Takes a withdrawn reshare out of a week total. `reached_at` must be recomputed by the caller
/// from the reshares that remain ([`latest_scoring_time`]). `None` when nothing is left.
pub(crate) fn subtract_from_total(
    total: WeekTotal,
    points: u32,
    reached_at: Option<DateTime<Utc>>,
) -> Option<WeekTotal> {
    let reshares = total.reshares.saturating_sub(1);
    if reshares == 0 {
        return None;
    }
    Some(WeekTotal {
        points: total.points.saturating_sub(u64::from(points)),
        reshares,
        reached_at,
    })
}

/// Takes a withdrawn reshare out of an ambassador's stats (streaks stay as they are).
pub(crate) fn subtract_from_stats(stats: &mut AmbassadorStats, points: u32) {
    stats.points = stats.points.saturating_sub(u64::from(points));
    stats.reshares = stats.reshares.saturating_sub(1);
}

/// When the latest of `reshares` that earned points happened.
pub(crate) fn latest_scoring_time<'a>(reshares: impl IntoIterator<Item = &'a Reshare>) -> Option<DateTime<Utc>> {
    reshares.into_iter().filter(|r| r.points > 0).map(|r| r.at).max()
}

/// The stats of two merged ambassadors: sums, the larger streaks and the later last day.
pub(crate) fn merge_stats(a: &AmbassadorStats, b: &AmbassadorStats) -> AmbassadorStats {
    AmbassadorStats {
        points: a.points + b.points,
        reshares: a.reshares + b.reshares,
        streak: a.streak.max(b.streak),
        best_streak: a.best_streak.max(b.best_streak),
        last_day: a.last_day.max(b.last_day),
    }
}

/// The week totals of two merged ambassadors: sums, and the later `reached_at`.
pub(crate) fn merge_totals(a: &WeekTotal, b: &WeekTotal) -> WeekTotal {
    WeekTotal {
        points: a.points + b.points,
        reshares: a.reshares + b.reshares,
        reached_at: later(a.reached_at, b.reached_at),
    }
}

/// Folds one more reshare (stored points, made at `at`) into the stats, moving the streak with
/// the same rules as scoring (days in the ambassador's time zone `tz`).
pub(crate) fn fold_into_stats(stats: &AmbassadorStats, points: u32, at: DateTime<Utc>, tz: Tz) -> AmbassadorStats {
    let day = at.with_timezone(&tz).date_naive();
    let mut next = award(&PointsRules::default(), stats, day, day, None).stats;
    next.points = stats.points + u64::from(points);
    next
}

/// Rebuilds an ambassador's stats from all their reshares (any order).
pub fn stats_from_reshares(reshares: &[Reshare], tz: Tz) -> AmbassadorStats {
    let mut ordered: Vec<&Reshare> = reshares.iter().collect();
    ordered.sort_by_key(|r| (r.at, r.id));
    ordered.into_iter().fold(AmbassadorStats::default(), |stats, r| {
        fold_into_stats(&stats, r.points, r.at, tz)
    })
}

/// Rebuilds an ambassador's week totals from all their reshares (any order).
pub fn week_totals_from_reshares(reshares: &[Reshare]) -> BTreeMap<WeekKey, WeekTotal> {
    let mut totals: BTreeMap<WeekKey, WeekTotal> = BTreeMap::new();
    for r in reshares {
        add_to_total(totals.entry(r.week).or_default(), r.points, r.at);
    }
    totals
}

/// Brings an open database to [`SCHEMA_VERSION`]: a new (empty) database is stamped, an older one
/// is migrated step by step, a newer one is refused with `TooNew`.
pub(crate) fn upgrade(trees: &Trees) -> Result<u32, StoreError> {
    let Some(mut version) = trees.schema_version()? else {
        if !trees.ambassadors.is_empty() || !trees.reshares.is_empty() {
            return Err(StoreError::Corrupt {
                tree: tree::META,
                reason: "data but no schema_version".into(),
            });
        }
        trees.transact(|tx| tx.set_schema_version(SCHEMA_VERSION))?;
        return Ok(SCHEMA_VERSION);
    };
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    while version < SCHEMA_VERSION {
        let step = match version {
            1 => migrate_1_to_2(trees),
            other => Err(format!("no migration from schema {other}")),
        };
        step.map_err(|reason| StoreError::Migration {
            from: version,
            to: version + 1,
            reason,
        })?;
        version += 1;
    }
    Ok(version)
}

/// Schema 1 → 2: rebuilds `stats` and `week_totals` from the reshares, in one transaction that
/// also sets the version.
fn migrate_1_to_2(trees: &Trees) -> Result<(), String> {
    let zones: BTreeMap<AmbassadorId, Tz> = trees
        .ambassadors
        .iter()
        .map(|entry| {
            let (_, value) = entry.map_err(|e| e.to_string())?;
            let ambassador: Ambassador = codec::from_json(tree::AMBASSADORS, &value).map_err(|e| e.to_string())?;
            Ok((ambassador.id, ambassador.time_zone()))
        })
        .collect::<Result<_, String>>()?;
    let mut by_ambassador: BTreeMap<AmbassadorId, Vec<Reshare>> = BTreeMap::new();
    for entry in trees.reshares.iter() {
        let (_, value) = entry.map_err(|e| e.to_string())?;
        let reshare: Reshare = codec::from_json(tree::RESHARES, &value).map_err(|e| e.to_string())?;
        by_ambassador.entry(reshare.ambassador).or_default().push(reshare);
    }
    let rebuilt: Vec<(AmbassadorId, AmbassadorStats, BTreeMap<WeekKey, WeekTotal>)> = by_ambassador
        .iter()
        .map(|(id, reshares)| {
            let tz = zones.get(id).copied().unwrap_or(chrono_tz::UTC);
            (
                *id,
                stats_from_reshares(reshares, tz),
                week_totals_from_reshares(reshares),
            )
        })
        .collect();
    let written = trees.transact(|tx| {
        for (id, stats, totals) in &rebuilt {
            tx.put_stats(*id, stats)?;
            for (week, total) in totals {
                tx.put_week_total(*week, *id, Some(total))?;
            }
        }
        tx.set_schema_version(2)
    });
    written.map_err(|e| e.to_string())?;
    trees.flush().map_err(|e| e.to_string())
}
