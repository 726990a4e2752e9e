//! The on-disk store: sled 0.34, one multi-tree transaction per write, writers serialised through
//! one lock and (by default) flushed to disk before a write returns.
//!
//! Layout: see [`codec`] (keys and values) and [`crate::store::migrations`] (schema history).

mod actions;
pub mod codec;
pub mod compact;
mod lifecycle;
pub mod lock;
mod rooms;
pub(crate) mod tx;
mod writes;

use self::codec::{meta, tree};
use self::tx::{io, Trees};
use super::week_cache::WeekCache;
use super::NewStats;
use super::{ActionRecord, DiskOptions, Durability, LinkCode, RecordOutcome, RoomRecord, Store, StoreError};
use crate::domain::reshare::{AmbassadorStats, WeekTotal};
use crate::domain::{Ambassador, AmbassadorId, Identity, Item, ItemId, Network, Reshare, RoomRef, WeekKey};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

/// What [`SledStore::import`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub recorded: usize,
    /// Reshares whose key was already taken (by the database or earlier in the batch): skipped.
    pub already_counted: usize,
}

impl ImportReport {
    /// Records each reshare of `batch` with `record`, counting what happened (both stores' import).
    pub(crate) fn tally<E>(
        batch: &[Reshare],
        mut record: impl FnMut(&Reshare) -> Result<RecordOutcome, E>,
    ) -> Result<Self, E> {
        let mut report = ImportReport::default();
        for reshare in batch {
            match record(reshare)? {
                RecordOutcome::Recorded(_) => report.recorded += 1,
                RecordOutcome::AlreadyCounted(_) => report.already_counted += 1,
            }
        }
        Ok(report)
    }
}

/// The sled-backed [`Store`]. One per database directory: a second open, in this process or
/// another, fails with `StoreError::Locked`.
pub struct SledStore {
    /// The store folder.
    path: PathBuf,
    options: DiskOptions,
    /// The open database; swapped for a rewritten one after a forget (see [`compact`]), `None`
    /// only if reopening it then failed.
    trees: RwLock<Option<Arc<Trees>>>,
    /// Serialises writers: transactions never conflict, reads made before a transaction stay
    /// true, and the blocking flush happens from the writer (never `flush_async`).
    writer: Mutex<()>,
    durability: Durability,
    /// Recent weeks of week totals, for the leaderboard.
    week_cache: WeekCache,
    /// Writes made since the store was opened ([`Store::write_count`]).
    writes: AtomicU64,
    /// Dropped after `trees` (fields drop in order): waits until sled has released its file lock.
    _release: lock::ReleaseWait,
}

impl SledStore {
    /// Opens (creating if needed) the database in directory `path`, migrating an older schema.
    /// A database that has lost data since it was last written is refused with
    /// `StoreError::Damaged` (see [`crate::store::watermark`]); a rewrite interrupted by a crash
    /// is finished first (see [`compact`]).
    pub fn open(path: &Path, options: DiskOptions) -> Result<SledStore, StoreError> {
        crate::store::refuse_a_file(path)?;
        let sqlite = path.join(crate::store::sqlite_store::schema::FILE_NAME);
        if sqlite.exists() {
            return Err(StoreError::OtherBackend {
                path: path.display().to_string(),
                found: "sqlite",
                wanted: "sled",
            });
        }
        let leftover = if path.exists() {
            compact::finish(path)?
        } else {
            compact::Leftover::Done
        };
        let trees = lifecycle::open_checked(path, options)?;
        let store = SledStore {
            path: path.to_path_buf(),
            options,
            trees: RwLock::new(Some(Arc::new(trees))),
            writer: Mutex::new(()),
            durability: options.durability,
            week_cache: WeekCache::default(),
            writes: AtomicU64::new(0),
            _release: lock::ReleaseWait::new(path),
        };
        if leftover == compact::Leftover::Redo {
            store.compact()?;
        }
        Ok(store)
    }

    /// Records many reshares in one transaction (all or nothing), each like `record_reshare`
    /// except that stats are folded from the reshares themselves (stored points; streaks by
    /// local day in the ambassador's time zone, so reshares should come oldest first).
    /// For bulk imports and benchmark filling; flushed once at the end under `Durability::Flush`.
    pub fn import(&self, batch: &[Reshare]) -> Result<ImportReport, StoreError> {
        self.write_totals(|trees| {
            trees.transact(|tx| ImportReport::tally(batch, |reshare| writes::record_in(tx, reshare, &NewStats::Folded)))
        })
    }

    /// Runs a write under the writer lock, then flushes unless durability is deferred.
    /// Under `Durability::Flush` the high-water mark follows each flushed write.
    fn write<A>(&self, op: impl FnOnce(&Trees) -> Result<A, StoreError>) -> Result<A, StoreError> {
        let _writer = self.lock_writer();
        let trees = self.trees()?;
        let result = op(&trees)?;
        self.writes.fetch_add(1, Ordering::Relaxed);
        if self.durability == Durability::Flush {
            trees.flush()?;
            trees.watermark()?.write(&self.path)?;
        }
        Ok(result)
    }

    /// The open database.
    fn trees(&self) -> Result<Arc<Trees>, StoreError> {
        let slot = self.trees.read().unwrap_or_else(PoisonError::into_inner);
        slot.clone().ok_or_else(|| {
            StoreError::Io(format!(
                "the database at {} could not be reopened after it was rewritten",
                self.path.display()
            ))
        })
    }

    /// The writer lock; also taken by reads that follow an index into another tree, so that no
    /// write removes a record between the two. (A poisoned lock guards nothing: it is taken over.)
    fn lock_writer(&self) -> MutexGuard<'_, ()> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A write that may change many week totals: the week cache is emptied.
    fn write_totals<A>(&self, op: impl FnOnce(&Trees) -> Result<A, StoreError>) -> Result<A, StoreError> {
        self.write(|trees| {
            let result = op(trees);
            self.week_cache.clear();
            result
        })
    }

    /// One week of the `week_totals` tree, by ambassador id.
    fn scan_week_totals(&self, week: WeekKey) -> Result<Vec<(AmbassadorId, WeekTotal)>, StoreError> {
        let mut totals = Vec::new();
        for entry in self.trees()?.week_totals.scan_prefix(week.to_bytes()) {
            let (key, value) = entry.map_err(io)?;
            let ambassador = AmbassadorId(codec::trailing_id(tree::WEEK_TOTALS, &key)?);
            totals.push((ambassador, codec::decode_total(&value)?));
        }
        Ok(totals)
    }

    fn next_id(&self, counter: &'static str) -> Result<u64, StoreError> {
        self.write(|trees| trees.transact(|tx| tx.next_id(counter)))
    }

    /// Reshares found through keys of `reshares_by_time` (or another index ending in the id).
    fn load_indexed(trees: &Trees, index: &'static str, keys: sled::Iter) -> Result<Vec<Reshare>, StoreError> {
        let mut found = Vec::new();
        for entry in keys {
            let (key, _) = entry.map_err(io)?;
            let id = codec::trailing_id(index, &key)?;
            found.push(trees.reshare(id)?.ok_or_else(|| tx::dangling(index, id))?);
        }
        Ok(found)
    }

    fn all_json<T: serde::de::DeserializeOwned>(tree: &sled::Tree, name: &'static str) -> Result<Vec<T>, StoreError> {
        tree.iter()
            .map(|entry| codec::from_json(name, &entry.map_err(io)?.1))
            .collect()
    }
}

impl Drop for SledStore {
    fn drop(&mut self) {
        let Ok(trees) = self.trees() else { return };
        if let Err(error) = trees.flush().and_then(|()| trees.watermark()?.write(&self.path)) {
            tracing::error!(%error, "flushing the database on close failed");
        }
    }
}

/// Oldest first: by time, then id.
fn oldest_first(reshares: &mut [Reshare]) {
    reshares.sort_by_key(|r| (r.at, r.id));
}

impl Store for SledStore {
    fn schema_version(&self) -> Result<u32, StoreError> {
        self.trees()?
            .schema_version()?
            .ok_or_else(|| codec::corrupt(tree::META, "no schema_version"))
    }

    fn next_ambassador_id(&self) -> Result<AmbassadorId, StoreError> {
        self.next_id(meta::LAST_AMBASSADOR_ID).map(AmbassadorId)
    }

    fn put_ambassador(&self, ambassador: &Ambassador) -> Result<(), StoreError> {
        self.write(|trees| writes::put_ambassador(trees, ambassador))
    }

    fn ambassador(&self, id: AmbassadorId) -> Result<Option<Ambassador>, StoreError> {
        self.trees()?.ambassador(id)
    }

    fn ambassador_by_identity(&self, identity: &Identity) -> Result<Option<Ambassador>, StoreError> {
        let trees = self.trees()?;
        match trees.identities.get(codec::identity_key(identity)).map_err(io)? {
            Some(id) => trees.ambassador(AmbassadorId(codec::decode_u64(tree::IDENTITIES, &id)?)),
            None => Ok(None),
        }
    }

    fn ambassadors(&self) -> Result<Vec<Ambassador>, StoreError> {
        Self::all_json(&self.trees()?.ambassadors, tree::AMBASSADORS)
    }

    /// Then rewrites the database, so that no old version of the erased records stays in its
    /// file (see [`compact`]).
    fn forget_ambassador(&self, id: AmbassadorId) -> Result<(), StoreError> {
        compact::begin(&self.path)?;
        if let Err(error) = self.write_totals(|trees| writes::forget_ambassador(trees, id)) {
            compact::abandon(&self.path);
            return Err(error);
        }
        self.compact()
    }

    fn merge_ambassadors(&self, from: AmbassadorId, into: AmbassadorId) -> Result<(), StoreError> {
        self.write_totals(|trees| writes::merge_ambassadors(trees, from, into))
    }

    fn next_item_id(&self) -> Result<ItemId, StoreError> {
        let id = self.next_id(meta::LAST_ITEM_ID)?;
        u32::try_from(id)
            .map(ItemId)
            .map_err(|_| codec::corrupt(tree::META, "item ids exhausted"))
    }

    fn put_item(&self, item: &Item) -> Result<(), StoreError> {
        self.write(|trees| writes::put_item(trees, item))
    }

    fn item(&self, id: ItemId) -> Result<Option<Item>, StoreError> {
        let trees = self.trees()?;
        trees.get_json(&trees.items, tree::ITEMS, codec::item_key(id))
    }

    fn items(&self) -> Result<Vec<Item>, StoreError> {
        Self::all_json(&self.trees()?.items, tree::ITEMS)
    }

    fn record_reshare(&self, reshare: Reshare, new_stats: &AmbassadorStats) -> Result<RecordOutcome, StoreError> {
        self.write(|trees| {
            let outcome = trees.transact(|tx| writes::record_in(tx, &reshare, &NewStats::Given(new_stats)))?;
            if let RecordOutcome::Recorded(stored) = &outcome {
                let key = codec::week_total_key(stored.week, stored.ambassador);
                match trees.week_totals.get(key).map_err(io)? {
                    Some(bytes) => self
                        .week_cache
                        .set(stored.week, stored.ambassador, codec::decode_total(&bytes)?),
                    None => self.week_cache.clear(),
                }
            }
            Ok(outcome)
        })
    }

    fn attach_url(&self, reshare_id: u64, url: &str, network: Network, keys: &[String]) -> Result<Reshare, StoreError> {
        self.write(|trees| writes::attach_url(trees, reshare_id, url, network, keys))
    }

    fn withdraw_reshare(&self, reshare_id: u64) -> Result<Option<Reshare>, StoreError> {
        self.write_totals(|trees| writes::withdraw_reshare(trees, reshare_id))
    }

    fn reshare_by_key(&self, dedup_key: &str) -> Result<Option<Reshare>, StoreError> {
        let trees = self.trees()?;
        match trees.reshare_keys.get(dedup_key).map_err(io)? {
            Some(id) => trees.reshare(codec::decode_u64(tree::RESHARE_KEYS, &id)?),
            None => Ok(None),
        }
    }

    fn reshares_of(&self, ambassador: AmbassadorId) -> Result<Vec<Reshare>, StoreError> {
        let _writer = self.lock_writer();
        let mut found = self.trees()?.reshares_of(ambassador)?;
        oldest_first(&mut found);
        Ok(found)
    }

    fn reshares_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Reshare>, StoreError> {
        if from >= to {
            return Ok(Vec::new());
        }
        // Keys hold milliseconds: take the whole last millisecond, then filter exactly.
        let end = u64::from_be_bytes(codec::millis_key(to))
            .saturating_add(1)
            .to_be_bytes();
        let _writer = self.lock_writer();
        let trees = self.trees()?;
        let keys = trees.reshares_by_time.range(codec::millis_key(from)..end);
        let mut found = Self::load_indexed(&trees, tree::RESHARES_BY_TIME, keys)?;
        found.retain(|r| from <= r.at && r.at < to);
        oldest_first(&mut found);
        Ok(found)
    }

    fn stats(&self, ambassador: AmbassadorId) -> Result<AmbassadorStats, StoreError> {
        let trees = self.trees()?;
        let stats = trees.get_json(&trees.stats, tree::STATS, codec::ambassador_key(ambassador))?;
        Ok(stats.unwrap_or_default())
    }

    fn week_totals(&self, week: WeekKey) -> Result<Vec<(AmbassadorId, WeekTotal)>, StoreError> {
        if let Some(totals) = self.week_cache.get(week) {
            return Ok(totals);
        }
        // Filled under the writer lock, so that no write lands between the scan and the fill.
        let _writer = self.lock_writer();
        if let Some(totals) = self.week_cache.get(week) {
            return Ok(totals);
        }
        let totals = self.scan_week_totals(week)?;
        self.week_cache.fill(week, totals.clone());
        Ok(totals)
    }

    fn put_link_code(&self, code: &str, link: &LinkCode) -> Result<(), StoreError> {
        self.write(|trees| writes::put_link_code(trees, code, link))
    }

    fn take_link_code(&self, code: &str) -> Result<Option<LinkCode>, StoreError> {
        self.write(|trees| writes::take_link_code(trees, code))
    }

    fn add_link_failure(&self, who: AmbassadorId, at: DateTime<Utc>, since: DateTime<Utc>) -> Result<(), StoreError> {
        self.write(|trees| writes::add_link_failure(trees, who, at, since))
    }

    fn link_failures(&self, who: AmbassadorId, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, StoreError> {
        writes::link_failures(&*self.trees()?, who, since)
    }

    fn action_state(&self, key: &str) -> Result<Option<ActionRecord>, StoreError> {
        actions::get(&*self.trees()?, key)
    }

    fn set_action_state(&self, key: &str, record: &ActionRecord) -> Result<(), StoreError> {
        self.write(|trees| actions::put_all(trees, &[(key.to_string(), record.clone())]))
    }

    fn set_action_states(&self, records: &[(String, ActionRecord)]) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        self.write(|trees| actions::put_all(trees, records))
    }

    fn skipped_actions(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(String, ActionRecord)>, StoreError> {
        if from >= to {
            return Ok(Vec::new());
        }
        let _writer = self.lock_writer();
        actions::skipped(&*self.trees()?, from, to)
    }

    fn prune_actions(&self, before: DateTime<Utc>) -> Result<usize, StoreError> {
        self.write(|trees| actions::prune(trees, before))
    }

    fn backup(&self, dir: &Path) -> Result<(), StoreError> {
        self.backup_into(dir)
    }

    fn rooms(&self) -> Result<Vec<RoomRecord>, StoreError> {
        let trees = self.trees()?;
        rooms::all(&trees)
    }

    fn room(&self, room: &RoomRef) -> Result<Option<RoomRecord>, StoreError> {
        let trees = self.trees()?;
        rooms::get(&trees, room)
    }

    fn put_room(&self, record: &RoomRecord) -> Result<(), StoreError> {
        self.write(|trees| rooms::put(trees, record))
    }

    fn write_count(&self) -> u64 {
        self.writes.load(Ordering::Relaxed)
    }
}
