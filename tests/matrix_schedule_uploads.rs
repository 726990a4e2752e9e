//! The weekly report's uploads (its PNG chart and CSV), on a real Synapse. Each upload message
//! carries its idempotency key, so that a report interrupted by a crash and retried by a new device
//! (the saved session was revoked: the homeserver does not know the new device's transaction ids)
//! does not post them twice. In an end-to-end encrypted room the files are encrypted and a member's
//! client can open them.

#[path = "matrix_support/mod.rs"]
mod matrix_support;

use chrono::{DateTime, Utc};
use matrix_sdk::media::{MediaFormat, MediaRequestParameters};
use matrix_sdk::ruma::events::room::{EncryptedFile, MediaSource};
use matrix_support::e2e::{decrypted_messages, encrypting_client};
use matrix_support::synapse::Synapse;
use matrix_support::weekly::{download, next_week_at, upload_events, WeeklyTeam};
use matrix_support::*;
use relais::app::ScheduleSettings;
use relais::domain::WeekKey;
use relais::platform::matrix::state::POSTS_FILE;
use relais::platform::matrix::KEY_FIELD;
use relais::store::{ActionRecord, ActionState, Store};
use serde_json::Value;
use std::time::Duration;

/// When the weekly report is due (the week after this one, covering this week), and that week.
fn report_time() -> (DateTime<Utc>, WeekKey) {
    let at = next_week_at(ScheduleSettings::default().report);
    let week = WeekKey::of(Utc::now(), chrono_tz::UTC);
    assert_eq!(
        WeekKey::of(at, chrono_tz::UTC).previous(),
        week,
        "the report covers this week"
    );
    (at, week)
}

/// The idempotency keys of the chart and the CSV of the report `key` (the scheduler numbers the
/// report's effects: the text is `#0`).
fn upload_keys(key: &str) -> (String, String) {
    (format!("{key}#1"), format!("{key}#2"))
}

/// Runs the bot with its clock three seconds before `due` until the report `key` is confirmed.
async fn run_the_report(team: &WeeklyTeam, due: DateTime<Utc>, key: &str) {
    let running = team.bot.start_with(options_at(due - seconds(3)), password());
    eventually(Duration::from_secs(60), &format!("{key} confirmed"), || {
        (action_state(&team.bot, key) == Some(ActionState::Done)).then_some(())
    })
    .await;
    sentinel(&team.bot, &team.alice, &team.team).await;
    running.stop().await.expect("orderly stop");
}

/// The event ids of `events`.
fn ids(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["event_id"].as_str().expect("event id").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_uploads_sent_by_an_old_device_before_a_crash_are_not_sent_again_by_a_new_device() {
    let (due, week) = report_time();
    let team = WeeklyTeam::with_a_claim(Synapse::shared(), "upcrash", due - seconds(3600), false).await;
    let (bot, carla, room) = (&team.bot, &team.carla, team.coordinators.as_str());
    let key = team.report_key(week);
    // What the adapter had recorded as posted before the report.
    let posts_file = bot.state_dir.join(POSTS_FILE);
    let posts_before = std::fs::read(&posts_file).ok();

    run_the_report(&team, due, &key).await;
    let (_, reports, _) = team.weekly_posts(week);
    let sent = upload_events(carla, room, &bot.user_id);
    let keys: Vec<&str> = sent.iter().filter_map(|e| e["content"][KEY_FIELD].as_str()).collect();
    let (png_key, csv_key) = upload_keys(&key);
    assert_eq!(
        keys,
        [png_key.as_str(), csv_key.as_str()],
        "each upload carries its key"
    );
    let [png, csv] = ids(&sent).try_into().expect("a chart and a CSV");

    // The crash: everything was sent, nothing was confirmed or remembered as posted. The saved
    // session is revoked meanwhile, and the CSV message is gone (redacted): the new device must
    // send the CSV again, and only the CSV.
    match &posts_before {
        Some(bytes) => std::fs::write(&posts_file, bytes).expect("restore the posts file"),
        None => std::fs::remove_file(&posts_file).expect("remove the posts file"),
    }
    let record = ActionRecord {
        state: ActionState::Started,
        due,
        at: due + seconds(1),
        reason: None,
    };
    bot.store.set_action_state(&key, &record).expect("store");
    bot.revoke_the_saved_session();
    carla.redact(room, &csv);

    let running = bot.start_with(options_at(due + seconds(30)), password());
    eventually(Duration::from_secs(60), "the interrupted report confirmed", || {
        (action_state(bot, &key) == Some(ActionState::Done)).then_some(())
    })
    .await;
    sentinel(bot, carla, room).await;
    running.stop().await.expect("orderly stop");

    let (_, reports_after, _) = team.weekly_posts(week);
    assert_eq!(
        ids(&reports_after),
        ids(&reports),
        "the report text is not posted again"
    );
    let after = upload_events(carla, room, &bot.user_id);
    let [png_after, csv_after] = ids(&after).try_into().expect("a chart and a CSV");
    assert_eq!(png_after, png, "the chart sent before the crash is not sent again");
    assert_ne!(csv_after, csv, "the CSV that was gone is sent again");
    assert_eq!(after[1]["content"][KEY_FIELD], csv_key.as_str());
    let rows = download(carla, after[1]["content"]["url"].as_str().expect("the CSV's url"));
    assert!(rows.contains("upcrash_alice/status/1"), "{rows}");
}

/// Opens (downloads and decrypts) the encrypted file of the message `content` with `client`.
async fn open_encrypted(client: &matrix_sdk::Client, content: &Value) -> Vec<u8> {
    let file: EncryptedFile = serde_json::from_value(content["file"].clone()).expect("an encrypted file");
    let request = MediaRequestParameters {
        source: MediaSource::Encrypted(Box::new(file)),
        format: MediaFormat::File,
    };
    client
        .media()
        .get_media_content(&request, false)
        .await
        .expect("download and decrypt")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_an_encrypted_room_the_report_files_are_encrypted_and_a_member_can_open_them() {
    let (due, week) = report_time();
    let team = WeeklyTeam::with_a_claim(Synapse::shared(), "upsecret", due - seconds(3600), true).await;
    let (bot, carla, room) = (&team.bot, &team.carla, team.coordinators.as_str());
    let carla_client = encrypting_client(carla).await;
    let key = team.report_key(week);
    run_the_report(&team, due, &key).await;

    // On the homeserver, the bot's messages in the room are all encrypted.
    let events = carla.events(room);
    let from_bot: Vec<&str> = (events.iter())
        .filter(|e| e["sender"] == bot.user_id.as_str() && e["type"] != "m.room.member")
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert!(
        from_bot.len() >= 3 && from_bot.iter().all(|t| *t == "m.room.encrypted"),
        "{from_bot:?}"
    );

    // Carla's client decrypts the report, the chart and the CSV, and opens both files.
    let messages = eventually_async_decrypted(&carla_client, room, &bot.user_id, 3).await;
    let files: Vec<&Value> = (messages.iter())
        .map(|m| &m["content"])
        .filter(|c| matches!(c["msgtype"].as_str(), Some("m.image" | "m.file")))
        .collect();
    let described: Vec<(&str, &str, &str)> = (files.iter())
        .map(|c| {
            let text = |field: &str| c.pointer(field).and_then(Value::as_str).unwrap_or_default();
            (text("/msgtype"), text("/body"), text("/io.relais.key"))
        })
        .collect();
    let (png, csv) = (format!("relais-{week}.png"), format!("relais-{week}.csv"));
    let (png_key, csv_key) = upload_keys(&key);
    assert_eq!(
        described,
        [
            ("m.image", png.as_str(), png_key.as_str()),
            ("m.file", csv.as_str(), csv_key.as_str())
        ]
    );
    for content in &files {
        assert!(content.get("url").is_none(), "no plain url: {content}");
        let url = content["file"]["url"].as_str().expect("the encrypted file's url");
        // The homeserver holds ciphertext only.
        let stored = download(carla, url);
        assert!(
            !stored.starts_with("\u{FFFD}PNG") && !stored.starts_with("date_time"),
            "{url} is encrypted"
        );
    }
    let [chart, rows] = files.as_slice() else {
        panic!("a chart and a CSV: {files:?}");
    };
    let chart = open_encrypted(&carla_client, chart).await;
    assert!(chart.starts_with(b"\x89PNG\r\n"), "a PNG: {:?}", chart.get(..8));
    let rows = String::from_utf8(open_encrypted(&carla_client, rows).await).expect("UTF-8 CSV");
    assert!(
        rows.starts_with("date_time,ambassador") && rows.contains("upsecret_alice/status/1"),
        "{rows}"
    );
}

/// The bot's first `count` messages in `room` that `client` can decrypt, waiting up to 40 s.
async fn eventually_async_decrypted(client: &matrix_sdk::Client, room: &str, sender: &str, count: usize) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    loop {
        let messages = decrypted_messages(client, room, sender).await;
        if messages.len() >= count {
            return messages;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {} readable messages in {room}",
            messages.len()
        );
    }
}
