//! The in-memory store: the sled store's twin for tests and demos, with the same semantics
//! (held to the same conformance suite), one mutex around plain maps.

use super::migrations::{
    add_to_total, latest_scoring_time, merge_stats, merge_totals, subtract_from_stats, subtract_from_total,
};
use super::{
    keys_of, merged_keys, rename_key, replaced_keys, ActionRecord, ActionState, LinkCode, RecordOutcome, RoomRecord,
    Store, StoreError, SCHEMA_VERSION,
};
use crate::domain::reshare::{AmbassadorStats, WeekTotal};
use crate::domain::{Ambassador, AmbassadorId, Identity, Item, ItemId, Network, Reshare, RoomRef, WeekKey};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Everything, behind one lock. Each operation validates first and then changes the maps, so an
/// error leaves nothing half-written.
#[derive(Default)]
struct Data {
    last_ambassador_id: u64,
    last_item_id: u32,
    last_reshare_id: u64,
    ambassadors: BTreeMap<AmbassadorId, Ambassador>,
    identities: HashMap<Identity, AmbassadorId>,
    items: BTreeMap<ItemId, Item>,
    reshares: BTreeMap<u64, Reshare>,
    reshare_keys: HashMap<String, u64>,
    stats: HashMap<AmbassadorId, AmbassadorStats>,
    week_totals: BTreeMap<(WeekKey, AmbassadorId), WeekTotal>,
    link_codes: HashMap<String, LinkCode>,
    link_failures: HashMap<AmbassadorId, Vec<DateTime<Utc>>>,
    actions: HashMap<String, ActionRecord>,
    /// Every action key by due time.
    actions_by_due: BTreeSet<(DateTime<Utc>, String)>,
    rooms: BTreeMap<RoomRef, RoomRecord>,
}

/// The in-memory [`Store`].
#[derive(Default)]
pub struct MemoryStore {
    data: Mutex<Data>,
    /// Write methods called ([`Store::write_count`]).
    writes: AtomicU64,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// The data (a poisoned lock is taken over: every operation validates before it changes
    /// anything, so a panic cannot have left it half-written).
    fn data(&self) -> MutexGuard<'_, Data> {
        self.data.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The data, for a write method: counted whether or not it writes.
    fn data_to_write(&self) -> MutexGuard<'_, Data> {
        self.writes.fetch_add(1, Ordering::Relaxed);
        self.data()
    }
}

fn not_found(id: AmbassadorId) -> StoreError {
    StoreError::NotFound(format!("ambassador {id}"))
}

fn oldest_first(mut reshares: Vec<Reshare>) -> Vec<Reshare> {
    reshares.sort_by_key(|r| (r.at, r.id));
    reshares
}

impl Data {
    fn reshare_ids_of(&self, ambassador: AmbassadorId) -> Vec<u64> {
        self.reshares
            .values()
            .filter(|r| r.ambassador == ambassador)
            .map(|r| r.id)
            .collect()
    }

    /// Removes a reshare and those of its keys that point at it.
    fn remove_reshare(&mut self, id: u64) -> Option<Reshare> {
        let reshare = self.reshares.remove(&id)?;
        for key in keys_of(&reshare) {
            if self.reshare_keys.get(key) == Some(&id) {
                self.reshare_keys.remove(key);
            }
        }
        Some(reshare)
    }

    /// Records an action state, keeping the due-time index in step.
    fn set_action(&mut self, key: &str, record: &ActionRecord) {
        if let Some(old) = self.actions.insert(key.to_string(), record.clone()) {
            self.actions_by_due.remove(&(old.due, key.to_string()));
        }
        self.actions_by_due.insert((record.due, key.to_string()));
    }

    fn weeks_of(&self, ambassador: AmbassadorId) -> Vec<WeekKey> {
        self.week_totals
            .keys()
            .filter(|(_, a)| *a == ambassador)
            .map(|(w, _)| *w)
            .collect()
    }
}

impl Store for MemoryStore {
    fn schema_version(&self) -> Result<u32, StoreError> {
        Ok(SCHEMA_VERSION)
    }

    fn next_ambassador_id(&self) -> Result<AmbassadorId, StoreError> {
        let mut data = self.data_to_write();
        data.last_ambassador_id += 1;
        Ok(AmbassadorId(data.last_ambassador_id))
    }

    fn put_ambassador(&self, ambassador: &Ambassador) -> Result<(), StoreError> {
        let mut data = self.data_to_write();
        if let Some(taken) = ambassador
            .identities
            .iter()
            .find(|i| data.identities.get(*i).is_some_and(|owner| *owner != ambassador.id))
        {
            return Err(StoreError::IdentityTaken(taken.to_string()));
        }
        if let Some(old) = data.ambassadors.get(&ambassador.id).cloned() {
            for identity in old.identities.iter().filter(|i| !ambassador.identities.contains(i)) {
                data.identities.remove(identity);
            }
        }
        for identity in &ambassador.identities {
            data.identities.insert(identity.clone(), ambassador.id);
        }
        data.ambassadors.insert(ambassador.id, ambassador.clone());
        data.last_ambassador_id = data.last_ambassador_id.max(ambassador.id.0);
        Ok(())
    }

    fn ambassador(&self, id: AmbassadorId) -> Result<Option<Ambassador>, StoreError> {
        Ok(self.data().ambassadors.get(&id).cloned())
    }

    fn ambassador_by_identity(&self, identity: &Identity) -> Result<Option<Ambassador>, StoreError> {
        let data = self.data();
        Ok(data
            .identities
            .get(identity)
            .and_then(|id| data.ambassadors.get(id))
            .cloned())
    }

    fn ambassadors(&self) -> Result<Vec<Ambassador>, StoreError> {
        Ok(self.data().ambassadors.values().cloned().collect())
    }

    fn forget_ambassador(&self, id: AmbassadorId) -> Result<(), StoreError> {
        let mut data = self.data_to_write();
        data.ambassadors.remove(&id);
        data.identities.retain(|_, owner| *owner != id);
        for reshare_id in data.reshare_ids_of(id) {
            data.remove_reshare(reshare_id);
        }
        data.stats.remove(&id);
        data.week_totals.retain(|(_, owner), _| *owner != id);
        data.link_codes.retain(|_, link| link.ambassador != id);
        data.link_failures.remove(&id);
        Ok(())
    }

    fn merge_ambassadors(&self, from: AmbassadorId, into: AmbassadorId) -> Result<(), StoreError> {
        if from == into {
            return Ok(());
        }
        let mut data = self.data_to_write();
        let source = data.ambassadors.get(&from).cloned().ok_or_else(|| not_found(from))?;
        let mut target = data.ambassadors.get(&into).cloned().ok_or_else(|| not_found(into))?;
        for identity in source.identities {
            if !target.identities.contains(&identity) {
                target.identities.push(identity.clone());
            }
            data.identities.insert(identity, into);
        }
        data.ambassadors.remove(&from);
        data.ambassadors.insert(into, target);
        let mut rekeyed = Vec::new();
        for reshare in data.reshares.values_mut().filter(|r| r.ambassador == from) {
            reshare.ambassador = into;
            rekeyed.extend(
                merged_keys(reshare, from, into)
                    .into_iter()
                    .map(|(old, new)| (reshare.id, old, new)),
            );
        }
        // Quick and claim keys name their owner: they follow the person, unless `into` holds the
        // same key already (then both claims stay, as they were counted).
        for (id, old, new) in rekeyed {
            if !data.reshare_keys.contains_key(&new) {
                data.reshare_keys.remove(&old);
                data.reshare_keys.insert(new.clone(), id);
                if let Some(r) = data.reshares.get_mut(&id) {
                    rename_key(r, &old, &new);
                }
            }
        }
        let from_stats = data.stats.remove(&from).unwrap_or_default();
        let into_stats = data.stats.get(&into).cloned().unwrap_or_default();
        data.stats.insert(into, merge_stats(&from_stats, &into_stats));
        for week in data.weeks_of(from) {
            let moved = data.week_totals.remove(&(week, from)).unwrap_or_default();
            let existing = data.week_totals.get(&(week, into)).copied().unwrap_or_default();
            data.week_totals.insert((week, into), merge_totals(&existing, &moved));
        }
        data.link_codes.retain(|_, link| link.ambassador != from);
        data.link_failures.remove(&from);
        Ok(())
    }

    fn next_item_id(&self) -> Result<ItemId, StoreError> {
        let mut data = self.data_to_write();
        let next = data
            .last_item_id
            .checked_add(1)
            .ok_or_else(|| StoreError::Io("item ids exhausted".into()))?;
        data.last_item_id = next;
        Ok(ItemId(next))
    }

    fn put_item(&self, item: &Item) -> Result<(), StoreError> {
        let mut data = self.data_to_write();
        data.items.insert(item.id, item.clone());
        data.last_item_id = data.last_item_id.max(item.id.0);
        Ok(())
    }

    fn item(&self, id: ItemId) -> Result<Option<Item>, StoreError> {
        Ok(self.data().items.get(&id).cloned())
    }

    fn items(&self) -> Result<Vec<Item>, StoreError> {
        Ok(self.data().items.values().cloned().collect())
    }

    fn record_reshare(&self, reshare: Reshare, new_stats: &AmbassadorStats) -> Result<RecordOutcome, StoreError> {
        let mut data = self.data_to_write();
        if let Some(existing) = keys_of(&reshare).into_iter().find_map(|key| data.reshare_keys.get(key)) {
            let existing = data.reshares.get(existing).cloned();
            return existing
                .map(RecordOutcome::AlreadyCounted)
                .ok_or_else(|| StoreError::Corrupt {
                    tree: "reshare_keys",
                    reason: "dangling key".into(),
                });
        }
        if !data.ambassadors.contains_key(&reshare.ambassador) {
            return Err(not_found(reshare.ambassador));
        }
        data.last_reshare_id += 1;
        let stored = Reshare {
            id: data.last_reshare_id,
            ..reshare
        };
        for key in keys_of(&stored) {
            data.reshare_keys.insert(key.to_string(), stored.id);
        }
        data.stats.insert(stored.ambassador, new_stats.clone());
        add_to_total(
            data.week_totals.entry((stored.week, stored.ambassador)).or_default(),
            stored.points,
            stored.at,
        );
        data.reshares.insert(stored.id, stored.clone());
        Ok(RecordOutcome::Recorded(stored))
    }

    fn attach_url(&self, reshare_id: u64, url: &str, network: Network, keys: &[String]) -> Result<Reshare, StoreError> {
        let mut data = self.data_to_write();
        let old = data.reshares.get(&reshare_id).cloned();
        let old = old.ok_or_else(|| StoreError::NotFound(format!("reshare {reshare_id}")))?;
        let new_keys = || std::iter::once(url).chain(keys.iter().map(String::as_str));
        if let Some(taken) = new_keys().find(|k| data.reshare_keys.get(*k).is_some_and(|owner| *owner != reshare_id)) {
            return Err(StoreError::KeyTaken(taken.to_string()));
        }
        for previous in replaced_keys(&old, url, keys) {
            data.reshare_keys.remove(previous);
        }
        for key in new_keys() {
            data.reshare_keys.insert(key.to_string(), reshare_id);
        }
        let updated = Reshare {
            url: Some(url.to_string()),
            network,
            keys: keys.to_vec(),
            ..old
        };
        data.reshares.insert(reshare_id, updated.clone());
        Ok(updated)
    }

    fn withdraw_reshare(&self, reshare_id: u64) -> Result<Option<Reshare>, StoreError> {
        let mut data = self.data_to_write();
        let Some(reshare) = data.remove_reshare(reshare_id) else {
            return Ok(None);
        };
        let reached_at = latest_scoring_time(
            data.reshares
                .values()
                .filter(|r| r.ambassador == reshare.ambassador && r.week == reshare.week),
        );
        if let Some(stats) = data.stats.get_mut(&reshare.ambassador) {
            subtract_from_stats(stats, reshare.points);
        }
        let key = (reshare.week, reshare.ambassador);
        let total = data.week_totals.remove(&key).unwrap_or_default();
        if let Some(left) = subtract_from_total(total, reshare.points, reached_at) {
            data.week_totals.insert(key, left);
        }
        Ok(Some(reshare))
    }

    fn reshare_by_key(&self, dedup_key: &str) -> Result<Option<Reshare>, StoreError> {
        let data = self.data();
        Ok(data
            .reshare_keys
            .get(dedup_key)
            .and_then(|id| data.reshares.get(id))
            .cloned())
    }

    fn reshares_of(&self, ambassador: AmbassadorId) -> Result<Vec<Reshare>, StoreError> {
        let data = self.data();
        Ok(oldest_first(
            data.reshares
                .values()
                .filter(|r| r.ambassador == ambassador)
                .cloned()
                .collect(),
        ))
    }

    fn reshares_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Reshare>, StoreError> {
        let data = self.data();
        Ok(oldest_first(
            data.reshares
                .values()
                .filter(|r| from <= r.at && r.at < to)
                .cloned()
                .collect(),
        ))
    }

    fn stats(&self, ambassador: AmbassadorId) -> Result<AmbassadorStats, StoreError> {
        Ok(self.data().stats.get(&ambassador).cloned().unwrap_or_default())
    }

    fn week_totals(&self, week: WeekKey) -> Result<Vec<(AmbassadorId, WeekTotal)>, StoreError> {
        let data = self.data();
        let first = (week, AmbassadorId(0));
        let week_entries = data.week_totals.range(first..).take_while(|((w, _), _)| *w == week);
        Ok(week_entries
            .map(|((_, ambassador), total)| (*ambassador, *total))
            .collect())
    }

    fn put_link_code(&self, code: &str, link: &LinkCode) -> Result<(), StoreError> {
        self.data_to_write().link_codes.insert(code.to_string(), link.clone());
        Ok(())
    }

    fn take_link_code(&self, code: &str) -> Result<Option<LinkCode>, StoreError> {
        Ok(self.data_to_write().link_codes.remove(code))
    }

    fn add_link_failure(&self, who: AmbassadorId, at: DateTime<Utc>, since: DateTime<Utc>) -> Result<(), StoreError> {
        let mut data = self.data_to_write();
        let failures = data.link_failures.entry(who).or_default();
        *failures = super::recent_failures(failures, at, since);
        Ok(())
    }

    fn link_failures(&self, who: AmbassadorId, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, StoreError> {
        let data = self.data();
        let failures = data.link_failures.get(&who).map(Vec::as_slice).unwrap_or_default();
        Ok(failures.iter().copied().filter(|at| *at >= since).collect())
    }

    fn action_state(&self, key: &str) -> Result<Option<ActionRecord>, StoreError> {
        Ok(self.data().actions.get(key).cloned())
    }

    fn set_action_state(&self, key: &str, record: &ActionRecord) -> Result<(), StoreError> {
        self.data_to_write().set_action(key, record);
        Ok(())
    }

    fn set_action_states(&self, records: &[(String, ActionRecord)]) -> Result<(), StoreError> {
        let mut data = self.data_to_write();
        for (key, record) in records {
            data.set_action(key, record);
        }
        Ok(())
    }

    fn skipped_actions(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(String, ActionRecord)>, StoreError> {
        if from >= to {
            return Ok(Vec::new());
        }
        let data = self.data();
        let in_range = data.actions_by_due.range((from, String::new())..(to, String::new()));
        Ok(in_range
            .filter_map(|(_, key)| data.actions.get(key).map(|record| (key.clone(), record.clone())))
            .filter(|(_, record)| record.state == ActionState::Skipped)
            .collect())
    }

    fn prune_actions(&self, before: DateTime<Utc>) -> Result<usize, StoreError> {
        let mut data = self.data_to_write();
        let kept = data.actions_by_due.split_off(&(before, String::new()));
        let old = std::mem::replace(&mut data.actions_by_due, kept);
        for (_, key) in &old {
            data.actions.remove(key);
        }
        Ok(old.len())
    }

    fn backup(&self, _dir: &std::path::Path) -> Result<(), StoreError> {
        Err(StoreError::NothingToBackUp)
    }

    fn rooms(&self) -> Result<Vec<RoomRecord>, StoreError> {
        Ok(self.data().rooms.values().cloned().collect())
    }

    fn room(&self, room: &RoomRef) -> Result<Option<RoomRecord>, StoreError> {
        Ok(self.data().rooms.get(room).cloned())
    }

    fn put_room(&self, record: &RoomRecord) -> Result<(), StoreError> {
        self.data_to_write().rooms.insert(record.room.clone(), record.clone());
        Ok(())
    }

    fn write_count(&self) -> u64 {
        self.writes.load(Ordering::Relaxed)
    }
}
