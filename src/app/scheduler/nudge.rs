//! The personal reminder: whether an ambassador gets one now, and its text (today's share kits and
//! their streak, in their language).
//!
//! Nothing is sent to someone away, or who already shared on that local day (their stats'
//! `last_day`, read in O(1)), or when it is their quiet hours, or when there is nothing to share.

use super::reminder::Reminder;
use super::run::{Batch, Decision};
use super::slots::Slot;
use crate::app::profile::current_streak;
use crate::app::{App, Effect};
use crate::domain::schedule::is_away;
use crate::domain::selection::todays_items;
use crate::domain::Ambassador;
use crate::store::StoreError;

/// Decides the reminder of `who` for the local date of `slot`, at the batch's time.
pub(super) fn decide(app: &App, batch: &mut Batch, who: &Ambassador, slot: Slot) -> Result<Decision, StoreError> {
    let now = batch.now;
    if is_away(who.prefs.away_until, slot.date) {
        return Ok(Decision::Nothing("away"));
    }
    let stats = app.store.stats(who.id)?;
    if stats.last_day == Some(slot.date) {
        return Ok(Decision::Nothing("already shared that day"));
    }
    if app.settings.schedule.quiet_hours.contains_instant(now, who.time_zone()) {
        return Ok(Decision::Nothing("quiet hours"));
    }
    batch.items(app)?;
    let Batch { items, reminders, .. } = batch;
    let todays = todays_items(items.as_deref().unwrap_or_default(), now, app.settings.org_tz);
    if todays.is_empty() {
        return Ok(Decision::Nothing("nothing to share today"));
    }
    let streak = current_streak(stats.streak, stats.last_day, slot.date);
    let reminder = Reminder {
        who,
        items: &todays,
        date: slot.date,
        streak,
        now,
    };
    let text = reminders.text(app, &reminder);
    Ok(Decision::Send(vec![Effect::Dm {
        to: who.id,
        text,
        key: None,
    }]))
}
