//! The SQLite store: the same records as the sled store in one SQLite file, for deployments
//! where the bot's memory matters most (a bounded page cache, no page table kept in memory).
//!
//! One connection behind a mutex; every write is one transaction, committed durably (WAL,
//! `synchronous = FULL`) before it returns unless opened with [`Durability::Deferred`]. The file
//! is locked exclusively while open. Deleted records are overwritten (`secure_delete`), and
//! forgetting an ambassador also empties the write-ahead log. Layout: see [`schema`].

mod rooms;
mod rows;
pub mod schema;
mod writes;

use self::rows::{execute, millis, sql_id};
use self::schema::io;
use super::week_cache::WeekCache;
use super::NewStats;
use super::{
    recent_failures, ActionRecord, ActionState, DiskOptions, Durability, ImportReport, LinkCode, RecordOutcome,
    RoomRecord, Store, StoreError,
};
use crate::domain::reshare::{AmbassadorStats, WeekTotal};
use crate::domain::{Ambassador, AmbassadorId, Identity, Item, ItemId, Network, Reshare, RoomRef, WeekKey};
use crate::store::sled_store::codec::meta;
use crate::store::watermark::Watermark;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The SQLite-backed [`Store`]. One per database directory: a second open, in this process or
/// another, fails with `StoreError::Locked`.
pub struct SqliteStore {
    /// The store folder.
    path: PathBuf,
    durability: Durability,
    connection: Mutex<Connection>,
    /// Recent weeks of week totals (changed only under the connection's lock, after commit).
    week_cache: WeekCache,
    /// Committed writes since the store was opened ([`Store::write_count`]).
    writes: AtomicU64,
}

impl SqliteStore {
    /// Opens (creating if needed) the database in directory `path`. A damaged database (SQLite's
    /// `quick_check`) or one that has lost data since it was last written (see
    /// [`crate::store::watermark`]) is refused with `StoreError::Damaged`.
    pub fn open(path: &Path, options: DiskOptions) -> Result<SqliteStore, StoreError> {
        let connection = schema::open(path, &options)?;
        Watermark::check(path, &rows::watermark(&connection)?)?;
        rows::watermark(&connection)?.write(path)?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            durability: options.durability,
            connection: Mutex::new(connection),
            week_cache: WeekCache::default(),
            writes: AtomicU64::new(0),
        })
    }

    /// The connection (a poisoned lock is taken over: an interrupted transaction was rolled back).
    fn connection(&self) -> MutexGuard<'_, Connection> {
        self.connection.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `op` in one transaction: committed if it returns `Ok`, rolled back otherwise.
    fn write<A>(&self, op: impl FnOnce(&Connection) -> Result<A, StoreError>) -> Result<A, StoreError> {
        self.write_then(op, |_, _| ())
    }

    /// Like [`write`](Self::write), then (still holding the lock, after the commit) lets
    /// `committed` bring the week cache in step.
    fn write_then<A>(
        &self,
        op: impl FnOnce(&Connection) -> Result<A, StoreError>,
        committed: impl FnOnce(&A, &WeekCache),
    ) -> Result<A, StoreError> {
        let mut connection = self.connection();
        let tx = connection.transaction().map_err(io)?;
        let result = op(&tx)?;
        rows::next_id(&tx, meta::GENERATION)?;
        tx.commit().map_err(io)?;
        self.writes.fetch_add(1, Ordering::Relaxed);
        if self.durability == Durability::Flush {
            rows::watermark(&connection)?.write(&self.path)?;
        }
        committed(&result, &self.week_cache);
        Ok(result)
    }

    /// A write that changes week totals in bulk: the week cache starts over.
    fn write_in_bulk<A>(&self, op: impl FnOnce(&Connection) -> Result<A, StoreError>) -> Result<A, StoreError> {
        self.write_then(op, |_, cache| cache.clear())
    }

    /// Runs a read (several statements see one snapshot: writers wait for the same lock).
    fn read<A>(&self, op: impl FnOnce(&Connection) -> Result<A, StoreError>) -> Result<A, StoreError> {
        op(&self.connection())
    }

    /// Records many reshares in one transaction (all or nothing), like `SledStore::import`.
    pub fn import(&self, batch: &[Reshare]) -> Result<ImportReport, StoreError> {
        self.write_in_bulk(|tx| ImportReport::tally(batch, |reshare| writes::record(tx, reshare, &NewStats::Folded)))
    }
}

fn action_state_name(state: ActionState) -> &'static str {
    match state {
        ActionState::Started => "started",
        ActionState::Done => "done",
        ActionState::Skipped => "skipped",
    }
}

fn set_action(tx: &Connection, key: &str, record: &ActionRecord) -> Result<(), StoreError> {
    let json = rows::json("actions", record)?;
    execute(
        tx,
        "INSERT OR REPLACE INTO actions (key, due_ms, state, record) VALUES (?1, ?2, ?3, ?4)",
        params![key, millis(record.due), action_state_name(record.state), json],
    )?;
    Ok(())
}

impl Store for SqliteStore {
    fn schema_version(&self) -> Result<u32, StoreError> {
        self.read(|conn| conn.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(io))
    }

    fn next_ambassador_id(&self) -> Result<AmbassadorId, StoreError> {
        self.write(|tx| rows::next_id(tx, meta::LAST_AMBASSADOR_ID).map(AmbassadorId))
    }

    fn put_ambassador(&self, ambassador: &Ambassador) -> Result<(), StoreError> {
        self.write(|tx| writes::put_ambassador(tx, ambassador))
    }

    fn ambassador(&self, id: AmbassadorId) -> Result<Option<Ambassador>, StoreError> {
        self.read(|conn| rows::ambassador(conn, id))
    }

    fn ambassador_by_identity(&self, identity: &Identity) -> Result<Option<Ambassador>, StoreError> {
        self.read(|conn| writes::ambassador_by_identity(conn, identity))
    }

    fn ambassadors(&self) -> Result<Vec<Ambassador>, StoreError> {
        self.read(|conn| rows::records(conn, "ambassadors", "SELECT record FROM ambassadors ORDER BY id", []))
    }

    /// Also empties the write-ahead log, so that no copy of the erased records stays in it.
    fn forget_ambassador(&self, id: AmbassadorId) -> Result<(), StoreError> {
        self.write_in_bulk(|tx| writes::forget(tx, id))?;
        self.connection()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(io)
    }

    fn merge_ambassadors(&self, from: AmbassadorId, into: AmbassadorId) -> Result<(), StoreError> {
        self.write_in_bulk(|tx| writes::merge(tx, from, into))
    }

    fn next_item_id(&self) -> Result<ItemId, StoreError> {
        self.write(|tx| {
            let id = rows::next_id(tx, meta::LAST_ITEM_ID)?;
            u32::try_from(id)
                .map(ItemId)
                .map_err(|_| StoreError::Io("item ids exhausted".into()))
        })
    }

    fn put_item(&self, item: &Item) -> Result<(), StoreError> {
        self.write(|tx| {
            let json = rows::json("items", item)?;
            execute(
                tx,
                "INSERT OR REPLACE INTO items (id, record) VALUES (?1, ?2)",
                params![i64::from(item.id.0), json],
            )?;
            rows::bump_counter(tx, meta::LAST_ITEM_ID, u64::from(item.id.0))
        })
    }

    fn item(&self, id: ItemId) -> Result<Option<Item>, StoreError> {
        self.read(|conn| {
            rows::record(
                conn,
                "items",
                "SELECT record FROM items WHERE id = ?1",
                [i64::from(id.0)],
            )
        })
    }

    fn items(&self) -> Result<Vec<Item>, StoreError> {
        self.read(|conn| rows::records(conn, "items", "SELECT record FROM items ORDER BY id", []))
    }

    fn record_reshare(&self, reshare: Reshare, new_stats: &AmbassadorStats) -> Result<RecordOutcome, StoreError> {
        let recorded = self.write_then(
            |tx| {
                let outcome = writes::record(tx, &reshare, &NewStats::Given(new_stats))?;
                let total = match &outcome {
                    RecordOutcome::Recorded(r) => {
                        Some((r.week, r.ambassador, rows::week_total(tx, r.week, r.ambassador)?))
                    }
                    RecordOutcome::AlreadyCounted(_) => None,
                };
                Ok((outcome, total))
            },
            |(_, total), cache| {
                if let Some((week, ambassador, total)) = total {
                    cache.set(*week, *ambassador, *total);
                }
            },
        )?;
        Ok(recorded.0)
    }

    fn attach_url(&self, reshare_id: u64, url: &str, network: Network, keys: &[String]) -> Result<Reshare, StoreError> {
        self.write(|tx| writes::attach_url(tx, reshare_id, url, network, keys))
    }

    fn withdraw_reshare(&self, reshare_id: u64) -> Result<Option<Reshare>, StoreError> {
        self.write_in_bulk(|tx| writes::withdraw(tx, reshare_id))
    }

    fn reshare_by_key(&self, dedup_key: &str) -> Result<Option<Reshare>, StoreError> {
        self.read(|conn| match rows::key_owner(conn, dedup_key)? {
            Some(id) => rows::reshare(conn, id),
            None => Ok(None),
        })
    }

    fn reshares_of(&self, ambassador: AmbassadorId) -> Result<Vec<Reshare>, StoreError> {
        self.read(|conn| rows::reshares_of(conn, ambassador))
    }

    fn reshares_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Reshare>, StoreError> {
        if from >= to {
            return Ok(Vec::new());
        }
        // Milliseconds select a superset (at ≥ from ⇒ at_ms ≥ from_ms; at < to ⇒ at_ms ≤ to_ms);
        // the exact bounds are applied to the full-precision times.
        let mut reshares: Vec<Reshare> = self.read(|conn| {
            rows::records(
                conn,
                "reshares",
                "SELECT record FROM reshares WHERE at_ms >= ?1 AND at_ms <= ?2",
                params![millis(from), millis(to)],
            )
        })?;
        reshares.retain(|r| from <= r.at && r.at < to);
        reshares.sort_by_key(|r| (r.at, r.id));
        Ok(reshares)
    }

    fn stats(&self, ambassador: AmbassadorId) -> Result<AmbassadorStats, StoreError> {
        self.read(|conn| rows::stats(conn, ambassador))
    }

    fn week_totals(&self, week: WeekKey) -> Result<Vec<(AmbassadorId, WeekTotal)>, StoreError> {
        // Read and cached under the connection's lock, so that no write slips in between.
        self.read(|conn| {
            if let Some(totals) = self.week_cache.get(week) {
                return Ok(totals);
            }
            let totals = rows::week_totals(conn, week)?;
            self.week_cache.fill(week, totals.clone());
            Ok(totals)
        })
    }

    fn put_link_code(&self, code: &str, link: &LinkCode) -> Result<(), StoreError> {
        self.write(|tx| {
            let json = rows::json("link_codes", link)?;
            execute(
                tx,
                "INSERT OR REPLACE INTO link_codes (code, ambassador, record) VALUES (?1, ?2, ?3)",
                params![code, sql_id(link.ambassador.0), json],
            )?;
            Ok(())
        })
    }

    fn take_link_code(&self, code: &str) -> Result<Option<LinkCode>, StoreError> {
        self.write(|tx| {
            let link = rows::record(
                tx,
                "link_codes",
                "SELECT record FROM link_codes WHERE code = ?1",
                [code],
            )?;
            execute(tx, "DELETE FROM link_codes WHERE code = ?1", [code])?;
            Ok(link)
        })
    }

    fn add_link_failure(&self, who: AmbassadorId, at: DateTime<Utc>, since: DateTime<Utc>) -> Result<(), StoreError> {
        self.write(|tx| {
            let before = link_failures_of(tx, who)?;
            let json = rows::json("link_failures", &recent_failures(&before, at, since))?;
            execute(
                tx,
                "INSERT OR REPLACE INTO link_failures (ambassador, record) VALUES (?1, ?2)",
                params![sql_id(who.0), json],
            )?;
            Ok(())
        })
    }

    fn link_failures(&self, who: AmbassadorId, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, StoreError> {
        let all = self.read(|conn| link_failures_of(conn, who))?;
        Ok(all.into_iter().filter(|at| *at >= since).collect())
    }

    fn action_state(&self, key: &str) -> Result<Option<ActionRecord>, StoreError> {
        self.read(|conn| rows::record(conn, "actions", "SELECT record FROM actions WHERE key = ?1", [key]))
    }

    fn set_action_state(&self, key: &str, record: &ActionRecord) -> Result<(), StoreError> {
        self.write(|tx| set_action(tx, key, record))
    }

    fn set_action_states(&self, records: &[(String, ActionRecord)]) -> Result<(), StoreError> {
        self.write(|tx| records.iter().try_for_each(|(key, record)| set_action(tx, key, record)))
    }

    fn skipped_actions(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(String, ActionRecord)>, StoreError> {
        if from >= to {
            return Ok(Vec::new());
        }
        let listed: Vec<(String, String)> = self.read(|conn| {
            let mut statement = conn
                .prepare_cached(
                    "SELECT key, record FROM actions WHERE state = 'skipped' AND due_ms >= ?1 AND due_ms <= ?2 \
                     ORDER BY due_ms, key",
                )
                .map_err(io)?;
            let rows = statement
                .query_map(params![millis(from), millis(to)], |row| Ok((row.get(0)?, row.get(1)?)))
                .map_err(io)?;
            rows.collect::<Result<_, _>>().map_err(io)
        })?;
        let mut out = Vec::new();
        for (key, json) in listed {
            let record: ActionRecord = crate::store::sled_store::codec::from_json("actions", json.as_bytes())?;
            if from <= record.due && record.due < to {
                out.push((key, record));
            }
        }
        out.sort_by(|(ka, a), (kb, b)| (a.due, ka).cmp(&(b.due, kb)));
        Ok(out)
    }

    fn prune_actions(&self, before: DateTime<Utc>) -> Result<usize, StoreError> {
        self.write(|tx| {
            let old: Vec<(String, String)> = {
                let mut statement = tx
                    .prepare_cached("SELECT key, record FROM actions WHERE due_ms <= ?1")
                    .map_err(io)?;
                let rows = statement
                    .query_map([millis(before)], |row| Ok((row.get(0)?, row.get(1)?)))
                    .map_err(io)?;
                rows.collect::<Result<_, _>>().map_err(io)?
            };
            let mut removed = 0;
            for (key, json) in old {
                let record: ActionRecord = crate::store::sled_store::codec::from_json("actions", json.as_bytes())?;
                if record.due < before {
                    execute(tx, "DELETE FROM actions WHERE key = ?1", [key])?;
                    removed += 1;
                }
            }
            Ok(removed)
        })
    }

    fn backup(&self, dir: &Path) -> Result<(), StoreError> {
        schema::backup(&self.connection(), dir)
    }

    fn rooms(&self) -> Result<Vec<RoomRecord>, StoreError> {
        self.read(rooms::all)
    }

    fn room(&self, room: &RoomRef) -> Result<Option<RoomRecord>, StoreError> {
        self.read(|conn| rooms::get(conn, room))
    }

    fn put_room(&self, record: &RoomRecord) -> Result<(), StoreError> {
        self.write(|tx| rooms::put(tx, record))
    }

    fn write_count(&self) -> u64 {
        self.writes.load(Ordering::Relaxed)
    }
}

/// Every recorded wrong `link` code of `who`.
fn link_failures_of(conn: &Connection, who: AmbassadorId) -> Result<Vec<DateTime<Utc>>, StoreError> {
    let found = rows::record(
        conn,
        "link_failures",
        "SELECT record FROM link_failures WHERE ambassador = ?1",
        [sql_id(who.0)],
    )?;
    Ok(found.unwrap_or_default())
}
