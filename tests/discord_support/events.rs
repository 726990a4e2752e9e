//! What a test makes happen on the local Discord server: people's messages, slash commands,
//! button clicks, autocomplete and reactions (stored, then dispatched as Discord would, within the
//! bot's intents), and faults.

use super::commands::command_id;
use super::gateway::MESSAGE_CONTENT;
use super::interactions::{APPLICATION_COMMAND, AUTOCOMPLETE, MESSAGE_COMPONENT};
use super::messages::emoji_json;
use super::spec::Spec;
use super::world::World;
use super::{fixtures, DiscordServer, Dispatched, Fault, Inner};
use serde_json::{json, Value};

/// Gateway intents that gate the events below.
const GUILD_MESSAGES: u64 = 1 << 9;
const GUILD_MESSAGE_REACTIONS: u64 = 1 << 10;
const DIRECT_MESSAGES: u64 = 1 << 12;
const DIRECT_MESSAGE_REACTIONS: u64 = 1 << 13;

impl DiscordServer {
    /// Sends the dispatch `t` with data `d` to the bot (kept for its RESUME if it is away).
    ///
    /// # Panics
    /// If serenity's models cannot read `d` (Discord would never send it), or no bot identified.
    pub fn dispatch(&self, t: &str, d: Value) -> u64 {
        let result = self.lock().gateway.dispatch(t, d);
        result.unwrap_or_else(|problem| panic!("{problem}"))
    }

    /// `author` writes `content` in `channel`: the message is stored, then dispatched as
    /// MESSAGE_CREATE if the bot's intents cover it (its content blanked without MESSAGE_CONTENT,
    /// unless it is a DM or mentions the bot, as Discord does). Returns the stored message.
    pub fn send_message(&self, channel: u64, author: u64, content: &str) -> Value {
        let mut inner = self.lock();
        let message = store_user_message(&mut inner.world, channel, author, content);
        let intents = inner.gateway.intents();
        let guild = inner.world.channels[&channel].guild_id;
        let needed = if guild.is_some() {
            GUILD_MESSAGES
        } else {
            DIRECT_MESSAGES
        };
        if intents & needed != 0 {
            let mut event = message.clone();
            if let Some(guild_id) = guild {
                event["guild_id"] = json!(guild_id.to_string());
                event["member"] = fixtures::partial_member(&inner.world.guild.members[&author], false);
            }
            let bot = inner.world.bot_id.to_string();
            let mentioned = message["mentions"]
                .as_array()
                .is_some_and(|m| m.iter().any(|u| u["id"] == bot));
            if intents & MESSAGE_CONTENT == 0 && guild.is_some() && !mentioned {
                for (key, empty) in [
                    ("content", json!("")),
                    ("embeds", json!([])),
                    ("attachments", json!([])),
                    ("components", json!([])),
                ] {
                    event[key] = empty;
                }
            }
            dispatch_or_panic(&mut inner, "MESSAGE_CREATE", event);
        }
        message
    }

    /// Stores a message by `author` without dispatching it: one sent while the bot was away,
    /// for the bot to find in the channel's history.
    pub fn store_message(&self, channel: u64, author: u64, content: &str) -> Value {
        store_user_message(&mut self.lock().world, channel, author, content)
    }

    /// `user` runs the slash command `name` with `options` (Discord's JSON, e.g.
    /// `[{"name": "zone", "type": 3, "value": "Europe/Paris"}]`) in `channel`, client locale `en-US`.
    pub fn slash_command(&self, user: u64, channel: u64, name: &str, options: Value) -> Dispatched {
        self.slash_command_in("en-US", user, channel, name, options)
    }

    /// [`Self::slash_command`] from a client in `locale` (`fr`, `pt-BR`, …).
    pub fn slash_command_in(&self, locale: &str, user: u64, channel: u64, name: &str, options: Value) -> Dispatched {
        let data = self.command_data(name, options);
        self.interact(APPLICATION_COMMAND, data, user, channel, None, locale)
    }

    /// `user` types into an autocompleted option of `name`: `options` holds the one `"focused": true`.
    pub fn autocomplete(&self, user: u64, channel: u64, name: &str, options: Value) -> Dispatched {
        let data = self.command_data(name, options);
        self.interact(AUTOCOMPLETE, data, user, channel, None, "en-US")
    }

    /// `user` clicks the button `custom_id` on the bot's message `message_id`.
    pub fn click(&self, user: u64, channel: u64, message_id: u64, custom_id: &str) -> Dispatched {
        let data = json!({"custom_id": custom_id, "component_type": 2});
        self.interact(MESSAGE_COMPONENT, data, user, channel, Some(message_id), "en-US")
    }

    /// `user` reacts with `emoji` (`👍`, or `name:id` for a custom one) on a message: recorded,
    /// then dispatched as MESSAGE_REACTION_ADD if the bot's intents cover it.
    pub fn react(&self, user: u64, channel: u64, message_id: u64, emoji: &str) {
        let mut inner = self.lock();
        if let Err(error) = inner.world.react(channel, message_id, emoji, user, true) {
            panic!("cannot react on message {message_id}: {error:?}");
        }
        let guild = inner.world.channels[&channel].guild_id;
        let author = inner.world.channels[&channel].messages[&message_id].author_id;
        let mut event = json!({
            "user_id": user.to_string(),
            "channel_id": channel.to_string(),
            "message_id": message_id.to_string(),
            "message_author_id": author.to_string(),
            "emoji": emoji_json(emoji),
            "burst": false,
            "burst_colors": [],
            "type": 0,
        });
        if let Some(guild_id) = guild {
            event["guild_id"] = json!(guild_id.to_string());
            event["member"] = inner.world.guild.members[&user].clone();
        }
        let needed = if guild.is_some() {
            GUILD_MESSAGE_REACTIONS
        } else {
            DIRECT_MESSAGE_REACTIONS
        };
        if inner.gateway.intents() & needed != 0 {
            dispatch_or_panic(&mut inner, "MESSAGE_REACTION_ADD", event);
        }
    }

    /// Answers the next `times` calls of `operation` (`create_message`) with `fault`.
    pub fn fail(&self, operation: &str, fault: Fault, times: usize) {
        self.lock().faults.add(operation, fault, times);
    }

    /// Makes an interaction's token expire: its callback and webhook routes then answer
    /// 404 `Unknown interaction` (10062).
    pub fn expire_interaction(&self, token: &str) {
        assert!(self.lock().world.expire(token), "no interaction has the token {token}");
    }

    /// Closes the bot's gateway connection with `code` (4000: unknown error, resumable).
    pub fn disconnect_gateway(&self, code: u16) {
        assert!(self.lock().gateway.close(code), "no gateway connection to close");
    }

    /// Drops the bot's gateway connection without a close frame (a network failure).
    pub fn drop_gateway(&self) {
        assert!(self.lock().gateway.drop_connection(), "no gateway connection to drop");
    }

    /// Makes the bot's RESUMEs wait until [`Self::release_resumes`]: what is dispatched in
    /// between is surely missed by the bot and reaches it only through its RESUME.
    pub fn hold_resumes(&self) {
        self.lock().gateway.hold_resumes();
    }

    /// Answers the RESUMEs held since [`Self::hold_resumes`], and answers the next ones at once.
    pub fn release_resumes(&self) {
        self.lock().gateway.release_resumes();
    }

    /// Asks the bot to reconnect and resume (gateway opcode 7).
    pub fn request_reconnect(&self) {
        assert!(self.lock().gateway.request_reconnect(), "no gateway connection");
    }

    fn command_data(&self, name: &str, options: Value) -> Value {
        let mut inner = self.lock();
        let id = match command_id(&inner.world, name) {
            Some(id) => id,
            None => inner.world.next_id(),
        };
        let mut data =
            json!({"id": id.to_string(), "name": name, "type": 1, "guild_id": inner.world.guild.id.to_string()});
        if options.as_array().is_some_and(|o| !o.is_empty()) {
            data["options"] = options;
        }
        data
    }

    fn interact(
        &self,
        kind: u64,
        data: Value,
        user: u64,
        channel: u64,
        message: Option<u64>,
        locale: &str,
    ) -> Dispatched {
        let mut inner = self.lock();
        let payload = inner.world.new_interaction(kind, data, user, channel, message, locale);
        dispatch_or_panic(&mut inner, "INTERACTION_CREATE", payload.clone());
        Dispatched {
            id: payload["id"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0),
            token: payload["token"].as_str().unwrap_or_default().to_string(),
            payload,
        }
    }
}

/// Stores a person's message (mentions read from `<@id>` in the text), checked against the spec.
fn store_user_message(world: &mut World, channel: u64, author: u64, content: &str) -> Value {
    let id = world.next_id();
    let user = world
        .users
        .get(&author)
        .cloned()
        .unwrap_or_else(|| panic!("no user {author}"));
    assert!(world.channels.contains_key(&channel), "no channel {channel}");
    let mut message = fixtures::message(id, channel, &user, content);
    let mentions: Vec<Value> = world
        .users
        .iter()
        .filter(|(id, _)| content.contains(&format!("<@{id}>")))
        .map(|(_, u)| u.clone())
        .collect();
    message["mentions"] = json!(mentions);
    let problems = Spec::shared().check("#/components/schemas/MessageResponse", &message);
    assert!(
        problems.is_empty(),
        "a fixture message breaks Discord's spec: {problems:?}"
    );
    world.store(channel, author, message.clone());
    message
}

fn dispatch_or_panic(inner: &mut Inner, t: &str, d: Value) {
    if let Err(problem) = inner.gateway.dispatch(t, d) {
        panic!("{problem}");
    }
}
