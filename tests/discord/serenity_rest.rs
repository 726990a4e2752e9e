//! serenity against the local server's REST routes: guild commands, channel history, nonces,
//! reactions, direct messages, and injected 429s and 5xx.

use crate::discord_support::bot::SerenityBot;
use crate::discord_support::{DiscordServer, Fault};
use crate::serenity_gateway::discord_code;
use serenity::all::{
    ChannelId, CommandOptionType, CreateCommand, CreateCommandOption, CreateMessage, EditMessage, GetMessages, GuildId,
    MessageId, Nonce, ReactionType, RoleId, UserId,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guild_commands_are_registered_listed_and_keep_their_ids() {
    let server = DiscordServer::start().await;
    let http = server.http();
    let guild = GuildId::new(server.guild_id());
    let zone = CreateCommandOption::new(CommandOptionType::String, "zone", "An IANA time zone")
        .required(true)
        .set_autocomplete(true);
    let commands = vec![
        CreateCommand::new("today").description("Today's posts"),
        CreateCommand::new("tz")
            .description("Set your time zone")
            .add_option(zone),
    ];
    let first = guild
        .set_commands(&http, commands.clone())
        .await
        .expect("the commands are registered");
    let names: Vec<&str> = first.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["today", "tz"]);
    let listed = guild.get_commands(&http).await.expect("the commands are listed");
    assert_eq!(
        listed.iter().map(|c| c.id).collect::<Vec<_>>(),
        first.iter().map(|c| c.id).collect::<Vec<_>>()
    );
    let second = guild.set_commands(&http, commands).await.expect("registered again");
    assert_eq!(
        second[1].id, first[1].id,
        "an overwrite keeps the id of a command with the same name"
    );
    assert_eq!(server.requests_for("bulk_set_guild_application_commands").len(), 2);

    let mut bot = SerenityBot::start(&server).await;
    bot.ready().await;
    let dispatched = server.slash_command(
        server.user("alice"),
        server.channel("general"),
        "today",
        serde_json::json!([]),
    );
    assert_eq!(dispatched.payload["data"]["id"], first[0].id.to_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_is_served_newest_first_around_an_id_with_a_limit() {
    let server = DiscordServer::start().await;
    let http = server.http();
    let general = server.channel("general");
    let ids: Vec<MessageId> = (1..=5)
        .map(|n| {
            let stored = server.store_message(general, server.user("alice"), &format!("!shared https://x.com/{n}"));
            MessageId::new(stored["id"].as_str().and_then(|s| s.parse().ok()).unwrap_or(1))
        })
        .collect();
    let channel = ChannelId::new(general);
    let rows = [
        (GetMessages::new().after(ids[0]).limit(2), vec![ids[2], ids[1]]),
        (GetMessages::new().after(ids[3]), vec![ids[4]]),
        (GetMessages::new().before(ids[2]).limit(5), vec![ids[1], ids[0]]),
        (GetMessages::new().limit(2), vec![ids[4], ids[3]]),
        (GetMessages::new().after(ids[4]), vec![]),
    ];
    for (query, want) in rows {
        let got: Vec<MessageId> = channel
            .messages(&http, query)
            .await
            .expect("history")
            .iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(got, want, "{query:?}");
    }
    let request = server.requests_for("list_messages").remove(0);
    let mut query: Vec<(&str, &str)> = request.query.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    query.sort();
    assert_eq!(query, [("after", ids[0].to_string().as_str()), ("limit", "2")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nonce_with_enforce_nonce_gives_back_the_message_already_sent() {
    let server = DiscordServer::start().await;
    let http = server.http();
    let team = ChannelId::new(server.channel("team"));
    let push = || {
        CreateMessage::new()
            .content("Today's post")
            .nonce(Nonce::String("relais-push-c12".into()))
    };
    let first = team
        .send_message(&http, push().enforce_nonce(true))
        .await
        .expect("sent");
    let again = team
        .send_message(&http, push().enforce_nonce(true))
        .await
        .expect("sent again");
    assert_eq!(again.id, first.id, "the same nonce within minutes is the same message");
    assert_eq!(server.messages(team.get()).len(), 1);
    assert_eq!(server.messages(team.get())[0]["nonce"], "relais-push-c12");
    let unenforced = team
        .send_message(&http, push())
        .await
        .expect("sent without enforce_nonce");
    assert_ne!(
        unenforced.id, first.id,
        "without enforce_nonce Discord makes a new message"
    );
    assert_eq!(server.messages(team.get()).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reactions_are_dispatched_listed_and_added_by_the_bot() {
    let server = DiscordServer::start().await;
    let mut bot = SerenityBot::start(&server).await;
    bot.ready().await;
    let general = ChannelId::new(server.channel("general"));
    let push = general.say(&bot.http, "Today's post: c12").await.expect("posted");
    let alice = server.user("alice");
    server.react(alice, general.get(), push.id.get(), "👍");
    let reaction = bot.reaction().await;
    assert_eq!(reaction.user_id.map(|u| u.get()), Some(alice));
    assert_eq!(reaction.message_id, push.id);
    assert_eq!(reaction.emoji, ReactionType::Unicode("👍".into()));

    let thumbs = ReactionType::Unicode("👍".into());
    let users = bot
        .http
        .get_reaction_users(general, push.id, &thumbs, 100, None)
        .await
        .expect("reaction users");
    assert_eq!(users.iter().map(|u| u.id.get()).collect::<Vec<_>>(), [alice]);
    push.react(&bot.http, thumbs.clone()).await.expect("the bot reacts");
    assert_eq!(server.next_request("add_my_message_reaction").await.status, 204);
    let seen = general.message(&bot.http, push.id).await.expect("the message");
    let counted: Vec<(u64, bool)> = seen.reactions.iter().map(|r| (r.count, r.me)).collect();
    assert_eq!(counted, [(2, true)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_message_channel_is_opened_once_and_written_to() {
    let server = DiscordServer::start().await;
    let http = server.http();
    let alice = UserId::new(server.user("alice"));
    let channel = alice.create_dm_channel(&http).await.expect("a DM channel");
    assert_eq!(channel.recipient.id, alice);
    let sent = channel
        .say(&http, "Reminder: today's post is waiting")
        .await
        .expect("sent");
    assert_eq!(sent.channel_id, channel.id);
    assert_eq!(server.messages(channel.id.get()).len(), 1);
    let again = alice.create_dm_channel(&http).await.expect("the same DM channel");
    assert_eq!(again.id, channel.id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_carries_retry_after_then_the_route_works_again() {
    let server = DiscordServer::start().await;
    let http = server.http();
    let general = server.channel("general");
    server.fail(
        "create_message",
        Fault::RateLimited {
            retry_after: 1.5,
            global: false,
        },
        1,
    );
    let limited = ChannelId::new(general).say(&http, "first try").await;
    assert_eq!(status_of(&limited), Some(429));
    let request = server.next_request("create_message").await;
    assert_eq!(
        request.response.as_ref().map(|r| r["retry_after"].clone()),
        Some(1.5.into())
    );
    assert!(server.messages(general).is_empty());
    ChannelId::new(general)
        .say(&http, "second try")
        .await
        .expect("the fault was used once");

    server.fail(
        "create_message",
        Fault::RateLimited {
            retry_after: 2.25,
            global: true,
        },
        1,
    );
    let path = format!("/api/v10/channels/{general}/messages");
    let raw = server.raw("POST", &path, Some(r#"{"content": "raw"}"#)).await;
    assert_eq!(raw.status, 429);
    let headers: Vec<(&str, Option<&str>)> = [
        "retry-after",
        "x-ratelimit-remaining",
        "x-ratelimit-reset-after",
        "x-ratelimit-scope",
        "x-ratelimit-global",
    ]
    .into_iter()
    .map(|name| (name, raw.header(name)))
    .collect();
    let want = [
        ("retry-after", Some("3")),
        ("x-ratelimit-remaining", Some("0")),
        ("x-ratelimit-reset-after", Some("2.250")),
        ("x-ratelimit-scope", Some("global")),
        ("x-ratelimit-global", Some("true")),
    ];
    assert_eq!(headers, want);
    assert!(
        raw.header("x-ratelimit-bucket").is_some() && raw.header("x-ratelimit-reset").is_some(),
        "{raw:?}"
    );
    let body: serde_json::Value = serde_json::from_str(&raw.body).expect("a JSON body");
    assert_eq!(
        (body["retry_after"].as_f64(), body["global"].as_bool()),
        (Some(2.25), Some(true))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5xx_is_answered_as_many_times_as_asked_then_the_route_works() {
    let server = DiscordServer::start().await;
    let http = server.http();
    let general = ChannelId::new(server.channel("general"));
    server.fail("create_message", Fault::ServerError(502), 2);
    for _ in 0..2 {
        assert_eq!(status_of(&general.say(&http, "during the outage").await), Some(502));
    }
    general
        .say(&http, "after the outage")
        .await
        .expect("the route works again");
    let contents: Vec<serde_json::Value> = server
        .messages(general.get())
        .iter()
        .map(|m| m["content"].clone())
        .collect();
    assert_eq!(contents, ["after the outage"]);
}

fn status_of<T>(result: &serenity::Result<T>) -> Option<u16> {
    match result {
        Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(response))) => {
            Some(response.status_code.as_u16())
        }
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_channel_is_refused_as_discord_does() {
    let server = DiscordServer::start().await;
    let refused = ChannelId::new(42).say(&server.http(), "nowhere").await;
    assert_eq!(discord_code(refused), Some(10003));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_reads_itself_its_gateway_members_roles_and_channels() {
    let server = DiscordServer::start().await;
    let http = server.http();
    let me = http.get_current_user().await.expect("users/@me");
    assert_eq!((me.id.get(), me.bot), (server.bot_id(), true));
    let gateway = http.get_bot_gateway().await.expect("gateway/bot");
    assert_eq!((gateway.url.as_str(), gateway.shards), (server.gateway_url(), 1));
    let guild = GuildId::new(server.guild_id());
    let carla = guild
        .member(&http, UserId::new(server.user("carla")))
        .await
        .expect("a member");
    assert_eq!(carla.roles, [RoleId::new(server.role("Coordinators"))]);
    let members = guild.members(&http, Some(10), None).await.expect("the members");
    assert_eq!(members.len(), 4);
    let mut roles: Vec<String> = guild
        .roles(&http)
        .await
        .expect("the roles")
        .into_values()
        .map(|r| r.name)
        .collect();
    roles.sort();
    assert_eq!(roles, ["@everyone", "Coordinators"]);
    let team = ChannelId::new(server.channel("team"));
    let channel = team.to_channel(&http).await.expect("a channel");
    assert_eq!(channel.guild().map(|c| c.name), Some("team".to_string()));
    team.broadcast_typing(&http).await.expect("typing");
    assert_eq!(discord_code(guild.member(&http, UserId::new(42)).await), Some(10007));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_edits_and_deletes_its_messages_and_only_its_own() {
    let server = DiscordServer::start().await;
    let http = server.http();
    let general = ChannelId::new(server.channel("general"));
    let mut message = general.say(&http, "draft").await.expect("posted");
    message
        .edit(&http, EditMessage::new().content("final"))
        .await
        .expect("edited");
    let stored = &server.messages(general.get())[0];
    assert_eq!(stored["content"], "final");
    assert!(stored["edited_timestamp"].is_string(), "{stored}");
    message.delete(&http).await.expect("deleted");
    assert!(server.messages(general.get()).is_empty());
    let hers = server.store_message(general.get(), server.user("alice"), "mine");
    let hers = MessageId::new(hers["id"].as_str().and_then(|s| s.parse().ok()).unwrap_or(1));
    let edit = general
        .edit_message(&http, hers, EditMessage::new().content("taken over"))
        .await;
    assert_eq!(discord_code(edit), Some(50005));
    assert_eq!(discord_code(general.delete_message(&http, hers).await), Some(50013));
}
