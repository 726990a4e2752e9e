//! The SQLite store's tables, and how a database file is opened: its pragmas, its exclusive lock
//! and its schema version.
//!
//! # Layout
//!
//! Records are JSON (as in the sled store); the columns beside them are what the queries select
//! and sort by. Times are milliseconds since the epoch (the JSON keeps full precision). The
//! layout starts at schema 2 (the data model with running totals), kept in `PRAGMA user_version`.

use crate::store::DiskOptions;
use crate::store::{Durability, StoreError, SCHEMA_VERSION};
use rusqlite::{Connection, ErrorCode};
use std::path::Path;

/// The tables and indexes of schema 2.
const TABLES: &str = "
CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE ambassadors (id INTEGER PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE identities (identity TEXT PRIMARY KEY, ambassador INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX identities_by_ambassador ON identities (ambassador);
CREATE TABLE items (id INTEGER PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE reshares (
    id INTEGER PRIMARY KEY,
    ambassador INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX reshares_by_ambassador ON reshares (ambassador, at_ms);
CREATE INDEX reshares_by_time ON reshares (at_ms);
CREATE TABLE reshare_keys (key TEXT PRIMARY KEY, reshare INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE stats (ambassador INTEGER PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE week_totals (
    week INTEGER NOT NULL,
    ambassador INTEGER NOT NULL,
    points INTEGER NOT NULL,
    reshares INTEGER NOT NULL,
    reached_s INTEGER,
    reached_ns INTEGER,
    PRIMARY KEY (week, ambassador)
) WITHOUT ROWID;
CREATE INDEX week_totals_by_ambassador ON week_totals (ambassador);
CREATE TABLE link_codes (code TEXT PRIMARY KEY, ambassador INTEGER NOT NULL, record TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE actions (key TEXT PRIMARY KEY, due_ms INTEGER NOT NULL, state TEXT NOT NULL, record TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX actions_by_due ON actions (due_ms, key);
";

/// Tables added since schema 2 without changing it (a Relais that does not know them leaves them
/// alone): created when missing, on every open. `link_failures`: an ambassador's wrong `link`
/// codes, a JSON list of times. `rooms`: rooms set up from chat (and rooms told they are not
/// served), the room as `platform:id` and its JSON record; missing means none yet.
const ADDED_TABLES: &str = "
CREATE TABLE IF NOT EXISTS link_failures (ambassador INTEGER PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rooms (room TEXT PRIMARY KEY, record TEXT NOT NULL) WITHOUT ROWID;
";

/// The database file inside the store directory.
pub const FILE_NAME: &str = "relais.sqlite3";

/// An SQLite error as a store error (a lock held elsewhere is `Locked`).
pub fn io(error: rusqlite::Error) -> StoreError {
    StoreError::Io(error.to_string())
}

/// A file that is damaged or not a database at all.
fn is_damage(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Opens the database file in directory `dir` (creating both if needed), takes its exclusive lock
/// (a second open, in this process or another, is `Locked`) and brings it to [`SCHEMA_VERSION`].
pub fn open(dir: &Path, options: &DiskOptions) -> Result<Connection, StoreError> {
    crate::store::refuse_a_file(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| StoreError::Io(format!("creating {}: {e}", dir.display())))?;
    refuse_sled_directory(dir)?;
    let connection = Connection::open(dir.join(FILE_NAME)).map_err(io)?;
    let locked = |error: rusqlite::Error| {
        if is_busy(&error) {
            StoreError::Locked {
                path: dir.display().to_string(),
            }
        } else if is_damage(&error) {
            StoreError::Damaged {
                path: dir.display().to_string(),
                found: format!("SQLite cannot read it: {error}"),
            }
        } else {
            io(error)
        }
    };
    connection.busy_timeout(std::time::Duration::ZERO).map_err(io)?;
    // Exclusive locking before WAL: no shared-memory index, and the lock is kept until close.
    connection
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; BEGIN IMMEDIATE; COMMIT;")
        .map_err(locked)?;
    let synchronous = match options.durability {
        Durability::Flush => "FULL",
        Durability::Deferred => "OFF",
    };
    // A negative cache size is in KiB. Deleted records are overwritten with zeros (forget-me).
    let cache_kib = (options.cache_bytes / 1024).max(64);
    connection
        .execute_batch(&format!(
            "PRAGMA synchronous = {synchronous}; PRAGMA cache_size = -{cache_kib}; PRAGMA secure_delete = ON;"
        ))
        .map_err(io)?;
    quick_check(dir, &connection)?;
    upgrade(&connection)?;
    connection.execute_batch(ADDED_TABLES).map_err(io)?;
    Ok(connection)
}

/// Refuses a damaged database: SQLite's `quick_check` (its integrity check without comparing
/// indexes with their tables, linear in the file's size) must answer `ok`. A file that is not a
/// database at all fails before, with SQLite's own error.
fn quick_check(dir: &Path, connection: &Connection) -> Result<(), StoreError> {
    let damaged = |found: String| StoreError::Damaged {
        path: dir.display().to_string(),
        found,
    };
    let mut statement = connection
        .prepare("PRAGMA quick_check(5)")
        .map_err(|e| damaged(format!("SQLite cannot read it: {e}")))?;
    let problems: Vec<String> = statement
        .query_map([], |row| row.get::<_, String>(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| damaged(format!("SQLite cannot read it: {e}")))?;
    match problems.as_slice() {
        [ok] if ok == "ok" => Ok(()),
        _ => Err(damaged(format!("SQLite's integrity check: {}", problems.join("; ")))),
    }
}

/// `VACUUM INTO` a new file of `dir`: a consistent copy, written through the store's connection
/// (the database is locked exclusively), then its high-water mark.
pub fn backup(connection: &Connection, dir: &Path) -> Result<(), StoreError> {
    crate::store::empty_folder_for_backup(dir)?;
    let target = dir.join(FILE_NAME);
    connection
        .execute("VACUUM INTO ?1", [target.to_string_lossy()])
        .map_err(io)?;
    std::fs::File::open(&target)
        .and_then(|file| file.sync_all())
        .map_err(|e| StoreError::Io(format!("syncing {}: {e}", target.display())))?;
    super::rows::watermark(connection)?.write(dir)
}

/// A directory holding a sled database is not silently given a second, empty one.
fn refuse_sled_directory(dir: &Path) -> Result<(), StoreError> {
    if dir.join("conf").exists() && dir.join("db").exists() {
        return Err(StoreError::OtherBackend {
            path: dir.display().to_string(),
            found: "sled",
            wanted: "sqlite",
        });
    }
    Ok(())
}

/// Stamps a new database, refuses a newer one.
fn upgrade(connection: &Connection) -> Result<(), StoreError> {
    let version: u32 = connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(io)?;
    match version {
        0 => {
            let tables: u32 = connection
                .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |row| {
                    row.get(0)
                })
                .map_err(io)?;
            if tables > 0 {
                return Err(StoreError::Corrupt {
                    tree: "meta",
                    reason: "tables but no schema version".into(),
                });
            }
            let script = format!("BEGIN; {TABLES} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;");
            connection.execute_batch(&script).map_err(io)
        }
        v if v > SCHEMA_VERSION => Err(StoreError::TooNew {
            found: v,
            supported: SCHEMA_VERSION,
        }),
        v if v < 2 => Err(StoreError::Migration {
            from: v,
            to: SCHEMA_VERSION,
            reason: "the SQLite layout starts at schema 2".into(),
        }),
        _ => Ok(()),
    }
}
