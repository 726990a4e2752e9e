//! Opening a sled database with its checks (the high-water mark, records lost from one tree),
//! rewriting it after a forget, and copying it for a backup.

use super::compact;
use super::lock;
use super::tx::Trees;
use super::SledStore;
use crate::store::watermark::Watermark;
use crate::store::{migrations, DiskOptions, Durability, StoreError};
use std::path::Path;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

/// sled's configuration for the database in `path`.
fn config(path: &Path, options: DiskOptions) -> sled::Config {
    let background_flush = match options.durability {
        Durability::Flush => None,
        Durability::Deferred => Some(500),
    };
    sled::Config::new()
        .path(path)
        .cache_capacity(options.cache_bytes)
        .mode(sled::Mode::LowSpace)
        .flush_every_ms(background_flush)
}

/// The configuration of a copy (a rewrite, a backup): durable at the end only, and a cache large
/// enough that building it does not evict its own pages (the mode is not kept in the files).
fn copy_config(path: &Path, options: DiskOptions) -> sled::Config {
    let options = DiskOptions {
        durability: Durability::Flush,
        cache_bytes: options.cache_bytes.max(COPY_CACHE_BYTES),
    };
    config(path, options).mode(sled::Mode::HighThroughput)
}

/// The smallest cache a copy is made with.
const COPY_CACHE_BYTES: u64 = 64 << 20;

/// Opens the database in `path`, refuses it if it has lost data (see [`Watermark`]), migrates it
/// and writes its mark.
pub(super) fn open_checked(path: &Path, options: DiskOptions) -> Result<Trees, StoreError> {
    let trees = open_marked(path, options)?;
    if let Some(found) = trees.lost_records() {
        return Err(StoreError::Damaged {
            path: path.display().to_string(),
            found,
        });
    }
    migrations::upgrade(&trees)?;
    trees.flush()?;
    trees.watermark()?.write(path)?;
    Ok(trees)
}

/// Opens the database in `path` and checks it against its mark.
fn open_marked(path: &Path, options: DiskOptions) -> Result<Trees, StoreError> {
    let db = config(path, options)
        .open()
        .map_err(|error| lock::map_open_error(path, error))?;
    let trees = Trees::open(db)?;
    Watermark::check(path, &trees.watermark()?)?;
    Ok(trees)
}

impl SledStore {
    /// Rewrites the database into a fresh one holding only the live records, and swaps it in
    /// (see [`compact`]). Writers wait meanwhile; readers wait during the swap.
    pub(super) fn compact(&self) -> Result<(), StoreError> {
        let _writer = self.lock_writer();
        let staging = self.path.join(compact::STAGING);
        if !staging.exists() {
            compact::begin(&self.path)?;
        }
        let started = Instant::now();
        compact::copy_into(&self.trees()?.db, copy_config(&staging, self.options))?;
        compact::ready(&self.path)?;
        let copied = started.elapsed();
        let mut slot = self.trees.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(mut old) = slot.take() {
            // No new reader can take the database now; wait for those that hold it.
            loop {
                match Arc::try_unwrap(old) {
                    Ok(trees) => break drop(trees),
                    Err(shared) => old = shared,
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        if !lock::wait_until_released(&self.path.join("db"), Duration::from_secs(10)) {
            return Err(StoreError::Io(format!("sled still holds {}", self.path.display())));
        }
        compact::finish(&self.path)?;
        // Just written from a checked database: only the mark is checked again.
        *slot = Some(Arc::new(open_marked(&self.path, self.options)?));
        tracing::info!(
            copy_ms = copied.as_millis() as u64,
            total_ms = started.elapsed().as_millis() as u64,
            "database rewritten so that no old version of erased records remains"
        );
        Ok(())
    }

    /// Writes a consistent copy of the database into the folder `dir` (which must be empty or
    /// missing), with its high-water mark: a store that [`SledStore::open`] opens as it was now.
    /// Writers wait while it is copied.
    pub(super) fn backup_into(&self, dir: &Path) -> Result<(), StoreError> {
        crate::store::empty_folder_for_backup(dir)?;
        let _writer = self.lock_writer();
        let trees = self.trees()?;
        trees.flush()?;
        compact::copy_into(&trees.db, copy_config(dir, self.options))?;
        if !lock::wait_until_released(&dir.join("db"), Duration::from_secs(10)) {
            return Err(StoreError::Io(format!("sled still holds {}", dir.display())));
        }
        trees.watermark()?.write(dir)?;
        compact::sync_folder(dir)
    }
}
