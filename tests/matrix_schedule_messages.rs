//! The Matrix adapter's scheduled messages besides the daily push, on a real Synapse: a personal
//! reminder reaches an ambassador in one (encrypted) direct chat at her local reminder time, the
//! weekly leaderboard goes to the team room and the weekly report (with its PNG chart and CSV) to
//! the coordinators' room at their times; none of them again after a restart.

#[path = "matrix_support/mod.rs"]
mod matrix_support;

use chrono::{NaiveTime, Utc};
use matrix_sdk::config::SyncSettings;
use matrix_sdk::Client;
use matrix_support::e2e::{decrypted_messages, encrypting_client};
use matrix_support::synapse::Synapse;
use matrix_support::weekly::{download, next_week_at, WeeklyTeam, ADD_POST};
use matrix_support::*;
use relais::app::ScheduleSettings;
use relais::domain::{Identity, Platform, WeekKey};
use relais::platform::matrix::MatrixOptions;
use relais::store::{ActionState, Store};
use serde_json::Value;
use std::time::Duration;

const TITLE: &str = "Heron census";

/// Waits until the scheduler has confirmed `key` (after everything of it was sent).
async fn confirmed(bot: &TestBot, key: &str) {
    eventually(Duration::from_secs(60), &format!("{key} confirmed"), || {
        (action_state(bot, key) == Some(ActionState::Done)).then_some(())
    })
    .await
}

/// Runs the bot with `options` until it has answered a sentinel in each of `rooms` twice (two
/// seconds apart): every scheduled action due at its start has been run.
async fn run_for_a_while(bot: &TestBot, options: MatrixOptions, rooms: &[(&User, &str)]) {
    let running = bot.start_with(options, password());
    for (user, room) in rooms {
        sentinel(bot, user, room).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    for (user, room) in rooms {
        sentinel(bot, user, room).await;
    }
    running.stop().await.expect("orderly stop");
}

/// The ambassador of `user` in the bot's store.
fn ambassador_of(bot: &TestBot, user: &User) -> relais::domain::Ambassador {
    let identity = Identity::new(Platform::Matrix, user.id.clone());
    let who = bot.store.ambassador_by_identity(&identity).expect("store");
    who.expect("an ambassador")
}

/// The rooms `client` has joined and those it is invited to, sorted, after one more sync. (A
/// client of its own: Synapse answers a repeated `/sync` without `since` from its response cache
/// for two minutes, so `User::invites` cannot be polled.)
async fn rooms_of(client: &Client) -> (Vec<String>, Vec<String>) {
    let settings = SyncSettings::default().timeout(Duration::from_secs(1));
    client.sync_once(settings).await.expect("sync");
    let ids = |rooms: Vec<matrix_sdk::Room>| {
        let mut ids: Vec<String> = rooms.iter().map(|r| r.room_id().to_string()).collect();
        ids.sort();
        ids
    };
    (ids(client.joined_rooms()), ids(client.invited_rooms()))
}

/// The first room `client` is invited to, waiting up to 40 s.
async fn first_invitation(client: &Client) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    loop {
        if let Some(invited) = rooms_of(client).await.1.first() {
            return invited.clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "no invitation to a direct chat");
    }
}

/// `sender`'s first message in `room` as `client` decrypts it, waiting up to 40 s.
async fn first_decrypted(client: &Client, room: &str, sender: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    loop {
        if let Some(first) = decrypted_messages(client, room, sender).await.first() {
            return first.clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "no readable message in {room}");
    }
}

/// How many messages (clear or encrypted) `sender` sent to `room`, as `user` sees them.
fn messages_sent(user: &User, room: &str, sender: &str) -> usize {
    let events = user.events(room);
    let from_sender = events.iter().filter(|e| e["sender"] == sender);
    from_sender
        .filter(|e| matches!(e["type"].as_str(), Some("m.room.message" | "m.room.encrypted")))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_reaches_the_ambassador_in_one_direct_chat_at_her_local_time_once() {
    let server = Synapse::shared();
    // Alice's reminder at 17:45 in Kolkata (UTC+5:30 all year): 12:15 UTC, tomorrow.
    let due = tomorrow_at(NaiveTime::from_hms_opt(12, 15, 0).expect("time"), 0);
    let before = options_at(due - seconds(3600));
    let (bot, running, carla, alice, room) = team_on(server, "remind", never_today(), before).await;
    says(&bot, &carla, &room, ADD_POST);
    says(&bot, &carla, &room, "!post approve c1");
    for (command, answered) in [("!tz Asia/Kolkata", "Asia/Kolkata"), ("!nudges 17:45", "17:45")] {
        let event = alice.say(&room, command);
        answer_containing(&alice, &room, &bot.user_id, &event, answered).await;
    }
    let alice_client = encrypting_client(&alice).await;
    sentinel(&bot, &alice, &room).await;
    let no_chat = (vec![room.clone()], Vec::new());
    assert_eq!(rooms_of(&alice_client).await, no_chat, "no direct chat before its time");
    running.stop().await.expect("orderly stop");

    // The bot's clock three seconds before her reminder time: a direct chat with the reminder.
    let running = bot.start_with(options_at(due - seconds(3)), password());
    let chat = first_invitation(&alice_client).await;
    let key = format!("nudge:{}:{}", ambassador_of(&bot, &alice).id, due.date_naive());
    confirmed(&bot, &key).await;
    alice.join(&chat);
    let reminder = first_decrypted(&alice_client, &chat, &bot.user_id).await;
    running.stop().await.expect("orderly stop");
    assert_eq!(reminder["content"]["msgtype"], "m.notice", "{reminder}");
    let body = reminder["content"]["body"].as_str().unwrap_or_default();
    assert!(
        body.starts_with("Hi ") && body.contains(TITLE) && body.contains("nudges off"),
        "the reminder text: {body}"
    );

    // Restarted within the grace window: no second reminder, no second chat.
    run_for_a_while(&bot, options_at(due + seconds(30)), &[(&alice, &room)]).await;
    let mut both = vec![room.clone(), chat.clone()];
    both.sort();
    let one_chat = (both, Vec::new());
    assert_eq!(
        rooms_of(&alice_client).await,
        one_chat,
        "the team room and one direct chat"
    );
    assert_eq!(messages_sent(&alice, &chat, &bot.user_id), 1, "one message in the chat");
    assert_eq!(decrypted_messages(&alice_client, &chat, &bot.user_id).await.len(), 1);
}

/// The board ranks alice with her points; the report counts her reshare and comes with the
/// week's chart (a PNG) and CSV (her reshare in it).
fn assert_weekly_contents(team: &WeeklyTeam, week: WeekKey) {
    let totals = team.bot.store.week_totals(week).expect("store");
    let [(_, total)] = totals.as_slice() else {
        panic!("alice alone has points: {totals:?}");
    };
    let name = ambassador_of(&team.bot, &team.alice).display_name;
    let (board, report, files) = team.weekly_posts(week);
    let board_body = board
        .first()
        .and_then(|e| e["content"]["body"].as_str())
        .unwrap_or_default();
    assert!(
        board_body.contains(&format!("{name} — {} pts", total.points)),
        "{board_body}"
    );
    let report_body = report
        .first()
        .and_then(|e| e["content"]["body"].as_str())
        .unwrap_or_default();
    assert!(report_body.contains("Reshares: 1 "), "{report_body}");
    let described: Vec<(&str, &str, &str)> = files
        .iter()
        .map(|(t, n, m, _)| (t.as_str(), n.as_str(), m.as_str()))
        .collect();
    let (png, csv) = (format!("relais-{week}.png"), format!("relais-{week}.csv"));
    assert_eq!(
        described,
        [
            ("m.image", png.as_str(), "image/png"),
            ("m.file", csv.as_str(), "text/csv")
        ]
    );
    let [(.., png_url), (.., csv_url)] = files.as_slice() else {
        panic!("a chart and a CSV: {files:?}");
    };
    let chart = download(&team.carla, png_url);
    assert!(chart.starts_with("\u{FFFD}PNG\r\n"), "a PNG: {:?}", chart.get(..16));
    let rows = download(&team.carla, csv_url);
    assert!(
        rows.starts_with("date_time,ambassador") && rows.contains("weekly_alice/status/1"),
        "{rows}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_weekly_leaderboard_and_report_are_posted_at_their_times_and_not_again_after_a_restart() {
    let schedule = ScheduleSettings::default();
    let (board_at, report_at) = (next_week_at(schedule.leaderboard), next_week_at(schedule.report));
    let week = WeekKey::of(Utc::now(), chrono_tz::UTC);
    assert_eq!(
        WeekKey::of(board_at, chrono_tz::UTC).previous(),
        week,
        "the board covers this week"
    );
    let (first, last) = (board_at.min(report_at), board_at.max(report_at));
    let team = WeeklyTeam::with_a_claim(Synapse::shared(), "weekly", first - seconds(3600), false).await;
    assert_eq!(team.weekly_counts(week), [0, 0, 0], "nothing before its time");

    // The bot's clock three seconds before the first of them.
    let bot = &team.bot;
    let running = bot.start_with(options_at(first - seconds(3)), password());
    confirmed(bot, &format!("board:matrix:{}:{week}", team.team)).await;
    confirmed(bot, &format!("report:matrix:{}:{week}", team.coordinators)).await;
    sentinel(bot, &team.alice, &team.team).await;
    sentinel(bot, &team.carla, &team.coordinators).await;
    running.stop().await.expect("orderly stop");
    assert_eq!(
        team.weekly_counts(week),
        [1, 1, 2],
        "a board, a report, a chart and a CSV"
    );
    assert_weekly_contents(&team, week);

    // Restarted after both times (within the grace window): nothing posted again.
    let rooms = [
        (&team.alice, team.team.as_str()),
        (&team.carla, team.coordinators.as_str()),
    ];
    run_for_a_while(bot, options_at(last + seconds(30)), &rooms).await;
    assert_eq!(team.weekly_counts(week), [1, 1, 2]);
}
