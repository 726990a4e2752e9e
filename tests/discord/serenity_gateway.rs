//! serenity against the local server's gateway: connecting, READY and GUILD_CREATE, heartbeats,
//! messages and interactions answered through REST, and resuming after a disconnect.

use crate::discord_support::bot::SerenityBot;
use crate::discord_support::gateway::{HEARTBEAT, IDENTIFY, RESUME};
use crate::discord_support::DiscordServer;
use serde_json::json;
use serenity::all::{
    ChannelId, CreateActionRow, CreateAutocompleteResponse, CreateButton, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse,
    GatewayIntents, Interaction, ResolvedValue, UserId,
};

/// A way to end the bot's gateway connection.
type Disconnect = fn(&DiscordServer);

/// A server and a serenity bot that has received READY and GUILD_CREATE.
async fn connected() -> (DiscordServer, SerenityBot) {
    let server = DiscordServer::start().await;
    let mut bot = SerenityBot::start(&server).await;
    bot.ready().await;
    bot.guild_create().await;
    (server, bot)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serenity_finds_the_gateway_identifies_and_gets_ready_then_its_guild() {
    let server = DiscordServer::start().await;
    let mut bot = SerenityBot::start(&server).await;
    let ready = bot.ready().await;
    assert_eq!(ready.user.id.get(), server.bot_id());
    assert_eq!(ready.application.id.get(), server.app_id());
    let guild = bot.guild_create().await;
    assert_eq!(guild.id.get(), server.guild_id());
    let mut channels: Vec<String> = guild.channels.values().map(|c| c.name.clone()).collect();
    channels.sort();
    assert_eq!(channels, ["general", "team"]);
    assert!(guild.members.contains_key(&server.user("alice").into()));
    let carla = &guild.members[&server.user("carla").into()];
    assert_eq!(carla.roles, [serenity::all::RoleId::new(server.role("Coordinators"))]);

    let gateway = server.requests_for("get_gateway");
    assert_eq!(gateway.len(), 1, "{gateway:?}");
    assert_eq!(
        gateway[0].response.as_ref().map(|r| r["url"].clone()),
        Some(server.gateway_url().into())
    );
    // serenity 0.12.5 appends `?v=10` to the URL of GET /gateway and connects to it as is.
    assert_eq!(server.gateway_handshakes(), ["/?v=10"]);
    let identify = server.client_frame(IDENTIFY, 1).await;
    assert_eq!(
        identify.d["token"].as_str().map(|t| t.trim_start_matches("Bot ")),
        Some(server.token().as_str())
    );
    assert_eq!(identify.d["intents"].as_u64(), Some(SerenityBot::intents().bits()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeats_are_acknowledged_so_the_connection_stays() {
    let (server, _bot) = connected().await;
    let second = server.client_frame(HEARTBEAT, 2).await;
    // serenity reconnects when a heartbeat goes unacknowledged: both came on the first connection.
    assert_eq!(second.connection, 1);
    assert_eq!(server.gateway_handshakes().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_is_received_and_answered_through_rest() {
    let (server, mut bot) = connected().await;
    let general = server.channel("general");
    let sent = server.send_message(general, server.user("alice"), "!today");
    let message = bot.message().await;
    assert_eq!(message.content, "!today");
    assert_eq!(message.author.id.get(), server.user("alice"));
    assert_eq!(message.guild_id.map(|g| g.get()), Some(server.guild_id()));
    assert_eq!(message.id.to_string(), sent["id"].as_str().unwrap_or_default());

    let reply = message.reply(&bot.http, "Here are today's posts").await;
    let reply = reply.expect("the reply is posted");
    let request = server.next_request("create_message").await;
    assert_eq!(request.status, 200, "{:?}", request.response);
    assert_eq!(request.json()["content"], "Here are today's posts");
    assert_eq!(request.json()["message_reference"]["message_id"], sent["id"]);
    let history = server.messages(general);
    let last = history.last().expect("the channel has messages");
    assert_eq!(last["id"], reply.id.to_string());
    assert_eq!(last["author"]["id"], server.bot_id().to_string());
    assert_eq!(reply.referenced_message.map(|m| m.id), Some(message.id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slash_command_is_answered_ephemerally_then_edited_and_followed_up() {
    let (server, mut bot) = connected().await;
    let general = server.channel("general");
    let options = serde_json::json!([{"name": "zone", "type": 3, "value": "Europe/Paris"}]);
    let dispatched = server.slash_command(server.user("alice"), general, "tz", options);
    let Interaction::Command(command) = bot.interaction().await else {
        panic!("a slash command arrives as a command interaction")
    };
    assert_eq!(command.data.name, "tz");
    assert_eq!(command.user.id.get(), server.user("alice"));
    let zone = command.data.options().first().map(|o| o.value.clone());
    assert!(matches!(zone, Some(ResolvedValue::String("Europe/Paris"))), "{zone:?}");

    let answer = CreateInteractionResponseMessage::new()
        .content("Time zone set")
        .ephemeral(true);
    command
        .create_response(&bot.http, CreateInteractionResponse::Message(answer))
        .await
        .expect("the callback is accepted");
    let callback = server.next_request("create_interaction_response").await;
    assert_eq!(callback.status, 204);
    assert_eq!(callback.json()["type"], 4);
    assert_eq!(callback.json()["data"]["flags"], 64);
    let answered = server.interaction(&dispatched.token);
    assert_eq!(
        answered.original.as_ref().map(|m| m["content"].clone()),
        Some("Time zone set".into())
    );
    assert!(
        server.messages(general).iter().all(|m| m["content"] != "Time zone set"),
        "ephemeral stays private"
    );

    let again = CreateInteractionResponse::Message(CreateInteractionResponseMessage::new().content("twice"));
    let refused = command.create_response(&bot.http, again).await;
    assert_eq!(discord_code(refused), Some(40060), "one callback per interaction");
    let edited = command
        .edit_response(
            &bot.http,
            EditInteractionResponse::new().content("Time zone set: Europe/Paris"),
        )
        .await
        .expect("the original response is edited");
    assert_eq!(edited.content, "Time zone set: Europe/Paris");
    let more = CreateInteractionResponseFollowup::new()
        .content("Reminders now come at 18:00 your time")
        .ephemeral(true);
    let followup = command
        .create_followup(&bot.http, more)
        .await
        .expect("a follow-up is sent");
    assert_eq!(server.interaction(&dispatched.token).followups.len(), 1);
    assert!(followup.flags.is_some_and(|f| f.bits() & 64 != 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_interaction_token_is_refused_as_unknown_interaction() {
    let (server, mut bot) = connected().await;
    let dispatched = server.slash_command(
        server.user("bob"),
        server.channel("general"),
        "me",
        serde_json::json!([]),
    );
    let Interaction::Command(command) = bot.interaction().await else {
        panic!("a slash command arrives as a command interaction")
    };
    server.expire_interaction(&dispatched.token);
    let late = CreateInteractionResponse::Message(CreateInteractionResponseMessage::new().content("late"));
    let refused = command.create_response(&bot.http, late).await;
    assert_eq!(discord_code(refused), Some(10062));
    let edit = command
        .edit_response(&bot.http, EditInteractionResponse::new().content("late"))
        .await;
    assert_eq!(discord_code(edit), Some(10062));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_each_kind_of_disconnect_serenity_resumes_and_gets_what_it_missed() {
    let (server, mut bot) = connected().await;
    let general = server.channel("general");
    let alice = server.user("alice");
    let session = server.client_frame(IDENTIFY, 1).await;
    let kinds: [(&str, Disconnect); 3] = [
        ("closed with 4000", |s| s.disconnect_gateway(4000)),
        ("dropped without a close frame", DiscordServer::drop_gateway),
        ("asked to reconnect (opcode 7)", DiscordServer::request_reconnect),
    ];
    for (round, (kind, disconnect)) in kinds.into_iter().enumerate() {
        server.hold_resumes();
        disconnect(&server);
        let text = format!("missed while {kind}");
        server.send_message(general, alice, &text);
        server.release_resumes();
        let resume = server.client_frame(RESUME, round + 1).await;
        assert_eq!(resume.connection, round as u64 + 2, "{kind}");
        assert!(resume.d["session_id"].is_string(), "{kind}: {:?}", resume.d);
        let message = bot.message().await;
        assert_eq!(message.content, text, "{kind}");
        bot.resumed().await;
    }
    let identifies = server.client_frames().iter().filter(|f| f.op == IDENTIFY).count();
    assert_eq!(identifies, 1, "every reconnection resumed {session:?}");
    let again = bot.pending();
    assert!(
        again
            .iter()
            .all(|e| !matches!(e, serenity::all::Event::MessageCreate(_))),
        "no message twice: {again:?}"
    );
    let later = server.send_message(general, alice, "after the resumes");
    assert_eq!(
        bot.message().await.id.to_string(),
        later["id"].as_str().unwrap_or_default()
    );
    ChannelId::new(general)
        .say(&bot.http, "still here")
        .await
        .expect("REST works after the resumes");
}

/// The Discord JSON error code of a failed serenity call.
pub fn discord_code<T: std::fmt::Debug>(result: serenity::Result<T>) -> Option<isize> {
    match result {
        Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(response))) => {
            Some(response.error.code)
        }
        other => panic!("expected Discord to refuse the call, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buttons_and_autocomplete_come_back_as_interactions_and_are_answered() {
    let (server, mut bot) = connected().await;
    let general = ChannelId::new(server.channel("general"));
    let alice = server.user("alice");
    let button = CreateButton::new("claim:c12").label("I shared it");
    let push = CreateMessage::new()
        .content("Today's post: c12")
        .components(vec![CreateActionRow::Buttons(vec![button])]);
    let push = general.send_message(&bot.http, push).await.expect("posted");
    let clicked = server.click(alice, general.get(), push.id.get(), "claim:c12");
    let Interaction::Component(click) = bot.interaction().await else {
        panic!("a click arrives as a component interaction")
    };
    assert_eq!(
        (click.data.custom_id.as_str(), click.message.id),
        ("claim:c12", push.id)
    );
    let counted = CreateInteractionResponseMessage::new()
        .content("Counted, thank you")
        .ephemeral(true);
    click
        .create_response(&bot.http, CreateInteractionResponse::Message(counted))
        .await
        .expect("the click is answered");
    assert_eq!(
        server.interaction(&clicked.token).callback.map(|c| c["type"].clone()),
        Some(json!(4))
    );

    let typed = json!([{"name": "zone", "type": 3, "value": "Europe/Pa", "focused": true}]);
    let typing = server.autocomplete(alice, general.get(), "tz", typed);
    let Interaction::Autocomplete(autocomplete) = bot.interaction().await else {
        panic!("typing into an autocompleted option arrives as an autocomplete interaction")
    };
    assert_eq!(autocomplete.data.autocomplete().map(|o| o.value), Some("Europe/Pa"));
    let choices = CreateAutocompleteResponse::new().add_string_choice("Europe/Paris", "Europe/Paris");
    autocomplete
        .create_response(&bot.http, CreateInteractionResponse::Autocomplete(choices))
        .await
        .expect("the suggestions are accepted");
    let callback = server.interaction(&typing.token).callback.unwrap_or_default();
    assert_eq!(
        (
            callback["type"].clone(),
            callback["data"]["choices"][0]["value"].clone()
        ),
        (json!(8), json!("Europe/Paris"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_with_response_gives_back_the_interaction_and_its_message() {
    let (server, mut bot) = connected().await;
    let dispatched = server.slash_command(server.user("carla"), server.channel("team"), "report", json!([]));
    bot.interaction().await;
    let path = format!(
        "/api/v10/interactions/{}/{}/callback?with_response=true",
        dispatched.id, dispatched.token
    );
    let body = r#"{"type": 4, "data": {"content": "Report of week 2026-W48", "flags": 64}}"#;
    let response = server.raw("POST", &path, Some(body)).await;
    assert_eq!(response.status, 200, "{response:?}");
    let answer: serde_json::Value = serde_json::from_str(&response.body).expect("a JSON body");
    assert_eq!(answer["interaction"]["response_message_ephemeral"], true);
    assert_eq!(answer["resource"]["message"]["content"], "Report of week 2026-W48");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_message_reaches_the_bot_without_a_guild() {
    let (server, mut bot) = connected().await;
    let alice = UserId::new(server.user("alice"));
    let dm = alice.create_dm_channel(&bot.http).await.expect("a DM channel");
    server.send_message(dm.id.get(), alice.get(), "!me");
    let message = bot.message().await;
    assert_eq!(
        (message.content.as_str(), message.guild_id, message.channel_id),
        ("!me", None, dm.id)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_message_content_only_mentions_and_direct_messages_keep_their_text() {
    let server = DiscordServer::start().await;
    let intents = SerenityBot::intents() - GatewayIntents::MESSAGE_CONTENT;
    let mut bot = SerenityBot::start_with(&server, intents).await;
    bot.ready().await;
    let (general, alice) = (server.channel("general"), server.user("alice"));
    server.send_message(general, alice, "!today");
    assert_eq!(bot.message().await.content, "");
    let mention = format!("<@{}> today", server.bot_id());
    server.send_message(general, alice, &mention);
    assert_eq!(bot.message().await.content, mention);
    let dm = UserId::new(alice)
        .create_dm_channel(&bot.http)
        .await
        .expect("a DM channel");
    server.send_message(dm.id.get(), alice, "!me");
    assert_eq!(bot.message().await.content, "!me");
    assert_eq!(
        server.messages(general)[0]["content"],
        "!today",
        "the text is kept, only not sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_message_content_intent_closes_the_identify_with_4014() {
    let server = DiscordServer::start().await;
    server.refuse_message_content();
    let _bot = SerenityBot::start(&server).await;
    server.client_frame(IDENTIFY, 1).await;
    assert_eq!(server.gateway_closes(), [4014]);
    assert_eq!(server.gateway_sessions(), 0);
}
