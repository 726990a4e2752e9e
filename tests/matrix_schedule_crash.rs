//! A daily push interrupted by a crash, on a real Synapse. The crash is reproduced without hooks:
//! the core scheduler runs the push (the store records it *started*), the adapter never confirms
//! it, and, in one case, the bot's own device has already sent it (its saved session, the
//! transaction id of the push's key, the content the adapter sends). Restarted, the bot sends it
//! again with the same transaction id: the room holds one push, the action is done, and a
//! reaction on that push is a claim. When the session was lost in between (a new device, whose
//! transaction ids are new to the homeserver), the bot finds its earlier push by its key.

#[path = "matrix_support/mod.rs"]
mod matrix_support;

use chrono::{DateTime, Utc};
use matrix_support::synapse::Synapse;
use matrix_support::*;
use relais::app::scheduler::Scheduler;
use relais::app::Effect;
use relais::domain::ReshareSource;
use relais::platform::matrix::{render, transaction_id, KEY_FIELD};
use relais::store::ActionState;
use serde_json::json;
use std::time::Duration;

const TITLE: &str = "Estuary bird count";

/// Where the crash interrupted the delivery of the push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Crash {
    /// The push reached the homeserver; the bot died before confirming it.
    AfterTheSend,
    /// The bot died after recording the push as started, before its request reached the homeserver.
    BeforeTheSend,
    /// As `AfterTheSend`, and the saved session was revoked meanwhile: the bot comes back as a
    /// new device.
    AfterTheSendOnAnotherDevice,
}

/// A team (prefix `prefix`) with an item approved for tomorrow's noon push; the bot has run once
/// (its session and sync position are saved) and is stopped.
async fn team_with_a_push_due(prefix: &str) -> (TestBot, User, String) {
    let server = Synapse::shared();
    let (bot, running, carla, alice, room) =
        team_on(server, prefix, noon(), options_at(tomorrow_at(noon(), -3600))).await;
    let add = format!("!post add\ntitle: {TITLE}\nlink: https://example.org/estuary\ntext.en: Count with us!");
    says(&bot, &carla, &room, &add);
    says(&bot, &carla, &room, "!post approve c1");
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    (bot, alice, room)
}

/// What a crash during the push due at `due` leaves in the store: the scheduler ran at `at` and
/// recorded the push *started*; nobody confirmed it. Returns the push's key and its post.
fn crash_during_the_push(bot: &TestBot, room: &str, due: DateTime<Utc>, at: DateTime<Utc>) -> (String, Effect) {
    let key = format!("push:matrix:{room}:{}", due.date_naive());
    let mut scheduler = Scheduler::start(bot.app, at).expect("the scheduler starts");
    let handouts = scheduler.run_due(bot.app, at).expect("the scheduler runs");
    let keys: Vec<&str> = handouts.iter().map(|h| h.key.as_str()).collect();
    assert_eq!(keys, [key.as_str()], "only the push is due at {at}");
    let effects = handouts.into_iter().flat_map(|h| h.effects).collect::<Vec<_>>();
    let [post @ Effect::Post { .. }] = effects.as_slice() else {
        panic!("the push is one post: {effects:?}");
    };
    assert_eq!(action_state(bot, &key), Some(ActionState::Started), "{key}");
    (key, post.clone())
}

/// A room id as a path segment (matrix-sdk percent-encodes `!` and `:` too).
fn path_segment(room_id: &str) -> String {
    room_id.replace('!', "%21").replace(':', "%3A")
}

/// Sends the push `post` as the bot's own device does: with the access token of its saved
/// session, the transaction id of the post's key and the adapter's notice content. Its event id.
fn send_as_the_bot(bot: &TestBot, post: &Effect) -> String {
    let Effect::Post { room, text, key, .. } = post else {
        panic!("not a post: {post:?}");
    };
    let rendered = render(text);
    let content = json!({
        "msgtype": "m.notice",
        "body": rendered.plain,
        "format": "org.matrix.custom.html",
        "formatted_body": rendered.html,
        "m.mentions": {"user_ids": []},
        KEY_FIELD: key,
    });
    let path = format!(
        "/_matrix/client/v3/rooms/{}/send/m.room.message/{}",
        path_segment(&room.room),
        transaction_id(key)
    );
    bot.as_saved_session("PUT", &path, &content)["event_id"]
        .as_str()
        .expect("event id")
        .to_string()
}

/// What the tests look at after the restart: the bot (still running), the room and its
/// ambassador, the event ids of the pushes in the room once the push is confirmed, and the push
/// the bot sent before the crash (if it did).
struct AfterTheRestart {
    bot: TestBot,
    running: RunningBot,
    alice: User,
    room: String,
    pushes: Vec<String>,
    sent_before: Option<String>,
}

/// The bot crashes during tomorrow's noon push (`crash`), then restarts at the push time.
async fn restart_after_a_crash(prefix: &str, crash: Crash) -> AfterTheRestart {
    let (bot, alice, room) = team_with_a_push_due(prefix).await;
    let due = tomorrow_at(noon(), 0);
    let (key, post) = crash_during_the_push(&bot, &room, due, due + seconds(1));
    let sent_before = (crash != Crash::BeforeTheSend).then(|| send_as_the_bot(&bot, &post));
    if crash == Crash::AfterTheSendOnAnotherDevice {
        bot.revoke_the_saved_session();
    }
    let before = bot_messages_containing(&alice, &room, &bot.user_id, TITLE);
    assert_eq!(
        before.len(),
        usize::from(sent_before.is_some()),
        "{crash:?}: {before:?}"
    );

    let running = bot.start_with(options_at(due + seconds(2)), password());
    eventually(Duration::from_secs(60), "the push confirmed after the restart", || {
        (action_state(&bot, &key) == Some(ActionState::Done)).then_some(())
    })
    .await;
    sentinel(&bot, &alice, &room).await;
    let found = bot_messages_containing(&alice, &room, &bot.user_id, TITLE);
    for push in &found {
        assert_eq!(push["content"]["msgtype"], "m.notice", "{push}");
    }
    let pushes = found
        .iter()
        .map(|e| e["event_id"].as_str().expect("event id").to_string())
        .collect();
    AfterTheRestart {
        bot,
        running,
        alice,
        room,
        pushes,
        sent_before,
    }
}

/// Alice reacts ✅ to `push`: her claims once the bot has recorded one (the adapter must know the
/// event as its push).
async fn claim_by_reaction(after: &AfterTheRestart, push: &str) -> Vec<(ReshareSource, Option<String>)> {
    after.alice.react(&after.room, push, "✅");
    let claims = eventually(Duration::from_secs(30), "alice's claim by reaction", || {
        Some(reshares_of(&after.bot, &after.alice)).filter(|claims| !claims.is_empty())
    })
    .await;
    claims.into_iter().map(|r| (r.source, r.url)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_sent_just_before_a_crash_is_not_posted_again_and_a_reaction_on_it_is_a_claim() {
    let after = restart_after_a_crash("crashsent", Crash::AfterTheSend).await;
    let sent_before = after.sent_before.as_deref().expect("sent before the crash");
    assert_eq!(
        after.pushes,
        [sent_before],
        "one push in the room: the one sent before the crash"
    );
    let claims = claim_by_reaction(&after, sent_before).await;
    assert_eq!(claims, [(ReshareSource::Reaction, None)], "one claim by reaction");
    after.running.stop().await.expect("orderly stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_interrupted_before_it_reached_the_homeserver_is_sent_once_after_a_restart() {
    let after = restart_after_a_crash("crashunsent", Crash::BeforeTheSend).await;
    assert_eq!(after.sent_before, None);
    let [push] = after.pushes.as_slice() else {
        panic!("one push in the room: {:?}", after.pushes);
    };
    let claims = claim_by_reaction(&after, push).await;
    assert_eq!(claims, [(ReshareSource::Reaction, None)], "one claim by reaction");
    let AfterTheRestart {
        bot,
        running,
        alice,
        room,
        ..
    } = after;
    running.stop().await.expect("orderly stop");

    // Restarted once more within the grace window: still one push.
    assert_eq!(
        bot_messages_after_a_restart_within_grace(&bot, &alice, &room, TITLE).await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_sent_just_before_a_crash_is_found_again_by_a_new_device_and_not_posted_twice() {
    let after = restart_after_a_crash("crashdevice", Crash::AfterTheSendOnAnotherDevice).await;
    let sent_before = after.sent_before.as_deref().expect("sent before the crash");
    assert_eq!(
        after.pushes,
        [sent_before],
        "one push in the room although the new device's transaction ids are new"
    );
    let claims = claim_by_reaction(&after, sent_before).await;
    assert_eq!(
        claims,
        [(ReshareSource::Reaction, None)],
        "the earlier push is the bot's push"
    );
    after.running.stop().await.expect("orderly stop");
}
