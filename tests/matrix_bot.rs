//! The Matrix adapter against a real Synapse: joining, answering commands, ignoring what it must.

#[path = "matrix_support/mod.rs"]
mod matrix_support;

use matrix_support::synapse::Synapse;
use matrix_support::*;
use serde_json::json;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_allowed_invitation_is_accepted_and_commands_are_answered_as_notices() {
    let server = Synapse::shared();
    let carla = User::register(server, "inv_carla");
    let room = carla.create_room(&[]);
    let bot = TestBot::new(
        server,
        "inv_relais",
        settings(&[&room], &[], never_today()),
        &[&carla.id],
    );
    let running = bot.start();
    carla.invite(&room, &bot.user_id);
    bot.joined(&carla, &room).await;

    let help = carla.say(&room, "!help");
    let answer = answer(&carla, &room, &bot.user_id, &help).await;
    let content = &answer["content"];
    assert_eq!(content["msgtype"], "m.notice", "{answer}");
    assert!(
        content["body"].as_str().is_some_and(|b| b.contains("today")),
        "{answer}"
    );
    assert_eq!(content["format"], "org.matrix.custom.html");
    assert!(
        content["formatted_body"].as_str().is_some_and(|b| b.contains("<")),
        "{answer}"
    );
    assert_eq!(
        content["m.mentions"]["user_ids"],
        json!([carla.id]),
        "the sender is mentioned: {answer}"
    );
    running.stop().await.expect("orderly stop");
}

fn body(answer: &serde_json::Value) -> String {
    answer["content"]["body"].as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_gets_its_answer_in_reply_to_it() {
    let (bot, running, carla, alice, room) = team("cmd").await;
    let post = "!post add\ntitle: River clean-up\nlink: https://example.org/river\ntext.en: Join us on Saturday!";
    let rows: Vec<(&User, String, &str)> = vec![
        (&alice, "!help".into(), "help"),
        (&alice, "!help shared".into(), "shared"),
        (&alice, "!today".into(), ""),
        (&alice, "!me".into(), ""),
        (&alice, "!top".into(), ""),
        (&alice, "!lang fr".into(), ""),
        (&alice, "!lang en".into(), ""),
        (&alice, "!tz Europe/Paris".into(), ""),
        (&alice, "!nudges 08:30".into(), ""),
        (&alice, "!nudges off".into(), ""),
        (&alice, "!away until 2030-01-01".into(), ""),
        (&alice, "!away off".into(), ""),
        (&alice, "!hide".into(), ""),
        (&alice, "!show".into(), ""),
        (&alice, "!mastodon mastodon.social".into(), ""),
        (&alice, "!mastodon off".into(), ""),
        (&alice, "!link".into(), ""),
        (&alice, "!my-data".into(), ""),
        (&alice, "!tpo".into(), "top"),
        (&alice, "!lang xx".into(), ""),
        (&alice, "!report".into(), "coordinators"),
        (&carla, post.into(), "c1"),
        (&carla, "!post list".into(), "c1"),
        (&carla, "!post show c1".into(), "River"),
        (&carla, "!post approve c1".into(), "c1"),
        (&alice, "!shared https://x.com/alice/status/1 c1".into(), ""),
        (&carla, "!report".into(), ""),
        (&carla, "!ambassadors".into(), ""),
        (&carla, format!("!role grant {}", alice.id), ""),
        (&carla, "!post cancel c1".into(), "c1"),
        (&alice, "!forget-me".into(), ""),
    ];
    for (who, command, expected) in &rows {
        eprintln!("sending {command:?}");
        let event = who.say(&room, command);
        let answer = answer_containing(who, &room, &bot.user_id, &event, expected).await;
        assert_eq!(answer["content"]["msgtype"], "m.notice", "row {command:?}: {answer}");
    }
    let reshares = relais::store::Store::reshares_between(
        bot.store,
        chrono::DateTime::<chrono::Utc>::MIN_UTC,
        chrono::Utc::now() + chrono::Duration::days(1),
    );
    assert_eq!(reshares.expect("store").len(), 1, "the claim is recorded");
    assert!(
        !alice.invites().is_empty(),
        "`my-data` and `link` arrive by direct message: alice is invited to a direct chat"
    );
    running.stop().await.expect("orderly stop");
}

fn lang_of(bot: &TestBot, user: &User) -> Option<relais::domain::Lang> {
    let identity = relais::domain::Identity::new(relais::domain::Platform::Matrix, user.id.clone());
    relais::store::Store::ambassador_by_identity(bot.store, &identity)
        .expect("store")
        .map(|a| a.lang)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn awkward_messages_are_read_as_the_plain_text_the_user_meant() {
    use relais::domain::Lang;
    let (bot, running, _carla, alice, room) = team("odd").await;
    let formatted = json!({"msgtype": "m.text", "body": "!lang fr", "format": "org.matrix.custom.html", "formatted_body": "<b>!lang es</b>"});
    let first = alice.send(&room, "m.room.message", formatted);
    answer(&alice, &room, &bot.user_id, &first).await;
    assert_eq!(
        lang_of(&bot, &alice),
        Some(Lang::Fr),
        "the plain body counts, not the HTML"
    );

    let edit = json!({
        "msgtype": "m.text", "body": "* !lang es",
        "m.new_content": {"msgtype": "m.text", "body": "!lang es"},
        "m.relates_to": {"rel_type": "m.replace", "event_id": first}
    });
    let edit_id = alice.send(&room, "m.room.message", edit);
    let quoted = json!({
        "msgtype": "m.text", "body": format!("> <{}> !lang fr\n\n!lang pt", alice.id),
        "m.relates_to": {"m.in_reply_to": {"event_id": first}}
    });
    let quoted_id = alice.send(&room, "m.room.message", quoted);
    answer(&alice, &room, &bot.user_id, &quoted_id).await;
    assert_eq!(
        lang_of(&bot, &alice),
        Some(Lang::PtBr),
        "the quoted fallback is stripped and the edit not run"
    );
    assert!(
        answers_to(&alice.events(&room), &bot.user_id, &edit_id).is_empty(),
        "an edit is not answered"
    );

    let root = alice.say(&room, "a thread about rivers");
    let threaded = json!({
        "msgtype": "m.text", "body": "!top",
        "m.relates_to": {"rel_type": "m.thread", "event_id": root, "is_falling_back": true, "m.in_reply_to": {"event_id": root}}
    });
    let in_thread = alice.send(&room, "m.room.message", threaded);
    let threaded_answer = answer(&alice, &room, &bot.user_id, &in_thread).await;
    let relation = &threaded_answer["content"]["m.relates_to"];
    assert_eq!(
        (relation["rel_type"].as_str(), relation["event_id"].as_str()),
        (Some("m.thread"), Some(root.as_str())),
        "{threaded_answer}"
    );

    let huge = format!("!shared https://x.com/a/status/1 {}", "x".repeat(20_000));
    let huge_id = alice.say(&room, &huge);
    let refused = answer(&alice, &room, &bot.user_id, &huge_id).await;
    assert!(
        body(&refused).contains("20033") && body(&refused).contains("4000"),
        "{refused}"
    );

    let silent = [
        alice.send(&room, "org.example.custom", json!({"body": "!help"})),
        alice.send(&room, "m.room.message", json!({"msgtype": "m.notice", "body": "!help"})),
    ];
    let ci_bot = User::register(Synapse::shared(), "odd_ci-bot");
    alice.invite(&room, &ci_bot.id);
    ci_bot.join(&room);
    let from_bot = ci_bot.say(&room, "!help");
    sentinel(&bot, &alice, &room).await;
    let events = alice.events(&room);
    for event in silent.iter().chain([&from_bot]) {
        assert!(
            answers_to(&events, &bot.user_id, event).is_empty(),
            "{event} must not be answered"
        );
    }
    running.stop().await.expect("orderly stop");
}

/// Issue 17 §2: a command in a room the bot was invited to but does not serve got no answer at
/// all. Now the first one gets one short line on how to set the room up, later ones nothing, and
/// a coordinator's `!room here team` serves the room at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_invitations_are_declined_and_a_room_not_served_says_so_once_until_set_up() {
    let (bot, running, carla, alice, room) = team("strange").await;
    let stranger = User::register(Synapse::shared(), "strange_mallory");
    let theirs = stranger.create_room(&[&bot.user_id]);
    eventually(Duration::from_secs(30), "the invitation to be declined", || {
        (stranger.membership(&theirs, &bot.user_id).as_deref() == Some("leave")).then_some(())
    })
    .await;

    // carla is an allowed inviter: the bot joins her group room, which is not set up yet.
    let other = carla.create_room(&[&alice.id, &bot.user_id]);
    alice.join(&other);
    bot.joined(&carla, &other).await;
    let first = alice.say(&other, "!help");
    answer_containing(&alice, &other, &bot.user_id, &first, "I don't serve this room yet").await;
    let second = alice.say(&other, "!me");
    sentinel(&bot, &alice, &room).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let events = carla.events(&other);
    assert!(answers_to(&events, &bot.user_id, &second).is_empty(), "told once only");
    assert_eq!(
        bot_messages_containing(&carla, &other, &bot.user_id, "I don't serve").len(),
        1
    );

    let setup = carla.say(&other, "!room here team en 09:00");
    answer_containing(&carla, &other, &bot.user_id, &setup, "now a team room").await;
    let me = alice.say(&other, "!me");
    answer(&alice, &other, &bot.user_id, &me).await;
    assert!(bot.app.serves(&relais::domain::RoomRef::new(
        relais::domain::Platform::Matrix,
        other.as_str()
    )));
    running.stop().await.expect("orderly stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_chat_from_an_allowed_inviter_is_served_without_mentions() {
    let server = Synapse::shared();
    let carla = User::register(server, "dm_carla");
    let bot = TestBot::new(server, "dm_relais", settings(&[], &[], never_today()), &[":localhost"]);
    let running = bot.start();
    let body = json!({"preset": "trusted_private_chat", "is_direct": true, "invite": [bot.user_id]});
    let room = carla.call("POST", "/_matrix/client/v3/createRoom", Some(&body))["room_id"]
        .as_str()
        .expect("room")
        .to_string();
    bot.joined(&carla, &room).await;
    let me = carla.say(&room, "!me");
    let answer = answer_containing(&carla, &room, &bot.user_id, &me, "").await;
    assert_eq!(
        answer["content"]["m.mentions"]["user_ids"],
        json!([]),
        "no mention in a direct chat: {answer}"
    );
    running.stop().await.expect("orderly stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_was_said_before_the_bot_joined_is_history_and_not_answered() {
    let server = Synapse::shared();
    let carla = User::register(server, "hist_carla");
    let room = carla.create_room(&[]);
    let before = carla.say(&room, "!help");
    let bot = TestBot::new(
        server,
        "hist_relais",
        settings(&[&room], &[], never_today()),
        &[&carla.id],
    );
    let running = bot.start();
    // The bot syncs once (learning nothing to answer), then is invited and joins.
    tokio::time::sleep(Duration::from_secs(1)).await;
    carla.invite(&room, &bot.user_id);
    bot.joined(&carla, &room).await;
    let after = carla.say(&room, "!me");
    answer(&carla, &room, &bot.user_id, &after).await;
    sentinel(&bot, &carla, &room).await;
    running.stop().await.expect("orderly stop");
    let all = carla.events(&room);
    assert!(
        answers_to(&all, &bot.user_id, &before).is_empty(),
        "a command from before the bot joined is not answered"
    );
    assert!(
        !answers_to(&all, &bot.user_id, &after).is_empty(),
        "the command after the join is answered (a welcome, then the answer)"
    );
}

/// The bot's account logged in over HTTP (another device than the bot's own).
fn bot_account(bot: &TestBot) -> User {
    let localpart = bot
        .user_id
        .trim_start_matches('@')
        .split(':')
        .next()
        .unwrap_or_default();
    let body = json!({
        "type": "m.login.password",
        "identifier": {"type": "m.id.user", "user": localpart},
        "password": BOT_PASSWORD,
    });
    let answer = bot
        .server
        .request("POST", "/_matrix/client/v3/login", None, Some(&body))
        .expect("HTTP to Synapse");
    assert_eq!(answer.status, 200, "login: {answer:?}");
    let token = answer.json()["access_token"].as_str().expect("token").to_string();
    User {
        id: bot.user_id.clone(),
        token,
        server: bot.server,
    }
}

/// Sets (`Some((per_second, burst))`) or lifts (`None`) a message rate limit for `user` alone.
fn limit_messages(admin: &str, server: &'static Synapse, user: &str, limit: Option<(u32, u32)>) {
    let path = format!("/_synapse/admin/v1/users/{user}/override_ratelimit");
    let answer = match limit {
        Some((per_second, burst)) => {
            let body = json!({"messages_per_second": per_second, "burst_count": burst});
            server.request("POST", &path, Some(admin), Some(&body))
        }
        None => server.request("DELETE", &path, Some(admin), None),
    };
    assert_eq!(answer.expect("HTTP to Synapse").status, 200);
}

/// A bot whose account joined a room before its first run, a command from `carla` after that
/// join, and every message of the bot refused by the homeserver (M_LIMIT_EXCEEDED, retry after
/// 1 s) until [`limit_messages`] lifts it: (admin token, carla, room, bot, the command's id).
fn a_command_in_the_first_sync_with_answers_refused(prefix: &str) -> (String, User, String, TestBot, String) {
    let server = Synapse::shared();
    let (_, admin) = server.register(&format!("{prefix}_admin"), "admin-secret", true);
    let carla = User::register(server, &format!("{prefix}_carla"));
    let room = carla.create_room(&[]);
    let bot = TestBot::new(
        server,
        &format!("{prefix}_relais"),
        settings(&[&room], &[&carla.id], never_today()),
        &[&carla.id],
    );
    carla.invite(&room, &bot.user_id);
    bot_account(&bot).join(&room);
    let command = carla.say(&room, "!me");
    limit_messages(&admin, server, &bot.user_id, Some((1, 0)));
    (admin, carla, room, bot, command)
}

/// The bot's answers to `command`, once the running bot has handled everything after it.
async fn answers_in_the_end(running: RunningBot, carla: &User, room: &str, bot: &TestBot, command: &str) -> usize {
    answer(carla, room, &bot.user_id, command).await;
    sentinel(bot, carla, room).await;
    running.stop().await.expect("orderly stop");
    answers_to(&carla.events(room), &bot.user_id, command).len()
}

/// The very first sync cannot be asked for again: when the answers to a command in it cannot be
/// sent (here the homeserver rate-limits the bot), its events are handled again from it, and the
/// answer comes once the homeserver takes it (it used to be lost: the next sync started after it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_in_the_first_sync_is_answered_once_the_homeserver_takes_answers_again() {
    let (admin, carla, room, bot, command) = a_command_in_the_first_sync_with_answers_refused("firstsync");
    let running = bot.start();
    // (Long enough for the bot's first sync and for its sending to give up: three retries.)
    tokio::time::sleep(Duration::from_secs(8)).await;
    assert!(
        answers_to(&carla.events(&room), &bot.user_id, &command).is_empty(),
        "no answer while the bot is limited"
    );
    limit_messages(&admin, bot.server, &bot.user_id, None);
    let answers = answers_in_the_end(running, &carla, &room, &bot, &command).await;
    assert_eq!(answers, 1, "the answer, once");
}

/// The same, with the bot crashing while its answers are refused: the first sync was kept in
/// `state-dir`, so the next run answers the command (once) although no sync brings it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_in_an_unanswered_first_sync_is_answered_after_a_restart() {
    let (admin, carla, room, bot, command) = a_command_in_the_first_sync_with_answers_refused("firstkept");
    let running = bot.start();
    let kept = bot.state_dir.join("relais-first-sync.json");
    eventually(
        Duration::from_secs(30),
        "the unanswered first sync kept on disk",
        || kept.exists().then_some(()),
    )
    .await;
    drop(running); // a crash (the task is aborted)
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        answers_to(&carla.events(&room), &bot.user_id, &command).is_empty(),
        "no answer while the bot was limited"
    );
    limit_messages(&admin, bot.server, &bot.user_id, None);
    let answers = answers_in_the_end(bot.start(), &carla, &room, &bot, &command).await;
    assert_eq!(answers, 1, "the answer, once");
    assert!(!kept.exists(), "the kept first sync is forgotten once answered");
}
