//! The Matrix adapter in an end-to-end encrypted room: a command from an encrypting client (built
//! with matrix-sdk) is decrypted and answered, and the client decrypts the answer; a command whose
//! room key comes in a later sync than the command itself is answered when the key comes, even
//! when the bot is restarted while the command waits.

#[path = "matrix_support/mod.rs"]
mod matrix_support;

use matrix_sdk::config::SyncSettings;
use matrix_support::synapse::Synapse;
use matrix_support::*;
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_in_an_encrypted_room_gets_an_encrypted_answer() {
    let (bot, running, alice, room_id, client) = bot_in_an_encrypted_room("e2e").await;
    let room = joined_room(&client, &room_id);
    let command = say_encrypted(&room, "!help").await;

    let on_server: Vec<Value> = alice.events(&room_id);
    let raw_command = on_server
        .iter()
        .find(|e| e["event_id"] == command.as_str())
        .expect("command on the server");
    assert_eq!(raw_command["type"], "m.room.encrypted", "the command travels encrypted");

    let answer = decrypted_answer(&client, &bot.user_id, &command).await;
    assert_eq!(
        answer["type"], "m.room.message",
        "decrypted by the test client: {answer}"
    );
    assert_eq!(answer["content"]["msgtype"], "m.notice", "{answer}");
    assert!(
        answer["content"]["body"].as_str().is_some_and(|b| b.contains("today")),
        "{answer}"
    );
    let answer_id = answer["event_id"].as_str().expect("answer id");
    let raw_answer = alice
        .events(&room_id)
        .into_iter()
        .find(|e| e["event_id"] == answer_id)
        .expect("answer on the server");
    assert_eq!(raw_answer["type"], "m.room.encrypted", "the answer travels encrypted");
    running.stop().await.expect("orderly stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_whose_room_key_comes_later_is_answered_when_it_comes() {
    let (bot, running, alice, room_id, client) = bot_in_an_encrypted_room("e2e_late").await;
    running.stop().await.expect("orderly stop");

    // While the bot is away, more to-device messages wait for it than one sync delivers (100), so
    // the room key of the next command comes one sync after the command itself.
    to_device_fillers(&alice, &bot, "late", 150);
    let room = joined_room(&client, &room_id);
    let command = say_encrypted(&room, "!help").await;

    let running = bot.start();
    let answer = decrypted_answer(&client, &bot.user_id, &command).await;
    assert_eq!(answer["content"]["msgtype"], "m.notice", "{answer}");
    assert!(
        answer["content"]["body"].as_str().is_some_and(|b| b.contains("today")),
        "{answer}"
    );
    // Answered once, and not again after a restart.
    running.stop().await.expect("orderly stop");
    let running = bot.start();
    let sentinel = say_encrypted(&room, "!me").await;
    decrypted_answer(&client, &bot.user_id, &sentinel).await;
    running.stop().await.expect("orderly stop");
    assert_eq!(
        answers_in(&room, &command).await,
        1,
        "the late command is answered once, not again after a restart"
    );
}

/// An encrypted command that came before its room key is saved while it waits: the bot stopped
/// before the key came, and started again, still answers it, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_waiting_for_its_room_key_across_a_restart_is_answered_once() {
    let (bot, running, alice, room_id, client) = bot_in_an_encrypted_room("e2e_wait").await;
    running.stop().await.expect("orderly stop");

    // The room key of the next command comes many syncs after the command itself (a sync brings
    // 100 to-device messages), so that the bot can be stopped between the two.
    to_device_fillers(&alice, &bot, "wait", 1500);
    let room = joined_room(&client, &room_id);
    let command = say_encrypted(&room, "!help").await;

    // The bot is stopped as soon as it has saved the command as waiting for its key.
    let waiting = bot.state_dir.join(relais::platform::matrix::state::WAITING_FILE);
    let waits = || std::fs::read_to_string(&waiting).is_ok_and(|text| text.contains(&command));
    let running = bot.start();
    // Watched closely: the bot goes through a sync in milliseconds, and it finishes the one it is
    // in before it stops (matrix-sdk is never stopped half-way through its to-device messages).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !waits() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the command saved as waiting within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    running.stop().await.expect("orderly stop");
    assert!(waits(), "the bot stopped before the key came");

    let running = bot.start();
    let answer = decrypted_answer(&client, &bot.user_id, &command).await;
    assert!(
        answer["content"]["body"].as_str().is_some_and(|b| b.contains("today")),
        "{answer}"
    );
    let sentinel = say_encrypted(&room, "!me").await;
    decrypted_answer(&client, &bot.user_id, &sentinel).await;
    running.stop().await.expect("orderly stop");
    assert!(!waits(), "nothing waits any more");
    assert_eq!(answers_in(&room, &command).await, 1, "answered once");
}

/// Sends `count` to-device messages to the bot (more than one sync delivers: 100), so that what is
/// sent to it next comes some syncs later.
fn to_device_fillers(sender: &User, bot: &TestBot, tag: &str, count: usize) {
    for n in 0..count {
        let path = format!("/_matrix/client/v3/sendToDevice/io.relais.test.filler/{tag}-{n}");
        sender.call(
            "PUT",
            &path,
            Some(&json!({"messages": {bot.user_id.as_str(): {"*": {"n": n}}}})),
        );
    }
}

/// How many of the latest 100 events of `room` answer `command` (in reply to it).
async fn answers_in(room: &matrix_sdk::Room, command: &str) -> usize {
    let mut options = matrix_sdk::room::MessagesOptions::backward();
    options.limit = 100u32.into();
    let messages = room.messages(options).await.expect("room messages");
    messages
        .chunk
        .iter()
        .filter_map(|event| serde_json::from_str::<Value>(event.raw().json().get()).ok())
        .filter(|e| e["content"]["m.relates_to"]["m.in_reply_to"]["event_id"] == command)
        .count()
}

/// A bot (`{prefix}_relais`, running) that alice (`{prefix}_alice`) invited into her encrypted
/// room, and alice's encrypting client, which knows the bot's device keys.
async fn bot_in_an_encrypted_room(prefix: &str) -> (TestBot, RunningBot, User, String, matrix_sdk::Client) {
    let server = Synapse::shared();
    let alice_name = format!("{prefix}_alice");
    let alice = User::register(server, &alice_name);
    let room_id = encrypted_room(&alice);
    let bot = TestBot::new(
        server,
        &format!("{prefix}_relais"),
        settings(&[&room_id], &[], never_today()),
        &[],
    );
    let running = bot.start();
    alice.invite(&room_id, &bot.user_id);
    bot.joined(&alice, &room_id).await;
    // Let the bot's first syncs upload its device keys.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let client = sdk_client(server, &alice_name, &format!("{alice_name}-secret")).await;
    client.sync_once(SyncSettings::default()).await.expect("first sync");
    (bot, running, alice, room_id, client)
}

/// The room `room_id` as the test client knows it (joined).
fn joined_room(client: &matrix_sdk::Client, room_id: &str) -> matrix_sdk::Room {
    client
        .get_room(<&matrix_sdk::ruma::RoomId>::try_from(room_id).expect("room id"))
        .expect("joined room")
}

/// Sends `body` as an encrypted text message in `room`; its event id.
async fn say_encrypted(room: &matrix_sdk::Room, body: &str) -> String {
    let sent = room
        .send_raw("m.room.message", json!({"msgtype": "m.text", "body": body}))
        .await
        .expect("encrypted send");
    sent.response.event_id.to_string()
}

/// A private room `owner` creates with encryption on.
fn encrypted_room(owner: &User) -> String {
    let body = json!({
        "preset": "private_chat",
        "initial_state": [{"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}]
    });
    owner.call("POST", "/_matrix/client/v3/createRoom", Some(&body))["room_id"]
        .as_str()
        .expect("room")
        .to_string()
}

/// The bot's answer to `command`, as `client` decrypts it (waits up to 45 s).
async fn decrypted_answer(client: &matrix_sdk::Client, bot: &str, command: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(45);
    loop {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no decrypted answer to {command}"
        );
        let response = client
            .sync_once(SyncSettings::default().timeout(Duration::from_secs(2)))
            .await
            .expect("sync");
        let found = response
            .rooms
            .joined
            .values()
            .flat_map(|update| update.timeline.events.iter())
            .find_map(|event| {
                let value: Value = serde_json::from_str(event.raw().json().get()).ok()?;
                let answers = value["content"]["m.relates_to"]["m.in_reply_to"]["event_id"] == command;
                (value["sender"] == bot && answers).then_some(value)
            });
        if let Some(found) = found {
            return found;
        }
    }
}
