//! The weekly report in a coordinators' room, followed by what the scheduler had to skip since the
//! last report that went out.

use super::run::{Decision, UNDELIVERED};
use super::slots::Slot;
use crate::app::report::report_effects;
use crate::app::{App, Effect};
use crate::domain::schedule::{next_weekly, ActionKey};
use crate::domain::{Lang, RoomRef, WeekKey};
use crate::store::{ActionRecord, ActionState, StoreError};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

/// How many earlier reports a report looks back through when they were skipped too.
const MAX_WEEKS_BACK: usize = 8;

/// A scheduled action the scheduler skipped: its key, and whether the adapter could not deliver
/// it (rather than Relais not running when it was due).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SkippedAction {
    pub key: String,
    pub undelivered: bool,
}

impl SkippedAction {
    fn of(key: String, record: &ActionRecord) -> Self {
        let undelivered = record.reason.as_deref() == Some(UNDELIVERED);
        SkippedAction { key, undelivered }
    }
}

/// The effects that post the report of `week` to `room` (text, chart, CSV), the text followed by
/// the `skipped` actions, described one by one (reminders counted).
pub fn weekly_report_effects(
    app: &App,
    week: WeekKey,
    room: &RoomRef,
    skipped: &[SkippedAction],
) -> Result<Vec<Effect>, StoreError> {
    let lang = app.rooms.get(room).map_or(app.settings.default_lang, |r| r.lang);
    let mut effects = report_effects(app, week, room, &[])?;
    if let Some(listing) = skipped_text(app, lang, skipped) {
        if let Some(Effect::Post { text, .. }) = effects.first_mut() {
            text.push_str("\n\n");
            text.push_str(&listing);
        }
    }
    Ok(effects)
}

/// The `schedule.skipped` listing: rooms' actions one by one, reminders counted (missed ones and
/// undelivered ones apart).
fn skipped_text(app: &App, lang: Lang, skipped: &[SkippedAction]) -> Option<String> {
    if skipped.is_empty() {
        return None;
    }
    let (mut nudges, mut undelivered_nudges) = (0usize, 0usize);
    let mut actions: Vec<Value> = Vec::new();
    for SkippedAction { key, undelivered } in skipped {
        let (kind, target, when) = match key.parse::<ActionKey>() {
            Ok(ActionKey::Nudge { .. }) => {
                if *undelivered {
                    undelivered_nudges += 1;
                } else {
                    nudges += 1;
                }
                continue;
            }
            Ok(ActionKey::Push { room, date }) => ("push", room.to_string(), date.to_string()),
            Ok(ActionKey::Board { room, week }) => ("board", room.to_string(), week.to_string()),
            Ok(ActionKey::Report { room, week }) => ("report", room.to_string(), week.to_string()),
            Ok(ActionKey::Urgent { item, date }) => ("urgent", item.to_string(), date.to_string()),
            Err(_) => ("other", key.clone(), String::new()),
        };
        actions.push(json!({"kind": kind, "target": target, "when": when, "undelivered": undelivered}));
    }
    let vars = json!({"nudges": nudges, "undelivered_nudges": undelivered_nudges, "actions": actions});
    Some(app.prompts.render(lang, "schedule.skipped", &vars))
}

/// The scheduled report of room `i` (`action` is its `report:` key), with the skipped actions
/// recorded in the store or about to be (`pending`, this batch's records).
pub(super) fn scheduled_report(
    app: &App,
    i: usize,
    action: &ActionKey,
    slot: Slot,
    pending: &[(String, ActionRecord)],
) -> Result<Decision, StoreError> {
    let (Some(room), ActionKey::Report { week, .. }) = (app.rooms.at(i), action) else {
        return Ok(Decision::Nothing("the room is no longer configured"));
    };
    let from = last_report_due(app, &room.room, slot.due)?;
    let mut skipped: Vec<(DateTime<Utc>, SkippedAction)> = app
        .store
        .skipped_actions(from, slot.due)?
        .into_iter()
        .map(|(key, r)| (r.due, SkippedAction::of(key, &r)))
        .collect();
    let in_window = |r: &ActionRecord| r.state == ActionState::Skipped && from <= r.due && r.due < slot.due;
    skipped.extend(
        pending
            .iter()
            .filter(|(_, r)| in_window(r))
            .map(|(key, r)| (r.due, SkippedAction::of(key.clone(), r))),
    );
    skipped.sort();
    skipped.dedup();
    let listed: Vec<SkippedAction> = skipped.into_iter().map(|(_, action)| action).collect();
    Ok(Decision::Send(weekly_report_effects(app, *week, &room.room, &listed)?))
}

/// When the previous report of `room` was due, going back past reports that were skipped too (so
/// that what they would have listed is listed now).
fn last_report_due(app: &App, room: &RoomRef, due: DateTime<Utc>) -> Result<DateTime<Utc>, StoreError> {
    let (weekly, tz) = (app.settings.schedule.report, app.settings.org_tz);
    let mut previous = next_weekly(due - Duration::days(8), weekly, tz);
    for _ in 0..MAX_WEEKS_BACK {
        let key = ActionKey::Report {
            room: room.clone(),
            week: WeekKey::of_date(previous.date).previous(),
        };
        if app.store.action_state(&key.to_string())?.map(|r| r.state) != Some(ActionState::Skipped) {
            break;
        }
        previous = next_weekly(previous.at - Duration::days(8), weekly, tz);
    }
    Ok(previous.at)
}
