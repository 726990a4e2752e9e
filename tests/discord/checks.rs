//! The local server's honesty checks catch what they must: bodies that break Discord's spec,
//! routes Discord does not have, gateway payloads serenity cannot read or would silently drop.

use crate::discord_support::models::check_dispatch;
use crate::discord_support::spec::Spec;
use crate::discord_support::{fixtures, DiscordServer};
use serde_json::{json, Value};
use serenity::all::{ChannelId, LightMethod, Request, Route};

/// Method, path, the operation it routes to, and some of its path parameters.
type RouteRow<'a> = (&'a str, &'a str, Option<&'a str>, &'a [(&'a str, &'a str)]);

#[test]
fn the_spec_routes_requests_to_their_operations() {
    let spec = Spec::shared();
    let rows: &[RouteRow<'_>] = &[
        ("GET", "/gateway", Some("get_gateway"), &[]),
        ("get", "/gateway/bot", Some("get_bot_gateway"), &[]),
        (
            "POST",
            "/channels/12/messages",
            Some("create_message"),
            &[("channel_id", "12")],
        ),
        (
            "PUT",
            "/channels/1/messages/2/reactions/%F0%9F%91%8D/@me",
            Some("add_my_message_reaction"),
            &[("emoji_name", "👍")],
        ),
        (
            "DELETE",
            "/channels/1/messages/2/reactions/rivers:99/7",
            Some("delete_user_message_reaction"),
            &[("emoji_name", "rivers:99"), ("user_id", "7")],
        ),
        (
            "PATCH",
            "/webhooks/5/tok/messages/@original",
            Some("update_original_webhook_message"),
            &[("webhook_token", "tok")],
        ),
        (
            "PATCH",
            "/webhooks/5/tok/messages/9",
            Some("update_webhook_message"),
            &[("message_id", "9")],
        ),
        ("POST", "/channels/12/messages/", Some("create_message"), &[]),
        ("POST", "/gateway", None, &[]),
        ("GET", "/nowhere", None, &[]),
        ("GET", "/channels//messages", None, &[]),
    ];
    for (method, path, want, params) in rows {
        let found = spec.operation(method, path);
        assert_eq!(found.as_ref().map(|op| op.id.as_str()), *want, "{method} {path}");
        for (name, value) in *params {
            assert_eq!(
                found.as_ref().map(|op| op.param(name)),
                Some(*value),
                "{method} {path} {name}"
            );
        }
    }
}

#[test]
fn the_spec_names_what_is_wrong_in_a_body() {
    let spec = Spec::shared();
    let alice = fixtures::user(80, "alice", false);
    let good = fixtures::message(81, 82, &alice, "hello");
    assert_eq!(
        spec.check("#/components/schemas/MessageResponse", &good),
        Vec::<String>::new()
    );
    let mut missing = good.clone();
    missing.as_object_mut().map(|m| m.remove("author"));
    let mut misspelt = good.clone();
    misspelt["conent"] = json!("hello");
    let mut nested = good.clone();
    nested["author"]["usernme"] = json!("alice");
    let mut wrong_type = good.clone();
    wrong_type["tts"] = json!("no");
    let rows = [
        (missing, "\"author\" is a required property"),
        (misspelt, "at `/conent`: a field the spec does not name"),
        (nested, "at `/author/usernme`: a field the spec does not name"),
        (wrong_type, "at `/tts`"),
    ];
    for (body, want) in rows {
        let problems = spec.check("#/components/schemas/MessageResponse", &body);
        assert!(
            problems.iter().any(|p| p.contains(want)),
            "want {want:?} in {problems:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_body_that_breaks_the_spec_is_refused_and_reported_with_its_path() {
    let server = DiscordServer::start().await;
    let http = server.http();
    let general = server.channel("general");
    let too_long = json!({"content": "x".repeat(4001)}).to_string();
    let rows: [(String, &str); 3] = [
        (r#"{"content": 42}"#.into(), "at `/content`"),
        (too_long, "at `/content`"),
        (
            r#"{"content": "hi", "embeds": [{"title": 7}]}"#.into(),
            "at `/embeds/0/title`",
        ),
    ];
    for (body, want) in rows {
        let request = Request::new(
            Route::ChannelMessages {
                channel_id: ChannelId::new(general),
            },
            LightMethod::Post,
        )
        .body(Some(body.clone().into_bytes()));
        let refused = http.request(request).await;
        assert_eq!(
            crate::serenity_gateway::discord_code(refused.map(|_| ())),
            Some(50035),
            "{body}"
        );
        let violations = server.take_violations();
        assert_eq!(violations.len(), 1, "{violations:?}");
        let violation = &violations[0];
        let path = format!("POST /api/v10/channels/{general}/messages (create_message)");
        assert!(
            violation.contains(&path) && violation.contains(want),
            "want {want:?} in {violation}"
        );
    }
    assert!(server.messages(general).is_empty(), "nothing refused was stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_route_or_query_discord_does_not_have_is_reported() {
    let server = DiscordServer::start().await;
    let general = server.channel("general");
    let rows = [
        (
            "GET",
            "/api/v10/nowhere".to_string(),
            404,
            "no such route in Discord's API",
        ),
        (
            "GET",
            format!("/api/v10/channels/{general}/messages?limit=500"),
            400,
            "query parameter `limit=500`",
        ),
        (
            "GET",
            format!("/api/v10/channels/{general}/messages?sort=up"),
            400,
            "query parameter `sort` is not in the spec",
        ),
        (
            "GET",
            format!("/api/v9/channels/{general}/messages"),
            404,
            "no such route",
        ),
        (
            "GET",
            format!("/api/v10/guilds/{}", server.guild_id()),
            404,
            "does not implement `get_guild`",
        ),
    ];
    for (method, path, status, want) in rows {
        let response = server.raw(method, &path, None).await;
        assert_eq!(response.status, status, "{path}: {response:?}");
        let violations = server.take_violations();
        assert!(
            violations.len() == 1 && violations[0].contains(want),
            "want {want:?} in {violations:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_without_the_bot_token_are_unauthorized() {
    let server = DiscordServer::start().await;
    let general = server.channel("general");
    let stranger = serenity::http::HttpBuilder::new("not-the-token")
        .proxy(server.url())
        .ratelimiter_disabled(true)
        .build();
    let refused = ChannelId::new(general).say(&stranger, "hello").await;
    assert_eq!(crate::serenity_gateway::discord_code(refused), Some(0));
    assert_eq!(server.requests_for("create_message")[0].status, 401);
    assert!(
        server.take_violations().is_empty(),
        "a 401 is Discord's answer, not a violation"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_saw_a_violation_fails_the_test_when_dropped() {
    let server = DiscordServer::start().await;
    let response = server.raw("GET", "/api/v10/nowhere", None).await;
    assert_eq!(response.status, 404);
    let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(server)));
    let message = dropped.err().and_then(|e| e.downcast::<String>().ok()).map(|m| *m);
    assert!(
        message.as_deref().is_some_and(|m| m.contains("GET /api/v10/nowhere")),
        "{message:?}"
    );
}

#[test]
fn gateway_payloads_serenity_cannot_read_or_would_drop_are_refused() {
    let alice = fixtures::user(90, "alice", false);
    let good = fixtures::message(91, 92, &alice, "!today");
    assert_eq!(check_dispatch("MESSAGE_CREATE", &good), Ok(()));
    let mut no_author = good.clone();
    no_author.as_object_mut().map(|m| m.remove("author"));
    let mut misspelt = good.clone();
    misspelt["conent"] = json!("!today");
    let mut bad_id = good.clone();
    bad_id["channel_id"] = json!("general");
    let rows: [(&str, Value, &str); 5] = [
        ("MESSAGE_CREATE", no_author, "author"),
        ("MESSAGE_CREATE", misspelt, "/conent"),
        ("MESSAGE_CREATE", bad_id, "serenity cannot read it"),
        (
            "MESSAGE_CREAT",
            good.clone(),
            "no serenity model is checked for `MESSAGE_CREAT`",
        ),
        ("MESSAGE_REACTION_ADD", good, "serenity cannot read it"),
    ];
    for (t, d, want) in rows {
        let result = check_dispatch(t, &d);
        assert!(
            result.as_ref().is_err_and(|e| e.contains(want)),
            "{t}: want {want:?} in {result:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fixture_serenity_cannot_read_fails_the_dispatch() {
    let server = DiscordServer::start().await;
    let mut bot = crate::discord_support::bot::SerenityBot::start(&server).await;
    bot.ready().await;
    let invented = json!({"id": "1", "channel_id": "2", "content": "no author, no timestamp"});
    let dispatch = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        server.dispatch("MESSAGE_CREATE", invented)
    }));
    let message = dispatch.err().and_then(|e| e.downcast::<String>().ok()).map(|m| *m);
    assert!(
        message.as_deref().is_some_and(|m| m.contains("MESSAGE_CREATE")),
        "{message:?}"
    );
}

#[test]
fn discords_command_rules_catch_what_the_schema_lets_through() {
    use crate::discord_support::commands::discord_rules;
    let option =
        |name: &str, required: bool| json!({"type": 3, "name": name, "description": "d", "required": required});
    let command = |options: Vec<Value>| json!({"name": "cmd", "description": "d", "type": 1, "options": options});
    let many: Vec<Value> = (0..26).map(|i| option(&format!("o{i}"), false)).collect();
    let mut localized = option("zone", false);
    localized["name_localizations"] = json!({"fr": "Fuseau"});
    let mut chosen = option("lang", false);
    chosen["autocomplete"] = json!(true);
    chosen["choices"] = json!([{"name": "English", "value": "en"}]);
    let mut twins = vec![option("a", false), option("b", false)];
    twins[1]["name_localizations"] = json!({"pt-BR": "a"});
    let rows: [(Value, &str); 7] = [
        (
            json!({"name": "Today", "description": "d", "type": 1}),
            "name \"Today\" (default)",
        ),
        (
            json!({"name": "today", "description": "x".repeat(101), "type": 1}),
            "description (default) has 101 characters",
        ),
        (command(many), "26 options"),
        (
            command(vec![option("a", false), option("b", true)]),
            "/cmd/b: a required option after an optional one",
        ),
        (command(vec![localized]), "name \"Fuseau\" (fr)"),
        (command(vec![chosen]), "autocomplete with choices"),
        (command(twins), "the name \"a\" is used twice in locale pt-BR"),
    ];
    for (body, want) in rows {
        let problems = discord_rules(&[body]);
        assert!(
            problems.iter().any(|p| p.contains(want)),
            "want {want:?} in {problems:?}"
        );
    }
    let fine = command(vec![option("a", true), option("b", false)]);
    assert_eq!(discord_rules(&[fine]), Vec::<String>::new());
}
