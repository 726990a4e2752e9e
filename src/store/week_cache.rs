//! A read cache of whole weeks of week totals, so that the leaderboard (and every `me`) does not
//! read a row per ambassador from disk (sled's tree, SQLite's table) on every query.
//!
//! Consistency: the cache is filled and changed only under the store's writer lock, after the
//! transaction that changed the totals has committed; a write that changes totals in bulk
//! (withdraw, forget, merge, import) simply empties it.

use crate::domain::reshare::WeekTotal;
use crate::domain::{AmbassadorId, WeekKey};
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

/// How many weeks are kept (the most recent ones win).
const MAX_WEEKS: usize = 12;

/// Totals of cached weeks, each sorted by ambassador id.
#[derive(Default)]
pub struct WeekCache {
    weeks: Mutex<BTreeMap<WeekKey, Vec<(AmbassadorId, WeekTotal)>>>,
}

impl WeekCache {
    fn weeks(&self) -> MutexGuard<'_, BTreeMap<WeekKey, Vec<(AmbassadorId, WeekTotal)>>> {
        // A poisoned cache may be stale: start over.
        self.weeks.lock().unwrap_or_else(|poisoned| {
            let mut weeks = poisoned.into_inner();
            weeks.clear();
            weeks
        })
    }

    /// The totals of `week`, if cached.
    pub fn get(&self, week: WeekKey) -> Option<Vec<(AmbassadorId, WeekTotal)>> {
        self.weeks().get(&week).cloned()
    }

    /// Caches a week read from the tree (caller holds the writer lock).
    pub fn fill(&self, week: WeekKey, mut totals: Vec<(AmbassadorId, WeekTotal)>) {
        totals.sort_unstable_by_key(|(id, _)| *id);
        let mut weeks = self.weeks();
        weeks.insert(week, totals);
        while weeks.len() > MAX_WEEKS {
            weeks.pop_first();
        }
    }

    /// Sets one total of a cached week (caller holds the writer lock, the write has committed).
    pub fn set(&self, week: WeekKey, ambassador: AmbassadorId, total: WeekTotal) {
        if let Some(totals) = self.weeks().get_mut(&week) {
            match totals.binary_search_by_key(&ambassador, |(id, _)| *id) {
                Ok(found) => {
                    if let Some(entry) = totals.get_mut(found) {
                        entry.1 = total;
                    }
                }
                Err(place) => totals.insert(place, (ambassador, total)),
            }
        }
    }

    /// Forgets everything (after bulk changes).
    pub fn clear(&self) {
        self.weeks().clear();
    }
}
