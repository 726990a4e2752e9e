//! The Matrix adapter drives the core scheduler, on a real Synapse: the daily push, a personal
//! reminder by direct message, the weekly leaderboard and the weekly report (with its chart and
//! CSV) each go out once when their time comes (by the bot's injected clock), not again after a
//! restart.

#[path = "matrix_support/mod.rs"]
mod matrix_support;

use chrono::{DateTime, Datelike, NaiveTime, Utc};
use matrix_sdk::config::SyncSettings;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::RoomId;
use matrix_sdk::Client;
use matrix_support::synapse::Synapse;
use matrix_support::*;
use relais::app::{Incoming, ScheduleSettings};
use relais::domain::schedule::WeeklyTime;
use relais::domain::{Identity, Platform, RoomRef, WeekKey};
use relais::platform::matrix::Credentials;
use relais::store::{ActionState, Store};
use serde_json::Value;
use std::time::Duration;

const TITLE: &str = "Wetland walk";

fn coordinator_says(bot: &TestBot, who: &User, room: &str, text: &str) {
    let msg = Incoming {
        from: Identity::new(Platform::Matrix, who.id.clone()),
        display_name: "Carla".into(),
        room: RoomRef::new(Platform::Matrix, room),
        direct: false,
        text: text.into(),
    };
    bot.app.handle(&msg, Utc::now());
}

fn password() -> Option<Credentials> {
    Some(Credentials::Password(BOT_PASSWORD.into()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_push_is_posted_once_at_its_time_and_not_again_after_a_restart() {
    let server = Synapse::shared();
    // Set up an hour before tomorrow's noon push: nothing is due yet.
    let (bot, running, carla, alice, room) =
        team_on(server, "sched", noon(), options_at(tomorrow_at(noon(), -3600))).await;
    let add = format!("!post add\ntitle: {TITLE}\nlink: https://example.org/wetland\ntext.en: Come along!");
    coordinator_says(&bot, &carla, &room, &add);
    coordinator_says(&bot, &carla, &room, "!post approve c1");
    sentinel(&bot, &alice, &room).await;
    assert!(
        bot_messages_containing(&alice, &room, &bot.user_id, TITLE).is_empty(),
        "no push before its time"
    );
    running.stop().await.expect("orderly stop");

    // The bot's clock three seconds before the push time: exactly one push appears.
    let running = bot.start_with(options_at(tomorrow_at(noon(), -3)), password());
    let push = eventually(Duration::from_secs(40), "the daily push", || {
        bot_messages_containing(&alice, &room, &bot.user_id, TITLE)
            .first()
            .cloned()
    })
    .await;
    assert_eq!(push["content"]["msgtype"], "m.notice", "{push}");
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    let key = format!("push:matrix:{room}:{}", tomorrow_at(noon(), 0).date_naive());
    let record = bot.store.action_state(&key).expect("store");
    assert_eq!(record.map(|r| r.state), Some(ActionState::Done), "{key} confirmed");

    // Restarted with the same state after the push (within the grace window): still one push.
    let running = bot.start_with(options_at(tomorrow_at(noon(), 30)), password());
    sentinel(&bot, &alice, &room).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    assert_eq!(bot_messages_containing(&alice, &room, &bot.user_id, TITLE).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_due_while_the_homeserver_is_away_is_sent_once_when_it_is_back() {
    let server: &'static Synapse = Box::leak(Box::new(Synapse::start()));
    let (bot, running, carla, alice, room) =
        team_on(server, "away", noon(), options_at(tomorrow_at(noon(), -3600))).await;
    let add = format!("!post add\ntitle: {TITLE}\nlink: https://example.org/wetland\ntext.en: Come along!");
    coordinator_says(&bot, &carla, &room, &add);
    coordinator_says(&bot, &carla, &room, "!post approve c1");
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
    eventually(Duration::from_secs(60), "the push once the homeserver is back", || {
        bot_messages_containing(&alice, &room, &bot.user_id, TITLE)
            .first()
            .cloned()
    })
    .await;
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    assert_eq!(bot_messages_containing(&alice, &room, &bot.user_id, TITLE).len(), 1);
    server.stop();
    let record = bot.store.action_state(&key).expect("store");
    assert_eq!(record.map(|r| r.state), Some(ActionState::Done), "{key} confirmed");
}

fn seconds(n: i64) -> chrono::Duration {
    chrono::Duration::seconds(n)
}

fn action_state(bot: &TestBot, key: &str) -> Option<ActionState> {
    bot.store.action_state(key).expect("store").map(|record| record.state)
}

/// Waits until the scheduler has confirmed `key` (after everything of it was sent).
async fn confirmed(bot: &TestBot, key: &str) {
    eventually(Duration::from_secs(60), &format!("{key} confirmed"), || {
        (action_state(bot, key) == Some(ActionState::Done)).then_some(())
    })
    .await
}

/// The rooms `client` has joined and those it is invited to, sorted, after one more sync (a client
/// of its own: Synapse answers a repeated initial sync from its cache for a while).
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

/// The ambassador id (`a12`) of `user`.
fn ambassador_of(bot: &TestBot, user: &User) -> String {
    let identity = Identity::new(Platform::Matrix, user.id.clone());
    let who = bot.store.ambassador_by_identity(&identity).expect("store");
    who.expect("an ambassador").id.to_string()
}

/// `user`'s own Matrix client (password `{localpart}-secret`), with end-to-end encryption: the bot's
/// direct chats are encrypted. Synced once, so that its device keys are on the homeserver.
async fn encrypting_client(user: &User) -> Client {
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
async fn decrypted_messages(client: &Client, room: &str, sender: &str) -> Vec<Value> {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_reaches_the_ambassador_in_one_direct_chat_at_her_local_time_once() {
    let server = Synapse::shared();
    // Alice's reminder at 17:45 in Kolkata (UTC+5:30 all year): 12:15 UTC, tomorrow.
    let due = tomorrow_at(NaiveTime::from_hms_opt(12, 15, 0).expect("time"), 0);
    let before = options_at(due - seconds(3600));
    let (bot, running, carla, alice, room) = team_on(server, "remind", never_today(), before).await;
    let add = format!("!post add\ntitle: {TITLE}\nlink: https://example.org/wetland\ntext.en: Come along!");
    coordinator_says(&bot, &carla, &room, &add);
    coordinator_says(&bot, &carla, &room, "!post approve c1");
    for (command, answered) in [("!tz Asia/Kolkata", "Asia/Kolkata"), ("!nudges 17:45", "17:45")] {
        let event = alice.say(&room, command);
        answer_containing(&alice, &room, &bot.user_id, &event, answered).await;
    }
    let alice_client = encrypting_client(&alice).await;
    sentinel(&bot, &alice, &room).await;
    assert_eq!(rooms_of(&alice_client).await, (vec![room.clone()], vec![]), "no direct chat before its time");
    running.stop().await.expect("orderly stop");

    // The bot's clock three seconds before her reminder time: a direct chat with one reminder.
    let running = bot.start_with(options_at(due - seconds(3)), password());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    let chat = loop {
        if let Some(invited) = rooms_of(&alice_client).await.1.first() {
            break invited.clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "no invitation to a direct chat");
    };
    let key = format!("nudge:{}:{}", ambassador_of(&bot, &alice), due.date_naive());
    confirmed(&bot, &key).await;
    alice.join(&chat);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    let reminder = loop {
        let found = decrypted_messages(&alice_client, &chat, &bot.user_id).await;
        if let Some(first) = found.first() {
            break first.clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "alice cannot read the reminder");
    };
    assert_eq!(reminder["content"]["msgtype"], "m.notice", "{reminder}");
    let body = reminder["content"]["body"].as_str().unwrap_or_default();
    assert!(
        body.starts_with("Hi ") && body.contains(TITLE) && body.contains("nudges off"),
        "the reminder text: {body}"
    );
    running.stop().await.expect("orderly stop");

    // Restarted within the grace window: no second reminder, no second chat.
    let running = bot.start_with(options_at(due + seconds(30)), password());
    sentinel(&bot, &alice, &room).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    let mut expected = vec![room.clone(), chat.clone()];
    expected.sort();
    assert_eq!(rooms_of(&alice_client).await, (expected, vec![]), "the team room and one direct chat");
    let sent = alice.events(&chat).into_iter().filter(|e| e["sender"] == bot.user_id.as_str());
    let messages: Vec<Value> = sent
        .filter(|e| matches!(e["type"].as_str(), Some("m.room.message" | "m.room.encrypted")))
        .collect();
    assert_eq!(messages.len(), 1, "one message in the direct chat: {messages:?}");
    assert_eq!(decrypted_messages(&alice_client, &chat, &bot.user_id).await.len(), 1);
}

/// `weekly` (organisation zone: UTC in the test settings) in the week after the current ISO week,
/// so that the week it covers is the current one.
fn next_week_at(weekly: WeeklyTime) -> DateTime<Utc> {
    let today = Utc::now().date_naive();
    let monday = today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let day = monday + chrono::Duration::days(7 + i64::from(weekly.day.num_days_from_monday()));
    day.and_time(weekly.time).and_utc()
}

/// The bot's file uploads in `room` as `(msgtype, body, mimetype, mxc url)`, oldest first.
fn uploads(user: &User, room: &str, bot: &str) -> Vec<(String, String, String, String)> {
    let text = |e: &Value, field: &str| e.pointer(field).and_then(Value::as_str).unwrap_or_default().to_string();
    messages_from(&user.events(room), bot)
        .into_iter()
        .filter(|e| matches!(e["content"]["msgtype"].as_str(), Some("m.image" | "m.file")))
        .map(|e| {
            let fields = ["/content/msgtype", "/content/body", "/content/info/mimetype", "/content/url"];
            let [a, b, c, d] = fields.map(|f| text(e, f));
            (a, b, c, d)
        })
        .collect()
}

/// The bytes of an `mxc://` upload, as text (a PNG's first byte is not UTF-8: U+FFFD).
fn download(user: &User, mxc: &str) -> String {
    let path = mxc.strip_prefix("mxc://").expect("an mxc url");
    let answer = user
        .server
        .request("GET", &format!("/_matrix/client/v1/media/download/{path}"), Some(&user.token), None)
        .expect("HTTP to Synapse");
    assert_eq!(answer.status, 200, "download {mxc}: {answer:?}");
    answer.body
}

/// How many of the bot's board posts, report posts and uploads there are in the team and
/// coordinators' rooms.
fn weekly_counts(bot: &TestBot, carla: &User, rooms: (&str, &str), week: WeekKey) -> [usize; 3] {
    let board = bot_messages_containing(carla, rooms.0, &bot.user_id, &format!("leaderboard, week {week}"));
    let report = bot_messages_containing(carla, rooms.1, &bot.user_id, &format!("Report, week {week}"));
    [board.len(), report.len(), uploads(carla, rooms.1, &bot.user_id).len()]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_weekly_leaderboard_and_report_are_posted_at_their_times_and_not_again_after_a_restart() {
    let server = Synapse::shared();
    let schedule = ScheduleSettings::default();
    let (board_at, report_at) = (next_week_at(schedule.leaderboard), next_week_at(schedule.report));
    let week = WeekKey::of(Utc::now(), chrono_tz::UTC);
    assert_eq!(WeekKey::of(board_at, chrono_tz::UTC).previous(), week);
    let carla = User::register(server, "weekly_carla");
    let alice = User::register(server, "weekly_alice");
    let team = carla.create_room(&[&alice.id]);
    alice.join(&team);
    let coordinators = carla.create_room(&[]);
    let mut settings = settings(&[&team, &coordinators], &[&carla.id], never_today());
    if let Some(last) = settings.rooms.last_mut() {
        last.coordinators_room = true;
    }
    settings.schedule = schedule;
    let bot = TestBot::new(server, "weekly_relais", settings, &[&carla.id]);
    let first = board_at.min(report_at);
    let running = bot.start_with(options_at(first - seconds(3600)), password());
    for room in [&team, &coordinators] {
        carla.invite(room, &bot.user_id);
        bot.joined(&carla, room).await;
    }
    let add = format!("!post add\ntitle: {TITLE}\nlink: https://example.org/wetland\ntext.en: Come along!");
    coordinator_says(&bot, &carla, &team, &add);
    coordinator_says(&bot, &carla, &team, "!post approve c1");
    let claim = alice.say(&team, "!shared https://x.com/weekly_alice/status/1 c1");
    answer_containing(&alice, &team, &bot.user_id, &claim, "Recorded").await;
    sentinel(&bot, &carla, &coordinators).await;
    assert_eq!(weekly_counts(&bot, &carla, (&team, &coordinators), week), [0, 0, 0], "nothing before its time");
    running.stop().await.expect("orderly stop");

    let running = bot.start_with(options_at(first - seconds(3)), password());
    let board_key = format!("board:matrix:{team}:{week}");
    let report_key = format!("report:matrix:{coordinators}:{week}");
    confirmed(&bot, &board_key).await;
    confirmed(&bot, &report_key).await;
    sentinel(&bot, &alice, &team).await;
    sentinel(&bot, &carla, &coordinators).await;
    running.stop().await.expect("orderly stop");
    assert_eq!(weekly_counts(&bot, &carla, (&team, &coordinators), week), [1, 1, 2]);
    let points = bot.store.week_totals(week).expect("store");
    let [(_, total)] = points.as_slice() else {
        panic!("alice alone has points: {points:?}");
    };
    let identity = Identity::new(Platform::Matrix, alice.id.clone());
    let name = bot.store.ambassador_by_identity(&identity).expect("store").expect("alice").display_name;
    let board = bot_messages_containing(&carla, &team, &bot.user_id, &format!("{name} — {} pts", total.points));
    assert_eq!(board.len(), 1, "alice first on the board with her points");
    let report = bot_messages_containing(&carla, &coordinators, &bot.user_id, "Reshares: 1 ");
    assert_eq!(report.len(), 1, "the report counts alice's reshare");
    let files = uploads(&carla, &coordinators, &bot.user_id);
    let described: Vec<(&str, &str, &str)> = files.iter().map(|(t, b, m, _)| (t.as_str(), b.as_str(), m.as_str())).collect();
    let (png, csv) = (format!("relais-{week}.png"), format!("relais-{week}.csv"));
    assert_eq!(described, [("m.image", png.as_str(), "image/png"), ("m.file", csv.as_str(), "text/csv")]);
    let chart = download(&carla, &files[0].3);
    assert!(chart.starts_with("\u{FFFD}PNG\r\n"), "a PNG chart: {:?}", chart.get(..16));
    let rows = download(&carla, &files[1].3);
    assert!(rows.starts_with("date_time,ambassador") && rows.contains("weekly_alice/status/1"), "{rows}");

    // Restarted after both times (within the grace window): nothing posted again.
    let last = board_at.max(report_at);
    let running = bot.start_with(options_at(last + seconds(30)), password());
    sentinel(&bot, &alice, &team).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    sentinel(&bot, &carla, &coordinators).await;
    running.stop().await.expect("orderly stop");
    assert_eq!(weekly_counts(&bot, &carla, (&team, &coordinators), week), [1, 1, 2]);
}
