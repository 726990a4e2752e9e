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
use std::time::Duration;

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

/// Opens the database in `path`, refuses it if it has lost data (see [`Watermark`]), migrates it
/// and writes its mark.
pub(super) fn open_checked(path: &Path, options: DiskOptions) -> Result<Trees, StoreError> {
    let db = config(path, options)
        .open()
        .map_err(|error| lock::map_open_error(path, error))?;
    let trees = Trees::open(db)?;
    Watermark::check(path, &trees.watermark()?)?;
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

impl SledStore {
    /// Rewrites the database into a fresh one holding only the live records, and swaps it in
    /// (see [`compact`]). Writers wait meanwhile; readers wait during the swap.
    pub(super) fn compact(&self) -> Result<(), StoreError> {
        let _writer = self.lock_writer();
        let staging = self.path.join(compact::STAGING);
        if !staging.exists() {
            compact::begin(&self.path)?;
        }
        let options = DiskOptions {
            durability: Durability::Flush,
            ..self.options
        };
        compact::copy_into(&self.trees()?.db, config(&staging, options))?;
        compact::ready(&self.path)?;
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
        *slot = Some(Arc::new(open_checked(&self.path, self.options)?));
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
        let options = DiskOptions {
            durability: Durability::Flush,
            ..self.options
        };
        compact::copy_into(&trees.db, config(dir, options))?;
        if !lock::wait_until_released(&dir.join("db"), Duration::from_secs(10)) {
            return Err(StoreError::Io(format!("sled still holds {}", dir.display())));
        }
        trees.watermark()?.write(dir)?;
        compact::sync_folder(dir)
    }
}
