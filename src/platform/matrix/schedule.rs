//! Drives the core scheduler from the sync loop: daily pushes, personal reminders, the weekly
//! leaderboard and report are sent through the adapter's own sending code (transaction ids from
//! the effect keys, so a retry or a restart never posts twice), then confirmed. A handout that
//! could not be sent (the homeserver is away) is not confirmed and is tried again on the next
//! round, while it is within the grace window; past it, it is given up (the core records it
//! skipped, and the next report lists it). Which actions are due is the core's business.

use super::effects::{transaction_id, Posted, Unsent};
use super::handlers::blocking;
use super::state::PushRecord;
use super::sync::Adapter;
use crate::app::scheduler::{Handout, Scheduler};
use crate::app::{App, Effect};
use crate::domain::{Identity, RoomRef};
use crate::platform::ticker::{Clock, MAX_SLEEP};
use crate::store::StoreError;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use std::time::Duration;

/// How soon handouts that could not be sent are tried again.
const UNSENT_RETRY: Duration = Duration::from_secs(5);

/// The scheduler, the adapter's clock and the handouts not sent yet.
pub struct Schedule {
    scheduler: Scheduler,
    clock: Clock,
    unsent: Vec<Handout>,
}

impl Schedule {
    /// Starts the core scheduler at the clock's time.
    pub fn start(app: &App, clock: Clock) -> Result<Self, StoreError> {
        Ok(Schedule {
            scheduler: blocking(|| Scheduler::start(app, clock.now()))?,
            clock,
            unsent: Vec::new(),
        })
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// How long until something is due (or unsent handouts are tried again), at most [`MAX_SLEEP`].
    pub fn until_next_due(&self) -> Duration {
        let now = self.now();
        let scheduled = self
            .scheduler
            .next_due()
            .map(|due| (due - now).to_std().unwrap_or(Duration::ZERO))
            .unwrap_or(MAX_SLEEP)
            .min(MAX_SLEEP);
        if self.unsent.is_empty() {
            scheduled
        } else {
            scheduled.min(UNSENT_RETRY)
        }
    }

    /// Re-queues the reminder of the owner of `identity` (after each command they sent).
    pub fn refresh(&mut self, app: &App, identity: &Identity) {
        let now = self.now();
        if let Err(error) = blocking(|| self.scheduler.refresh_identity(app, identity, now)) {
            tracing::error!(%error, "refreshing a reminder failed");
        }
    }

    /// The handouts to send now: those left unsent (still within the grace window), then the
    /// newly due ones.
    fn take_due(&mut self, app: &App) -> Vec<Handout> {
        let now = self.now();
        let grace = app.settings.schedule.grace;
        let (mut due, late): (Vec<Handout>, Vec<Handout>) = std::mem::take(&mut self.unsent)
            .into_iter()
            .partition(|handout| now - handout.due <= grace);
        if !late.is_empty() {
            // Recorded skipped (never handed out again), and listed in the next report.
            let keys: Vec<&str> = late.iter().map(|handout| handout.key.as_str()).collect();
            tracing::warn!(
                ?keys,
                "scheduled messages could not be sent within the grace window: given up"
            );
            if let Err(error) = blocking(|| self.scheduler.give_up_all(app, &keys, now)) {
                tracing::error!(%error, "recording scheduled messages as given up failed; a restart will record them skipped");
            }
        }
        match blocking(|| self.scheduler.run_due(app, now)) {
            Ok(handouts) => due.extend(handouts),
            Err(error) => tracing::error!(%error, "the scheduler could not run; it will try again"),
        }
        due
    }

    fn confirm(&mut self, app: &App, keys: &[&str]) {
        if keys.is_empty() {
            return;
        }
        let now = self.now();
        if let Err(error) = blocking(|| self.scheduler.confirm_all(app, keys, now)) {
            tracing::error!(%error, "confirming scheduled messages failed; they will be confirmed after a restart");
        }
    }
}

impl Adapter<'_> {
    /// Sends what the scheduler has due and confirms what was sent; returns how many handouts
    /// were sent. What could not be sent waits for the next round.
    pub(super) async fn run_due_actions(&mut self) -> usize {
        let handouts = self.schedule.take_due(self.app);
        let mut delivered = Vec::new();
        let mut unsent = Vec::new();
        // The configured rooms the bot is not in that unsent posts wait for.
        let mut waiting = BTreeSet::new();
        for mut handout in handouts {
            match self.send_handout(&mut handout).await {
                Ok(()) => delivered.push(handout.key),
                Err(Unsent::Retry) => unsent.push(handout),
                Err(Unsent::NotJoined) => {
                    waiting.extend(handout.effects.first().and_then(room_of).map(|r| r.room.clone()));
                    unsent.push(handout);
                }
            }
        }
        if let Err(e) = self.save_state() {
            tracing::error!(error = %e, "could not save the adapter state after scheduled messages");
        }
        let keys: Vec<&str> = delivered.iter().map(String::as_str).collect();
        self.schedule.confirm(self.app, &keys);
        if waiting.is_empty() {
            self.rejoin.reset();
        } else {
            self.rejoin_missing_rooms(&waiting).await;
        }
        self.schedule.unsent.extend(unsent);
        delivered.len()
    }

    /// Sends a handout's effects in order; on failure the handout keeps only the effects not sent.
    async fn send_handout(&mut self, handout: &mut Handout) -> Result<(), Unsent> {
        while let Some(effect) = handout.effects.first().cloned() {
            if !(handout.interrupted && self.sent_before(&effect).await) {
                self.send_scheduled(&handout.key, effect).await?;
            }
            handout.effects.remove(0);
        }
        Ok(())
    }

    /// Whether a message of an interrupted handout is already in its room (sent by an earlier
    /// session, whose transaction ids a new device does not share); remembered if so.
    async fn sent_before(&mut self, effect: &Effect) -> bool {
        let (room, key, items) = match effect {
            Effect::Post { room, key, items, .. } => (self.configured_room(room), key.as_str(), items.clone()),
            Effect::Upload { room, key, .. } => (self.configured_room(room), key.as_str(), Vec::new()),
            Effect::Dm { to, key: Some(key), .. } => (self.dm_room(*to), key.as_str(), Vec::new()),
            _ => return false,
        };
        if self.state.posted(key).is_some() {
            return false;
        }
        let Some(room) = room else { return false };
        let Some(event_id) = self.find_posted(&room, key).await else {
            return false;
        };
        tracing::info!(key, event = %event_id, "an interrupted scheduled message was sent before: not sent again");
        let push = match effect {
            Effect::Post { room, .. } if !items.is_empty() => Some(PushRecord {
                event_id: event_id.clone(),
                room: room.room.clone(),
                items,
            }),
            _ => None,
        };
        self.remember_posted(vec![Posted {
            key: key.to_string(),
            event_id,
            push,
        }]);
        true
    }

    /// Sends one scheduled effect; its key (or the action's) is its transaction id.
    async fn send_scheduled(&mut self, action: &str, effect: Effect) -> Result<(), Unsent> {
        match effect {
            Effect::Post { room, text, items, key } => {
                let posted = self.post(&room, &text, items, &key).await?;
                self.remember_posted(posted.into_iter().collect());
                Ok(())
            }
            Effect::Upload {
                room,
                file_name,
                mime,
                bytes,
                key,
            } => {
                let posted = self.upload(&room, &file_name, &mime, bytes, &key).await?;
                self.remember_posted(posted.into_iter().collect());
                Ok(())
            }
            Effect::Dm { to, text, key } => {
                let key = key.as_deref().unwrap_or(action);
                Ok(self.direct_message(to, &text, transaction_id(key), Some(key)).await?)
            }
            Effect::Reply { .. } | Effect::React { .. } | Effect::Forgotten { .. } => {
                tracing::warn!(
                    key = action,
                    "a scheduled reply or reaction has nothing to answer: dropped"
                );
                Ok(())
            }
        }
    }
}

/// The configured room a post or upload goes to.
fn room_of(effect: &Effect) -> Option<&RoomRef> {
    match effect {
        Effect::Post { room, .. } | Effect::Upload { room, .. } => Some(room),
        Effect::Dm { .. } | Effect::Reply { .. } | Effect::React { .. } | Effect::Forgotten { .. } => None,
    }
}
