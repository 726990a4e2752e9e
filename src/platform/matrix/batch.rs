//! One sync's updates as the adapter uses them: from matrix-sdk's processed sync, or straight
//! from the raw `/sync` response when all it holds is messages in unencrypted rooms.
//!
//! matrix-sdk's processing of a sync (room state, display names, push rules, and the crypto
//! store's transaction on every sync) is most of what the bot spends per command. A response
//! that changes none of that state (no state event, no membership change, no encrypted event,
//! no to-device message, no device-list change, the same one-time-key counts as before, in
//! rooms matrix-sdk knows to be unencrypted) is read here directly. Any other response is
//! handed to matrix-sdk: the adapter syncs again from the same position through it, so the
//! SDK sees every event that matters to it (to-device messages stay on the server until a
//! later position is used).

use matrix_sdk::deserialized_responses::TimelineEvent;
use matrix_sdk::ruma::api::client::sync::sync_events::v3::{JoinedRoom, Response};
use matrix_sdk::ruma::api::client::sync::sync_events::DeviceLists;
use matrix_sdk::ruma::{OneTimeKeyAlgorithm, OwnedRoomId, UInt};
use matrix_sdk::sync::SyncResponse;
use matrix_sdk::{Client, RoomState};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Timeline event types a plain batch may hold: none of them changes what matrix-sdk keeps.
/// (Redactions are left to the SDK: one may redact a state event it stores.)
const PLAIN_TYPES: &[&str] = &["m.room.message", "m.reaction"];

/// One sync's updates.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Batch {
    /// The position this sync started from; `None` for a bot's very first sync (a fresh start:
    /// everything before it is history).
    pub since: Option<String>,
    pub next_batch: String,
    pub invited: Vec<OwnedRoomId>,
    pub left: Vec<OwnedRoomId>,
    pub joined: Vec<JoinedUpdate>,
    /// matrix-sdk processed this sync (it may have changed the rooms' state).
    pub through_sdk: bool,
}

/// The new timeline events of one joined room.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct JoinedUpdate {
    pub room_id: OwnedRoomId,
    /// Events were left out between the previous position and these.
    pub limited: bool,
    pub prev_batch: Option<String>,
    /// Event id and JSON, oldest first (decrypted when the SDK could).
    pub events: Vec<(String, Value)>,
    /// Encrypted events the SDK could not decrypt yet (their room key has not arrived).
    pub undecrypted: Vec<Undecrypted>,
}

/// An encrypted event waiting for its room key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Undecrypted {
    pub event_id: String,
    /// The event as received (`m.room.encrypted`).
    pub json: String,
    /// When the homeserver stamped it (ms since the epoch).
    pub origin_ts: Option<i64>,
}

/// The one-time-key counts the homeserver reports on every sync: when they change, the SDK must
/// see the sync (it may have to upload new keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCounts {
    one_time: BTreeMap<OneTimeKeyAlgorithm, UInt>,
    fallback: Option<Vec<OneTimeKeyAlgorithm>>,
}

impl KeyCounts {
    pub fn of(response: &Response) -> Self {
        KeyCounts {
            one_time: response.device_one_time_keys_count.clone(),
            fallback: response.device_unused_fallback_key_types.clone(),
        }
    }
}

/// What the adapter read from matrix-sdk's room state (display names, whether a room is a direct
/// chat): valid until a sync goes through matrix-sdk, the only kind that can change that state.
#[derive(Debug, Default)]
pub struct Known {
    /// (room, user) → display name.
    pub names: HashMap<(OwnedRoomId, String), Option<String>>,
    /// Room → whether it is a direct chat.
    pub direct: HashMap<OwnedRoomId, bool>,
}

impl Known {
    /// Display names remembered at most (then forgotten all at once).
    const MAX_NAMES: usize = 10_000;

    pub fn remember_name(&mut self, key: (OwnedRoomId, String), name: Option<String>) {
        if self.names.len() >= Self::MAX_NAMES {
            self.names.clear();
        }
        self.names.insert(key, name);
    }

    pub fn forget(&mut self) {
        self.names.clear();
        self.direct.clear();
    }
}

impl Batch {
    /// The updates of a sync from `since` that matrix-sdk has processed.
    pub fn from_sdk(since: Option<String>, response: SyncResponse) -> Self {
        Batch {
            since,
            next_batch: response.next_batch,
            invited: response.rooms.invited.into_keys().collect(),
            left: response.rooms.left.into_keys().collect(),
            joined: response
                .rooms
                .joined
                .into_iter()
                .map(|(room_id, update)| {
                    let (undecrypted, decrypted): (Vec<_>, Vec<_>) =
                        update.timeline.events.iter().partition(|e| e.kind.is_utd());
                    JoinedUpdate {
                        room_id,
                        limited: update.timeline.limited,
                        prev_batch: update.timeline.prev_batch,
                        events: decrypted.into_iter().filter_map(sdk_event).collect(),
                        undecrypted: undecrypted.into_iter().filter_map(undecrypted_event).collect(),
                    }
                })
                .collect(),
            through_sdk: true,
        }
    }

    /// The updates of a raw response (a sync from `since`) when matrix-sdk has nothing to learn
    /// from it (see the module notes); `None` when it must go through the SDK. `known_keys` are
    /// the key counts of the previous response.
    pub fn plain(since: &str, response: &Response, client: &Client, known_keys: Option<&KeyCounts>) -> Option<Self> {
        let rooms = &response.rooms;
        let quiet = response.to_device.events.is_empty()
            && device_lists_unchanged(&response.device_lists)
            && known_keys == Some(&KeyCounts::of(response))
            && rooms.invite.is_empty()
            && rooms.leave.is_empty()
            && rooms.knock.is_empty()
            && response.account_data.events.is_empty()
            && response.presence.events.is_empty();
        if !quiet {
            return None;
        }
        let mut joined = Vec::with_capacity(rooms.join.len());
        for (room_id, update) in &rooms.join {
            let room = client.get_room(room_id)?;
            let encryption = room.encryption_state();
            let plain_room =
                room.state() == RoomState::Joined && !encryption.is_encrypted() && !encryption.is_unknown();
            if !plain_room || !quiet_room(update) {
                return None;
            }
            let mut events = Vec::with_capacity(update.timeline.events.len());
            for raw in &update.timeline.events {
                events.push(plain_event(raw.json().get())?);
            }
            joined.push(JoinedUpdate {
                room_id: room_id.clone(),
                limited: false,
                prev_batch: None,
                events,
                undecrypted: Vec::new(),
            });
        }
        Some(Batch {
            since: Some(since.to_owned()),
            next_batch: response.next_batch.clone(),
            invited: Vec::new(),
            left: Vec::new(),
            joined,
            through_sdk: false,
        })
    }
}

fn device_lists_unchanged(lists: &DeviceLists) -> bool {
    lists.changed.is_empty() && lists.left.is_empty()
}

/// A joined room's update holds nothing but timeline events (no state, no summary change, no
/// room account data, no gap).
fn quiet_room(update: &JoinedRoom) -> bool {
    !update.timeline.limited
        && update.state.is_empty()
        && update.summary.is_empty()
        && update.account_data.events.is_empty()
}

/// The id and JSON of a timeline event of a plain type; `None` for anything else.
fn plain_event(json: &str) -> Option<(String, Value)> {
    let value: Value = serde_json::from_str(json).ok()?;
    let kind = value.get("type").and_then(Value::as_str)?;
    if value.get("state_key").is_some() || !PLAIN_TYPES.contains(&kind) {
        return None;
    }
    let id = value.get("event_id").and_then(Value::as_str)?.to_string();
    Some((id, value))
}

/// The event id and JSON of a timeline event from the SDK (decrypted when it was encrypted).
pub fn sdk_event(event: &TimelineEvent) -> Option<(String, Value)> {
    let value: Value = serde_json::from_str(event.raw().json().get()).ok()?;
    if event.kind.is_utd() {
        tracing::warn!(event = ?event.event_id(), "an encrypted message could not be decrypted (missing room key): not answered");
        return None;
    }
    let id = value.get("event_id").and_then(Value::as_str)?.to_string();
    Some((id, value))
}

/// An event the SDK could not decrypt, kept to be decrypted when its key arrives.
fn undecrypted_event(event: &TimelineEvent) -> Option<Undecrypted> {
    let json = event.raw().json().get().to_string();
    let value: Value = serde_json::from_str(&json).ok()?;
    let event_id = value.get("event_id").and_then(Value::as_str)?.to_string();
    tracing::info!(event = %event_id, "an encrypted message cannot be decrypted yet (its room key has not arrived): kept for later");
    Some(Undecrypted {
        event_id,
        origin_ts: value.get("origin_server_ts").and_then(Value::as_i64),
        json,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_messages_and_reactions_are_plain() {
        let rows: &[(&str, bool)] = &[
            (
                r#"{"type":"m.room.message","event_id":"$a","sender":"@u:h","content":{}}"#,
                true,
            ),
            (
                r#"{"type":"m.reaction","event_id":"$b","sender":"@u:h","content":{}}"#,
                true,
            ),
            (
                r#"{"type":"m.room.redaction","event_id":"$c","sender":"@u:h","redacts":"$a"}"#,
                false,
            ),
            (
                r#"{"type":"m.room.encrypted","event_id":"$d","sender":"@u:h","content":{}}"#,
                false,
            ),
            (
                r#"{"type":"m.room.member","state_key":"@u:h","event_id":"$e","sender":"@u:h","content":{}}"#,
                false,
            ),
            (
                r#"{"type":"m.room.message","state_key":"","event_id":"$f","sender":"@u:h","content":{}}"#,
                false,
            ),
            (r#"{"type":"m.room.message","sender":"@u:h","content":{}}"#, false),
            ("not json", false),
        ];
        for (json, plain) in rows {
            assert_eq!(plain_event(json).is_some(), *plain, "{json}");
        }
    }
}
