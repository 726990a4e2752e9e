//! Gateway payloads held to serenity's own model types: before the local server sends a dispatch,
//! its data must deserialise into serenity's type for that event, the whole frame must read as that
//! event (not `Event::Unknown`), and no field of it may be one serenity's model drops (a misspelt
//! or invented field would otherwise pass unnoticed).

use super::spec::pointer_matches;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use serenity::model::event::{
    ChannelCreateEvent, GatewayEvent, GuildCreateEvent, GuildMemberAddEvent, InteractionCreateEvent,
    MessageCreateEvent, MessageDeleteEvent, MessageUpdateEvent, ReactionAddEvent, ReactionRemoveEvent, ReadyEvent,
    ResumedEvent,
};

/// Checks the data `d` of a dispatch `t` against serenity's model; the error says what is wrong.
pub fn check_dispatch(t: &str, d: &Value) -> Result<(), String> {
    let read_back = match t {
        "READY" => read_back::<ReadyEvent>(d),
        "RESUMED" => read_back::<ResumedEvent>(d),
        "GUILD_CREATE" => read_back::<GuildCreateEvent>(d),
        "GUILD_MEMBER_ADD" => read_back::<GuildMemberAddEvent>(d),
        "CHANNEL_CREATE" => read_back::<ChannelCreateEvent>(d),
        "MESSAGE_CREATE" => read_back::<MessageCreateEvent>(d),
        "MESSAGE_UPDATE" => read_back::<MessageUpdateEvent>(d),
        "MESSAGE_DELETE" => read_back::<MessageDeleteEvent>(d),
        "INTERACTION_CREATE" => read_back::<InteractionCreateEvent>(d),
        "MESSAGE_REACTION_ADD" => read_back::<ReactionAddEvent>(d),
        "MESSAGE_REACTION_REMOVE" => read_back::<ReactionRemoveEvent>(d),
        other => Err(format!(
            "no serenity model is checked for `{other}`: add it to tests/discord_support/models.rs"
        )),
    }
    .map_err(|e| format!("{t}: {e}\npayload: {d}"))?;
    let frame = json!({"op": 0, "s": 1, "t": t, "d": d});
    match serde_json::from_value::<GatewayEvent>(frame) {
        Ok(GatewayEvent::Dispatch(_, event)) if event.name().as_deref() == Some(t) => {}
        Ok(other) => return Err(format!("{t}: serenity reads the frame as {other:?}")),
        Err(e) => return Err(format!("{t}: serenity cannot read the frame: {e}")),
    }
    let mut dropped = Vec::new();
    dropped_fields(t, d, &read_back, "", &mut dropped);
    if dropped.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{t}: fields serenity's model does not know (misspelt, or not sent by Discord): {}\npayload: {d}",
            dropped.join(", ")
        ))
    }
}

/// Checks a frame other than a dispatch (HELLO, heartbeat ACK, RECONNECT, INVALID_SESSION) or a
/// whole dispatch frame: serenity must read it as a gateway event.
pub fn check_frame(frame: &Value) -> Result<(), String> {
    if frame["op"] == 0 {
        return check_dispatch(frame["t"].as_str().unwrap_or_default(), &frame["d"]);
    }
    serde_json::from_value::<GatewayEvent>(frame.clone())
        .map(|_| ())
        .map_err(|e| format!("serenity cannot read the gateway frame {frame}: {e}"))
}

/// `d` read into `T` and written back as JSON.
fn read_back<T: DeserializeOwned + Serialize>(d: &Value) -> Result<Value, String> {
    let model: T = serde_json::from_value(d.clone()).map_err(|e| format!("serenity cannot read it: {e}"))?;
    serde_json::to_value(&model).map_err(|e| format!("serenity cannot write it back: {e}"))
}

/// The JSON pointers of the fields of `sent` that `read_back` lacks. Arrays of objects are paired
/// by `id` (or `user.id`), since serenity keeps some of them in maps.
fn dropped_fields(t: &str, sent: &Value, read_back: &Value, at: &str, out: &mut Vec<String>) {
    match (sent, read_back) {
        (Value::Object(sent), Value::Object(back)) => {
            for (key, value) in sent {
                let path = format!("{at}/{key}");
                match back.get(key) {
                    Some(twin) => dropped_fields(t, value, twin, &path, out),
                    None if value.is_null() || written_as_absent(key, value) || read_past(t, &path) => {}
                    None => out.push(path),
                }
            }
        }
        (Value::Array(sent), Value::Array(back)) => {
            for (index, item) in sent.iter().enumerate() {
                let twin = item_key(item)
                    .and_then(|key| back.iter().find(|b| item_key(b) == Some(key)))
                    .or_else(|| back.get(index));
                if let Some(twin) = twin {
                    dropped_fields(t, item, twin, &format!("{at}/{index}"), out);
                }
            }
        }
        _ => {}
    }
}

/// Fields Discord sends that serenity 0.12.5 reads past without keeping them, by event, as JSON
/// pointers (`*`: any array index):
/// - without an AFK channel serenity keeps a guild's `afk_timeout` only beside `afk_channel_id`;
/// - role flags are not in serenity's `Role`, a message's member flags not in `PartialMember`;
/// - component ids are not in serenity's components;
/// - serenity picks an interaction's variant by its `type` and does not keep it.
const READ_PAST: &[(&str, &str)] = &[
    ("GUILD_CREATE", "/afk_timeout"),
    ("GUILD_CREATE", "/roles/*/flags"),
    ("MESSAGE_CREATE", "/member/flags"),
    ("MESSAGE_CREATE", "/components/*/id"),
    ("MESSAGE_CREATE", "/components/*/components/*/id"),
    ("INTERACTION_CREATE", "/type"),
    ("INTERACTION_CREATE", "/message/components/*/id"),
    ("INTERACTION_CREATE", "/message/components/*/components/*/id"),
];

fn read_past(t: &str, path: &str) -> bool {
    READ_PAST
        .iter()
        .any(|(event, pattern)| *event == t && pointer_matches(pattern, path))
}

/// Values serenity reads as "none" and so does not write back: a discriminator of `"0"` (users
/// on Discord's unique user names).
fn written_as_absent(key: &str, value: &Value) -> bool {
    key == "discriminator" && value == "0"
}

fn item_key(item: &Value) -> Option<&str> {
    item.get("id")
        .or_else(|| item.get("user").and_then(|u| u.get("id")))?
        .as_str()
}
