//! Discord objects as Discord's API writes them (users, members, roles, channels, guilds,
//! messages, interactions): the local server serves and dispatches only what these build, and
//! the spec and serenity's models check every one of them before it leaves.

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde_json::{json, Value};

/// Discord's epoch (2015-01-01T00:00:00Z) in Unix milliseconds: snowflakes count from it.
const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;

/// Permissions of the bot's role and of every member in the fixtures: view channels, send
/// messages, embed links, add reactions, read history, use application commands.
pub const MEMBER_PERMISSIONS: &str = "2147601472";

/// A snowflake made at `at`, with `counter` in its low bits (unique within a millisecond).
pub fn snowflake(at: DateTime<Utc>, counter: u64) -> u64 {
    let ms = u64::try_from(at.timestamp_millis() - DISCORD_EPOCH_MS).unwrap_or(0);
    (ms << 22) | (counter & 0x3f_ffff)
}

/// When a snowflake was made.
pub fn snowflake_time(id: u64) -> DateTime<Utc> {
    let ms = i64::try_from(id >> 22).unwrap_or(0) + DISCORD_EPOCH_MS;
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// An ISO 8601 timestamp as Discord writes them (`2026-11-23T09:00:00.000000+00:00`).
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, false)
}

/// A user object (`UserResponse`).
pub fn user(id: u64, name: &str, bot: bool) -> Value {
    let mut user = json!({
        "id": id.to_string(),
        "username": name,
        "global_name": if bot { Value::Null } else { Value::from(name) },
        "avatar": null,
        "discriminator": "0",
        "public_flags": 0,
        "flags": 0,
        "primary_guild": null,
    });
    if bot {
        user["bot"] = json!(true);
    }
    user
}

/// The bot's own user as `GET /users/@me` gives it (`UserPIIResponse`).
pub fn current_user(bot: &Value) -> Value {
    let mut me = bot.clone();
    me["mfa_enabled"] = json!(false);
    me["locale"] = json!("en-US");
    me["verified"] = json!(true);
    me
}

/// A guild member (`GuildMemberResponse`), with its user.
pub fn member(user: &Value, roles: &[u64], joined: DateTime<Utc>) -> Value {
    json!({
        "user": user,
        "nick": null,
        "avatar": null,
        "banner": null,
        "roles": roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "joined_at": timestamp(joined),
        "premium_since": null,
        "communication_disabled_until": null,
        "flags": 0,
        "pending": false,
        "mute": false,
        "deaf": false,
    })
}

/// A member as messages, reactions and interactions carry it in a guild: without `user` (it is
/// beside it), with `permissions` for interactions.
pub fn partial_member(member: &Value, with_permissions: bool) -> Value {
    let mut partial = member.clone();
    if let Some(map) = partial.as_object_mut() {
        map.remove("user");
        map.remove("banner");
        if with_permissions {
            map.insert("permissions".into(), json!(MEMBER_PERMISSIONS));
        }
    }
    partial
}

/// A role (`GuildRoleResponse`); `@everyone` has the guild's id.
pub fn role(id: u64, name: &str, position: u32) -> Value {
    json!({
        "id": id.to_string(),
        "name": name,
        "permissions": MEMBER_PERMISSIONS,
        "position": position,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "managed": false,
        "mentionable": false,
        "icon": null,
        "unicode_emoji": null,
        "flags": 0,
    })
}

/// A guild text channel (`GuildChannelResponse`).
pub fn text_channel(id: u64, guild_id: u64, name: &str, position: u32) -> Value {
    json!({
        "id": id.to_string(),
        "type": 0,
        "guild_id": guild_id.to_string(),
        "name": name,
        "position": position,
        "flags": 0,
        "parent_id": null,
        "topic": null,
        "nsfw": false,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "permission_overwrites": [],
    })
}

/// A direct-message channel with one recipient (`PrivateChannelResponse`).
pub fn dm_channel(id: u64, recipient: &Value) -> Value {
    json!({
        "id": id.to_string(),
        "type": 1,
        "flags": 0,
        "last_message_id": null,
        "recipients": [recipient],
    })
}

/// A plain message (`MessageResponse`) by `author` in `channel_id`.
pub fn message(id: u64, channel_id: u64, author: &Value, content: &str) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "type": 0,
        "author": author,
        "content": content,
        "timestamp": timestamp(snowflake_time(id)),
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": false,
        "flags": 0,
    })
}

/// The guild as `GUILD_CREATE` carries it, with its roles, channels and members.
pub fn guild_create(parts: &GuildParts<'_>, joined: DateTime<Utc>) -> Value {
    let mut guild = json!({
        "id": parts.id.to_string(),
        "name": parts.name,
        "icon": null,
        "splash": null,
        "discovery_splash": null,
        "banner": null,
        "description": null,
        "owner_id": parts.owner_id.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": parts.roles,
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "public_updates_channel_id": null,
        "safety_alerts_channel_id": null,
        "max_presences": null,
        "max_members": 500_000,
        "vanity_url_code": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": false,
        "incidents_data": null,
    });
    let gateway_fields = json!({
        "joined_at": timestamp(joined),
        "large": false,
        "unavailable": false,
        "member_count": parts.members.len(),
        "members": parts.members,
        "channels": parts.channels,
        "threads": [],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
    });
    if let (Some(all), Value::Object(extra)) = (guild.as_object_mut(), gateway_fields) {
        all.extend(extra);
    }
    guild
}

/// What a guild is made of, for [`guild_create`].
pub struct GuildParts<'a> {
    pub id: u64,
    pub name: &'a str,
    pub owner_id: u64,
    pub roles: &'a [Value],
    pub channels: &'a [Value],
    pub members: &'a [Value],
}

/// The `READY` payload for the bot in `guild_ids` (all unavailable until their `GUILD_CREATE`).
pub fn ready(bot: &Value, app_id: u64, session_id: &str, resume_url: &str, guild_ids: &[u64]) -> Value {
    let guilds: Vec<Value> = guild_ids
        .iter()
        .map(|id| json!({"id": id.to_string(), "unavailable": true}))
        .collect();
    let mut user = current_user(bot);
    if let Some(map) = user.as_object_mut() {
        map.remove("locale");
        map.remove("primary_guild");
        map.remove("flags");
        map.remove("public_flags");
    }
    json!({
        "v": 10,
        "user": user,
        "guilds": guilds,
        "session_id": session_id,
        "resume_gateway_url": resume_url,
        "shard": [0, 1],
        "application": {"id": app_id.to_string(), "flags": 0},
    })
}
