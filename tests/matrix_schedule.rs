//! The Matrix adapter drives the core scheduler, on a real Synapse: the daily push is posted once
//! when its time comes (by the bot's injected clock) and not again after a restart.

#[path = "matrix_support/mod.rs"]
mod matrix_support;

use matrix_support::synapse::Synapse;
use matrix_support::*;
use relais::store::{ActionState, Store};
use std::time::Duration;

const TITLE: &str = "Wetland walk";

/// The coordinator adds and approves post c1 (titled [`TITLE`]), which the daily push will carry.
fn add_the_approved_post(bot: &TestBot, carla: &User, room: &str) {
    let add = format!("!post add\ntitle: {TITLE}\nlink: https://example.org/wetland\ntext.en: Come along!");
    says(bot, carla, room, &add);
    says(bot, carla, room, "!post approve c1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_push_is_posted_once_at_its_time_and_not_again_after_a_restart() {
    let server = Synapse::shared();
    // Set up an hour before tomorrow's noon push: nothing is due yet.
    let (bot, running, carla, alice, room) =
        team_on(server, "sched", noon(), options_at(tomorrow_at(noon(), -3600))).await;
    add_the_approved_post(&bot, &carla, &room);
    sentinel(&bot, &alice, &room).await;
    assert!(
        bot_messages_containing(&alice, &room, &bot.user_id, TITLE).is_empty(),
        "no push before its time"
    );
    running.stop().await.expect("orderly stop");

    // The bot's clock three seconds before the push time: exactly one push appears.
    let running = bot.start_with(options_at(tomorrow_at(noon(), -3)), password());
    let push = the_push(&bot, &alice, &room, 40, "the daily push").await;
    assert_eq!(push["content"]["msgtype"], "m.notice", "{push}");
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    let key = format!("push:matrix:{room}:{}", tomorrow_at(noon(), 0).date_naive());
    let record = bot.store.action_state(&key).expect("store");
    assert_eq!(record.map(|r| r.state), Some(ActionState::Done), "{key} confirmed");

    // Restarted with the same state after the push (within the grace window): still one push.
    assert_eq!(
        bot_messages_after_a_restart_within_grace(&bot, &alice, &room, TITLE).await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_due_while_the_homeserver_is_away_is_sent_once_when_it_is_back() {
    let server: &'static Synapse = Box::leak(Box::new(Synapse::start()));
    let (bot, running, carla, alice, room) =
        team_on(server, "away", noon(), options_at(tomorrow_at(noon(), -3600))).await;
    add_the_approved_post(&bot, &carla, &room);
    running.stop().await.expect("orderly stop");

    let running = bot.start_with(options_at(tomorrow_at(noon(), -12)), password());
    sentinel(&bot, &alice, &room).await;
    server.stop();
    // The push comes due while the homeserver is down: it cannot be sent, so it is not confirmed.
    tokio::time::sleep(Duration::from_secs(16)).await;
    let key = format!("push:matrix:{room}:{}", tomorrow_at(noon(), 0).date_naive());
    let record = bot.store.action_state(&key).expect("store");
    assert_eq!(
        record.map(|r| r.state),
        Some(ActionState::Started),
        "{key} not confirmed"
    );
    server.start_again();
    the_push(&bot, &alice, &room, 60, "the push once the homeserver is back").await;
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    assert_eq!(bot_messages_containing(&alice, &room, &bot.user_id, TITLE).len(), 1);
    server.stop();
    let record = bot.store.action_state(&key).expect("store");
    assert_eq!(record.map(|r| r.state), Some(ActionState::Done), "{key} confirmed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_for_a_configured_room_the_bot_is_not_in_waits_and_comes_once_when_it_is_invited() {
    let server = Synapse::shared();
    let carla = User::register(server, "absent_carla");
    let alice = User::register(server, "absent_alice");
    let present = carla.create_room(&[&alice.id]);
    let absent = carla.create_room(&[&alice.id]);
    alice.join(&present);
    alice.join(&absent);
    let bot = TestBot::new(
        server,
        "absent_relais",
        settings(&[&present, &absent], &[&carla.id], noon()),
        &[&carla.id],
    );
    let running = bot.start_with(options_at(tomorrow_at(noon(), -3600)), password());
    carla.invite(&present, &bot.user_id);
    bot.joined(&carla, &present).await;
    add_the_approved_post(&bot, &carla, &present);
    running.stop().await.expect("orderly stop");

    // The push comes due: it goes out in the room the bot is in, and waits for the other one.
    let running = bot.start_with(options_at(tomorrow_at(noon(), -3)), password());
    the_push(&bot, &alice, &present, 40, "the push where the bot is").await;
    tokio::time::sleep(Duration::from_secs(8)).await;
    let date = tomorrow_at(noon(), 0).date_naive();
    let waiting = format!("push:matrix:{absent}:{date}");
    assert_eq!(
        action_state(&bot, &waiting),
        Some(ActionState::Started),
        "{waiting} waits, not confirmed"
    );

    // Invited, the bot joins and the push arrives once.
    carla.invite(&absent, &bot.user_id);
    the_push(&bot, &alice, &absent, 60, "the push once the bot is in the room").await;
    sentinel(&bot, &alice, &absent).await;
    running.stop().await.expect("orderly stop");
    assert_eq!(action_state(&bot, &waiting), Some(ActionState::Done), "{waiting}");
    assert_eq!(bot_messages_containing(&alice, &absent, &bot.user_id, TITLE).len(), 1);
    assert_eq!(bot_messages_containing(&alice, &present, &bot.user_id, TITLE).len(), 1);
}

/// A bot stopped after matrix-sdk's sync but before its own position was saved starts from
/// matrix-sdk's position: that first sync does not wait for news (a long poll of 30 s), so a push
/// due when the bot starts goes out at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_due_when_the_bot_starts_without_its_own_position_goes_out_at_once() {
    let server = Synapse::shared();
    let (bot, running, carla, alice, room) =
        team_on(server, "nopos", noon(), options_at(tomorrow_at(noon(), -3600))).await;
    add_the_approved_post(&bot, &carla, &room);
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    // matrix-sdk keeps its position; the adapter's is gone (as if stopped before saving it).
    std::fs::remove_file(bot.sync_journal()).expect("remove the adapter's journal");

    let running = bot.start_with(options_at(tomorrow_at(noon(), -2)), password());
    the_push(&bot, &alice, &room, 15, "the push, without a long poll first").await;
    running.stop().await.expect("orderly stop");
    assert_eq!(bot_messages_containing(&alice, &room, &bot.user_id, TITLE).len(), 1);
}

/// The bot's push (the post titled [`TITLE`]) in `room` as `user` sees it, awaited up to `seconds`.
async fn the_push(bot: &TestBot, user: &User, room: &str, seconds: u64, what: &str) -> serde_json::Value {
    eventually(Duration::from_secs(seconds), what, || {
        bot_messages_containing(user, room, &bot.user_id, TITLE)
            .first()
            .cloned()
    })
    .await
}
