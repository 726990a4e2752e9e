//! Encrypted events that arrived before their room key: kept, decrypted again after each sync
//! matrix-sdk processes (room keys come in to-device messages), then handled like any other
//! event; given up with a warning when the key has not come within [`KEY_WAIT`].

use super::batch::{sdk_event, Undecrypted};
use super::sync::Adapter;
use matrix_sdk::ruma::events::room::encrypted::OriginalSyncRoomEncryptedEvent;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::OwnedRoomId;
use std::time::{Duration, Instant};

/// How long an event waits for its room key.
pub const KEY_WAIT: Duration = Duration::from_secs(15 * 60);
/// The most events waiting at once (the oldest is given up first).
const MAX_WAITING: usize = 1_000;

/// An event waiting for its key, since when.
#[derive(Debug)]
struct Waiting {
    room_id: OwnedRoomId,
    event: Undecrypted,
    since: Instant,
}

/// The events waiting for their room keys.
#[derive(Debug, Default)]
pub struct AwaitingKeys {
    waiting: Vec<Waiting>,
}

impl AwaitingKeys {
    /// Keeps `event` (once) until its key comes.
    pub fn keep(&mut self, room_id: OwnedRoomId, event: Undecrypted, now: Instant) {
        if self.waiting.iter().any(|w| w.event.event_id == event.event_id) {
            return;
        }
        if self.waiting.len() >= MAX_WAITING {
            let oldest = self.waiting.remove(0);
            tracing::warn!(event = %oldest.event.event_id, "too many messages wait for their room keys: the oldest is not answered");
        }
        self.waiting.push(Waiting {
            room_id,
            event,
            since: now,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }
}

impl Adapter<'_> {
    /// Tries to decrypt the waiting events again; handles those that now decrypt. Those whose
    /// answers could not be sent wait again (they are not handled yet).
    pub(super) async fn retry_undecrypted(&mut self) {
        if self.awaiting.is_empty() {
            return;
        }
        let now = Instant::now();
        let mut planned = Vec::new();
        let mut decrypted = Vec::new();
        for waiting in std::mem::take(&mut self.awaiting.waiting) {
            let Some(room) = self.client.get_room(&waiting.room_id) else {
                continue;
            };
            let raw = Raw::<OriginalSyncRoomEncryptedEvent>::from_json_string(waiting.event.json.clone());
            let event = match raw {
                Ok(raw) => room.decrypt_event(&raw, None).await.ok(),
                Err(_) => None,
            };
            match event.filter(|e| !e.kind.is_utd()).as_ref().and_then(sdk_event) {
                Some((event_id, value)) => {
                    tracing::info!(event = %event_id, "an encrypted message could be decrypted now that its key came");
                    planned.extend(self.plan(&room, &event_id, &value).await);
                    decrypted.push(waiting);
                }
                None if now.duration_since(waiting.since) >= KEY_WAIT => {
                    tracing::warn!(event = %waiting.event.event_id, "the room key of an encrypted message never came: not answered");
                }
                None => self.awaiting.waiting.push(waiting),
            }
        }
        self.carry_out(planned).await;
        for waiting in decrypted {
            if !self.state.is_handled(&waiting.event.event_id) {
                self.awaiting.waiting.push(waiting);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str) -> Undecrypted {
        Undecrypted {
            event_id: id.to_string(),
            json: "{}".to_string(),
            origin_ts: None,
        }
    }

    #[test]
    fn each_event_waits_once_and_the_oldest_go_first_when_full() {
        let room: OwnedRoomId = "!r:h".try_into().expect("room id");
        let mut awaiting = AwaitingKeys::default();
        let now = Instant::now();
        awaiting.keep(room.clone(), event("$a"), now);
        awaiting.keep(room.clone(), event("$a"), now);
        assert_eq!(awaiting.waiting.len(), 1);
        for n in 0..MAX_WAITING {
            awaiting.keep(room.clone(), event(&format!("$n{n}")), now);
        }
        assert_eq!(awaiting.waiting.len(), MAX_WAITING);
        assert!(
            awaiting.waiting.iter().all(|w| w.event.event_id != "$a"),
            "the oldest was given up"
        );
    }
}
