//! A team with a weekly leaderboard and report on the default schedule: a team room, a coordinators'
//! room (plain or end-to-end encrypted), an approved item and a claim; and what the bot posts there.

use super::synapse::Synapse;
use super::*;
use chrono::{DateTime, Datelike, Utc};
use relais::domain::schedule::WeeklyTime;
use relais::domain::WeekKey;
use serde_json::Value;

pub const ADD_POST: &str = "!post add\ntitle: Heron census\nlink: https://example.org/herons\ntext.en: Count with us!";

/// `weekly` (organisation zone: UTC in the test settings) in the week after the current ISO week,
/// so that the week it covers is the current one.
pub fn next_week_at(weekly: WeeklyTime) -> DateTime<Utc> {
    let today = Utc::now().date_naive();
    let monday = today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let day = monday + chrono::Duration::days(7 + i64::from(weekly.day.num_days_from_monday()));
    day.and_time(weekly.time).and_utc()
}

/// A bot serving a team room (coordinator carla, ambassador alice) and a coordinators' room
/// (carla), on the default schedule.
pub struct WeeklyTeam {
    pub bot: TestBot,
    pub carla: User,
    pub alice: User,
    pub team: String,
    pub coordinators: String,
}

impl WeeklyTeam {
    /// Sets the team up (users `{prefix}_carla`, `{prefix}_alice`, bot `{prefix}_relais`) with the
    /// bot's clock at `at`: an approved item and alice's claim of it (this week, by the real clock).
    /// The coordinators' room is end-to-end encrypted when `encrypted`. The bot is stopped afterwards.
    pub async fn with_a_claim(
        server: &'static Synapse,
        prefix: &str,
        at: DateTime<Utc>,
        encrypted: bool,
    ) -> WeeklyTeam {
        let carla = User::register(server, &format!("{prefix}_carla"));
        let alice = User::register(server, &format!("{prefix}_alice"));
        let team = carla.create_room(&[&alice.id]);
        alice.join(&team);
        let coordinators = if encrypted {
            carla.create_encrypted_room(&[])
        } else {
            carla.create_room(&[])
        };
        let mut settings = settings(&[&team, &coordinators], &[&carla.id], never_today());
        if let Some(last) = settings.rooms.last_mut() {
            last.coordinators_room = true;
        }
        let bot = TestBot::new(server, &format!("{prefix}_relais"), settings, &[&carla.id]);
        let running = bot.start_with(options_at(at), password());
        for room in [&team, &coordinators] {
            carla.invite(room, &bot.user_id);
            bot.joined(&carla, room).await;
        }
        says(&bot, &carla, &team, ADD_POST);
        says(&bot, &carla, &team, "!post approve c1");
        let claim = alice.say(&team, &format!("!shared https://x.com/{prefix}_alice/status/1 c1"));
        answer_containing(&alice, &team, &bot.user_id, &claim, "Recorded").await;
        if !encrypted {
            // (In an encrypted room the bot's answer is encrypted: plain HTTP cannot read it.)
            sentinel(&bot, &carla, &coordinators).await;
        }
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
    pub fn weekly_posts(&self, week: WeekKey) -> (Vec<Value>, Vec<Value>, Vec<Upload>) {
        let (bot, carla) = (&self.bot.user_id, &self.carla);
        let board = bot_messages_containing(carla, &self.team, bot, &format!("leaderboard, week {week}"));
        let report = bot_messages_containing(carla, &self.coordinators, bot, &format!("Report, week {week}"));
        (board, report, uploads(carla, &self.coordinators, bot))
    }

    pub fn weekly_counts(&self, week: WeekKey) -> [usize; 3] {
        let (board, report, uploads) = self.weekly_posts(week);
        [board.len(), report.len(), uploads.len()]
    }

    /// The key of `week`'s report in the coordinators' room.
    pub fn report_key(&self, week: WeekKey) -> String {
        format!("report:matrix:{}:{week}", self.coordinators)
    }
}

/// One of the bot's file messages: msgtype, body (the file name), mimetype, `mxc://` url.
pub type Upload = (String, String, String, String);

/// The bot's file messages (`m.image`, `m.file`) in `room`, oldest first.
pub fn upload_events(user: &User, room: &str, bot: &str) -> Vec<Value> {
    messages_from(&user.events(room), bot)
        .into_iter()
        .filter(|e| matches!(e["content"]["msgtype"].as_str(), Some("m.image" | "m.file")))
        .cloned()
        .collect()
}

/// The bot's file uploads in `room`, oldest first.
pub fn uploads(user: &User, room: &str, bot: &str) -> Vec<Upload> {
    let text = |e: &Value, field: &str| e.pointer(field).and_then(Value::as_str).unwrap_or_default().to_string();
    let fields = [
        "/content/msgtype",
        "/content/body",
        "/content/info/mimetype",
        "/content/url",
    ];
    upload_events(user, room, bot)
        .iter()
        .map(|e| {
            let [msgtype, body, mime, url] = fields.map(|f| text(e, f));
            (msgtype, body, mime, url)
        })
        .collect()
}

/// The bytes of an `mxc://` upload, as text (a PNG's first byte is not UTF-8: U+FFFD).
pub fn download(user: &User, mxc: &str) -> String {
    let path = format!("/_matrix/client/v1/media/download/{}", mxc.trim_start_matches("mxc://"));
    let answer = user
        .server
        .request("GET", &path, Some(&user.token), None)
        .expect("HTTP to Synapse");
    assert_eq!(answer.status, 200, "download {mxc}: {answer:?}");
    answer.body
}
