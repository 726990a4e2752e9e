//! Test users' own end-to-end-encrypting Matrix clients, to read what the bot sends to encrypted rooms.

use super::User;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::RoomId;
use matrix_sdk::Client;
use serde_json::Value;
use std::time::Duration;

/// `user`'s own Matrix client (password `{localpart}-secret`), with end-to-end encryption. Synced
/// once, so that its device keys are on the homeserver (and the bot shares its room keys with it).
pub async fn encrypting_client(user: &User) -> Client {
    let client = Client::builder()
        .homeserver_url(user.server.base_url())
        .build()
        .await
        .expect("client");
    let localpart = user.id.trim_start_matches('@').split(':').next().unwrap_or_default();
    client
        .matrix_auth()
        .login_username(localpart, &format!("{localpart}-secret"))
        .initial_device_display_name("test")
        .send()
        .await
        .expect("login");
    client.sync_once(SyncSettings::default()).await.expect("first sync");
    client
}

/// `sender`'s messages in `room`, decrypted by `client` (after one more sync), oldest first.
pub async fn decrypted_messages(client: &Client, room: &str, sender: &str) -> Vec<Value> {
    let settings = SyncSettings::default().timeout(Duration::from_secs(1));
    client.sync_once(settings).await.expect("sync");
    let Some(room) = client.get_room(<&RoomId>::try_from(room).expect("room id")) else {
        return Vec::new();
    };
    let page = room.messages(MessagesOptions::backward()).await.expect("messages");
    let mut events: Vec<Value> = page
        .chunk
        .iter()
        .filter_map(|event| serde_json::from_str::<Value>(event.raw().json().get()).ok())
        .filter(|event| event["type"] == "m.room.message" && event["sender"] == sender)
        .collect();
    events.reverse();
    events
}
