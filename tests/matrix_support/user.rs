//! A test user speaking plain client-server HTTP to Synapse: rooms, messages, reactions, what it
//! sees.

use super::synapse::Synapse;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};

/// A test user talking to Synapse over HTTP.
#[derive(Clone)]
pub struct User {
    pub id: String,
    pub token: String,
    pub server: &'static Synapse,
}

static TXN: AtomicU64 = AtomicU64::new(1);

fn txn() -> String {
    format!("t{}-{}", std::process::id(), TXN.fetch_add(1, Ordering::Relaxed))
}

impl User {
    /// Registers `localpart` on `server`.
    pub fn register(server: &'static Synapse, localpart: &str) -> User {
        let (id, token) = server.register(localpart, &format!("{localpart}-secret"), false);
        User { id, token, server }
    }

    pub fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let answer = self
            .server
            .request(method, path, Some(&self.token), body)
            .expect("HTTP to Synapse");
        assert_eq!(answer.status, 200, "{method} {path} as {}: {answer:?}", self.id);
        answer.json()
    }

    /// A private room with `invite` invited; its id.
    pub fn create_room(&self, invite: &[&str]) -> String {
        let body = json!({"preset": "private_chat", "invite": invite});
        let created = self.call("POST", "/_matrix/client/v3/createRoom", Some(&body));
        created["room_id"].as_str().expect("room id").to_string()
    }

    pub fn invite(&self, room: &str, user: &str) {
        self.call(
            "POST",
            &format!("/_matrix/client/v3/rooms/{room}/invite"),
            Some(&json!({"user_id": user})),
        );
    }

    pub fn join(&self, room: &str) {
        self.call("POST", &format!("/_matrix/client/v3/join/{room}"), Some(&json!({})));
    }

    /// Sends an event; its event id.
    pub fn send(&self, room: &str, event_type: &str, content: Value) -> String {
        let path = format!("/_matrix/client/v3/rooms/{room}/send/{event_type}/{}", txn());
        self.call("PUT", &path, Some(&content))["event_id"]
            .as_str()
            .expect("event id")
            .to_string()
    }

    pub fn say(&self, room: &str, body: &str) -> String {
        self.send(room, "m.room.message", json!({"msgtype": "m.text", "body": body}))
    }

    pub fn react(&self, room: &str, target: &str, key: &str) -> String {
        let content = json!({"m.relates_to": {"rel_type": "m.annotation", "event_id": target, "key": key}});
        self.send(room, "m.reaction", content)
    }

    pub fn redact(&self, room: &str, event: &str) {
        self.call(
            "PUT",
            &format!("/_matrix/client/v3/rooms/{room}/redact/{event}/{}", txn()),
            Some(&json!({})),
        );
    }

    /// The room's last 100 events, oldest first.
    pub fn events(&self, room: &str) -> Vec<Value> {
        let page = self.call(
            "GET",
            &format!("/_matrix/client/v3/rooms/{room}/messages?dir=b&limit=100"),
            None,
        );
        let mut events = page["chunk"].as_array().cloned().unwrap_or_default();
        events.reverse();
        events
    }

    /// `user`'s membership in `room` (`join`, `invite`, `leave`…), if any.
    pub fn membership(&self, room: &str, user: &str) -> Option<String> {
        let path = format!("/_matrix/client/v3/rooms/{room}/state/m.room.member/{user}");
        let answer = self
            .server
            .request("GET", &path, Some(&self.token), None)
            .expect("HTTP to Synapse");
        answer.json()["membership"].as_str().map(String::from)
    }

    /// Rooms this user is invited to (from a sync without long polling).
    pub fn invites(&self) -> Vec<String> {
        let sync = self.call("GET", "/_matrix/client/v3/sync?timeout=0", None);
        sync["rooms"]["invite"]
            .as_object()
            .map(|rooms| rooms.keys().cloned().collect())
            .unwrap_or_default()
    }
}
