//! The Matrix adapter across stops, crashes, homeserver restarts and bad credentials, on a real
//! Synapse; and the daily push with its reaction claims.

#[path = "matrix_support/mod.rs"]
mod matrix_support;

use matrix_support::synapse::Synapse;
use matrix_support::*;
use relais::domain::ReshareSource;
use relais::platform::matrix::{Credentials, MatrixError};
use serde_json::Value;
use std::time::Duration;

fn answer_counts(user: &User, room: &str, bot: &str, events: &[String]) -> Vec<usize> {
    let all = user.events(room);
    events.iter().map(|e| answers_to(&all, bot, e).len()).collect()
}

/// Rewrites the adapter's sync journal: the position set back to `position`, the handled event
/// ids kept or forgotten.
fn rewind(bot: &TestBot, position: &str, keep_handled: bool) {
    let path = bot.sync_journal();
    let journal = std::fs::read_to_string(&path).expect("sync journal");
    let mut lines: Vec<&str> = if keep_handled {
        journal.lines().filter(|l| l.starts_with("E ")).collect()
    } else {
        Vec::new()
    };
    let position = format!("P {position}");
    lines.push(&position);
    std::fs::write(&path, lines.join("\n") + "\n").expect("write journal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_sent_while_the_bot_is_down_are_all_recorded_exactly_once() {
    let (bot, running, _carla, alice, room) = team("down").await;
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    let position_before = bot.saved_position().expect("a saved sync position");

    let claims: Vec<String> = (1..=20)
        .map(|n| alice.say(&room, &format!("!shared https://x.com/alice/status/{n}")))
        .collect();
    // A short timeline: the 20 claims do not fit in one sync and the gap is fetched.
    let options = relais::platform::matrix::MatrixOptions {
        timeline_limit: 5,
        ..TestBot::options()
    };
    let running = bot.start_with(options.clone(), None);
    eventually(Duration::from_secs(60), "20 answers", || {
        answer_counts(&alice, &room, &bot.user_id, &claims)
            .iter()
            .all(|n| *n >= 1)
            .then_some(())
    })
    .await;
    assert_eq!(reshares_of(&bot, &alice).len(), 20);
    let counts = answer_counts(&alice, &room, &bot.user_id, &claims);
    running.stop().await.expect("orderly stop");

    // A crash after the answers but before the position was saved: the events come again and
    // are skipped by event id.
    rewind(&bot, &position_before, true);
    let running = bot.start_with(options.clone(), None);
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    assert_eq!(
        answer_counts(&alice, &room, &bot.user_id, &claims),
        counts,
        "no event answered twice"
    );

    // A crash before anything was saved: the claims are run again; the core counts each URL once
    // and the answers reuse their transaction ids, so nothing is posted twice.
    rewind(&bot, &position_before, false);
    let running = bot.start_with(options, None);
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    assert_eq!(reshares_of(&bot, &alice).len(), 20, "still exactly 20 claims");
    assert_eq!(
        answer_counts(&alice, &room, &bot.user_id, &claims),
        counts,
        "idempotent sends: no duplicate answers"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reaction_on_the_daily_push_is_a_claim_and_taking_it_back_withdraws_it() {
    let server = Synapse::shared();
    let before = options_at(tomorrow_at(noon(), -3600));
    let (bot, running, carla, alice, room) = team_on(server, "push", noon(), before).await;
    says(
        &bot,
        &carla,
        &room,
        "!post add\ntitle: River clean-up\nlink: https://example.org/river\ntext.en: Join us!",
    );
    says(&bot, &carla, &room, "!post approve c1");
    running.stop().await.expect("orderly stop");
    // Restarted two seconds before the push time: the scheduler posts the push.
    let password = Some(Credentials::Password(BOT_PASSWORD.into()));
    let running = bot.start_with(options_at(tomorrow_at(noon(), -2)), password);
    let push = eventually(Duration::from_secs(30), "the daily push", || {
        let events = alice.events(&room);
        let from_bot = messages_from(&events, &bot.user_id);
        from_bot
            .iter()
            .find(|e| {
                e["content"]["body"]
                    .as_str()
                    .is_some_and(|b| b.contains("River clean-up"))
            })
            .map(|e| (*e).clone())
    })
    .await;
    let push_id = push["event_id"].as_str().expect("push id").to_string();

    carla.react(&room, &push_id, "❤️");
    let reaction = alice.react(&room, &push_id, "✅");
    eventually(Duration::from_secs(30), "alice's quick claim", || {
        (reshares_of(&bot, &alice).len() == 1).then_some(())
    })
    .await;
    let claim = &reshares_of(&bot, &alice)[0];
    assert_eq!((claim.source, claim.url.clone()), (ReshareSource::Reaction, None));
    let answer = eventually(Duration::from_secs(30), "the answer in the push's thread", || {
        let events = alice.events(&room);
        answers_to(&events, &bot.user_id, &push_id)
            .first()
            .map(|e| (*e).clone())
    })
    .await;
    assert_eq!(answer["content"]["m.relates_to"]["rel_type"], "m.thread", "{answer}");
    assert_eq!(
        answer["content"]["m.mentions"]["user_ids"],
        serde_json::json!([alice.id]),
        "{answer}"
    );
    assert!(reshares_of(&bot, &carla).is_empty(), "❤️ is not a claim reaction");

    alice.redact(&room, &reaction);
    eventually(Duration::from_secs(30), "the claim withdrawn", || {
        reshares_of(&bot, &alice).is_empty().then_some(())
    })
    .await;
    running.stop().await.expect("orderly stop");
    let posts = messages_from(&alice.events(&room), &bot.user_id)
        .into_iter()
        .filter(|e| e["event_id"] == push_id.as_str())
        .count();
    assert_eq!(posts, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_answers_again_after_the_homeserver_restarts() {
    let server: &'static Synapse = Box::leak(Box::new(Synapse::start()));
    let (bot, running, _carla, alice, room) = team_on(server, "hs", never_today(), TestBot::options()).await;
    sentinel(&bot, &alice, &room).await;
    server.stop();
    tokio::time::sleep(Duration::from_secs(6)).await;
    server.start_again();
    let event = alice.say(&room, "!top");
    let _ = tokio::time::timeout(Duration::from_secs(60), answer(&alice, &room, &bot.user_id, &event))
        .await
        .expect("answered after the restart");
    running.stop().await.expect("orderly stop");
    server.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_credentials_stop_the_bot_with_a_clear_error() {
    let server = Synapse::shared();
    let bot = TestBot::new(server, "cred_relais", settings(&[], &[], never_today()), &[]);
    type Row = (&'static str, Option<Credentials>, fn(&MatrixError) -> bool);
    let rows: Vec<Row> = vec![
        ("wrong password", Some(Credentials::Password("wrong".into())), |e| {
            matches!(e, MatrixError::LoginRejected(_))
        }),
        (
            "invalid token",
            Some(Credentials::AccessToken("syt_not_a_token".into())),
            |e| matches!(e, MatrixError::TokenRejected(_)),
        ),
        ("no credentials", None, |e| matches!(e, MatrixError::NoCredentials)),
    ];
    for (name, credentials, expected) in rows {
        let outcome = bot
            .start_with(TestBot::options(), credentials)
            .outcome(Duration::from_secs(30))
            .await;
        match outcome {
            Err(e) => assert!(expected(&e), "row {name}: {e}"),
            Ok(()) => panic!("row {name}: the bot must not run"),
        }
    }
    assert!(
        !bot.state_dir.join("session.json").exists(),
        "nothing saved after failed logins"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_access_token_logs_in_and_the_saved_session_keeps_the_device() {
    let server = Synapse::shared();
    let carla = User::register(server, "tok_carla");
    let room = carla.create_room(&[]);
    let bot = TestBot::new(
        server,
        "tok_relais",
        settings(&[&room], &[], never_today()),
        &[&carla.id],
    );
    let token = server.login("tok_relais", BOT_PASSWORD).expect("bot login");
    let running = bot.start_with(TestBot::options(), Some(Credentials::AccessToken(token)));
    carla.invite(&room, &bot.user_id);
    bot.joined(&carla, &room).await;
    let first = carla.say(&room, "!help");
    answer(&carla, &room, &bot.user_id, &first).await;
    running.stop().await.expect("orderly stop");
    let session: Value =
        serde_json::from_slice(&std::fs::read(bot.state_dir.join("session.json")).expect("session")).expect("json");

    // Restarted without any credentials: the saved session is enough, with the same device.
    let running = bot.start_with(TestBot::options(), None);
    let second = carla.say(&room, "!top");
    answer(&carla, &room, &bot.user_id, &second).await;
    running.stop().await.expect("orderly stop");
    let again: Value =
        serde_json::from_slice(&std::fs::read(bot.state_dir.join("session.json")).expect("session")).expect("json");
    assert_eq!(session["device_id"], again["device_id"]);
    assert!(session["device_id"].as_str().is_some_and(|d| !d.is_empty()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_session_is_replaced_by_a_fresh_login_with_the_password() {
    let server = Synapse::shared();
    let (bot, running, _carla, alice, room) = team_on(server, "revoked", never_today(), TestBot::options()).await;
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    let read_session = || -> Value {
        serde_json::from_slice(&std::fs::read(bot.state_dir.join("session.json")).expect("session")).expect("json")
    };
    let before = read_session();
    let token = before["access_token"].as_str().expect("token").to_string();
    let logout = server
        .request(
            "POST",
            "/_matrix/client/v3/logout",
            Some(&token),
            Some(&serde_json::json!({})),
        )
        .expect("logout");
    assert_eq!(logout.status, 200, "{logout:?}");

    let running = bot.start();
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    let after = read_session();
    assert_ne!(
        before["device_id"], after["device_id"],
        "a new device after the old one was logged out"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limited_answers_wait_for_the_homeserver_and_all_arrive_once() {
    let server: &'static Synapse = Box::leak(Box::new(Synapse::start()));
    // Messages rate-limited again (the harness lifts every limit; the last key of the file wins).
    let config = server.data_dir().join("homeserver.yaml");
    let mut yaml = std::fs::read_to_string(&config).expect("homeserver.yaml");
    yaml.push_str("rc_message: {per_second: 0.5, burst_count: 2}\n");
    std::fs::write(&config, yaml).expect("write homeserver.yaml");
    server.start_again();
    let (_, admin) = server.register("rl_admin", "admin-secret", true);
    let (bot, running, _carla, alice, room) = team_on(server, "rl", never_today(), TestBot::options()).await;
    // Only the bot is limited: the test user may send as fast as it likes.
    let path = format!("/_synapse/admin/v1/users/{}/override_ratelimit", alice.id);
    let lifted = server.request(
        "POST",
        &path,
        Some(&admin),
        Some(&serde_json::json!({"messages_per_second": 0, "burst_count": 0})),
    );
    assert_eq!(lifted.expect("override").status, 200);

    let started = std::time::Instant::now();
    let commands: Vec<String> = (0..6).map(|_| alice.say(&room, "!top")).collect();
    eventually(Duration::from_secs(90), "every rate-limited answer", || {
        answer_counts(&alice, &room, &bot.user_id, &commands)
            .iter()
            .all(|n| *n >= 1)
            .then_some(())
    })
    .await;
    sentinel(&bot, &alice, &room).await;
    let counts = answer_counts(&alice, &room, &bot.user_id, &commands);
    assert!(
        counts.iter().skip(1).all(|n| *n == 1),
        "one answer each (the first also gets a welcome): {counts:?}"
    );
    // 7 answers (and a welcome) at 0.5 per second after a burst of 2 cannot all go out at once:
    // the homeserver answered M_LIMIT_EXCEEDED and the bot waited.
    assert!(
        started.elapsed() >= Duration::from_secs(8),
        "answered too fast to have been limited: {:?}",
        started.elapsed()
    );
    running.stop().await.expect("orderly stop");
    server.stop();
}

/// A bot stopped during its very first sync, after matrix-sdk saved that sync's position and
/// before the adapter handled it, leaves a journal with `S` and no position. The next run resumes
/// from matrix-sdk's position: what was said meanwhile is answered, once (it used to be taken for
/// history, and a stop early in a first run lost it). A journal moved away is a fresh start:
/// what was said before it is history.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_is_said_after_an_interrupted_first_sync_is_answered_and_a_fresh_start_leaves_history() {
    let (bot, running, _carla, alice, room) = team("interrupted").await;
    let early = alice.say(&room, "!me");
    answer(&alice, &room, &bot.user_id, &early).await;
    running.stop().await.expect("orderly stop");
    // (A first command also brings the welcome.)
    let early_answers = answer_counts(&alice, &room, &bot.user_id, std::slice::from_ref(&early))[0];
    let journal = std::fs::read_to_string(bot.sync_journal()).expect("sync journal");
    let mut lines: Vec<&str> = journal.lines().filter(|l| l.starts_with("E ")).collect();
    lines.push("S");
    std::fs::write(bot.sync_journal(), lines.join("\n") + "\n").expect("write journal");

    let meanwhile = alice.say(&room, "!me");
    let running = bot.start();
    answer(&alice, &room, &bot.user_id, &meanwhile).await;
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    let asked = [early.clone(), meanwhile.clone()];
    assert_eq!(
        answer_counts(&alice, &room, &bot.user_id, &asked),
        vec![early_answers, 1]
    );

    std::fs::remove_file(bot.sync_journal()).expect("move the journal away");
    let unheard = alice.say(&room, "!me");
    let running = bot.start();
    eventually(Duration::from_secs(30), "a first sync handled", || bot.saved_position()).await;
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    let asked = [early, meanwhile, unheard];
    assert_eq!(
        answer_counts(&alice, &room, &bot.user_id, &asked),
        vec![early_answers, 1, 0]
    );
}
