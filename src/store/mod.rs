//! Storage: the [`Store`] trait the core talks to, and its implementations (sled on disk, the
//! default; SQLite on disk, the lighter one; memory, their twin for tests), held to one
//! conformance suite.

pub mod backup;
pub mod conformance;
pub mod memory;
pub mod migrations;
pub mod sled_store;
pub mod sqlite_store;
pub mod watermark;
mod week_cache;

pub use memory::MemoryStore;
pub use sled_store::{ImportReport, SledStore};
pub use sqlite_store::SqliteStore;

use crate::domain::reshare::{AmbassadorStats, WeekTotal};
use crate::domain::{Ambassador, AmbassadorId, Identity, Item, ItemId, Lang, Reshare, RoomRef, WeekKey};
use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// The current schema version. Opening an older database migrates it; a newer one is refused.
pub const SCHEMA_VERSION: u32 = 2;

/// Why a store operation failed. These are internal errors: logged, and the user sees an apology.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database at {path} is already in use by another Relais process; stop it first or choose another `store.path`")]
    Locked { path: String },
    #[error("the database schema is version {found}, newer than this Relais understands (up to {supported}); upgrade Relais")]
    TooNew { found: u32, supported: u32 },
    #[error("migrating the database from schema {from} to {to} failed: {reason}")]
    Migration { from: u32, to: u32, reason: String },
    #[error("the store at {path} is damaged or has lost data ({found}); Relais will not run on it, so that nothing is silently lost or counted again. Stop Relais, move {path} aside and restore the last backup in its place (`relais restore`; README, \"Operations\"). To accept the store as it is, delete {path}/relais-store.json")]
    Damaged { path: String, found: String },
    #[error("{path} is not empty: a backup goes into a new or empty folder")]
    BackupTarget { path: String },
    #[error("this store keeps nothing on disk: there is nothing to back up")]
    NothingToBackUp,
    #[error("corrupt record in `{tree}`: {reason}")]
    Corrupt { tree: &'static str, reason: String },
    #[error("the folder {path} holds a {found} database: set `store.backend = \"{found}\"`, or choose another `store.path` for a new {wanted} database")]
    OtherBackend {
        path: String,
        found: &'static str,
        wanted: &'static str,
    },
    #[error("{path} is a file, not a folder: `store.path` must name a folder (Relais creates it when it is missing)")]
    NotAFolder { path: String },
    #[error("storage I/O error: {0}")]
    Io(String),
    #[error("identity {0} belongs to another ambassador")]
    IdentityTaken(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("reshare key {0} is already counted for another reshare")]
    KeyTaken(String),
}

/// Refuses a store `path` that is a file, or lies under one: the first part of it that exists
/// must be a folder (an on-disk store is a folder of database files).
pub(crate) fn refuse_a_file(path: &std::path::Path) -> Result<(), StoreError> {
    let Some((existing, metadata)) = path
        .ancestors()
        .filter(|part| !part.as_os_str().is_empty())
        .find_map(|part| std::fs::metadata(part).ok().map(|m| (part, m)))
    else {
        return Ok(());
    };
    if metadata.is_dir() {
        Ok(())
    } else {
        Err(StoreError::NotAFolder {
            path: existing.display().to_string(),
        })
    }
}

/// Makes `dir` ready to receive a backup: created (private) when missing, refused unless empty.
pub(crate) fn empty_folder_for_backup(dir: &std::path::Path) -> Result<(), StoreError> {
    let failed = |e: std::io::Error| StoreError::Io(format!("preparing {}: {e}", dir.display()));
    if dir.exists() {
        if std::fs::read_dir(dir).map_err(failed)?.next().is_some() {
            return Err(StoreError::BackupTarget {
                path: dir.display().to_string(),
            });
        }
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(failed)
}

/// When a persistent store's writes reach the disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Durability {
    /// Every write that returns `Ok` has been flushed to disk first (the default).
    #[default]
    Flush,
    /// No flush per write: data reaches the disk in the background and when the store is dropped.
    /// For bulk imports and for filling benchmarks; a crash may lose the last writes.
    Deferred,
}

/// How to open an on-disk store ([`SledStore`], [`SqliteStore`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskOptions {
    /// The database's page cache size in bytes (default 8 MiB).
    pub cache_bytes: u64,
    pub durability: Durability,
}

impl Default for DiskOptions {
    fn default() -> Self {
        DiskOptions {
            cache_bytes: 8 * 1024 * 1024,
            durability: Durability::Flush,
        }
    }
}

/// The result of recording a reshare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordOutcome {
    /// Stored and durable (on disk for persistent stores) before this returns.
    Recorded(Reshare),
    /// A reshare with the same dedup key exists already; nothing was written.
    AlreadyCounted(Reshare),
}

/// The keys a reshare is found by: its dedup key, its URL and its further keys (shared by every
/// implementation).
pub(crate) fn keys_of(reshare: &Reshare) -> Vec<&str> {
    let mut keys = vec![reshare.dedup_key.as_str()];
    for key in reshare.url.iter().chain(&reshare.keys) {
        if !keys.contains(&key.as_str()) {
            keys.push(key);
        }
    }
    keys
}

/// The keys of a reshare of `from` that name `from` (quick and claim keys), each with the key it
/// gets when `from` is merged into `into`: they follow the person. The caller renames a key only
/// if the new one is free, and keeps the old one otherwise: then both claims stay, as they were
/// counted.
pub(crate) fn merged_keys(reshare: &Reshare, from: AmbassadorId, into: AmbassadorId) -> Vec<(String, String)> {
    std::iter::once(&reshare.dedup_key)
        .chain(&reshare.keys)
        .filter_map(|key| Some((key.clone(), Reshare::key_after_merge(key, from, into)?)))
        .collect()
}

/// Renames one of the reshare's keys (its dedup key or a further key).
pub(crate) fn rename_key(reshare: &mut Reshare, old: &str, new: &str) {
    if reshare.dedup_key == old {
        reshare.dedup_key = new.to_string();
    }
    for key in reshare.keys.iter_mut().filter(|k| *k == old) {
        *key = new.to_string();
    }
}

/// The keys a URL attached to a reshare replaces: its former URL and further keys that the new
/// ones do not list (never its dedup key).
pub(crate) fn replaced_keys<'a>(old: &'a Reshare, url: &str, keys: &[String]) -> Vec<&'a str> {
    old.url
        .iter()
        .chain(&old.keys)
        .map(String::as_str)
        .filter(|k| *k != old.dedup_key && *k != url && !keys.iter().any(|new| new == k))
        .collect()
}

/// A person's wrong `link` codes after one more at `at`: those from before `since` forgotten,
/// oldest first (shared by every implementation).
pub(crate) fn recent_failures(
    failures: &[DateTime<Utc>],
    at: DateTime<Utc>,
    since: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let mut kept: Vec<DateTime<Utc>> = failures.iter().copied().filter(|t| *t >= since).collect();
    kept.push(at);
    kept.sort();
    kept
}

/// How a recorded reshare changes its ambassador's stats (the on-disk stores' writes).
pub(crate) enum NewStats<'a> {
    /// Computed by the caller (scoring).
    Given(&'a AmbassadorStats),
    /// Folded from the reshare (import): stored points, streak in the ambassador's time zone.
    Folded,
}

/// A pending `link` code, stored under the part of the code that names it
/// ([`crate::domain::link_code`]): who asked for it, until when it is valid, its secret and how
/// many wrong secrets were typed for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCode {
    pub ambassador: AmbassadorId,
    pub expires: DateTime<Utc>,
    /// Empty in codes made before codes had a secret: those never match.
    #[serde(default)]
    pub secret: String,
    #[serde(default)]
    pub failures: u32,
}

/// Where a scheduled action is in its life (see [`ActionRecord`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionState {
    /// Its effects were computed and handed to the adapter; delivery is not confirmed yet.
    Started,
    /// Delivered (or nothing needed delivering).
    Done,
    /// Not done on purpose (missed beyond the grace window); listed in the next report.
    Skipped,
}

/// The durable state of one scheduled action, under its key (`push:console:team:2026-11-23`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRecord {
    pub state: ActionState,
    /// When the action was due.
    pub due: DateTime<Utc>,
    /// When this state was recorded.
    pub at: DateTime<Utc>,
    /// Why it was skipped, or why nothing was sent.
    pub reason: Option<String>,
}

/// How Relais serves a room: set up from chat (`room here …`), or as `[[rooms]]` seeds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomSetup {
    pub lang: Lang,
    /// Local time (organisation zone) of the daily push.
    pub push_time: NaiveTime,
    /// The coordinators' room (reports), else a team room (pushes, leaderboard).
    pub coordinators_room: bool,
}

/// What Relais keeps about one room, under its [`RoomRef`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomRecord {
    pub room: RoomRef,
    /// Set up or stopped from chat (`room here …`, `room off`): then `setup` wins over the room's
    /// `[[rooms]]` entry, if it has one.
    #[serde(default)]
    pub from_chat: bool,
    /// How it is served from chat; `None` when it is not (stopped, or never set up).
    pub setup: Option<RoomSetup>,
    /// Someone was told, once, that Relais does not serve this room and how to set it up.
    #[serde(default)]
    pub told_unserved: bool,
}

/// Everything Relais keeps. Implementations are internally synchronised (`&self` everywhere) and
/// every write is atomic: after an error nothing is half-written.
///
/// Durable stores make each write that returns `Ok` durable (flushed) before returning
/// (unless opened with [`Durability::Deferred`]).
///
/// Ids (ambassadors, items, reshares) start at 1, increase and are never reused, even after the
/// record is deleted; putting a record with an id above the counter moves the counter past it.
/// Both implementations are held to [`conformance`].
pub trait Store: Send + Sync {
    /// Schema version of the open database.
    fn schema_version(&self) -> Result<u32, StoreError>;

    // --- ambassadors ---
    /// Reserves the next ambassador id (ids are never reused).
    fn next_ambassador_id(&self) -> Result<AmbassadorId, StoreError>;
    /// Inserts or replaces an ambassador and indexes all its identities (identities no longer
    /// listed are un-indexed). An identity already indexed for another ambassador is refused with
    /// `StoreError::IdentityTaken` and nothing is written.
    fn put_ambassador(&self, ambassador: &Ambassador) -> Result<(), StoreError>;
    fn ambassador(&self, id: AmbassadorId) -> Result<Option<Ambassador>, StoreError>;
    fn ambassador_by_identity(&self, identity: &Identity) -> Result<Option<Ambassador>, StoreError>;
    /// All ambassadors, by id.
    fn ambassadors(&self) -> Result<Vec<Ambassador>, StoreError>;
    /// Erases an ambassador completely (forget-me): the record, identity index, reshares (and
    /// their dedup keys), stats, week totals, link codes and wrong link codes. Atomic. When it
    /// returns, no byte of the erased records is left in any file of an on-disk store (old
    /// versions, logs, free pages included): each backend rewrites or overwrites what it must.
    /// Forgetting an unknown id is not an error (there is nothing left to erase).
    fn forget_ambassador(&self, id: AmbassadorId) -> Result<(), StoreError>;
    /// Moves everything of `from` (identities, reshares, stats, week totals) into `into` and
    /// deletes `from`. Reshare keys that name `from` are renamed for `into` where free (see
    /// [`Reshare::key_after_merge`]). Streak and best streak: the larger of the two (and the
    /// later `last_day`); week totals are summed, `reached_at` the later of the two. `from`'s link
    /// codes and wrong link codes are dropped. Atomic. `NotFound` if either is unknown; merging an
    /// ambassador into itself does nothing.
    fn merge_ambassadors(&self, from: AmbassadorId, into: AmbassadorId) -> Result<(), StoreError>;

    // --- items ---
    /// Reserves the next item id (c1, c2, …).
    fn next_item_id(&self) -> Result<ItemId, StoreError>;
    fn put_item(&self, item: &Item) -> Result<(), StoreError>;
    fn item(&self, id: ItemId) -> Result<Option<Item>, StoreError>;
    /// All items, by id.
    fn items(&self) -> Result<Vec<Item>, StoreError>;

    // --- reshares ---
    /// Records a reshare (its `id` is assigned here) unless one with the same `dedup_key` exists,
    /// and in the same atomic write sets the ambassador's stats to `new_stats` and adds
    /// `reshare.points` and one reshare to the ambassador's total for `reshare.week`
    /// (`reached_at` = `reshare.at` when points > 0, unless a later `reached_at` is already there).
    ///
    /// A reshare's keys are its `dedup_key`, its `url` when set, and its further `keys`; if any of
    /// them is already taken the existing reshare is returned as `AlreadyCounted`. The ambassador
    /// must exist (`NotFound` otherwise).
    fn record_reshare(&self, reshare: Reshare, new_stats: &AmbassadorStats) -> Result<RecordOutcome, StoreError>;
    /// Gives a URL-less quick claim its URL: sets `url`, `network` and the further `keys` (the
    /// post's key, the claim key), and indexes the URL and those keys (the dedup key stays).
    /// Points do not change. `NotFound` for an unknown reshare, `KeyTaken` if the URL or one of
    /// the keys is already a key of another reshare (nothing is written). A previous URL and
    /// further keys of the same reshare that are not given again stop being keys.
    fn attach_url(
        &self,
        reshare_id: u64,
        url: &str,
        network: crate::domain::Network,
        keys: &[String],
    ) -> Result<Reshare, StoreError>;
    /// Withdraws a reshare: removes it and its dedup keys and subtracts its points and count from
    /// the ambassador's stats and week total. Returns it, or `None` if unknown. The week total's
    /// `reached_at` becomes the time of the latest remaining reshare with points that week; a
    /// total left with no reshares is removed. Streaks are not changed.
    fn withdraw_reshare(&self, reshare_id: u64) -> Result<Option<Reshare>, StoreError>;
    fn reshare_by_key(&self, dedup_key: &str) -> Result<Option<Reshare>, StoreError>;
    /// An ambassador's reshares, oldest first (by `at`, then id).
    fn reshares_of(&self, ambassador: AmbassadorId) -> Result<Vec<Reshare>, StoreError>;
    /// Reshares with `from <= at < to`, oldest first (by `at`, then id) (reports).
    fn reshares_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Reshare>, StoreError>;
    /// Running totals of an ambassador (default if none).
    fn stats(&self, ambassador: AmbassadorId) -> Result<AmbassadorStats, StoreError>;
    /// Every ambassador's total for `week` (only those with a total), in any order.
    /// Must not scan reshares: totals are kept running.
    fn week_totals(&self, week: WeekKey) -> Result<Vec<(AmbassadorId, WeekTotal)>, StoreError>;

    // --- link codes ---
    fn put_link_code(&self, code: &str, link: &LinkCode) -> Result<(), StoreError>;
    /// Removes and returns a link code (one use).
    fn take_link_code(&self, code: &str) -> Result<Option<LinkCode>, StoreError>;
    /// Records that `who` typed a wrong `link` code at `at`, and forgets their wrong codes from
    /// before `since`. Kept across restarts; erased by forget, dropped for `from` by a merge.
    fn add_link_failure(&self, who: AmbassadorId, at: DateTime<Utc>, since: DateTime<Utc>) -> Result<(), StoreError>;
    /// When `who` typed wrong `link` codes, at or after `since`, oldest first.
    fn link_failures(&self, who: AmbassadorId, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, StoreError>;

    // --- scheduled actions ---
    /// The state of the action `key`, if any was recorded.
    fn action_state(&self, key: &str) -> Result<Option<ActionRecord>, StoreError>;
    /// Records (replaces) the state of the action `key`; durable before it returns.
    fn set_action_state(&self, key: &str, record: &ActionRecord) -> Result<(), StoreError>;
    /// Records many states at once, atomically (all or nothing), with one flush.
    fn set_action_states(&self, records: &[(String, ActionRecord)]) -> Result<(), StoreError>;
    /// Skipped actions with `from <= due < to`, by due time (then key).
    fn skipped_actions(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(String, ActionRecord)>, StoreError>;
    /// Forgets every action record due before `before` (old records only guard against repeats
    /// within days); returns how many were removed.
    fn prune_actions(&self, before: DateTime<Utc>) -> Result<usize, StoreError>;

    // --- backup ---
    /// Writes a consistent copy of the whole store into `dir` (a new or empty folder) while it
    /// stays in use (writers wait meanwhile): a folder that opens as this store did now, with its
    /// high-water mark. `NothingToBackUp` for a store that keeps nothing on disk.
    fn backup(&self, dir: &std::path::Path) -> Result<(), StoreError>;

    // --- rooms ---
    /// Every room record, sorted by room (platform, then id).
    fn rooms(&self) -> Result<Vec<RoomRecord>, StoreError>;
    fn room(&self, room: &RoomRef) -> Result<Option<RoomRecord>, StoreError>;
    /// Inserts or replaces the record of `record.room`; durable before it returns.
    fn put_room(&self, record: &RoomRecord) -> Result<(), StoreError>;

    // --- writes ---
    /// How many writes were made since the store was opened (every write method counts, a refused
    /// one may too): when two readings are equal, nothing was written in between. The Matrix
    /// adapter makes its sync position durable at once only after events that wrote something.
    fn write_count(&self) -> u64;
}
