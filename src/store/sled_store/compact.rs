//! Rewriting a sled database into a fresh one: after a forget (sled is log-structured and keeps
//! old versions of records in its file until it happens to reuse their space, so erased records
//! would stay readable in `db`) and for a backup.
//!
//! After a forget the live records are copied into a new database in `<store>/compacting`, which
//! is then swapped in: the old files (`db`, `snap.*`, `blobs`) are removed and the new ones
//! renamed into their place. The folder exists from before the forget's commit until the swap is
//! done, so a crash at any point is finished on the next open: a copy marked complete (`READY`)
//! is swapped in (every step can be repeated), an incomplete one is thrown away and made again.
//!
//! Writers wait during the rewrite (seconds at 100,000 reshares: `cargo bench --bench forget`).
//! Between closing the old database and opening the new one (milliseconds), sled's file lock is
//! not held: a second Relais started at that very moment could take the store, and this one
//! would then stop with `Locked`; never do both run on it.

use super::lock::wait_until_released;
use super::tx::io;
use crate::store::StoreError;
use std::path::Path;
use std::time::Duration;

/// The folder of the new database, inside the store folder.
pub const STAGING: &str = "compacting";
/// Written into [`STAGING`] once the copy is complete and on disk.
const READY: &str = "READY";
/// Records copied per batch.
const BATCH: usize = 10_000;

fn failed<'a>(what: &str, path: &'a Path) -> impl Fn(std::io::Error) -> StoreError + 'a {
    let what = what.to_string();
    move |e| StoreError::Io(format!("{what} {}: {e}", path.display()))
}

/// Copies every tree of `from` into a new database made with `config` (whose folder must not hold
/// one), flushes it and closes it.
pub fn copy_into(from: &sled::Db, config: sled::Config) -> Result<(), StoreError> {
    let to = config.open().map_err(io)?;
    for name in from.tree_names() {
        let source = from.open_tree(&name).map_err(io)?;
        let target = to.open_tree(&name).map_err(io)?;
        let mut batch = sled::Batch::default();
        let mut pending = 0;
        for entry in source.iter() {
            let (key, value) = entry.map_err(io)?;
            batch.insert(key, value);
            pending += 1;
            if pending == BATCH {
                target.apply_batch(std::mem::take(&mut batch)).map_err(io)?;
                pending = 0;
            }
        }
        target.apply_batch(batch).map_err(io)?;
    }
    to.flush().map_err(io)?;
    drop(to);
    Ok(())
}

/// Starts a rewrite before the forget it follows is committed: an empty [`STAGING`] folder, so
/// that a crash from now on leads to a rewrite on the next open.
pub fn begin(store: &Path) -> Result<(), StoreError> {
    let staging = store.join(STAGING);
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(failed("removing", &staging))?;
    }
    std::fs::create_dir(&staging).map_err(failed("creating", &staging))?;
    sync_folder(store)
}

/// Gives up a rewrite whose forget was not committed (nothing to rewrite); a failure to remove
/// the folder only means a needless rewrite on the next open.
pub fn abandon(store: &Path) {
    if let Err(error) = std::fs::remove_dir_all(store.join(STAGING)) {
        tracing::warn!(%error, "removing the unused rewrite folder failed");
    }
}

/// Marks the copy in [`STAGING`] complete, once sled has let go of it.
pub fn ready(store: &Path) -> Result<(), StoreError> {
    let staging = store.join(STAGING);
    if !wait_until_released(&staging.join("db"), Duration::from_secs(10)) {
        return Err(StoreError::Io(format!("sled still holds {}", staging.display())));
    }
    sync_folder(&staging)?;
    let marker = staging.join(READY);
    std::fs::write(&marker, b"").map_err(failed("writing", &marker))?;
    sync_folder(&staging)
}

/// What an open finds of an earlier rewrite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leftover {
    /// None, or one finished now.
    Done,
    /// One that had not finished copying: thrown away; the database needs rewriting again.
    Redo,
}

/// Swaps a complete copy in (the database must be closed), or throws an incomplete one away.
/// Every step can be repeated after a crash.
pub fn finish(store: &Path) -> Result<Leftover, StoreError> {
    let staging = store.join(STAGING);
    if !staging.exists() {
        return Ok(Leftover::Done);
    }
    if !staging.join(READY).exists() {
        std::fs::remove_dir_all(&staging).map_err(failed("removing", &staging))?;
        return Ok(Leftover::Redo);
    }
    if staging.join("db").exists() {
        remove_old(store)?;
        sync_folder(store)?;
        let db = store.join("db");
        std::fs::rename(staging.join("db"), &db).map_err(failed("renaming into", &db))?;
    }
    for entry in std::fs::read_dir(&staging).map_err(failed("reading", &staging))? {
        let entry = entry.map_err(failed("reading", &staging))?;
        if entry.file_name() != READY {
            let target = store.join(entry.file_name());
            std::fs::rename(entry.path(), &target).map_err(failed("renaming into", &target))?;
        }
    }
    std::fs::remove_dir_all(&staging).map_err(failed("removing", &staging))?;
    sync_folder(store)?;
    Ok(Leftover::Done)
}

/// Removes the old database's snapshots and blobs (they describe the old `db`).
fn remove_old(store: &Path) -> Result<(), StoreError> {
    for entry in std::fs::read_dir(store).map_err(failed("reading", store))? {
        let entry = entry.map_err(failed("reading", store))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") {
            std::fs::remove_file(entry.path()).map_err(failed("removing", &entry.path()))?;
        } else if name == "blobs" {
            std::fs::remove_dir_all(entry.path()).map_err(failed("removing", &entry.path()))?;
        }
    }
    Ok(())
}

/// Makes the folder's entries (created, renamed, removed) durable.
pub fn sync_folder(dir: &Path) -> Result<(), StoreError> {
    std::fs::File::open(dir)
        .and_then(|folder| folder.sync_all())
        .map_err(failed("syncing", dir))
}
