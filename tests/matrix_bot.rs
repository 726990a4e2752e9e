//! The Matrix adapter against a real Synapse: joining, answering commands, ignoring what it must.

#[path = "matrix_support/mod.rs"]
mod matrix_support;

use matrix_support::synapse::Synapse;
use matrix_support::*;
use serde_json::json;

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
