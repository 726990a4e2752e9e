//! Tests of event classification: one JSON event per row and what the adapter makes of it.

use super::*;
use serde_json::json;

const BOT: &str = "@relais:example.org";

fn text(event_id: &str, body: &str) -> Message {
    Message {
        event_id: event_id.into(),
        sender: "@alice:example.org".into(),
        text: body.into(),
        thread_root: None,
        origin_ts: Some(1),
    }
}

fn msg(content: Value) -> Value {
    json!({"type": "m.room.message", "sender": "@alice:example.org", "event_id": "$e", "origin_server_ts": 1, "content": content})
}

#[test]
fn events_are_classified() {
    let formatted = msg(
        json!({"msgtype": "m.text", "body": "!top", "format": "org.matrix.custom.html", "formatted_body": "<b>!help</b>"}),
    );
    let reply = msg(json!({
        "msgtype": "m.text",
        "body": "> <@bob:example.org> !help\n> second line\n\n!me",
        "m.relates_to": {"m.in_reply_to": {"event_id": "$orig"}}
    }));
    let quoted_not_reply = msg(json!({"msgtype": "m.text", "body": "> a quote\n\n!me"}));
    let threaded = msg(json!({
        "msgtype": "m.text", "body": "!today",
        "m.relates_to": {"rel_type": "m.thread", "event_id": "$root", "is_falling_back": true, "m.in_reply_to": {"event_id": "$root"}}
    }));
    let edit = msg(json!({
        "msgtype": "m.text", "body": "* !top", "m.new_content": {"msgtype": "m.text", "body": "!top"},
        "m.relates_to": {"rel_type": "m.replace", "event_id": "$orig"}
    }));
    let pill = msg(json!({
        "msgtype": "m.text", "body": "!role grant Dana",
        "format": "org.matrix.custom.html",
        "formatted_body": "!role grant <a href=\"https://matrix.to/#/@dana:example.org\">Dana</a>",
        "m.mentions": {"user_ids": ["@dana:example.org"]}
    }));
    let rows: Vec<(&str, Value, RoomEvent)> = vec![
        (
            "issue 14: a mention pill gives the account id, not the display name",
            pill,
            RoomEvent::Message(text("$e", "!role grant @dana:example.org")),
        ),
        (
            "plain text",
            msg(json!({"msgtype": "m.text", "body": "!help"})),
            RoomEvent::Message(text("$e", "!help")),
        ),
        (
            "formatted body uses plain body",
            formatted,
            RoomEvent::Message(text("$e", "!top")),
        ),
        ("reply fallback stripped", reply, RoomEvent::Message(text("$e", "!me"))),
        (
            "quote without reply kept",
            quoted_not_reply,
            RoomEvent::Message(text("$e", "> a quote\n\n!me")),
        ),
        (
            "thread",
            threaded,
            RoomEvent::Message(Message {
                thread_root: Some("$root".into()),
                ..text("$e", "!today")
            }),
        ),
        ("edit", edit, RoomEvent::Ignored(Ignored::Edit)),
        (
            "notice",
            msg(json!({"msgtype": "m.notice", "body": "!help"})),
            RoomEvent::Ignored(Ignored::NotText),
        ),
        (
            "image",
            msg(json!({"msgtype": "m.image", "body": "x.png", "url": "mxc://a/b"})),
            RoomEvent::Ignored(Ignored::NotText),
        ),
        ("redacted", msg(json!({})), RoomEvent::Ignored(Ignored::Redacted)),
        (
            "no body",
            msg(json!({"msgtype": "m.text"})),
            RoomEvent::Ignored(Ignored::Malformed),
        ),
        (
            "body not a string",
            msg(json!({"msgtype": "m.text", "body": 12})),
            RoomEvent::Ignored(Ignored::Malformed),
        ),
        (
            "no sender",
            json!({"type": "m.room.message", "event_id": "$e", "content": {}}),
            RoomEvent::Ignored(Ignored::Malformed),
        ),
        ("not an object", json!("hello"), RoomEvent::Ignored(Ignored::Malformed)),
        (
            "unknown type",
            json!({"type": "org.example.custom", "sender": "@a:b", "event_id": "$e", "content": {"body": "!help"}}),
            RoomEvent::Ignored(Ignored::OtherType),
        ),
        (
            "reaction",
            json!({"type": "m.reaction", "sender": "@alice:example.org", "event_id": "$r",
                   "content": {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$push", "key": "✅"}}}),
            RoomEvent::Reaction {
                event_id: "$r".into(),
                sender: "@alice:example.org".into(),
                target: "$push".into(),
                key: "✅".into(),
            },
        ),
        (
            "reaction without key",
            json!({"type": "m.reaction", "sender": "@a:b", "event_id": "$r", "content": {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$p"}}}),
            RoomEvent::Ignored(Ignored::Malformed),
        ),
        (
            "redaction, room v11",
            json!({"type": "m.room.redaction", "sender": "@a:b", "event_id": "$x", "content": {"redacts": "$r"}}),
            RoomEvent::Redaction {
                event_id: "$x".into(),
                sender: "@a:b".into(),
                redacts: "$r".into(),
            },
        ),
        (
            "redaction, older rooms",
            json!({"type": "m.room.redaction", "sender": "@a:b", "event_id": "$x", "redacts": "$r", "content": {}}),
            RoomEvent::Redaction {
                event_id: "$x".into(),
                sender: "@a:b".into(),
                redacts: "$r".into(),
            },
        ),
        (
            "own join",
            json!({"type": "m.room.member", "sender": BOT, "state_key": BOT, "event_id": "$j", "content": {"membership": "join"}}),
            RoomEvent::OwnJoin,
        ),
        (
            "own profile change is not a join",
            json!({"type": "m.room.member", "sender": BOT, "state_key": BOT, "event_id": "$j", "content": {"membership": "join"},
                   "unsigned": {"prev_content": {"membership": "join"}}}),
            RoomEvent::Ignored(Ignored::OtherType),
        ),
        (
            "someone else's join",
            json!({"type": "m.room.member", "sender": "@a:b", "state_key": "@a:b", "event_id": "$j", "content": {"membership": "join"}}),
            RoomEvent::Ignored(Ignored::OtherType),
        ),
    ];
    for (name, event, want) in rows {
        assert_eq!(classify(&event, BOT), want, "row `{name}`");
    }
}

#[test]
fn reply_fallbacks_are_stripped() {
    let rows = [
        ("> <@a:b> hi\n\n!me", "!me"),
        ("> <@a:b> hi\r\n\r\n!me", "!me"),
        ("> one\n> two\n\n!top\nmore", "!top\nmore"),
        ("> only a quote", ""),
        ("!me", "!me"),
        ("", ""),
    ];
    for (body, want) in rows {
        assert_eq!(strip_reply_fallback(body), want, "{body:?}");
    }
}
