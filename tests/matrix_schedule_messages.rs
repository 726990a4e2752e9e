//! The Matrix adapter's scheduled messages besides the daily push, on a real Synapse: a personal
//! reminder reaches an ambassador in one (encrypted) direct chat at her local reminder time, the
//! weekly leaderboard goes to the team room and the weekly report (with its PNG chart and CSV) to
//! the coordinators' room at their times; none of them again after a restart.

#[path = "matrix_support/mod.rs"]
mod matrix_support;

use chrono::{DateTime, Datelike, NaiveTime, Utc};
use matrix_sdk::config::SyncSettings;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::RoomId;
use matrix_sdk::Client;
use matrix_support::synapse::Synapse;
use matrix_support::*;
use relais::app::ScheduleSettings;
use relais::domain::schedule::WeeklyTime;
use relais::domain::{Identity, Platform, WeekKey};
use relais::platform::matrix::MatrixOptions;
use relais::store::{ActionState, Store};
use serde_json::Value;
use std::time::Duration;

const TITLE: &str = "Heron census";
const ADD_POST: &str = "!post add\ntitle: Heron census\nlink: https://example.org/herons\ntext.en: Count with us!";

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

/// `weekly` (organisation zone: UTC in the test settings) in the week after the current ISO week,
/// so that the week it covers is the current one.
fn next_week_at(weekly: WeeklyTime) -> DateTime<Utc> {
    let today = Utc::now().date_naive();
    let monday = today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let day = monday + chrono::Duration::days(7 + i64::from(weekly.day.num_days_from_monday()));
    day.and_time(weekly.time).and_utc()
}

/// A bot serving a team room (coordinator carla, ambassador alice) and a coordinators' room
/// (carla), on the default schedule.
struct WeeklyTeam {
    bot: TestBot,
    carla: User,
    alice: User,
    team: String,
    coordinators: String,
}

impl WeeklyTeam {
    /// Sets the team up with the bot's clock at `at`: an approved item and alice's claim of it
    /// (this week, by the real clock). The bot is stopped afterwards.
    async fn with_a_claim(server: &'static Synapse, at: DateTime<Utc>) -> WeeklyTeam {
        let carla = User::register(server, "weekly_carla");
        let alice = User::register(server, "weekly_alice");
        let team = carla.create_room(&[&alice.id]);
        alice.join(&team);
        let coordinators = carla.create_room(&[]);
        let mut settings = settings(&[&team, &coordinators], &[&carla.id], never_today());
        if let Some(last) = settings.rooms.last_mut() {
            last.coordinators_room = true;
        }
        let bot = TestBot::new(server, "weekly_relais", settings, &[&carla.id]);
        let running = bot.start_with(options_at(at), password());
        for room in [&team, &coordinators] {
            carla.invite(room, &bot.user_id);
            bot.joined(&carla, room).await;
        }
        says(&bot, &carla, &team, ADD_POST);
        says(&bot, &carla, &team, "!post approve c1");
        let claim = alice.say(&team, "!shared https://x.com/weekly_alice/status/1 c1");
        answer_containing(&alice, &team, &bot.user_id, &claim, "Recorded").await;
        sentinel(&bot, &carla, &coordinators).await;
        running.stop().await.expect("orderly stop");
        WeeklyTeam {
            bot,
            carla,
            alice,
            team,
            coordinators,
        }
    }

    /// The bot's posts of `week`'s board in the team room and of its report in the coordinators'
    /// room, and its uploads there.
    fn weekly_posts(&self, week: WeekKey) -> (Vec<Value>, Vec<Value>, Vec<Upload>) {
        let (bot, carla) = (&self.bot.user_id, &self.carla);
        let board = bot_messages_containing(carla, &self.team, bot, &format!("leaderboard, week {week}"));
        let report = bot_messages_containing(carla, &self.coordinators, bot, &format!("Report, week {week}"));
        (board, report, uploads(carla, &self.coordinators, bot))
    }

    fn weekly_counts(&self, week: WeekKey) -> [usize; 3] {
        let (board, report, uploads) = self.weekly_posts(week);
        [board.len(), report.len(), uploads.len()]
    }
}

/// One of the bot's file messages: msgtype, body (the file name), mimetype, `mxc://` url.
type Upload = (String, String, String, String);

/// The bot's file uploads in `room`, oldest first.
fn uploads(user: &User, room: &str, bot: &str) -> Vec<Upload> {
    let text = |e: &Value, field: &str| e.pointer(field).and_then(Value::as_str).unwrap_or_default().to_string();
    let fields = [
        "/content/msgtype",
        "/content/body",
        "/content/info/mimetype",
        "/content/url",
    ];
    messages_from(&user.events(room), bot)
        .into_iter()
        .filter(|e| matches!(e["content"]["msgtype"].as_str(), Some("m.image" | "m.file")))
        .map(|e| {
            let [msgtype, body, mime, url] = fields.map(|f| text(e, f));
            (msgtype, body, mime, url)
        })
        .collect()
}

/// The bytes of an `mxc://` upload, as text (a PNG's first byte is not UTF-8: U+FFFD).
fn download(user: &User, mxc: &str) -> String {
    let path = format!("/_matrix/client/v1/media/download/{}", mxc.trim_start_matches("mxc://"));
    let answer = user
        .server
        .request("GET", &path, Some(&user.token), None)
        .expect("HTTP to Synapse");
    assert_eq!(answer.status, 200, "download {mxc}: {answer:?}");
    answer.body
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
    let team = WeeklyTeam::with_a_claim(Synapse::shared(), first - seconds(3600)).await;
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
