//! The SQLite store's writes on ambassadors, reshares and running totals. Each runs inside one
//! transaction that the caller commits (or drops, which rolls everything back).

use super::rows::{self, execute, sql_id};
use crate::domain::{Ambassador, AmbassadorId, Identity, Network, Reshare};
use crate::store::migrations::{
    add_to_total, fold_into_stats, latest_scoring_time, merge_stats, merge_totals, subtract_from_stats,
    subtract_from_total,
};
use crate::store::sled_store::codec::meta;
use crate::store::{keys_of, merged_keys, rename_key, replaced_keys, NewStats, RecordOutcome, StoreError};
use rusqlite::{params, Connection};

fn not_found(id: AmbassadorId) -> StoreError {
    StoreError::NotFound(format!("ambassador {id}"))
}

pub fn put_ambassador(tx: &Connection, ambassador: &Ambassador) -> Result<(), StoreError> {
    let id = sql_id(ambassador.id.0);
    for identity in &ambassador.identities {
        let owner = rows::record_id(
            tx,
            "SELECT ambassador FROM identities WHERE identity = ?1",
            identity.to_string(),
        )?;
        if owner.is_some_and(|owner| owner != ambassador.id.0) {
            return Err(StoreError::IdentityTaken(identity.to_string()));
        }
    }
    execute(tx, "DELETE FROM identities WHERE ambassador = ?1", [id])?;
    for identity in &ambassador.identities {
        execute(
            tx,
            "INSERT OR REPLACE INTO identities (identity, ambassador) VALUES (?1, ?2)",
            params![identity.to_string(), id],
        )?;
    }
    rows::put_ambassador_record(tx, ambassador)?;
    rows::bump_counter(tx, meta::LAST_AMBASSADOR_ID, ambassador.id.0)
}

pub fn ambassador_by_identity(conn: &Connection, identity: &Identity) -> Result<Option<Ambassador>, StoreError> {
    let owner = rows::record_id(
        conn,
        "SELECT ambassador FROM identities WHERE identity = ?1",
        identity.to_string(),
    )?;
    match owner {
        Some(id) => rows::ambassador(conn, AmbassadorId(id)),
        None => Ok(None),
    }
}

/// Records one reshare (see `Store::record_reshare`).
pub fn record(tx: &Connection, reshare: &Reshare, new_stats: &NewStats<'_>) -> Result<RecordOutcome, StoreError> {
    for key in keys_of(reshare) {
        if let Some(id) = rows::key_owner(tx, key)? {
            let existing = rows::reshare(tx, id)?.ok_or_else(|| StoreError::Corrupt {
                tree: "reshare_keys",
                reason: format!("key points at missing reshare {id}"),
            })?;
            return Ok(RecordOutcome::AlreadyCounted(existing));
        }
    }
    let owner = rows::ambassador(tx, reshare.ambassador)?.ok_or_else(|| not_found(reshare.ambassador))?;
    let id = rows::next_id(tx, meta::LAST_RESHARE_ID)?;
    let stored = Reshare { id, ..reshare.clone() };
    rows::put_reshare(tx, &stored)?;
    for key in keys_of(&stored) {
        rows::set_key(tx, key, id)?;
    }
    let stats = match new_stats {
        NewStats::Given(stats) => (*stats).clone(),
        NewStats::Folded => {
            let before = rows::stats(tx, stored.ambassador)?;
            fold_into_stats(&before, stored.points, stored.at, owner.time_zone())
        }
    };
    rows::put_stats(tx, stored.ambassador, &stats)?;
    let mut total = rows::week_total(tx, stored.week, stored.ambassador)?;
    add_to_total(&mut total, stored.points, stored.at);
    rows::put_week_total(tx, stored.week, stored.ambassador, Some(&total))?;
    Ok(RecordOutcome::Recorded(stored))
}

pub fn attach_url(
    tx: &Connection,
    reshare_id: u64,
    url: &str,
    network: Network,
    keys: &[String],
) -> Result<Reshare, StoreError> {
    let old = rows::reshare(tx, reshare_id)?.ok_or_else(|| StoreError::NotFound(format!("reshare {reshare_id}")))?;
    let new_keys = || std::iter::once(url).chain(keys.iter().map(String::as_str));
    for key in new_keys() {
        if rows::key_owner(tx, key)?.is_some_and(|owner| owner != reshare_id) {
            return Err(StoreError::KeyTaken(key.to_string()));
        }
    }
    for previous in replaced_keys(&old, url, keys) {
        rows::remove_key(tx, previous)?;
    }
    for key in new_keys() {
        rows::set_key(tx, key, reshare_id)?;
    }
    let updated = Reshare {
        url: Some(url.to_string()),
        network,
        keys: keys.to_vec(),
        ..old
    };
    rows::put_reshare(tx, &updated)?;
    Ok(updated)
}

/// Removes a reshare and those of its keys that point at it.
fn remove_reshare(tx: &Connection, reshare: &Reshare) -> Result<(), StoreError> {
    execute(tx, "DELETE FROM reshares WHERE id = ?1", [sql_id(reshare.id)])?;
    for key in keys_of(reshare) {
        if rows::key_owner(tx, key)? == Some(reshare.id) {
            rows::remove_key(tx, key)?;
        }
    }
    Ok(())
}

pub fn withdraw(tx: &Connection, reshare_id: u64) -> Result<Option<Reshare>, StoreError> {
    let Some(reshare) = rows::reshare(tx, reshare_id)? else {
        return Ok(None);
    };
    remove_reshare(tx, &reshare)?;
    let same_week: Vec<Reshare> = rows::reshares_of(tx, reshare.ambassador)?
        .into_iter()
        .filter(|r| r.week == reshare.week)
        .collect();
    let reached_at = latest_scoring_time(&same_week);
    let mut stats = rows::stats(tx, reshare.ambassador)?;
    subtract_from_stats(&mut stats, reshare.points);
    rows::put_stats(tx, reshare.ambassador, &stats)?;
    let total = rows::week_total(tx, reshare.week, reshare.ambassador)?;
    let left = subtract_from_total(total, reshare.points, reached_at);
    rows::put_week_total(tx, reshare.week, reshare.ambassador, left.as_ref())?;
    Ok(Some(reshare))
}

pub fn forget(tx: &Connection, id: AmbassadorId) -> Result<(), StoreError> {
    for reshare in rows::reshares_of(tx, id)? {
        remove_reshare(tx, &reshare)?;
    }
    let id = sql_id(id.0);
    for sql in [
        "DELETE FROM ambassadors WHERE id = ?1",
        "DELETE FROM identities WHERE ambassador = ?1",
        "DELETE FROM stats WHERE ambassador = ?1",
        "DELETE FROM week_totals WHERE ambassador = ?1",
        "DELETE FROM link_codes WHERE ambassador = ?1",
        "DELETE FROM link_failures WHERE ambassador = ?1",
    ] {
        execute(tx, sql, [id])?;
    }
    Ok(())
}

pub fn merge(tx: &Connection, from: AmbassadorId, into: AmbassadorId) -> Result<(), StoreError> {
    if from == into {
        return Ok(());
    }
    let source = rows::ambassador(tx, from)?.ok_or_else(|| not_found(from))?;
    let mut target = rows::ambassador(tx, into)?.ok_or_else(|| not_found(into))?;
    for identity in &source.identities {
        if !target.identities.contains(identity) {
            target.identities.push(identity.clone());
        }
    }
    execute(tx, "DELETE FROM ambassadors WHERE id = ?1", [sql_id(from.0)])?;
    execute(tx, "DELETE FROM identities WHERE ambassador = ?1", [sql_id(from.0)])?;
    put_ambassador(tx, &target)?;
    for reshare in rows::reshares_of(tx, from)? {
        let mut moved = Reshare {
            ambassador: into,
            ..reshare.clone()
        };
        for (old, new) in merged_keys(&reshare, from, into) {
            if rows::key_owner(tx, &new)?.is_none() {
                rows::remove_key(tx, &old)?;
                rows::set_key(tx, &new, reshare.id)?;
                rename_key(&mut moved, &old, &new);
            }
        }
        rows::put_reshare(tx, &moved)?;
    }
    let stats = merge_stats(&rows::stats(tx, from)?, &rows::stats(tx, into)?);
    execute(tx, "DELETE FROM stats WHERE ambassador = ?1", [sql_id(from.0)])?;
    rows::put_stats(tx, into, &stats)?;
    for week in rows::weeks_of(tx, from)? {
        let moved = rows::week_total(tx, week, from)?;
        let existing = rows::week_total(tx, week, into)?;
        rows::put_week_total(tx, week, from, None)?;
        rows::put_week_total(tx, week, into, Some(&merge_totals(&existing, &moved)))?;
    }
    execute(tx, "DELETE FROM link_codes WHERE ambassador = ?1", [sql_id(from.0)])?;
    execute(tx, "DELETE FROM link_failures WHERE ambassador = ?1", [sql_id(from.0)])?;
    Ok(())
}
