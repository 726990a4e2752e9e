//! Runs the store conformance suite against every implementation: memory, and sled and SQLite
//! each in a temporary directory that lives as long as the store.

use relais::store::{DiskOptions, MemoryStore, SledStore, SqliteStore};
use tempfile::TempDir;

/// A sled store in a fresh temporary directory (dropped after the store).
fn sled_in_temp_dir() -> (SledStore, TempDir) {
    let dir = TempDir::new().expect("temporary directory");
    let store = SledStore::open(dir.path(), DiskOptions::default()).expect("open sled store");
    (store, dir)
}

/// An SQLite store in a fresh temporary directory (dropped after the store).
fn sqlite_in_temp_dir() -> (SqliteStore, TempDir) {
    let dir = TempDir::new().expect("temporary directory");
    let store = SqliteStore::open(dir.path(), DiskOptions::default()).expect("open SQLite store");
    (store, dir)
}

relais::store_conformance_tests!(memory, MemoryStore::new());
relais::store_conformance_tests!(sled, sled_in_temp_dir());
relais::store_conformance_tests!(sqlite, sqlite_in_temp_dir());
