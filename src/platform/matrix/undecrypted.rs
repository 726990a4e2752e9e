//! Encrypted events that arrived before their room key: kept, decrypted again after each sync
//! matrix-sdk processes (room keys come in to-device messages), then handled like any other
//! event; given up with a warning when the key has not come within [`KEY_WAIT`]. They are saved
//! (`relais-waiting.json`) before the sync position moves past them, so that a restart while they
//! wait does not lose them.

use super::batch::{sdk_event, Undecrypted};
use super::state::{corrupt, read_optional, write_atomically, StateError, WAITING_FILE};
use super::sync::Adapter;
use matrix_sdk::ruma::events::room::encrypted::OriginalSyncRoomEncryptedEvent;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::OwnedRoomId;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

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

/// A waiting event as saved: when it started waiting is wall-clock time (ms since the epoch).
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct SavedWaiting {
    room_id: String,
    event: Undecrypted,
    since_ms: u64,
}

/// The events waiting for their room keys.
#[derive(Debug, Default)]
pub struct AwaitingKeys {
    waiting: Vec<Waiting>,
    /// Where they are saved (`None`: not saved).
    path: Option<PathBuf>,
    /// Changed since the last save.
    dirty: bool,
}

impl AwaitingKeys {
    /// The events that were waiting when the adapter last saved them in `dir`.
    pub fn load(dir: &Path) -> Result<Self, StateError> {
        let path = dir.join(WAITING_FILE);
        let saved: Vec<SavedWaiting> = match read_optional(&path)? {
            Some(text) => serde_json::from_str(&text).map_err(|e| corrupt(&path, e.to_string()))?,
            None => Vec::new(),
        };
        let (now, wall) = (Instant::now(), wall_ms(SystemTime::now()));
        let mut waiting = Vec::new();
        for entry in saved {
            let Ok(room_id) = OwnedRoomId::try_from(entry.room_id.as_str()) else {
                return Err(corrupt(&path, format!("not a room id: {}", entry.room_id)));
            };
            let age = Duration::from_millis(wall.saturating_sub(entry.since_ms));
            let since = now.checked_sub(age).unwrap_or(now);
            waiting.push(Waiting {
                room_id,
                event: entry.event,
                since,
            });
        }
        if !waiting.is_empty() {
            tracing::info!(
                count = waiting.len(),
                "encrypted messages still wait for their room keys"
            );
        }
        Ok(AwaitingKeys {
            waiting,
            path: Some(path),
            dirty: false,
        })
    }

    /// Saves the waiting events if they changed (before the sync position moves past them).
    pub fn save(&mut self) -> Result<(), StateError> {
        let Some(path) = self.path.as_ref().filter(|_| self.dirty) else {
            return Ok(());
        };
        let (now, wall) = (Instant::now(), wall_ms(SystemTime::now()));
        let saved: Vec<SavedWaiting> = (self.waiting.iter())
            .map(|w| SavedWaiting {
                room_id: w.room_id.to_string(),
                event: w.event.clone(),
                since_ms: wall.saturating_sub(now.duration_since(w.since).as_millis() as u64),
            })
            .collect();
        let bytes = serde_json::to_vec(&saved).map_err(|e| corrupt(path, e.to_string()))?;
        write_atomically(path, &bytes)?;
        self.dirty = false;
        Ok(())
    }

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
        self.dirty = true;
    }

    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    /// Drops the events `sender` sent (their person was forgotten: what they wrote is not
    /// answered, nor kept on disk); how many.
    pub fn forget_sender(&mut self, sender: &str) -> usize {
        let before = self.waiting.len();
        self.waiting
            .retain(|w| sender_of(&w.event.json).as_deref() != Some(sender));
        let dropped = before - self.waiting.len();
        self.dirty |= dropped > 0;
        dropped
    }
}

/// The `sender` of an event as received.
fn sender_of(json: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    value.get("sender")?.as_str().map(String::from)
}

/// `time` in ms since the epoch.
fn wall_ms(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
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
        let before = self.awaiting.waiting.len();
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
        self.awaiting.dirty |= self.awaiting.waiting.len() != before;
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
    fn issue14_a_forgotten_senders_waiting_events_leave_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let room: OwnedRoomId = "!r:h".try_into().expect("room id");
        let mut awaiting = AwaitingKeys::load(dir.path()).expect("load");
        for (id, sender) in [("$q", "@quirinus-q7x:h"), ("$b", "@bob:h")] {
            let json = format!(r#"{{"type":"m.room.encrypted","event_id":"{id}","sender":"{sender}","content":{{}}}}"#);
            awaiting.keep(room.clone(), Undecrypted { json, ..event(id) }, Instant::now());
        }
        awaiting.save().expect("save");
        let file = dir.path().join(WAITING_FILE);
        let holds = |needle: &str| std::fs::read_to_string(&file).expect("read").contains(needle);
        assert!(holds("quirinus-q7x"), "the event is on disk");
        assert_eq!(awaiting.forget_sender("@quirinus-q7x:h"), 1);
        awaiting.save().expect("save");
        assert!(!holds("quirinus-q7x") && holds("@bob:h"));
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

    #[test]
    fn waiting_events_survive_a_restart_with_their_age_and_a_bad_file_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let room: OwnedRoomId = "!r:h".try_into().expect("room id");
        let mut awaiting = AwaitingKeys::load(dir.path()).expect("no file: none waiting");
        assert!(awaiting.is_empty());
        let ten_minutes_ago = Instant::now() - Duration::from_secs(600);
        awaiting.keep(room.clone(), event("$old"), ten_minutes_ago);
        awaiting.keep(room, event("$new"), Instant::now());
        awaiting.save().expect("save");

        let loaded = AwaitingKeys::load(dir.path()).expect("load");
        let ids: Vec<&str> = loaded.waiting.iter().map(|w| w.event.event_id.as_str()).collect();
        assert_eq!(ids, ["$old", "$new"]);
        assert_eq!(loaded.waiting[0].event, event("$old"));
        let age = loaded.waiting[0].since.elapsed();
        assert!(
            age >= Duration::from_secs(599) && age < Duration::from_secs(660),
            "{age:?}"
        );
        assert!(loaded.waiting[1].since.elapsed() < Duration::from_secs(60));

        std::fs::write(dir.path().join(WAITING_FILE), "[{").expect("write");
        let error = AwaitingKeys::load(dir.path()).expect_err("a garbled file");
        assert!(error.to_string().contains(WAITING_FILE), "{error}");
    }
}
