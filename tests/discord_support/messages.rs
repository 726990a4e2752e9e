//! Messages as Discord keeps them: created (with `nonce` and `enforce_nonce` honoured), stored,
//! served with their reactions, edited, reacted to.

use super::fixtures;
use super::world::{ApiError, Stored, World};
use chrono::Utc;
use serde_json::{json, Value};

/// How long Discord remembers a nonce for `enforce_nonce` (a few minutes).
const NONCE_WINDOW_MS: u64 = 5 * 60 * 1000;

impl World {
    /// Stores a new message by `author_id` in `channel_id` from a create-message body, honouring
    /// `nonce` with `enforce_nonce` as Discord does: the same nonce from the same author within a few
    /// minutes returns the message already made. Returns the message and whether it is new.
    pub fn create_message(&mut self, channel_id: u64, author_id: u64, body: &Value) -> Result<(Value, bool), ApiError> {
        if !self.channels.contains_key(&channel_id) {
            return Err(ApiError::unknown_channel());
        }
        if is_empty_message(body) {
            return Err(ApiError::new(400, 50006, "Cannot send an empty message"));
        }
        let nonce = body.get("nonce").filter(|n| !n.is_null()).cloned();
        if let (Some(nonce), true) = (&nonce, body["enforce_nonce"] == true) {
            if let Some(existing) = self.recent_with_nonce(channel_id, author_id, nonce) {
                return Ok((existing, false));
            }
        }
        let id = self.next_id();
        let author = self.users.get(&author_id).cloned().unwrap_or(Value::Null);
        let mut json = fixtures::message(id, channel_id, &author, "");
        apply_message_fields(&mut json, body);
        if let Some(nonce) = nonce {
            json["nonce"] = nonce;
        }
        self.store(channel_id, author_id, json.clone());
        Ok((self.render(channel_id, id).unwrap_or(json), true))
    }

    /// Keeps `json` as the newest message of `channel_id`.
    pub fn store(&mut self, channel_id: u64, author_id: u64, json: Value) {
        let id = json["id"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0);
        if let Some(channel) = self.channels.get_mut(&channel_id) {
            channel.json["last_message_id"] = json!(id.to_string());
            let stored = Stored {
                json,
                author_id,
                reactions: Vec::new(),
            };
            channel.messages.insert(id, stored);
        }
    }

    fn recent_with_nonce(&self, channel_id: u64, author_id: u64, nonce: &Value) -> Option<Value> {
        let now = fixtures::snowflake(Utc::now(), 0);
        let since = now.saturating_sub(NONCE_WINDOW_MS << 22);
        let (id, _) = self.channels[&channel_id]
            .messages
            .range(since..)
            .find(|(_, m)| m.author_id == author_id && nonce_matches(&m.json["nonce"], nonce))?;
        self.render(channel_id, *id)
    }

    /// A message as served: its JSON plus its reactions as the bot sees them.
    pub fn render(&self, channel_id: u64, message_id: u64) -> Option<Value> {
        let stored = self.channels.get(&channel_id)?.messages.get(&message_id)?;
        let mut json = stored.json.clone();
        let reactions: Vec<Value> = stored
            .reactions
            .iter()
            .filter(|(_, users)| !users.is_empty())
            .map(|(emoji, users)| {
                json!({
                    "emoji": emoji_json(emoji),
                    "count": users.len(),
                    "count_details": {"burst": 0, "normal": users.len()},
                    "burst_colors": [],
                    "me_burst": false,
                    "me": users.contains(&self.bot_id),
                })
            })
            .collect();
        if !reactions.is_empty() {
            json["reactions"] = Value::Array(reactions);
        }
        Some(json)
    }

    /// A stored message, or Discord's error for an unknown channel or message.
    fn stored_mut(&mut self, channel_id: u64, message_id: u64) -> Result<&mut Stored, ApiError> {
        let channel = self
            .channels
            .get_mut(&channel_id)
            .ok_or_else(ApiError::unknown_channel)?;
        channel
            .messages
            .get_mut(&message_id)
            .ok_or_else(ApiError::unknown_message)
    }

    /// Edits a message of the bot (content, embeds, components, flags, allowed mentions).
    pub fn edit_message(&mut self, channel_id: u64, message_id: u64, body: &Value) -> Result<Value, ApiError> {
        let bot_id = self.bot_id;
        let stored = self.stored_mut(channel_id, message_id)?;
        if stored.author_id != bot_id {
            return Err(ApiError::new(
                403,
                50005,
                "Cannot edit a message authored by another user",
            ));
        }
        apply_message_fields(&mut stored.json, body);
        stored.json["edited_timestamp"] = json!(fixtures::timestamp(Utc::now()));
        self.render(channel_id, message_id)
            .ok_or_else(ApiError::unknown_message)
    }

    /// Adds (or, with `add` false, removes) `user_id`'s reaction `emoji` on a message.
    pub fn react(
        &mut self,
        channel_id: u64,
        message_id: u64,
        emoji: &str,
        user_id: u64,
        add: bool,
    ) -> Result<(), ApiError> {
        let stored = self.stored_mut(channel_id, message_id)?;
        if emoji.is_empty() || emoji.contains(char::is_whitespace) {
            return Err(ApiError::new(400, 10014, "Unknown Emoji"));
        }
        let index = match stored.reactions.iter().position(|(e, _)| e == emoji) {
            Some(index) => index,
            None => {
                stored.reactions.push((emoji.to_string(), Vec::new()));
                stored.reactions.len() - 1
            }
        };
        let users = &mut stored.reactions[index].1;
        match (add, users.iter().position(|u| *u == user_id)) {
            (true, None) => users.push(user_id),
            (false, Some(at)) => {
                users.remove(at);
            }
            _ => {}
        }
        Ok(())
    }

    /// The users who reacted with `emoji`, by id, after `after`, at most `limit`.
    pub fn reaction_users(
        &self,
        channel_id: u64,
        message_id: u64,
        emoji: &str,
        after: u64,
        limit: usize,
    ) -> Result<Vec<Value>, ApiError> {
        let channel = self.channels.get(&channel_id).ok_or_else(ApiError::unknown_channel)?;
        let stored = channel
            .messages
            .get(&message_id)
            .ok_or_else(ApiError::unknown_message)?;
        let Some((_, users)) = stored.reactions.iter().find(|(e, _)| e == emoji) else {
            return Ok(Vec::new());
        };
        let mut ids: Vec<u64> = users.iter().copied().filter(|id| *id > after).collect();
        ids.sort_unstable();
        Ok(ids
            .iter()
            .take(limit)
            .filter_map(|id| self.users.get(id).cloned())
            .collect())
    }
}

/// Whether a create-message body has nothing to show.
fn is_empty_message(body: &Value) -> bool {
    let empty = |key: &str| match body.get(key) {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(_) => false,
    };
    ["content", "embeds", "components", "sticker_ids", "attachments", "poll"]
        .into_iter()
        .all(empty)
}

/// Copies what a create or edit body sets onto a stored message.
pub fn apply_message_fields(json: &mut Value, body: &Value) {
    for key in [
        "content",
        "embeds",
        "components",
        "tts",
        "message_reference",
        "referenced_message",
    ] {
        if let Some(value) = body.get(key).filter(|v| !v.is_null()) {
            json[key] = value.clone();
        }
    }
    if let Some(flags) = body.get("flags").and_then(Value::as_u64) {
        json["flags"] = json!(flags);
    }
    if let Some(embeds) = json["embeds"].as_array_mut() {
        for embed in embeds {
            if embed.get("type").is_none() {
                embed["type"] = json!("rich");
            }
        }
    }
    let mut next_id = 0;
    if let Some(components) = json["components"].as_array_mut() {
        components.iter_mut().for_each(|c| as_served(c, &mut next_id));
    }
}

/// A component as Discord serves it: without null fields, numbered (`id` 1, 2, … in document
/// order) where the request gave no id.
fn as_served(component: &mut Value, next_id: &mut u64) {
    let Some(map) = component.as_object_mut() else { return };
    map.retain(|_, value| !value.is_null());
    *next_id += 1;
    map.entry("id").or_insert(json!(*next_id));
    if let Some(children) = map.get_mut("components").and_then(Value::as_array_mut) {
        children.iter_mut().for_each(|c| as_served(c, next_id));
    }
}

/// Whether a stored nonce and a requested one are the same (Discord compares them as strings).
fn nonce_matches(stored: &Value, wanted: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    text(stored).is_some_and(|s| Some(s) == text(wanted))
}

/// An emoji as a reaction carries it: `👍` → `{id: null, name: "👍"}`, `name:id` → custom.
pub fn emoji_json(emoji: &str) -> Value {
    match emoji.rsplit_once(':') {
        Some((name, id)) if id.bytes().all(|b| b.is_ascii_digit()) && !id.is_empty() => {
            json!({"id": id, "name": name})
        }
        _ => json!({"id": null, "name": emoji}),
    }
}
