//! What the local Discord server knows: the bot, its guild (roles, channels, members), direct
//! message channels, messages with their nonces and reactions, and registered commands. Plain data
//! and synchronous rules, as Discord applies them; the REST routes and the gateway read and change it.

use super::fixtures::{self, GuildParts};
use chrono::Utc;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

/// A REST error as Discord answers it: status, JSON error code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: u32,
    pub message: String,
}

impl ApiError {
    pub fn new(status: u16, code: u32, message: &str) -> ApiError {
        ApiError {
            status,
            code,
            message: message.to_string(),
        }
    }

    pub fn unknown_channel() -> ApiError {
        ApiError::new(404, 10003, "Unknown Channel")
    }

    pub fn unknown_message() -> ApiError {
        ApiError::new(404, 10008, "Unknown Message")
    }

    pub fn invalid_form(message: &str) -> ApiError {
        ApiError::new(400, 50035, message)
    }

    /// The JSON body (`ErrorResponse`).
    pub fn body(&self) -> Value {
        json!({"code": self.code, "message": self.message})
    }
}

/// The guild the bot is in.
pub struct Guild {
    pub id: u64,
    pub name: String,
    pub owner_id: u64,
    pub roles: Vec<Value>,
    pub channel_ids: Vec<u64>,
    pub members: BTreeMap<u64, Value>,
}

/// A channel and its messages, oldest first.
pub struct Channel {
    pub json: Value,
    pub guild_id: Option<u64>,
    pub messages: BTreeMap<u64, Stored>,
}

/// A message as stored: its JSON (without reactions), its author and the users of each reaction.
pub struct Stored {
    pub json: Value,
    pub author_id: u64,
    /// Emoji (`👍` or `name:id`) → user ids, in the order they reacted.
    pub reactions: Vec<(String, Vec<u64>)>,
}

/// Everything the server knows.
pub struct World {
    pub token: String,
    pub app_id: u64,
    pub bot: Value,
    pub bot_id: u64,
    pub guild: Guild,
    pub users: BTreeMap<u64, Value>,
    pub channels: BTreeMap<u64, Channel>,
    /// Recipient → DM channel.
    pub dms: HashMap<u64, u64>,
    /// Guild (or `None` for global) → commands, as served.
    pub commands: BTreeMap<Option<u64>, Vec<Value>>,
    pub interactions: HashMap<String, super::interactions::Interaction>,
    last_id: u64,
}

impl World {
    /// The bot in one guild with a `general` and a `team` channel, `@everyone` and a `Coordinators`
    /// role, and the people `alice`, `bob` and `carla` (Carla has the `Coordinators` role).
    pub fn new(token: &str) -> World {
        let mut world = World {
            token: token.to_string(),
            app_id: 0,
            bot: Value::Null,
            bot_id: 0,
            guild: Guild {
                id: 0,
                name: "Living Rivers".into(),
                owner_id: 0,
                roles: Vec::new(),
                channel_ids: Vec::new(),
                members: BTreeMap::new(),
            },
            users: BTreeMap::new(),
            channels: BTreeMap::new(),
            dms: HashMap::new(),
            commands: BTreeMap::new(),
            interactions: HashMap::new(),
            last_id: 0,
        };
        world.app_id = world.next_id();
        world.bot_id = world.app_id;
        world.bot = fixtures::user(world.bot_id, "relais", true);
        world.users.insert(world.bot_id, world.bot.clone());
        world.guild.id = world.next_id();
        let everyone = world.guild.id;
        world.guild.roles.push(fixtures::role(everyone, "@everyone", 0));
        let coordinators = world.add_role("Coordinators");
        world.add_channel("general");
        world.add_channel("team");
        world.add_member_user(world.bot_id, &[]);
        world.guild.owner_id = world.add_member("carla", &[coordinators]);
        world.add_member("alice", &[]);
        world.add_member("bob", &[]);
        world
    }

    /// A new snowflake, later than every earlier one.
    pub fn next_id(&mut self) -> u64 {
        let id = fixtures::snowflake(Utc::now(), 0).max(self.last_id + 1);
        self.last_id = id;
        id
    }

    /// Adds a role to the guild; returns its id.
    pub fn add_role(&mut self, name: &str) -> u64 {
        let id = self.next_id();
        let position = u32::try_from(self.guild.roles.len()).unwrap_or(u32::MAX);
        self.guild.roles.push(fixtures::role(id, name, position));
        id
    }

    /// Adds a text channel to the guild; returns its id.
    pub fn add_channel(&mut self, name: &str) -> u64 {
        let id = self.next_id();
        let position = u32::try_from(self.guild.channel_ids.len()).unwrap_or(u32::MAX);
        let json = fixtures::text_channel(id, self.guild.id, name, position);
        self.guild.channel_ids.push(id);
        self.channels.insert(
            id,
            Channel {
                json,
                guild_id: Some(self.guild.id),
                messages: BTreeMap::new(),
            },
        );
        id
    }

    /// Adds a person (a new user) to the guild with `roles`; returns the user id.
    pub fn add_member(&mut self, name: &str, roles: &[u64]) -> u64 {
        let id = self.next_id();
        self.users.insert(id, fixtures::user(id, name, false));
        self.add_member_user(id, roles);
        id
    }

    fn add_member_user(&mut self, user_id: u64, roles: &[u64]) {
        let member = fixtures::member(&self.users[&user_id], roles, Utc::now());
        self.guild.members.insert(user_id, member);
    }

    /// A channel id by name (`general`).
    pub fn channel_named(&self, name: &str) -> Option<u64> {
        self.channels
            .iter()
            .find(|(_, c)| c.json["name"] == name)
            .map(|(id, _)| *id)
    }

    /// A user id by user name (`alice`).
    pub fn user_named(&self, name: &str) -> Option<u64> {
        self.users
            .iter()
            .find(|(_, u)| u["username"] == name)
            .map(|(id, _)| *id)
    }

    /// The `GUILD_CREATE` payload of the guild.
    pub fn guild_create(&self) -> Value {
        let channels: Vec<Value> = self
            .guild
            .channel_ids
            .iter()
            .map(|id| self.channels[id].json.clone())
            .collect();
        let members: Vec<Value> = self.guild.members.values().cloned().collect();
        let parts = GuildParts {
            id: self.guild.id,
            name: &self.guild.name,
            owner_id: self.guild.owner_id,
            roles: &self.guild.roles,
            channels: &channels,
            members: &members,
        };
        fixtures::guild_create(&parts, Utc::now())
    }

    /// The DM channel with `recipient`, made on first use.
    pub fn dm_channel(&mut self, recipient: u64) -> Result<&Value, ApiError> {
        let Some(user) = self.users.get(&recipient).cloned() else {
            return Err(ApiError::new(400, 50033, "Invalid Recipient(s)"));
        };
        let id = match self.dms.get(&recipient) {
            Some(id) => *id,
            None => {
                let id = self.next_id();
                let json = fixtures::dm_channel(id, &user);
                let channel = Channel {
                    json,
                    guild_id: None,
                    messages: BTreeMap::new(),
                };
                self.channels.insert(id, channel);
                self.dms.insert(recipient, id);
                id
            }
        };
        Ok(&self.channels[&id].json)
    }
}
