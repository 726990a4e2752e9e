//! Reads Matrix room events (as JSON) into the few shapes the adapter acts on; everything else is
//! ignored with a reason.
//!
//! The rules: only `m.text` messages can be commands (`m.notice` is what bots send, so it never
//! is); the plain `body` is used, and `formatted_body` only for the account ids of mention pills,
//! which replace the display names the body shows (see `mentions`); an edit (`m.replace`) is never run (its
//! original was, once); the quoted fallback of a reply (`> ` lines and the empty line after
//! them) is stripped; a message in a thread remembers its thread root so the answer goes there.

use serde_json::Value;

/// A room event the adapter acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomEvent {
    Message(Message),
    /// An annotation (`m.reaction`) on another event.
    Reaction {
        event_id: String,
        sender: String,
        target: String,
        key: String,
    },
    /// The redaction of another event (a reaction being taken back, for instance).
    Redaction {
        event_id: String,
        sender: String,
        redacts: String,
    },
    /// The bot itself joined the room (events before it in the same timeline are history).
    OwnJoin,
    Ignored(Ignored),
}

/// A text message that may be a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub event_id: String,
    pub sender: String,
    /// The plain body, reply fallback stripped.
    pub text: String,
    /// The thread root when the message was sent in a thread.
    pub thread_root: Option<String>,
    /// Milliseconds since the epoch, as the homeserver stamped it.
    pub origin_ts: Option<i64>,
}

/// Why an event is not acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ignored {
    /// Not JSON we understand (no type, no sender, no event id).
    Malformed,
    /// A state event or an event type the adapter does not handle.
    OtherType,
    /// A message type other than `m.text` (notices, images, emotes…).
    NotText,
    /// An edit of an earlier message.
    Edit,
    /// Redacted content.
    Redacted,
}

/// Classifies one timeline event. `own_user` is the bot's user id.
pub fn classify(event: &Value, own_user: &str) -> RoomEvent {
    let (Some(kind), Some(sender), Some(event_id)) = (
        str_at(event, "type"),
        str_at(event, "sender"),
        str_at(event, "event_id"),
    ) else {
        return RoomEvent::Ignored(Ignored::Malformed);
    };
    let content = event.get("content").unwrap_or(&Value::Null);
    if event.get("state_key").is_some() {
        return own_join(kind, event, content, own_user);
    }
    match kind {
        "m.room.message" => message(event, content, sender, event_id),
        "m.reaction" => reaction(content, sender, event_id),
        "m.room.redaction" => {
            let redacts = str_at(content, "redacts").or_else(|| str_at(event, "redacts"));
            match redacts {
                Some(r) => RoomEvent::Redaction {
                    event_id: event_id.into(),
                    sender: sender.into(),
                    redacts: r.into(),
                },
                None => RoomEvent::Ignored(Ignored::Malformed),
            }
        }
        _ => RoomEvent::Ignored(Ignored::OtherType),
    }
}

fn own_join(kind: &str, event: &Value, content: &Value, own_user: &str) -> RoomEvent {
    let is_own_member = kind == "m.room.member" && str_at(event, "state_key") == Some(own_user);
    let joined = str_at(content, "membership") == Some("join");
    let was_joined = event
        .pointer("/unsigned/prev_content/membership")
        .and_then(Value::as_str)
        == Some("join");
    if is_own_member && joined && !was_joined {
        RoomEvent::OwnJoin
    } else {
        RoomEvent::Ignored(Ignored::OtherType)
    }
}

fn message(event: &Value, content: &Value, sender: &str, event_id: &str) -> RoomEvent {
    let relates = content.get("m.relates_to");
    let rel_type = relates.and_then(|r| str_at(r, "rel_type"));
    if rel_type == Some("m.replace") {
        return RoomEvent::Ignored(Ignored::Edit);
    }
    let Some(msgtype) = str_at(content, "msgtype") else {
        return RoomEvent::Ignored(Ignored::Redacted);
    };
    if msgtype != "m.text" {
        return RoomEvent::Ignored(Ignored::NotText);
    }
    let Some(body) = str_at(content, "body") else {
        return RoomEvent::Ignored(Ignored::Malformed);
    };
    let is_reply = relates.and_then(|r| r.get("m.in_reply_to")).is_some();
    let text = if is_reply { strip_reply_fallback(body) } else { body };
    let text = match formatted_html(content) {
        Some(html) => super::mentions::with_account_ids(text, html),
        None => text.to_string(),
    };
    let thread_root = match rel_type {
        Some("m.thread") => relates.and_then(|r| str_at(r, "event_id")).map(String::from),
        _ => None,
    };
    RoomEvent::Message(Message {
        event_id: event_id.into(),
        sender: sender.into(),
        text,
        thread_root,
        origin_ts: event.get("origin_server_ts").and_then(Value::as_i64),
    })
}

/// The HTML body of a message, if it has one.
fn formatted_html(content: &Value) -> Option<&str> {
    (str_at(content, "format") == Some("org.matrix.custom.html"))
        .then(|| str_at(content, "formatted_body"))
        .flatten()
}

fn reaction(content: &Value, sender: &str, event_id: &str) -> RoomEvent {
    let relates = content.get("m.relates_to");
    let target = relates.and_then(|r| str_at(r, "event_id"));
    let key = relates.and_then(|r| str_at(r, "key"));
    match (relates.and_then(|r| str_at(r, "rel_type")), target, key) {
        (Some("m.annotation"), Some(target), Some(key)) => RoomEvent::Reaction {
            event_id: event_id.into(),
            sender: sender.into(),
            target: target.into(),
            key: key.into(),
        },
        _ => RoomEvent::Ignored(Ignored::Malformed),
    }
}

/// Removes a reply's quoted fallback: the leading `>` lines and one empty line after them.
pub fn strip_reply_fallback(body: &str) -> &str {
    let mut rest = body;
    let mut stripped = false;
    while rest.starts_with('>') {
        stripped = true;
        rest = rest.split_once('\n').map(|(_, after)| after).unwrap_or("");
    }
    if stripped {
        rest = rest
            .strip_prefix("\r\n")
            .or_else(|| rest.strip_prefix('\n'))
            .unwrap_or(rest);
    }
    rest
}

fn str_at<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

#[cfg(test)]
mod tests;
