//! Room administration by test users: encrypted rooms, removing a member, opening a room to all.

use super::User;
use serde_json::json;

impl User {
    /// A private room with end-to-end encryption on, with `invite` invited; its id.
    pub fn create_encrypted_room(&self, invite: &[&str]) -> String {
        let body = json!({
            "preset": "private_chat",
            "invite": invite,
            "initial_state": [{
                "type": "m.room.encryption",
                "state_key": "",
                "content": {"algorithm": "m.megolm.v1.aes-sha2"},
            }],
        });
        let created = self.call("POST", "/_matrix/client/v3/createRoom", Some(&body));
        created["room_id"].as_str().expect("room id").to_string()
    }

    /// Removes `user` from `room` (a kick: they may come back if invited or if the room is public).
    pub fn kick(&self, room: &str, user: &str) {
        let body = json!({"user_id": user, "reason": "test"});
        self.call("POST", &format!("/_matrix/client/v3/rooms/{room}/kick"), Some(&body));
    }

    /// Sets who may join `room` without an invitation (`public`, `invite`…).
    pub fn set_join_rule(&self, room: &str, rule: &str) {
        let path = format!("/_matrix/client/v3/rooms/{room}/state/m.room.join_rules/");
        self.call("PUT", &path, Some(&json!({"join_rule": rule})));
    }
}
