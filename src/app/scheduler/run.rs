//! Running one due occurrence: the durable state machine (done or skipped: nothing; too late:
//! skipped; otherwise started, with its effects) and the effects of the room actions.

use super::reminder::ReminderCache;
use super::slots::{Slot, Target};
use super::{board, nudge, report, Handout};
use crate::app::{daily_push, App, Effect};
use crate::domain::schedule::ActionKey;
use crate::domain::{Ambassador, Item};
use crate::store::{ActionRecord, ActionState, StoreError};
use chrono::{DateTime, Utc};
use std::collections::HashSet;

/// Why an action that was never started is skipped.
pub const MISSED: &str = "missed: Relais was not running when it was due";
/// Why an action started but never confirmed is skipped.
pub const INTERRUPTED: &str = "interrupted: delivery was not confirmed within the grace window; not sent again";
/// Why an action the adapter could not deliver within the grace window is skipped.
pub const UNDELIVERED: &str =
    "undelivered: the platform did not take it within the grace window (not in the room, or unreachable)";

/// What running an action decided.
pub(super) enum Decision {
    /// Hand these effects to the adapter.
    Send(Vec<Effect>),
    /// Nothing to send, for this reason (the action is done).
    Nothing(&'static str),
}

/// The work of one `run_due` call: its time, the items read once for all nudges, the records to
/// write together before anything is handed out, the keys already seen, and the scheduler's
/// reminder texts (lent for the batch).
pub(super) struct Batch {
    pub now: DateTime<Utc>,
    pub items: Option<Vec<Item>>,
    pub records: Vec<(String, ActionRecord)>,
    seen: HashSet<String>,
    pub reminders: ReminderCache,
}

impl Batch {
    pub fn new(now: DateTime<Utc>, reminders: ReminderCache) -> Self {
        Batch {
            now,
            items: None,
            records: Vec::new(),
            seen: HashSet::new(),
            reminders,
        }
    }

    /// Every item, read from the store once per batch.
    pub fn items(&mut self, app: &App) -> Result<&[Item], StoreError> {
        if self.items.is_none() {
            self.items = Some(app.store.items()?);
        }
        Ok(self.items.as_deref().unwrap_or_default())
    }

    fn record(&mut self, key: String, state: ActionState, due: DateTime<Utc>, reason: Option<&str>) {
        let record = ActionRecord {
            state,
            due,
            at: self.now,
            reason: reason.map(str::to_string),
        };
        self.records.push((key, record));
    }
}

/// Runs one occurrence of `target`; returns what to hand to the adapter, if anything. `who` is the
/// ambassador of a nudge.
pub(super) fn run(
    app: &App,
    batch: &mut Batch,
    action: &ActionKey,
    target: Target,
    slot: Slot,
    who: Option<&Ambassador>,
) -> Result<Option<Handout>, StoreError> {
    let key = action.to_string();
    if !batch.seen.insert(key.clone()) {
        return Ok(None);
    }
    let late = batch.now - slot.due > app.settings.schedule.grace;
    let state = app.store.action_state(&key)?.map(|r| r.state);
    match state {
        Some(ActionState::Done | ActionState::Skipped) => return Ok(None),
        Some(ActionState::Started) if late => {
            batch.record(key, ActionState::Skipped, slot.due, Some(INTERRUPTED));
            return Ok(None);
        }
        None if late => {
            batch.record(key, ActionState::Skipped, slot.due, Some(MISSED));
            return Ok(None);
        }
        Some(ActionState::Started) | None => {}
    }
    let decision = match (target, who) {
        (Target::Push(i), _) => push(app, batch, i)?,
        (Target::Nudge(_), Some(who)) => nudge::decide(app, batch, who, slot)?,
        (Target::Nudge(_), None) => Decision::Nothing("unknown ambassador"),
        (Target::Board(i), _) => room_post(app, batch, i, |room| board::weekly_board(app, room, action, batch.now))?,
        (Target::Report(i), _) => report::scheduled_report(app, i, action, slot, &batch.records)?,
    };
    match decision {
        Decision::Nothing(reason) => {
            batch.record(key, ActionState::Done, slot.due, Some(reason));
            Ok(None)
        }
        Decision::Send(effects) => {
            batch.record(key.clone(), ActionState::Started, slot.due, None);
            Ok(Some(Handout {
                key,
                due: slot.due,
                effects: with_keys(action, effects),
                interrupted: state == Some(ActionState::Started),
            }))
        }
    }
}

/// Gives every effect its idempotency key: the action key for a single effect, else
/// `<action key>#<n>`.
fn with_keys(action: &ActionKey, effects: Vec<Effect>) -> Vec<Effect> {
    let single = effects.len() == 1;
    let keyed = effects.into_iter().enumerate();
    keyed
        .map(|(n, effect)| effect.with_key(if single { action.to_string() } else { action.part(n) }))
        .collect()
}

/// The daily push of room `i` (nothing during the organisation's quiet hours or without items).
fn push(app: &App, batch: &Batch, i: usize) -> Result<Decision, StoreError> {
    room_post(app, batch, i, |room| {
        Ok(daily_push(app, &room.room, batch.now)?.ok_or("nothing to push today"))
    })
}

/// A post to room `i`, unless the room is gone or it is the quiet hours in the organisation's zone.
fn room_post(
    app: &App,
    batch: &Batch,
    i: usize,
    post: impl FnOnce(&crate::app::RoomSettings) -> Result<Result<Effect, &'static str>, StoreError>,
) -> Result<Decision, StoreError> {
    let Some(room) = app.rooms.at(i) else {
        return Ok(Decision::Nothing("the room is no longer configured"));
    };
    if app
        .settings
        .schedule
        .quiet_hours
        .contains_instant(batch.now, app.settings.org_tz)
    {
        return Ok(Decision::Nothing("quiet hours"));
    }
    Ok(match post(&room)? {
        Ok(effect) => Decision::Send(vec![effect]),
        Err(reason) => Decision::Nothing(reason),
    })
}
