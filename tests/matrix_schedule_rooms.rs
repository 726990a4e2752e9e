//! A scheduled post for a configured room the bot is not in, on a real Synapse: the bot was
//! removed from the room (or left it) while it was stopped. The daily push is not confirmed (not
//! lost): it waits, the bot tries to join the room again, and once it is back in (invited again,
//! or the room opened to all) exactly one push arrives. Past the grace window it is given up. A
//! command's post for such a room is not sent, and does not hold back the sender's next commands.

#[path = "matrix_support/mod.rs"]
mod matrix_support;

use chrono::{DateTime, Utc};
use matrix_support::synapse::Synapse;
use matrix_support::*;
use relais::app::Settings;
use relais::store::ActionState;
use serde_json::json;
use std::time::Duration;

const TITLE: &str = "Riverbank clean-up";

/// A team (prefix `prefix`, settings changed by `adjust`) with an item approved for tomorrow's
/// noon push; the bot has run once and is stopped. The bot, carla, alice and the room.
async fn team_with_a_push_due(prefix: &str, adjust: impl FnOnce(&mut Settings)) -> (TestBot, User, User, String) {
    let server = Synapse::shared();
    let (bot, running, carla, alice, room) =
        team_with(server, prefix, noon(), options_at(tomorrow_at(noon(), -3600)), adjust).await;
    let add = format!("!post add\ntitle: {TITLE}\nlink: https://example.org/riverbank\ntext.en: Bring gloves!");
    says(&bot, &carla, &room, &add);
    says(&bot, &carla, &room, "!post approve c1");
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    (bot, carla, alice, room)
}

/// The key of the push due at `due` in `room`.
fn push_key(room: &str, due: DateTime<Utc>) -> String {
    format!("push:matrix:{room}:{}", due.date_naive())
}

/// The bot's pushes in `room`, as `carla` sees them.
fn pushes(bot: &TestBot, carla: &User, room: &str) -> usize {
    bot_messages_containing(carla, room, &bot.user_id, TITLE).len()
}

/// The push `key` has come due (it is *started*) and, over `rounds` retry rounds (5 s each), is
/// neither sent nor confirmed (it may be given up): the bot is still not in `room`.
async fn waits_unsent(bot: &TestBot, carla: &User, room: &str, key: &str, rounds: u64) {
    eventually(Duration::from_secs(30), "the push to come due", || {
        (action_state(bot, key) == Some(ActionState::Started)).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(5 * rounds + 1)).await;
    // Started, or skipped once past the grace window: never confirmed as sent.
    assert_ne!(
        action_state(bot, key),
        Some(ActionState::Done),
        "{key}: not confirmed while the bot is out of the room"
    );
    assert_eq!(pushes(bot, carla, room), 0, "no push while the bot is out of the room");
    assert_eq!(carla.membership(room, &bot.user_id).as_deref(), Some("leave"));
}

/// The bot leaves `room` itself, with its saved session (while it is stopped).
fn bot_leaves(bot: &TestBot, room: &str) {
    bot.as_saved_session("POST", &format!("/_matrix/client/v3/rooms/{room}/leave"), &json!({}));
}

/// Waits until the push `key` is confirmed, then lets the bot answer `alice` once more and stops it.
async fn confirmed_then_stopped(bot: &TestBot, running: RunningBot, alice: &User, room: &str, key: &str) {
    eventually(Duration::from_secs(60), &format!("{key} confirmed"), || {
        (action_state(bot, key) == Some(ActionState::Done)).then_some(())
    })
    .await;
    sentinel(bot, alice, room).await;
    running.stop().await.expect("orderly stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_for_a_room_the_bot_was_removed_from_waits_and_is_posted_once_when_it_is_invited_back() {
    let (bot, carla, alice, room) = team_with_a_push_due("kicked", |_| {}).await;
    carla.kick(&room, &bot.user_id);
    let due = tomorrow_at(noon(), 0);
    let key = push_key(&room, due);

    let running = bot.start_with(options_at(due - seconds(3)), password());
    // Two rounds: the bot's attempts to join the private room again are refused.
    waits_unsent(&bot, &carla, &room, &key, 2).await;
    carla.invite(&room, &bot.user_id);
    confirmed_then_stopped(&bot, running, &alice, &room, &key).await;
    assert_eq!(pushes(&bot, &carla, &room), 1, "one push once the bot is back");
    assert_eq!(carla.membership(&room, &bot.user_id).as_deref(), Some("join"));

    // Restarted within the grace window: still one push.
    assert_eq!(
        bot_messages_after_a_restart_within_grace(&bot, &alice, &room, TITLE).await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_for_a_room_the_bot_left_is_posted_once_the_bot_can_join_the_room_again() {
    let (bot, carla, alice, room) = team_with_a_push_due("leftroom", |_| {}).await;
    bot_leaves(&bot, &room);
    let due = tomorrow_at(noon(), 0);
    let key = push_key(&room, due);

    let running = bot.start_with(options_at(due - seconds(3)), password());
    waits_unsent(&bot, &carla, &room, &key, 1).await;
    // No invitation: the room opens to all, and the bot's next attempt to join it succeeds.
    carla.set_join_rule(&room, "public");
    confirmed_then_stopped(&bot, running, &alice, &room, &key).await;
    assert_eq!(pushes(&bot, &carla, &room), 1, "one push once the bot is back");
    assert_eq!(carla.membership(&room, &bot.user_id).as_deref(), Some("join"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_for_a_room_the_bot_is_not_in_is_given_up_after_the_grace_window() {
    let grace = chrono::Duration::seconds(15);
    let (bot, carla, alice, room) = team_with_a_push_due("gaveup", |s| s.schedule.grace = grace).await;
    carla.kick(&room, &bot.user_id);
    let due = tomorrow_at(noon(), 0);
    let key = push_key(&room, due);

    let running = bot.start_with(options_at(due - seconds(3)), password());
    // Past the grace window (the bot's clock started 3 s before the push) and one more round.
    waits_unsent(&bot, &carla, &room, &key, 4).await;
    carla.invite(&room, &bot.user_id);
    bot.joined(&carla, &room).await;
    sentinel(&bot, &alice, &room).await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    assert_eq!(pushes(&bot, &carla, &room), 0, "no push after the grace window");
    // Recorded skipped as undelivered (not sent again, listed in the next report).
    let record = relais::store::Store::action_state(bot.store, &key).expect("store");
    let record = record.map(|r| (r.state, r.reason));
    let undelivered = Some(relais::app::scheduler::UNDELIVERED.to_string());
    assert_eq!(record, Some((ActionState::Skipped, undelivered)), "{key}: given up");
}

/// The bot's urgent posts in `room` (the messages whose idempotency key is an urgent push's).
fn urgent_posts(bot: &TestBot, carla: &User, room: &str) -> usize {
    let events = carla.events(room);
    (messages_from(&events, &bot.user_id).into_iter())
        .filter(|e| {
            e["content"]["io.relais.key"]
                .as_str()
                .is_some_and(|k| k.starts_with("urgent:"))
        })
        .count()
}

/// A command's post for a configured room the bot is not in is not sent and holds nothing back:
/// the command is answered, with a note naming that room, and so are its sender's next commands
/// (they used to wait behind it for as long as the bot stayed out of that room).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_urgent_push_to_a_room_the_bot_is_not_in_is_answered_and_the_next_command_too() {
    let server = Synapse::shared();
    let carla = User::register(server, "urgentout_carla");
    let alice = User::register(server, "urgentout_alice");
    let present = carla.create_room(&[&alice.id]);
    let absent = carla.create_room(&[&alice.id]);
    alice.join(&present);
    let settings = settings(&[&present, &absent], &[&carla.id], never_today());
    let bot = TestBot::new(server, "urgentout_relais", settings, &[&carla.id]);
    let running = bot.start();
    carla.invite(&present, &bot.user_id);
    bot.joined(&carla, &present).await;
    let add = format!("!post add\ntitle: {TITLE}\nlink: https://example.org/riverbank\ntext.en: Bring gloves!");
    says(&bot, &carla, &present, &add);
    says(&bot, &carla, &present, "!post approve c1");

    let push = carla.say(&present, "!post push c1");
    answer_containing(&carla, &present, &bot.user_id, &push, "is pushed to").await;
    // The coordinator is told which room did not get the post, and nothing about the other.
    let note = answer_containing(&carla, &present, &bot.user_id, &push, "Not posted in").await;
    let note = note["content"]["body"].as_str().unwrap_or_default();
    assert!(note.contains(&absent) && !note.contains(&present), "{note}");
    let next = carla.say(&present, "!me");
    answer(&carla, &present, &bot.user_id, &next).await;
    running.stop().await.expect("orderly stop");
    assert_eq!(urgent_posts(&bot, &carla, &present), 1, "the push where the bot is");
    assert_eq!(urgent_posts(&bot, &carla, &absent), 0, "nothing where the bot is not");
    assert_ne!(carla.membership(&absent, &bot.user_id).as_deref(), Some("join"));
}
