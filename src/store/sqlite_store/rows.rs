//! Typed reads and writes of the SQLite store's rows, on a connection or inside a transaction
//! (a `Transaction` derefs to its `Connection`).

use super::schema::io;
use crate::domain::reshare::{AmbassadorStats, WeekTotal};
use crate::domain::{Ambassador, AmbassadorId, Reshare, WeekKey};
use crate::store::sled_store::codec::{corrupt, from_json, to_json};
use crate::store::StoreError;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Params};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A week as one sortable integer (year × 100 + week).
pub fn week_number(week: WeekKey) -> i64 {
    i64::from(week.year) * 100 + i64::from(week.week)
}

pub fn week_from_number(number: i64) -> Result<WeekKey, StoreError> {
    let year = i32::try_from(number.div_euclid(100)).map_err(|_| corrupt("week_totals", "year out of range"))?;
    let week = number.rem_euclid(100) as u32;
    if !(1..=53).contains(&week) {
        return Err(corrupt("week_totals", "week out of range"));
    }
    Ok(WeekKey { year, week })
}

pub fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// An id column (SQLite integers are signed; ids never reach 2⁶³).
pub fn sql_id(id: u64) -> i64 {
    id as i64
}

/// The JSON records selected by `sql`, decoded.
pub fn records<T: DeserializeOwned>(
    conn: &Connection,
    table: &'static str,
    sql: &str,
    params: impl Params,
) -> Result<Vec<T>, StoreError> {
    let mut statement = conn.prepare_cached(sql).map_err(io)?;
    let rows = statement.query_map(params, |row| row.get::<_, String>(0)).map_err(io)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(from_json(table, row.map_err(io)?.as_bytes())?);
    }
    Ok(out)
}

/// The one JSON record selected by `sql`, if any.
pub fn record<T: DeserializeOwned>(
    conn: &Connection,
    table: &'static str,
    sql: &str,
    params: impl Params,
) -> Result<Option<T>, StoreError> {
    let mut statement = conn.prepare_cached(sql).map_err(io)?;
    let text: Option<String> = statement.query_row(params, |row| row.get(0)).optional().map_err(io)?;
    text.map(|text| from_json(table, text.as_bytes())).transpose()
}

pub fn json<T: Serialize>(table: &'static str, value: &T) -> Result<String, StoreError> {
    String::from_utf8(to_json(table, value)?).map_err(|_| corrupt(table, "JSON is not UTF-8"))
}

pub fn execute(conn: &Connection, sql: &str, params: impl Params) -> Result<usize, StoreError> {
    conn.prepare_cached(sql).map_err(io)?.execute(params).map_err(io)
}

pub fn ambassador(conn: &Connection, id: AmbassadorId) -> Result<Option<Ambassador>, StoreError> {
    record(
        conn,
        "ambassadors",
        "SELECT record FROM ambassadors WHERE id = ?1",
        [sql_id(id.0)],
    )
}

pub fn put_ambassador_record(conn: &Connection, ambassador: &Ambassador) -> Result<(), StoreError> {
    let record = json("ambassadors", ambassador)?;
    execute(
        conn,
        "INSERT OR REPLACE INTO ambassadors (id, record) VALUES (?1, ?2)",
        params![sql_id(ambassador.id.0), record],
    )?;
    Ok(())
}

pub fn reshare(conn: &Connection, id: u64) -> Result<Option<Reshare>, StoreError> {
    record(
        conn,
        "reshares",
        "SELECT record FROM reshares WHERE id = ?1",
        [sql_id(id)],
    )
}

pub fn put_reshare(conn: &Connection, reshare: &Reshare) -> Result<(), StoreError> {
    let record = json("reshares", reshare)?;
    execute(
        conn,
        "INSERT OR REPLACE INTO reshares (id, ambassador, at_ms, record) VALUES (?1, ?2, ?3, ?4)",
        params![
            sql_id(reshare.id),
            sql_id(reshare.ambassador.0),
            millis(reshare.at),
            record
        ],
    )?;
    Ok(())
}

/// An ambassador's reshares, oldest first (by `at`, then id).
pub fn reshares_of(conn: &Connection, ambassador: AmbassadorId) -> Result<Vec<Reshare>, StoreError> {
    let mut reshares: Vec<Reshare> = records(
        conn,
        "reshares",
        "SELECT record FROM reshares WHERE ambassador = ?1 ORDER BY at_ms, id",
        [sql_id(ambassador.0)],
    )?;
    reshares.sort_by_key(|r| (r.at, r.id));
    Ok(reshares)
}

/// The reshare a key points at (its id), if any.
pub fn key_owner(conn: &Connection, key: &str) -> Result<Option<u64>, StoreError> {
    let mut statement = conn
        .prepare_cached("SELECT reshare FROM reshare_keys WHERE key = ?1")
        .map_err(io)?;
    let id: Option<i64> = statement.query_row([key], |row| row.get(0)).optional().map_err(io)?;
    Ok(id.map(|id| id as u64))
}

pub fn set_key(conn: &Connection, key: &str, reshare: u64) -> Result<(), StoreError> {
    execute(
        conn,
        "INSERT OR REPLACE INTO reshare_keys (key, reshare) VALUES (?1, ?2)",
        params![key, sql_id(reshare)],
    )?;
    Ok(())
}

pub fn remove_key(conn: &Connection, key: &str) -> Result<(), StoreError> {
    execute(conn, "DELETE FROM reshare_keys WHERE key = ?1", [key])?;
    Ok(())
}

pub fn stats(conn: &Connection, ambassador: AmbassadorId) -> Result<AmbassadorStats, StoreError> {
    let stats = record(
        conn,
        "stats",
        "SELECT record FROM stats WHERE ambassador = ?1",
        [sql_id(ambassador.0)],
    )?;
    Ok(stats.unwrap_or_default())
}

pub fn put_stats(conn: &Connection, ambassador: AmbassadorId, stats: &AmbassadorStats) -> Result<(), StoreError> {
    let record = json("stats", stats)?;
    execute(
        conn,
        "INSERT OR REPLACE INTO stats (ambassador, record) VALUES (?1, ?2)",
        params![sql_id(ambassador.0), record],
    )?;
    Ok(())
}

/// A total from its columns (`reached_at` as seconds and nanoseconds, both or neither).
fn decode_total(points: i64, reshares: i64, reached: (Option<i64>, Option<i64>)) -> Result<WeekTotal, StoreError> {
    let reached_at = match reached {
        (Some(seconds), Some(nanos)) => Some(
            u32::try_from(nanos)
                .ok()
                .and_then(|nanos| DateTime::from_timestamp(seconds, nanos))
                .ok_or_else(|| corrupt("week_totals", "reached_at out of range"))?,
        ),
        (None, None) => None,
        _ => return Err(corrupt("week_totals", "half a reached_at")),
    };
    Ok(WeekTotal {
        points: points as u64,
        reshares: reshares as u64,
        reached_at,
    })
}

/// An ambassador's total for a week (default if none).
pub fn week_total(conn: &Connection, week: WeekKey, ambassador: AmbassadorId) -> Result<WeekTotal, StoreError> {
    let mut statement = conn
        .prepare_cached(
            "SELECT points, reshares, reached_s, reached_ns FROM week_totals WHERE week = ?1 AND ambassador = ?2",
        )
        .map_err(io)?;
    let row = statement
        .query_row(params![week_number(week), sql_id(ambassador.0)], |row| {
            Ok((row.get(0)?, row.get(1)?, (row.get(2)?, row.get(3)?)))
        })
        .optional()
        .map_err(io)?;
    match row {
        Some((points, reshares, reached_at)) => decode_total(points, reshares, reached_at),
        None => Ok(WeekTotal::default()),
    }
}

/// Every ambassador's total for `week`.
pub fn week_totals(conn: &Connection, week: WeekKey) -> Result<Vec<(AmbassadorId, WeekTotal)>, StoreError> {
    let mut statement = conn
        .prepare_cached("SELECT ambassador, points, reshares, reached_s, reached_ns FROM week_totals WHERE week = ?1")
        .map_err(io)?;
    let rows = statement
        .query_map([week_number(week)], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get(1)?,
                row.get(2)?,
                (row.get(3)?, row.get(4)?),
            ))
        })
        .map_err(io)?;
    let mut out = Vec::new();
    for row in rows {
        let (ambassador, points, reshares, reached_at) = row.map_err(io)?;
        out.push((
            AmbassadorId(ambassador as u64),
            decode_total(points, reshares, reached_at)?,
        ));
    }
    Ok(out)
}

/// Every week `ambassador` has a total for.
pub fn weeks_of(conn: &Connection, ambassador: AmbassadorId) -> Result<Vec<WeekKey>, StoreError> {
    let mut statement = conn
        .prepare_cached("SELECT week FROM week_totals WHERE ambassador = ?1")
        .map_err(io)?;
    let rows = statement
        .query_map([sql_id(ambassador.0)], |row| row.get::<_, i64>(0))
        .map_err(io)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(week_from_number(row.map_err(io)?)?);
    }
    Ok(out)
}

/// Writes (or, with `None`, removes) an ambassador's total for a week.
pub fn put_week_total(
    conn: &Connection,
    week: WeekKey,
    ambassador: AmbassadorId,
    total: Option<&WeekTotal>,
) -> Result<(), StoreError> {
    let key = params![week_number(week), sql_id(ambassador.0)];
    let Some(total) = total else {
        execute(conn, "DELETE FROM week_totals WHERE week = ?1 AND ambassador = ?2", key)?;
        return Ok(());
    };
    let reached_s = total.reached_at.map(|at| at.timestamp());
    let reached_ns = total.reached_at.map(|at| i64::from(at.timestamp_subsec_nanos()));
    execute(
        conn,
        "INSERT OR REPLACE INTO week_totals (week, ambassador, points, reshares, reached_s, reached_ns) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            week_number(week),
            sql_id(ambassador.0),
            total.points as i64,
            total.reshares as i64,
            reached_s,
            reached_ns
        ],
    )?;
    Ok(())
}

/// A counter of the `meta` table (0 if never set).
pub fn counter(conn: &Connection, name: &str) -> Result<u64, StoreError> {
    let mut statement = conn
        .prepare_cached("SELECT value FROM meta WHERE name = ?1")
        .map_err(io)?;
    let value: Option<i64> = statement.query_row([name], |row| row.get(0)).optional().map_err(io)?;
    Ok(value.unwrap_or(0) as u64)
}

/// How far the database has got (see [`crate::store::watermark`]).
pub fn watermark(conn: &Connection) -> Result<crate::store::watermark::Watermark, StoreError> {
    use crate::store::sled_store::codec::meta;
    Ok(crate::store::watermark::Watermark {
        generation: counter(conn, meta::GENERATION)?,
        last_ambassador_id: counter(conn, meta::LAST_AMBASSADOR_ID)?,
        last_item_id: counter(conn, meta::LAST_ITEM_ID)?,
        last_reshare_id: counter(conn, meta::LAST_RESHARE_ID)?,
    })
}

/// Moves a counter up to `at_least` (never down).
pub fn bump_counter(conn: &Connection, name: &str, at_least: u64) -> Result<(), StoreError> {
    if counter(conn, name)? < at_least {
        execute(
            conn,
            "INSERT OR REPLACE INTO meta (name, value) VALUES (?1, ?2)",
            params![name, sql_id(at_least)],
        )?;
    }
    Ok(())
}

/// The next id of a counter, reserved.
pub fn next_id(conn: &Connection, name: &str) -> Result<u64, StoreError> {
    let next = counter(conn, name)?
        .checked_add(1)
        .ok_or_else(|| StoreError::Io(format!("{name} exhausted")))?;
    bump_counter(conn, name, next)?;
    Ok(next)
}

/// The id in the first column of the row `sql` selects with one text parameter, if any.
pub fn record_id(conn: &Connection, sql: &str, param: String) -> Result<Option<u64>, StoreError> {
    let mut statement = conn.prepare_cached(sql).map_err(io)?;
    let id: Option<i64> = statement.query_row([param], |row| row.get(0)).optional().map_err(io)?;
    Ok(id.map(|id| id as u64))
}
