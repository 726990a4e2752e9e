//! What the scheduler queues: a target (a room's push, board or report, an ambassador's nudge)
//! and one occurrence of it, with the settings that decide when the next one falls.

use crate::app::App;
use crate::domain::schedule::{at_local, next_daily, next_weekly, ActionKey, Occurrence};
use crate::domain::{Ambassador, AmbassadorId, NudgePref, RoomRef, WeekKey};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

/// Who or where a scheduled action is for. Rooms are positions in the app's [`RoomBook`](crate::app::RoomBook).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Target {
    /// The daily push to a room.
    Push(usize),
    /// An ambassador's daily reminder.
    Nudge(AmbassadorId),
    /// The weekly leaderboard in a team room.
    Board(usize),
    /// The weekly report in a coordinators' room.
    Report(usize),
}

/// One queued occurrence: when it was due and the local date it belongs to. A retried slot keeps
/// both, so its key and its lateness never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Slot {
    pub due: DateTime<Utc>,
    pub date: NaiveDate,
}

impl From<Occurrence> for Slot {
    fn from(o: Occurrence) -> Self {
        Slot {
            due: o.at,
            date: o.date,
        }
    }
}

/// The local time of an ambassador's reminder, if they want one.
pub(super) fn nudge_time(app: &App, who: &Ambassador) -> Option<NaiveTime> {
    match who.prefs.nudges {
        NudgePref::Off => None,
        NudgePref::On => Some(app.settings.default_nudge_time),
        NudgePref::At(time) => Some(time),
    }
}

/// The first occurrence of a room target strictly after `after` (`None` for a nudge, or a room
/// that is not configured).
pub(super) fn room_slot_after(app: &App, target: Target, after: DateTime<Utc>) -> Option<Slot> {
    let settings = app.settings;
    let tz = settings.org_tz;
    let occurrence = match target {
        Target::Push(i) => next_daily(after, app.rooms.at(i)?.push_time, tz),
        Target::Board(i) => app
            .rooms
            .at(i)
            .filter(|r| !r.coordinators_room)
            .map(|_| next_weekly(after, settings.schedule.leaderboard, tz))?,
        Target::Report(i) => app
            .rooms
            .at(i)
            .filter(|r| r.coordinators_room)
            .map(|_| next_weekly(after, settings.schedule.report, tz))?,
        Target::Nudge(_) => return None,
    };
    Some(occurrence.into())
}

/// The first reminder of `who` strictly after `after`, if they want reminders.
pub(super) fn nudge_slot_after(app: &App, who: &Ambassador, after: DateTime<Utc>) -> Option<Slot> {
    nudge_time(app, who).map(|time| next_daily(after, time, who.time_zone()).into())
}

/// Whether `slot` is still where `who`'s current settings put their reminder for that date (a
/// changed time or zone makes a queued reminder stale).
pub(super) fn nudge_slot_is_current(app: &App, who: &Ambassador, slot: Slot) -> bool {
    nudge_time(app, who).is_some_and(|time| at_local(slot.date, time, who.time_zone()) == slot.due)
}

/// The durable key of a target's occurrence (`None` for a room that is not configured). Weekly
/// actions are keyed by the week they cover: the ISO week before the one they are posted in.
pub(super) fn action_key(app: &App, target: Target, slot: Slot) -> Option<ActionKey> {
    let room = |i: usize| -> Option<RoomRef> { app.rooms.at(i).map(|r| r.room) };
    let week = WeekKey::of_date(slot.date).previous();
    Some(match target {
        Target::Push(i) => ActionKey::Push {
            room: room(i)?,
            date: slot.date,
        },
        Target::Nudge(ambassador) => ActionKey::Nudge {
            ambassador,
            date: slot.date,
        },
        Target::Board(i) => ActionKey::Board { room: room(i)?, week },
        Target::Report(i) => ActionKey::Report { room: room(i)?, week },
    })
}

/// Every room target the settings call for: a push per room, a board per team room, a report per
/// coordinators' room.
pub(super) fn room_targets(app: &App) -> Vec<Target> {
    let rooms = app.rooms.served().into_iter();
    rooms
        .flat_map(|(i, room)| {
            let weekly = if room.coordinators_room {
                Target::Report(i)
            } else {
                Target::Board(i)
            };
            [Target::Push(i), weekly]
        })
        .collect()
}
