//! The scheduler: daily pushes per room, personal reminders, the weekly leaderboard and report,
//! each done exactly once, at its local time, with time as a parameter (tests run a month in
//! seconds).
//!
//! # How it runs
//!
//! A [`Scheduler`] keeps a priority queue of the next occurrence of every target (a `BTreeMap`
//! keyed by due instant): [`Scheduler::next_due`] is O(log n), [`Scheduler::run_due`] pops what
//! is due and queues each target's next occurrence. Each occurrence has a durable key
//! (`push:<room>:<date>`, `nudge:<ambassador>:<date>`, `board:<room>:<week>`,
//! `report:<room>:<week>`) whose state is kept by the store:
//!
//! 1. done or skipped already: nothing;
//! 2. older than the grace window (`schedule.grace-minutes`): recorded *skipped* (listed in the
//!    next coordinators' report), never sent late;
//! 3. otherwise the effects are computed; nothing to send (away, already shared, quiet hours, no
//!    items…) is recorded *done* with the reason, else *started*. All records of a batch are
//!    written (one durable write) before anything is handed out.
//!
//! The adapter sends each [`Handout`]'s effects, skipping any effect key it has already sent (every
//! effect carries a key derived from the action key), then calls [`Scheduler::confirm`]: *done*.
//! After a crash, a started action within the grace window is computed again and handed out
//! again with the same keys, so it is delivered once.
//!
//! On start the queue begins [`CATCH_UP`] before now (or at the first start ever), so occurrences
//! missed during a downtime come up again: within grace they are done, older ones skipped.
//!
//! # Keeping up with profile changes
//!
//! Adapters call [`Scheduler::refresh_identity`] (or [`Scheduler::refresh_ambassador`]) after each
//! command they hand to the core: a new ambassador, a new zone or reminder time is queued at once.
//! Rooms set up or stopped from chat are queued again the same way (see
//! [`Scheduler::refresh_rooms`]).
//! Queued reminders are also checked when they come up: a stale one (changed time or zone) is
//! re-queued, one of a forgotten ambassador or with reminders off is dropped.

mod board;
mod nudge;
mod reminder;
mod report;
mod run;
mod slots;

pub use board::{board_rows, Movement};
pub use report::{weekly_report_effects, SkippedAction};
pub use run::{INTERRUPTED, MISSED, UNDELIVERED};

use super::{App, Effect};
use crate::domain::{AmbassadorId, Identity};
use crate::store::{ActionRecord, ActionState, StoreError};
use chrono::{DateTime, Duration, TimeZone, Utc};
use run::Batch;
use slots::{action_key, nudge_slot_after, nudge_slot_is_current, room_slot_after, room_targets, Slot, Target};
use std::collections::{BTreeMap, HashMap};

/// How far back a starting scheduler looks for missed occurrences.
pub const CATCH_UP: Duration = Duration::days(8);
/// How long action records are kept (longer than the catch-up and the report's look-back).
pub const RETENTION: Duration = Duration::days(62);
/// When an occurrence that failed on a store error is tried again.
pub const RETRY: Duration = Duration::minutes(1);
/// The record of the scheduler's first start (its `at`); due far in the future so it is never pruned.
pub const SINCE_KEY: &str = "scheduler:since";

/// One scheduled action's effects for the adapter: send them (skipping effect keys already sent),
/// then [`Scheduler::confirm`] the `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handout {
    /// The action key.
    pub key: String,
    pub due: DateTime<Utc>,
    pub effects: Vec<Effect>,
    /// An earlier attempt was handed out and never confirmed (a crash, or a stop before the
    /// confirmation): its messages may have been sent already. Adapters whose de-duplication of
    /// sends does not survive a new session should look for them before sending again.
    pub interrupted: bool,
}

/// The queue of scheduled occurrences (see the module documentation).
#[derive(Debug, Default)]
pub struct Scheduler {
    queue: BTreeMap<(DateTime<Utc>, Target), Slot>,
    /// The queue position of each target's regular entry (retries are extra, unindexed entries).
    regular: HashMap<Target, DateTime<Utc>>,
    /// Handed-out action keys and when they were due, until confirmed.
    pending: HashMap<String, DateTime<Utc>>,
    last_prune: Option<DateTime<Utc>>,
    /// Reminder texts of the day, by shape (see `reminder`).
    reminders: reminder::ReminderCache,
    /// The app's rooms as queued ([`crate::app::RoomBook::generation`]).
    rooms_generation: u64,
}

impl Scheduler {
    /// A scheduler over `app`'s settings and store, starting at `now`: every room target and
    /// every ambassador who wants reminders, from [`CATCH_UP`] ago (or the first start) on.
    pub fn start(app: &App, now: DateTime<Utc>) -> Result<Scheduler, StoreError> {
        let since = first_start(app, now)?;
        let from = (now - CATCH_UP).max(since);
        let mut scheduler = Scheduler {
            rooms_generation: app.rooms.generation(),
            ..Scheduler::default()
        };
        for target in room_targets(app) {
            if let Some(slot) = room_slot_after(app, target, from) {
                scheduler.queue_regular(target, slot);
            }
        }
        for who in app.store.ambassadors()? {
            if let Some(slot) = nudge_slot_after(app, &who, from.max(who.joined_at)) {
                scheduler.queue_regular(Target::Nudge(who.id), slot);
            }
        }
        Ok(scheduler)
    }

    /// When the next action is due (O(log n)).
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.queue.first_key_value().map(|((at, _), _)| *at)
    }

    /// How many occurrences are queued.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Runs everything due at `now` and returns what to send. Records are durable before this
    /// returns; on a store error nothing is handed out and the occurrences are tried again later.
    pub fn run_due(&mut self, app: &App, now: DateTime<Utc>) -> Result<Vec<Handout>, StoreError> {
        self.prune(app, now)?;
        let mut batch = Batch::new(now, std::mem::take(&mut self.reminders));
        let mut popped = Vec::new();
        let mut handouts = Vec::new();
        while let Some(entry) = self.queue.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let ((at, target), slot) = entry.remove_entry();
            popped.push((target, slot));
            match self.run_one(app, &mut batch, at, target, slot) {
                Ok(handout) => handouts.extend(handout),
                Err(error) => {
                    tracing::error!(%error, ?target, due = %slot.due, "a scheduled action failed; retrying soon");
                    self.retry(target, slot, now);
                }
            }
        }
        self.reminders = std::mem::take(&mut batch.reminders);
        if let Err(error) = app.store.set_action_states(&batch.records) {
            for (target, slot) in popped {
                self.retry(target, slot, now);
            }
            return Err(error);
        }
        for handout in &handouts {
            self.pending.insert(handout.key.clone(), handout.due);
        }
        Ok(handouts)
    }

    /// Runs one popped occurrence: queues the target's next one, then the action itself.
    fn run_one(
        &mut self,
        app: &App,
        batch: &mut Batch,
        at: DateTime<Utc>,
        target: Target,
        slot: Slot,
    ) -> Result<Option<Handout>, StoreError> {
        let regular = self.regular.get(&target) == Some(&at);
        if regular {
            self.regular.remove(&target);
        }
        let who = match target {
            Target::Nudge(id) => match app.store.ambassador(id)? {
                Some(who) if nudge_slot_is_current(app, &who, slot) => Some(who),
                Some(who) => {
                    if regular {
                        self.queue_nudge(app, &who, batch.now);
                    }
                    return Ok(None);
                }
                None => return Ok(None),
            },
            _ => None,
        };
        if regular {
            let next = match &who {
                Some(who) => nudge_slot_after(app, who, slot.due),
                None => room_slot_after(app, target, slot.due),
            };
            if let Some(next) = next {
                self.queue_regular(target, next);
            }
        }
        match action_key(app, target, slot) {
            Some(action) => run::run(app, batch, &action, target, slot, who.as_ref()),
            None => Ok(None),
        }
    }

    /// Records that the action `key` (of a [`Handout`]) was delivered.
    pub fn confirm(&mut self, app: &App, key: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.confirm_all(app, &[key], now)
    }

    /// Records that all these actions were delivered, in one write.
    pub fn confirm_all(&mut self, app: &App, keys: &[&str], now: DateTime<Utc>) -> Result<(), StoreError> {
        self.settle(app, keys, now, ActionState::Done, None)
    }

    /// Records that the adapter gave these handed-out actions up (it could not deliver them within
    /// the grace window): they are skipped, never handed out again, and listed in the next report.
    pub fn give_up_all(&mut self, app: &App, keys: &[&str], now: DateTime<Utc>) -> Result<(), StoreError> {
        self.settle(app, keys, now, ActionState::Skipped, Some(UNDELIVERED))
    }

    /// Records the final state of handed-out actions, in one write (keys neither pending nor
    /// started are left as they are).
    fn settle(
        &mut self,
        app: &App,
        keys: &[&str],
        now: DateTime<Utc>,
        state: ActionState,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut records = Vec::with_capacity(keys.len());
        for key in keys {
            let due = match self.pending.get(*key) {
                Some(due) => *due,
                None => match app.store.action_state(key)? {
                    Some(record) if record.state == ActionState::Started => record.due,
                    _ => continue,
                },
            };
            let reason = reason.map(str::to_string);
            records.push((
                key.to_string(),
                ActionRecord {
                    state,
                    due,
                    at: now,
                    reason,
                },
            ));
        }
        app.store.set_action_states(&records)?;
        for key in keys {
            self.pending.remove(*key);
        }
        Ok(())
    }

    /// Re-reads an ambassador and re-queues their reminder from `now` (none if they are gone or
    /// turned reminders off).
    pub fn refresh_ambassador(&mut self, app: &App, id: AmbassadorId, now: DateTime<Utc>) -> Result<(), StoreError> {
        let target = Target::Nudge(id);
        if let Some(at) = self.regular.remove(&target) {
            self.queue.remove(&(at, target));
        }
        if let Some(who) = app.store.ambassador(id)? {
            self.queue_nudge(app, &who, now);
        }
        Ok(())
    }

    /// [`Scheduler::refresh_ambassador`] for the owner of a chat identity (after a command), and
    /// [`Scheduler::refresh_rooms`].
    pub fn refresh_identity(&mut self, app: &App, identity: &Identity, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.refresh_rooms(app, now);
        match app.store.ambassador_by_identity(identity)? {
            Some(who) => self.refresh_ambassador(app, who.id, now),
            None => Ok(()),
        }
    }

    /// Queues the rooms again if they changed from chat since (`room here …`, `room off`): a new
    /// room's push and board or report come from `now` on, a stopped room's stop, a changed push
    /// time moves.
    pub fn refresh_rooms(&mut self, app: &App, now: DateTime<Utc>) {
        let generation = app.rooms.generation();
        if generation == self.rooms_generation {
            return;
        }
        self.rooms_generation = generation;
        let queued: Vec<Target> = self.regular.keys().copied().collect();
        for target in queued.into_iter().filter(|t| !matches!(t, Target::Nudge(_))) {
            if let Some(at) = self.regular.remove(&target) {
                self.queue.remove(&(at, target));
            }
        }
        for target in room_targets(app) {
            if let Some(slot) = room_slot_after(app, target, now) {
                self.queue_regular(target, slot);
            }
        }
    }

    fn queue_nudge(&mut self, app: &App, who: &crate::domain::Ambassador, after: DateTime<Utc>) {
        if let Some(slot) = nudge_slot_after(app, who, after) {
            self.queue_regular(Target::Nudge(who.id), slot);
        }
    }

    /// Queues `slot` again [`RETRY`] from now; it becomes the target's regular entry if the target
    /// has none (the failure came before its next occurrence was queued).
    fn retry(&mut self, target: Target, slot: Slot, now: DateTime<Utc>) {
        let at = now + RETRY;
        self.queue.insert((at, target), slot);
        self.regular.entry(target).or_insert(at);
    }

    fn queue_regular(&mut self, target: Target, slot: Slot) {
        self.queue.insert((slot.due, target), slot);
        self.regular.insert(target, slot.due);
    }

    /// Forgets old action records, at most once a day.
    fn prune(&mut self, app: &App, now: DateTime<Utc>) -> Result<(), StoreError> {
        if self.last_prune.is_some_and(|last| now - last < Duration::days(1)) {
            return Ok(());
        }
        let removed = app.store.prune_actions(now - RETENTION)?;
        if removed > 0 {
            tracing::info!(removed, "old scheduled-action records forgotten");
        }
        self.last_prune = Some(now);
        Ok(())
    }
}

/// When the scheduler first started on this store (recorded now if never).
fn first_start(app: &App, now: DateTime<Utc>) -> Result<DateTime<Utc>, StoreError> {
    if let Some(record) = app.store.action_state(SINCE_KEY)? {
        return Ok(record.at);
    }
    let never = Utc.with_ymd_and_hms(9999, 12, 31, 0, 0, 0).single().unwrap_or(now);
    let reason = Some("the scheduler's first start".to_string());
    app.store.set_action_state(
        SINCE_KEY,
        &ActionRecord {
            state: ActionState::Done,
            due: never,
            at: now,
            reason,
        },
    )?;
    Ok(now)
}
