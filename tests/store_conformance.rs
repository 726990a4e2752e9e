//! Runs the store conformance suite against both implementations: memory, and sled in a
//! temporary directory that lives as long as the store.

use relais::store::{MemoryStore, SledOptions, SledStore};
use tempfile::TempDir;

/// A sled store in a fresh temporary directory (dropped after the store).
fn sled_in_temp_dir() -> (SledStore, TempDir) {
    let dir = TempDir::new().expect("temporary directory");
    let store = SledStore::open(dir.path(), SledOptions::default()).expect("open sled store");
    (store, dir)
}

relais::store_conformance_tests!(memory, MemoryStore::new());
relais::store_conformance_tests!(sled, sled_in_temp_dir());
