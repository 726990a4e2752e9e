//! Interactions, with Discord's rules: the gateway dispatches one with a token; the bot answers it
//! with exactly one callback (a second is refused with 40060), then edits its original response or
//! sends follow-ups through the webhook routes; an expired token is refused with 10062; ephemeral
//! messages stay out of the channel's history.

use super::fixtures;
use super::messages::apply_message_fields;
use super::world::{ApiError, World};
use chrono::Utc;
use serde_json::{json, Value};

/// The `EPHEMERAL` message flag.
pub const EPHEMERAL: u64 = 1 << 6;
/// The `LOADING` message flag of a deferred response ("Relais is thinking…").
const LOADING: u64 = 1 << 7;

/// Interaction types.
pub const APPLICATION_COMMAND: u64 = 2;
pub const MESSAGE_COMPONENT: u64 = 3;
pub const AUTOCOMPLETE: u64 = 4;

/// One dispatched interaction and what the bot did with it.
#[derive(Debug, Clone)]
pub struct Interaction {
    pub id: u64,
    pub token: String,
    /// 2 command, 3 component, 4 autocomplete.
    pub kind: u64,
    pub channel_id: u64,
    pub user_id: u64,
    /// The message carrying the component, for component interactions.
    pub message_id: Option<u64>,
    /// The callback body the bot sent, once it did.
    pub callback: Option<Value>,
    /// The original response (callback type 4 or 5), also when ephemeral.
    pub original: Option<Value>,
    pub followups: Vec<Value>,
    pub expired: bool,
}

impl World {
    /// Records a new interaction of `kind` with `data` by `user_id` in `channel_id` (on
    /// `message_id` for a component) and returns its `INTERACTION_CREATE` payload.
    pub fn new_interaction(
        &mut self,
        kind: u64,
        data: Value,
        user_id: u64,
        channel_id: u64,
        message_id: Option<u64>,
        locale: &str,
    ) -> Value {
        let id = self.next_id();
        let token = format!("aW50ZXJhY3Rpb246{id}:{}", self.next_id());
        let mut payload = json!({
            "id": id.to_string(),
            "application_id": self.app_id.to_string(),
            "type": kind,
            "data": data,
            "channel_id": channel_id.to_string(),
            "token": token,
            "version": 1,
            "app_permissions": fixtures::MEMBER_PERMISSIONS,
            "locale": locale,
            "entitlements": [],
            "context": 0,
            "attachment_size_limit": 10_485_760,
        });
        let guild_id = self.channels.get(&channel_id).and_then(|c| c.guild_id);
        if let Some(channel) = self.channels.get(&channel_id) {
            payload["channel"] = json!({
                "id": channel_id.to_string(),
                "type": channel.json["type"],
                "name": channel.json["name"],
                "parent_id": channel.json["parent_id"],
                "permissions": fixtures::MEMBER_PERMISSIONS,
            });
        }
        match (guild_id, self.guild.members.get(&user_id)) {
            (Some(guild_id), Some(member)) => {
                let mut member = fixtures::partial_member(member, true);
                member["user"] = self.users[&user_id].clone();
                payload["member"] = member;
                payload["guild_id"] = json!(guild_id.to_string());
                payload["guild_locale"] = json!("en-US");
                payload["authorizing_integration_owners"] = json!({"0": guild_id.to_string()});
            }
            _ => {
                payload["user"] = self.users.get(&user_id).cloned().unwrap_or(Value::Null);
                payload["context"] = json!(1);
                payload["authorizing_integration_owners"] = json!({"0": "0"});
            }
        }
        if let Some(message) = message_id.and_then(|m| self.render(channel_id, m)) {
            payload["message"] = message;
        }
        let interaction = Interaction {
            id,
            token: token.clone(),
            kind,
            channel_id,
            user_id,
            message_id,
            callback: None,
            original: None,
            followups: Vec::new(),
            expired: false,
        };
        self.interactions.insert(token, interaction);
        payload
    }

    /// `POST /interactions/{id}/{token}/callback`: the one answer to an interaction.
    pub fn interaction_callback(&mut self, id: u64, token: &str, body: &Value) -> Result<(), ApiError> {
        let interaction = self.live_interaction(token).filter(|i| i.id == id).cloned();
        let interaction = interaction.ok_or_else(unknown_interaction)?;
        if interaction.callback.is_some() {
            return Err(ApiError::new(400, 40060, "Interaction has already been acknowledged."));
        }
        let kind = body["type"].as_u64().unwrap_or(0);
        let allowed: &[u64] = match interaction.kind {
            APPLICATION_COMMAND => &[4, 5, 9],
            MESSAGE_COMPONENT => &[4, 5, 6, 7, 9],
            AUTOCOMPLETE => &[8],
            _ => &[4, 5, 6, 7],
        };
        if !allowed.contains(&kind) {
            return Err(ApiError::invalid_form(
                "Interaction response type is not valid for this interaction",
            ));
        }
        let data = body.get("data").cloned().unwrap_or(json!({}));
        let original = match kind {
            4 => Some(self.interaction_message(&interaction, &data, 0)),
            5 => Some(self.interaction_message(&interaction, &data, LOADING)),
            7 => {
                let message_id = interaction.message_id.ok_or_else(ApiError::unknown_message)?;
                self.edit_message(interaction.channel_id, message_id, &data)?;
                None
            }
            _ => None,
        };
        if let Some(message) = &original {
            self.keep_unless_ephemeral(&interaction, message);
        }
        let stored = self.interactions.get_mut(token).ok_or_else(unknown_interaction)?;
        stored.callback = Some(body.clone());
        stored.original = original;
        Ok(())
    }

    /// `PATCH /webhooks/{app}/{token}/messages/@original` (and `GET`, with an empty body).
    pub fn edit_original(&mut self, app_id: u64, token: &str, body: Option<&Value>) -> Result<Value, ApiError> {
        let interaction = self.webhook_interaction(app_id, token)?;
        let mut original = interaction.original.clone().ok_or_else(ApiError::unknown_message)?;
        if let Some(body) = body {
            apply_message_fields(&mut original, body);
            let flags = original["flags"].as_u64().unwrap_or(0) & !LOADING;
            original["flags"] = json!(flags);
            original["edited_timestamp"] = json!(fixtures::timestamp(Utc::now()));
            self.keep_unless_ephemeral(&interaction, &original);
            if let Some(stored) = self.interactions.get_mut(token) {
                stored.original = Some(original.clone());
            }
        }
        Ok(original)
    }

    /// `POST /webhooks/{app}/{token}`: a follow-up message, once the interaction was answered.
    pub fn followup(&mut self, app_id: u64, token: &str, body: &Value) -> Result<Value, ApiError> {
        let interaction = self.webhook_interaction(app_id, token)?;
        if interaction.callback.is_none() {
            return Err(ApiError::new(404, 10015, "Unknown Webhook"));
        }
        let message = self.interaction_message(&interaction, body, 0);
        self.keep_unless_ephemeral(&interaction, &message);
        if let Some(stored) = self.interactions.get_mut(token) {
            stored.followups.push(message.clone());
        }
        Ok(message)
    }

    /// Makes an interaction's token expire, as Discord does 15 minutes after the interaction.
    pub fn expire(&mut self, token: &str) -> bool {
        self.interactions.get_mut(token).map(|i| i.expired = true).is_some()
    }

    fn live_interaction(&self, token: &str) -> Option<&Interaction> {
        self.interactions.get(token).filter(|i| !i.expired)
    }

    fn webhook_interaction(&self, app_id: u64, token: &str) -> Result<Interaction, ApiError> {
        if app_id != self.app_id {
            return Err(ApiError::new(404, 10015, "Unknown Webhook"));
        }
        self.live_interaction(token).cloned().ok_or_else(unknown_interaction)
    }

    /// A message the bot sends in answer to `interaction` (flags from the body, plus `extra`).
    fn interaction_message(&mut self, interaction: &Interaction, body: &Value, extra: u64) -> Value {
        let id = self.next_id();
        let mut message = fixtures::message(id, interaction.channel_id, &self.bot, "");
        apply_message_fields(&mut message, body);
        let flags = (body["flags"].as_u64().unwrap_or(0) & EPHEMERAL) | extra;
        message["flags"] = json!(flags);
        message["webhook_id"] = json!(self.app_id.to_string());
        message["application_id"] = json!(self.app_id.to_string());
        if interaction.kind == APPLICATION_COMMAND {
            message["type"] = json!(20);
        }
        let user = self.users.get(&interaction.user_id).cloned().unwrap_or(Value::Null);
        let owners = match self.channels.get(&interaction.channel_id).and_then(|c| c.guild_id) {
            Some(guild_id) => json!({"0": guild_id.to_string()}),
            None => json!({"1": interaction.user_id.to_string()}),
        };
        message["interaction_metadata"] = json!({
            "id": interaction.id.to_string(),
            "type": interaction.kind,
            "user": user,
            "authorizing_integration_owners": owners,
        });
        message
    }

    /// Puts a non-ephemeral interaction message into its channel's history (replacing an earlier
    /// version of it).
    fn keep_unless_ephemeral(&mut self, interaction: &Interaction, message: &Value) {
        if message["flags"].as_u64().unwrap_or(0) & EPHEMERAL == 0 {
            self.store(interaction.channel_id, self.bot_id, message.clone());
        }
    }
}

fn unknown_interaction() -> ApiError {
    ApiError::new(404, 10062, "Unknown interaction")
}
