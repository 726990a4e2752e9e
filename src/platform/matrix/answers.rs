//! The answers to a sync's events: each event not handled yet goes to the core, and the answers
//! are sent concurrently for different senders (a few at a time) and in order for each; an event
//! counts as handled only once all its answers went out.

use super::effects::Retry;
use super::events::{classify, RoomEvent};
use super::handlers::Planned;
use super::sync::Adapter;
use crate::app::Effect;
use crate::domain::Platform;
use futures_util::StreamExt;
use matrix_sdk::Room;
use serde_json::Value;

/// The most answers sent at the same time (to different senders). Few, so that a busy
/// homeserver finishes them about in order: when it is the bottleneck, answers sent all at once
/// share it and all arrive late, while a few at a time let the first senders have theirs early
/// (the Matrix bench: reply/relay ratio at 50 ambassadors about 1.9 with 4, 2.2 with 64).
/// More than one, so that the round trips to a distant homeserver overlap.
const SENDS_IN_FLIGHT: usize = 4;

impl Adapter<'_> {
    /// Hands one event not handled yet to the core; its answer, if it has one.
    pub(super) async fn plan(&mut self, room: &Room, event_id: &str, value: &Value) -> Option<Planned> {
        if self.state.is_handled(event_id) {
            return None;
        }
        match classify(value, &self.own_user) {
            RoomEvent::Message(message) => self.on_message(room, message).await,
            RoomEvent::Reaction {
                event_id,
                sender,
                target,
                key,
            } => self.on_reaction(room, &event_id, &sender, &target, &key).await,
            RoomEvent::Redaction {
                event_id,
                sender,
                redacts,
            } => self.on_redaction(room, &event_id, &sender, &redacts).await,
            RoomEvent::OwnJoin => None,
            RoomEvent::Ignored(reason) => {
                tracing::trace!(event = event_id, ?reason, "event ignored");
                None
            }
        }
    }

    /// Sends the planned answers: one sender's in order, different senders' at the same time.
    /// Each event whose answers all went out is recorded as handled (not saved yet). `false`
    /// when some could not be sent: those events, and the later ones of the same sender, stay
    /// unhandled and come again with the next sync from the saved position.
    pub(super) async fn carry_out(&mut self, planned: Vec<Planned>) -> bool {
        if planned.is_empty() {
            return true;
        }
        let forgotten = forgotten_users(&planned);
        let mut queues: Vec<Vec<Planned>> = Vec::new();
        for answer in planned {
            let same = |q: &&mut Vec<Planned>| {
                q.first().is_some_and(|p| {
                    p.origin.sender == answer.origin.sender && p.origin.room.room_id() == answer.origin.room.room_id()
                })
            };
            match queues.iter_mut().find(same) {
                Some(queue) => queue.push(answer),
                None => queues.push(vec![answer]),
            }
        }
        let this = &*self;
        let sent: Vec<_> = futures_util::stream::iter(queues.into_iter().map(|queue| async move {
            let mut done = Vec::new();
            for mut answer in queue {
                let effects = std::mem::take(&mut answer.effects);
                match this.apply(&answer.origin, effects).await {
                    Ok(posted) => done.push((answer, posted)),
                    Err(Retry) => return (done, false),
                }
            }
            (done, true)
        }))
        .buffer_unordered(SENDS_IN_FLIGHT)
        .collect()
        .await;
        let mut all_sent = true;
        for (done, complete) in sent {
            all_sent &= complete;
            for (answer, posted) in done {
                self.remember_posted(posted);
                if let Some(claim) = answer.claim {
                    self.state.record_reaction_claim(claim);
                }
                self.state.mark_handled(&answer.event_id);
            }
        }
        // After the claims of this batch were recorded: a reaction and a `forget-me confirm` in
        // one sync leave nothing either.
        for user in forgotten {
            self.state.forget_sender(&user);
            self.awaiting.forget_sender(&user);
        }
        all_sent
    }
}

/// The Matrix accounts of the people forgotten by these answers (`Effect::Forgotten`).
fn forgotten_users(planned: &[Planned]) -> Vec<String> {
    planned
        .iter()
        .flat_map(|answer| &answer.effects)
        .filter_map(|effect| match effect {
            Effect::Forgotten { identities } => Some(identities),
            _ => None,
        })
        .flatten()
        .filter(|identity| identity.platform == Platform::Matrix)
        .map(|identity| identity.user.clone())
        .collect()
}
