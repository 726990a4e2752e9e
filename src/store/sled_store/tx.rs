//! The sled trees of a Relais database, and multi-tree transactions over all of them with typed
//! helpers, so that every trait write is one atomic sled transaction.

use super::codec::{self, meta, tree};
use crate::domain::reshare::{AmbassadorStats, WeekTotal};
use crate::domain::{Ambassador, AmbassadorId, Reshare, WeekKey};
use crate::store::watermark::Watermark;
use crate::store::StoreError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::{Db, Transactional, Tree};

/// An error inside a transaction closure (aborts it).
pub type TxError = ConflictableTransactionError<StoreError>;

/// Aborts a transaction with a store error.
pub fn abort(error: StoreError) -> TxError {
    ConflictableTransactionError::Abort(error)
}

pub fn io(error: sled::Error) -> StoreError {
    StoreError::Io(error.to_string())
}

/// Every tree of the database (see `codec::tree` and `migrations` for the layout).
pub struct Trees {
    pub db: Db,
    pub meta: Tree,
    pub ambassadors: Tree,
    pub identities: Tree,
    pub items: Tree,
    pub reshares: Tree,
    pub reshare_keys: Tree,
    pub reshares_by_time: Tree,
    pub reshares_by_ambassador: Tree,
    pub stats: Tree,
    pub week_totals: Tree,
    pub link_codes: Tree,
    pub link_failures: Tree,
    /// Scheduled-action records (outside the multi-tree transaction; see `actions`).
    pub actions: Tree,
    pub actions_by_due: Tree,
    /// Room records (outside the multi-tree transaction; see `rooms`).
    pub rooms: Tree,
}

/// The transactional view of [`Trees`].
pub struct Tx<'a> {
    pub meta: &'a TransactionalTree,
    pub ambassadors: &'a TransactionalTree,
    pub identities: &'a TransactionalTree,
    pub items: &'a TransactionalTree,
    pub reshares: &'a TransactionalTree,
    pub reshare_keys: &'a TransactionalTree,
    pub reshares_by_time: &'a TransactionalTree,
    pub reshares_by_ambassador: &'a TransactionalTree,
    pub stats: &'a TransactionalTree,
    pub week_totals: &'a TransactionalTree,
    pub link_codes: &'a TransactionalTree,
    pub link_failures: &'a TransactionalTree,
}

impl Trees {
    /// Opens (creating if needed) every tree of `db`.
    pub fn open(db: Db) -> Result<Trees, StoreError> {
        let open = |name: &str| db.open_tree(name).map_err(io);
        Ok(Trees {
            meta: open(tree::META)?,
            ambassadors: open(tree::AMBASSADORS)?,
            identities: open(tree::IDENTITIES)?,
            items: open(tree::ITEMS)?,
            reshares: open(tree::RESHARES)?,
            reshare_keys: open(tree::RESHARE_KEYS)?,
            reshares_by_time: open(tree::RESHARES_BY_TIME)?,
            reshares_by_ambassador: open(tree::RESHARES_BY_AMBASSADOR)?,
            stats: open(tree::STATS)?,
            week_totals: open(tree::WEEK_TOTALS)?,
            link_codes: open(tree::LINK_CODES)?,
            link_failures: open(tree::LINK_FAILURES)?,
            actions: open(tree::ACTIONS)?,
            actions_by_due: open(tree::ACTIONS_BY_DUE)?,
            rooms: open(tree::ROOMS)?,
            db,
        })
    }

    /// Runs `body` as one transaction over all trees: everything it wrote is applied together, or
    /// nothing if it returns an error. `body` may run more than once on conflicts.
    pub fn transact<A>(&self, body: impl Fn(&Tx<'_>) -> Result<A, TxError>) -> Result<A, StoreError> {
        let all = (
            &self.meta,
            &self.ambassadors,
            &self.identities,
            &self.items,
            &self.reshares,
            &self.reshare_keys,
            &self.reshares_by_time,
            &self.reshares_by_ambassador,
            &self.stats,
            &self.week_totals,
            &self.link_codes,
            &self.link_failures,
        );
        let result = all.transaction(
            |(
                meta,
                ambassadors,
                identities,
                items,
                reshares,
                keys,
                by_time,
                by_amb,
                stats,
                totals,
                codes,
                failures,
            )| {
                let tx = Tx {
                    meta,
                    ambassadors,
                    identities,
                    items,
                    reshares,
                    reshare_keys: keys,
                    reshares_by_time: by_time,
                    reshares_by_ambassador: by_amb,
                    stats,
                    week_totals: totals,
                    link_codes: codes,
                    link_failures: failures,
                };
                let out = body(&tx)?;
                let generation = tx.counter(meta::GENERATION)?;
                tx.meta
                    .insert(meta::GENERATION, &codec::id_key(generation.saturating_add(1)))?;
                Ok(out)
            },
        );
        result.map_err(|e| match e {
            TransactionError::Abort(error) => error,
            TransactionError::Storage(error) => io(error),
        })
    }

    /// Blocks until everything written so far is on disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map(|_| ()).map_err(io)
    }

    /// How far the database has got (see [`Watermark`]).
    pub fn watermark(&self) -> Result<Watermark, StoreError> {
        let counter = |name: &str| match self.meta.get(name).map_err(io)? {
            Some(bytes) => codec::decode_u64(tree::META, &bytes),
            None => Ok(0),
        };
        Ok(Watermark {
            generation: counter(meta::GENERATION)?,
            last_ambassador_id: counter(meta::LAST_AMBASSADOR_ID)?,
            last_item_id: counter(meta::LAST_ITEM_ID)?,
            last_reshare_id: counter(meta::LAST_RESHARE_ID)?,
        })
    }

    /// Finds records lost from one tree but not from the others: every reshare is listed once
    /// in each of its two indexes and has at least one key.
    pub fn lost_records(&self) -> Option<String> {
        let (reshares, by_time, by_ambassador, keys) = (
            self.reshares.len(),
            self.reshares_by_time.len(),
            self.reshares_by_ambassador.len(),
            self.reshare_keys.len(),
        );
        (reshares != by_time || reshares != by_ambassador || keys < reshares).then(|| {
            format!(
                "{reshares} reshares but {by_time} in the time index, {by_ambassador} in the ambassador index and {keys} keys"
            )
        })
    }

    pub fn schema_version(&self) -> Result<Option<u32>, StoreError> {
        let raw = self.meta.get(meta::SCHEMA_VERSION).map_err(io)?;
        raw.map(|bytes| codec::decode_u32(tree::META, &bytes)).transpose()
    }

    /// A JSON record of a tree, outside any transaction.
    pub fn get_json<T: DeserializeOwned>(
        &self,
        tree: &Tree,
        name: &'static str,
        key: impl AsRef<[u8]>,
    ) -> Result<Option<T>, StoreError> {
        let raw = tree.get(key).map_err(io)?;
        raw.map(|bytes| codec::from_json(name, &bytes)).transpose()
    }

    pub fn ambassador(&self, id: AmbassadorId) -> Result<Option<Ambassador>, StoreError> {
        self.get_json(&self.ambassadors, tree::AMBASSADORS, codec::ambassador_key(id))
    }

    pub fn reshare(&self, id: u64) -> Result<Option<Reshare>, StoreError> {
        self.get_json(&self.reshares, tree::RESHARES, codec::id_key(id))
    }

    /// An ambassador's reshares in id order.
    pub fn reshares_of(&self, ambassador: AmbassadorId) -> Result<Vec<Reshare>, StoreError> {
        let mut found = Vec::new();
        for entry in self
            .reshares_by_ambassador
            .scan_prefix(codec::ambassador_key(ambassador))
        {
            let (key, _) = entry.map_err(io)?;
            let id = codec::trailing_id(tree::RESHARES_BY_AMBASSADOR, &key)?;
            let reshare = self
                .reshare(id)?
                .ok_or_else(|| dangling(tree::RESHARES_BY_AMBASSADOR, id))?;
            found.push(reshare);
        }
        Ok(found)
    }
}

/// An index entry that points at a reshare that does not exist.
pub fn dangling(tree: &'static str, reshare_id: u64) -> StoreError {
    codec::corrupt(tree, &format!("points at missing reshare {reshare_id}"))
}

impl Tx<'_> {
    pub fn get_json<T: DeserializeOwned>(
        tree: &TransactionalTree,
        name: &'static str,
        key: impl AsRef<[u8]>,
    ) -> Result<Option<T>, TxError> {
        let raw = tree.get(key)?;
        raw.map(|bytes| codec::from_json(name, &bytes))
            .transpose()
            .map_err(abort)
    }

    pub fn put_json<T: Serialize>(
        tree: &TransactionalTree,
        name: &'static str,
        key: impl AsRef<[u8]>,
        value: &T,
    ) -> Result<(), TxError> {
        tree.insert(key.as_ref(), codec::to_json(name, value).map_err(abort)?)?;
        Ok(())
    }

    /// Hands out the next id of a counter (`meta::LAST_*`).
    pub fn next_id(&self, counter: &str) -> Result<u64, TxError> {
        let last = self.counter(counter)?;
        let next = last
            .checked_add(1)
            .ok_or_else(|| abort(codec::corrupt(tree::META, "id counter overflow")))?;
        self.meta.insert(counter, &codec::id_key(next))?;
        Ok(next)
    }

    /// Moves a counter past `used` so that it is never handed out.
    pub fn bump_counter(&self, counter: &str, used: u64) -> Result<(), TxError> {
        if used > self.counter(counter)? {
            self.meta.insert(counter, &codec::id_key(used))?;
        }
        Ok(())
    }

    fn counter(&self, counter: &str) -> Result<u64, TxError> {
        match self.meta.get(counter)? {
            Some(bytes) => codec::decode_u64(tree::META, &bytes).map_err(abort),
            None => Ok(0),
        }
    }

    pub fn set_schema_version(&self, version: u32) -> Result<(), TxError> {
        self.meta.insert(meta::SCHEMA_VERSION, &version.to_be_bytes())?;
        Ok(())
    }

    pub fn ambassador(&self, id: AmbassadorId) -> Result<Option<Ambassador>, TxError> {
        Self::get_json(self.ambassadors, tree::AMBASSADORS, codec::ambassador_key(id))
    }

    pub fn reshare(&self, id: u64) -> Result<Option<Reshare>, TxError> {
        Self::get_json(self.reshares, tree::RESHARES, codec::id_key(id))
    }

    pub fn stats(&self, id: AmbassadorId) -> Result<AmbassadorStats, TxError> {
        Ok(Self::get_json(self.stats, tree::STATS, codec::ambassador_key(id))?.unwrap_or_default())
    }

    pub fn put_stats(&self, id: AmbassadorId, stats: &AmbassadorStats) -> Result<(), TxError> {
        Self::put_json(self.stats, tree::STATS, codec::ambassador_key(id), stats)
    }

    pub fn week_total(&self, week: WeekKey, id: AmbassadorId) -> Result<WeekTotal, TxError> {
        match self.week_totals.get(codec::week_total_key(week, id))? {
            Some(bytes) => codec::decode_total(&bytes).map_err(abort),
            None => Ok(WeekTotal::default()),
        }
    }

    /// Writes a week total, or removes it (`None`).
    pub fn put_week_total(&self, week: WeekKey, id: AmbassadorId, total: Option<&WeekTotal>) -> Result<(), TxError> {
        let key = codec::week_total_key(week, id);
        match total {
            Some(total) => self.week_totals.insert(&key, &codec::encode_total(total))?,
            None => self.week_totals.remove(&key)?,
        };
        Ok(())
    }
}
