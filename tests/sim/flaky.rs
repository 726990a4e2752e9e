//! A store that fails on demand: the in-memory store behind switches that make scheduled-action
//! writes, or ambassador reads, fail with an I/O error (a full disk, a lost connection).

use chrono::{DateTime, Utc};
use relais::domain::reshare::{AmbassadorStats, WeekTotal};
use relais::domain::{Ambassador, AmbassadorId, Identity, Item, ItemId, Network, Reshare, RoomRef, WeekKey};
use relais::store::{ActionRecord, LinkCode, MemoryStore, RecordOutcome, RoomRecord, Store, StoreError};
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Default)]
pub struct FlakyStore {
    pub inner: MemoryStore,
    pub fail_action_writes: AtomicBool,
    pub fail_ambassador_reads: AtomicBool,
}

fn failing(switch: &AtomicBool) -> Result<(), StoreError> {
    if switch.load(Ordering::SeqCst) {
        Err(StoreError::Io("simulated failure".into()))
    } else {
        Ok(())
    }
}

impl Store for FlakyStore {
    fn schema_version(&self) -> Result<u32, StoreError> {
        self.inner.schema_version()
    }
    fn next_ambassador_id(&self) -> Result<AmbassadorId, StoreError> {
        self.inner.next_ambassador_id()
    }
    fn put_ambassador(&self, ambassador: &Ambassador) -> Result<(), StoreError> {
        self.inner.put_ambassador(ambassador)
    }
    fn ambassador(&self, id: AmbassadorId) -> Result<Option<Ambassador>, StoreError> {
        failing(&self.fail_ambassador_reads)?;
        self.inner.ambassador(id)
    }
    fn ambassador_by_identity(&self, identity: &Identity) -> Result<Option<Ambassador>, StoreError> {
        self.inner.ambassador_by_identity(identity)
    }
    fn ambassadors(&self) -> Result<Vec<Ambassador>, StoreError> {
        self.inner.ambassadors()
    }
    fn forget_ambassador(&self, id: AmbassadorId) -> Result<(), StoreError> {
        self.inner.forget_ambassador(id)
    }
    fn merge_ambassadors(&self, from: AmbassadorId, into: AmbassadorId) -> Result<(), StoreError> {
        self.inner.merge_ambassadors(from, into)
    }
    fn next_item_id(&self) -> Result<ItemId, StoreError> {
        self.inner.next_item_id()
    }
    fn put_item(&self, item: &Item) -> Result<(), StoreError> {
        self.inner.put_item(item)
    }
    fn item(&self, id: ItemId) -> Result<Option<Item>, StoreError> {
        self.inner.item(id)
    }
    fn items(&self) -> Result<Vec<Item>, StoreError> {
        self.inner.items()
    }
    fn record_reshare(&self, reshare: Reshare, new_stats: &AmbassadorStats) -> Result<RecordOutcome, StoreError> {
        self.inner.record_reshare(reshare, new_stats)
    }
    fn attach_url(&self, reshare_id: u64, url: &str, network: Network, keys: &[String]) -> Result<Reshare, StoreError> {
        self.inner.attach_url(reshare_id, url, network, keys)
    }
    fn withdraw_reshare(&self, reshare_id: u64) -> Result<Option<Reshare>, StoreError> {
        self.inner.withdraw_reshare(reshare_id)
    }
    fn reshare_by_key(&self, dedup_key: &str) -> Result<Option<Reshare>, StoreError> {
        self.inner.reshare_by_key(dedup_key)
    }
    fn reshares_of(&self, ambassador: AmbassadorId) -> Result<Vec<Reshare>, StoreError> {
        self.inner.reshares_of(ambassador)
    }
    fn reshares_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Reshare>, StoreError> {
        self.inner.reshares_between(from, to)
    }
    fn stats(&self, ambassador: AmbassadorId) -> Result<AmbassadorStats, StoreError> {
        self.inner.stats(ambassador)
    }
    fn week_totals(&self, week: WeekKey) -> Result<Vec<(AmbassadorId, WeekTotal)>, StoreError> {
        self.inner.week_totals(week)
    }
    fn put_link_code(&self, code: &str, link: &LinkCode) -> Result<(), StoreError> {
        self.inner.put_link_code(code, link)
    }
    fn take_link_code(&self, code: &str) -> Result<Option<LinkCode>, StoreError> {
        self.inner.take_link_code(code)
    }
    fn add_link_failure(&self, who: AmbassadorId, at: DateTime<Utc>, since: DateTime<Utc>) -> Result<(), StoreError> {
        self.inner.add_link_failure(who, at, since)
    }
    fn link_failures(&self, who: AmbassadorId, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, StoreError> {
        self.inner.link_failures(who, since)
    }
    fn action_state(&self, key: &str) -> Result<Option<ActionRecord>, StoreError> {
        self.inner.action_state(key)
    }
    fn set_action_state(&self, key: &str, record: &ActionRecord) -> Result<(), StoreError> {
        failing(&self.fail_action_writes)?;
        self.inner.set_action_state(key, record)
    }
    fn set_action_states(&self, records: &[(String, ActionRecord)]) -> Result<(), StoreError> {
        failing(&self.fail_action_writes)?;
        self.inner.set_action_states(records)
    }
    fn skipped_actions(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(String, ActionRecord)>, StoreError> {
        self.inner.skipped_actions(from, to)
    }
    fn prune_actions(&self, before: DateTime<Utc>) -> Result<usize, StoreError> {
        self.inner.prune_actions(before)
    }
    fn backup(&self, dir: &std::path::Path) -> Result<(), StoreError> {
        self.inner.backup(dir)
    }
    fn rooms(&self) -> Result<Vec<RoomRecord>, StoreError> {
        self.inner.rooms()
    }
    fn room(&self, room: &RoomRef) -> Result<Option<RoomRecord>, StoreError> {
        self.inner.room(room)
    }
    fn put_room(&self, record: &RoomRecord) -> Result<(), StoreError> {
        self.inner.put_room(record)
    }
    fn write_count(&self) -> u64 {
        self.inner.write_count()
    }
}
