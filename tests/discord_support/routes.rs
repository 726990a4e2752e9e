//! The REST operations a bot uses, by the spec's operation id (`create_message`): each reads the
//! request and reads or changes the [`World`]. An operation the spec knows but the local server
//! does not implement is answered 404 and reported, so that a test never passes on a route nobody
//! wrote.

use super::fixtures;
use super::spec::Operation;
use super::world::{ApiError, World};
use serde_json::{json, Value};

/// A response: status, JSON body (none for 204), extra headers, and whether the spec checks it
/// (a 5xx from the infrastructure is outside Discord's spec).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Option<Value>,
    pub headers: Vec<(String, String)>,
    pub checked: bool,
}

impl Reply {
    pub fn json(body: Value) -> Reply {
        Reply {
            status: 200,
            body: Some(body),
            headers: Vec::new(),
            checked: true,
        }
    }

    pub fn no_content() -> Reply {
        Reply {
            status: 204,
            body: None,
            headers: Vec::new(),
            checked: true,
        }
    }

    pub fn error(error: &ApiError) -> Reply {
        Reply {
            status: error.status,
            body: Some(error.body()),
            headers: Vec::new(),
            checked: true,
        }
    }
}

/// What a route needs besides the world.
pub struct Call<'a> {
    pub op: &'a Operation,
    pub query: &'a [(String, String)],
    pub body: Option<&'a Value>,
    pub gateway_url: &'a str,
}

impl Call<'_> {
    fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn query_id(&self, name: &str) -> Option<u64> {
        self.query(name).and_then(|v| v.parse().ok())
    }

    fn id(&self, name: &str) -> u64 {
        self.op.snowflake(name).unwrap_or(0)
    }

    fn body(&self) -> &Value {
        self.body.unwrap_or(&Value::Null)
    }
}

/// Runs the operation; `Err` names an operation the local server does not implement.
pub fn route(world: &mut World, call: &Call<'_>) -> Result<Reply, String> {
    let result = match call.op.id.as_str() {
        "get_gateway" => Ok(Reply::json(json!({"url": call.gateway_url}))),
        "get_bot_gateway" => Ok(Reply::json(bot_gateway(call.gateway_url))),
        "get_my_user" => Ok(Reply::json(fixtures::current_user(&world.bot))),
        "bulk_set_guild_application_commands" | "bulk_set_application_commands" => {
            super::commands::bulk_set(world, call.op, call.body()).map(Reply::json)
        }
        "list_guild_application_commands" | "list_application_commands" => {
            let localized = call.query("with_localizations") == Some("true");
            super::commands::list(world, call.op, localized).map(Reply::json)
        }
        "get_channel" => channel(world, call.id("channel_id")).map(Reply::json),
        "create_message" => create_message(world, call),
        "list_messages" => list_messages(world, call).map(Reply::json),
        "get_message" => message(world, call).map(Reply::json),
        "update_message" => world
            .edit_message(call.id("channel_id"), call.id("message_id"), call.body())
            .map(Reply::json),
        "delete_message" => delete_message(world, call).map(|()| Reply::no_content()),
        "add_my_message_reaction" | "delete_my_message_reaction" => {
            let add = call.op.method == "put";
            let (channel, message) = (call.id("channel_id"), call.id("message_id"));
            let bot = world.bot_id;
            world
                .react(channel, message, call.op.param("emoji_name"), bot, add)
                .map(|()| Reply::no_content())
        }
        "list_message_reactions_by_emoji" => reaction_users(world, call).map(|users| Reply::json(json!(users))),
        "create_dm" => create_dm(world, call).map(Reply::json),
        "trigger_typing_indicator" => channel(world, call.id("channel_id")).map(|_| Reply::no_content()),
        "create_interaction_response" => interaction_callback(world, call),
        "get_original_webhook_message" => world
            .edit_original(call.id("webhook_id"), call.op.param("webhook_token"), None)
            .map(Reply::json),
        "update_original_webhook_message" => world
            .edit_original(call.id("webhook_id"), call.op.param("webhook_token"), Some(call.body()))
            .map(Reply::json),
        "execute_webhook" => world
            .followup(call.id("webhook_id"), call.op.param("webhook_token"), call.body())
            .map(Reply::json),
        "get_guild_member" => guild(world, call)
            .and_then(|w| {
                w.guild
                    .members
                    .get(&call.id("user_id"))
                    .cloned()
                    .ok_or_else(unknown_member)
            })
            .map(Reply::json),
        "list_guild_members" => guild_members(world, call).map(|m| Reply::json(json!(m))),
        "list_guild_roles" => guild(world, call).map(|w| Reply::json(json!(w.guild.roles))),
        other => {
            return Err(format!(
                "the local Discord server does not implement `{other}`: add it to tests/discord_support/routes.rs"
            ))
        }
    };
    Ok(result.unwrap_or_else(|error| Reply::error(&error)))
}

fn bot_gateway(url: &str) -> Value {
    json!({
        "url": url,
        "shards": 1,
        "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1},
    })
}

fn channel(world: &World, id: u64) -> Result<Value, ApiError> {
    world
        .channels
        .get(&id)
        .map(|c| c.json.clone())
        .ok_or_else(ApiError::unknown_channel)
}

fn create_message(world: &mut World, call: &Call<'_>) -> Result<Reply, ApiError> {
    let channel_id = call.id("channel_id");
    let mut body = call.body().clone();
    if let Some(reference) = body.get("message_reference").filter(|r| !r.is_null()).cloned() {
        let target = reference["message_id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let referenced = world.render(channel_id, target);
        if referenced.is_none() && reference["fail_if_not_exists"] != false {
            return Err(ApiError::invalid_form("Unknown message"));
        }
        body["message_reference"] =
            json!({"type": 0, "channel_id": channel_id.to_string(), "message_id": target.to_string()});
        body["referenced_message"] = referenced.unwrap_or(Value::Null);
    }
    let bot = world.bot_id;
    let (message, _) = world.create_message(channel_id, bot, &body)?;
    Ok(Reply::json(message))
}

/// `GET /channels/{id}/messages`: newest first, around/before/after an id, `limit` 1-100 (50).
fn list_messages(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let channel_id = call.id("channel_id");
    let channel = world.channels.get(&channel_id).ok_or_else(ApiError::unknown_channel)?;
    let limit = call.query("limit").and_then(|l| l.parse().ok()).unwrap_or(50usize);
    let ids: Vec<u64> = channel.messages.keys().copied().collect();
    let mut picked: Vec<u64> = if let Some(after) = call.query_id("after") {
        ids.iter().copied().filter(|id| *id > after).take(limit).collect()
    } else if let Some(before) = call.query_id("before") {
        let older: Vec<u64> = ids.iter().copied().filter(|id| *id < before).collect();
        older[older.len().saturating_sub(limit)..].to_vec()
    } else if let Some(around) = call.query_id("around") {
        let older: Vec<u64> = ids.iter().copied().filter(|id| *id < around).collect();
        let half = limit / 2;
        let mut window = older[older.len().saturating_sub(half)..].to_vec();
        window.extend(
            ids.iter()
                .copied()
                .filter(|id| *id >= around)
                .take(limit - window.len()),
        );
        window
    } else {
        ids[ids.len().saturating_sub(limit)..].to_vec()
    };
    picked.reverse();
    let messages: Vec<Value> = picked.iter().filter_map(|id| world.render(channel_id, *id)).collect();
    Ok(json!(messages))
}

fn message(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    channel(world, call.id("channel_id"))?;
    world
        .render(call.id("channel_id"), call.id("message_id"))
        .ok_or_else(ApiError::unknown_message)
}

fn delete_message(world: &mut World, call: &Call<'_>) -> Result<(), ApiError> {
    let bot = world.bot_id;
    let channel = world
        .channels
        .get_mut(&call.id("channel_id"))
        .ok_or_else(ApiError::unknown_channel)?;
    let message_id = call.id("message_id");
    match channel.messages.get(&message_id) {
        None => Err(ApiError::unknown_message()),
        Some(stored) if stored.author_id != bot => Err(ApiError::new(403, 50013, "Missing Permissions")),
        Some(_) => {
            channel.messages.remove(&message_id);
            Ok(())
        }
    }
}

fn reaction_users(world: &World, call: &Call<'_>) -> Result<Vec<Value>, ApiError> {
    let after = call.query_id("after").unwrap_or(0);
    let limit = call.query("limit").and_then(|l| l.parse().ok()).unwrap_or(25usize);
    world.reaction_users(
        call.id("channel_id"),
        call.id("message_id"),
        call.op.param("emoji_name"),
        after,
        limit,
    )
}

fn create_dm(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let recipient = call.body()["recipient_id"].as_str().and_then(|s| s.parse().ok());
    let recipient = recipient.ok_or_else(|| ApiError::invalid_form("recipient_id is required"))?;
    world.dm_channel(recipient).cloned()
}

fn interaction_callback(world: &mut World, call: &Call<'_>) -> Result<Reply, ApiError> {
    let token = call.op.param("interaction_token");
    let id = call.id("interaction_id");
    world.interaction_callback(id, token, call.body())?;
    if call.query("with_response") != Some("true") {
        return Ok(Reply::no_content());
    }
    let interaction = &world.interactions[token];
    let mut response = json!({
        "interaction": {
            "id": id.to_string(),
            "type": interaction.kind,
            "response_message_loading": interaction.original.as_ref().is_some_and(|m| m["flags"].as_u64().unwrap_or(0) & 128 != 0),
            "response_message_ephemeral": interaction.original.as_ref().is_some_and(|m| m["flags"].as_u64().unwrap_or(0) & 64 != 0),
        },
    });
    if let Some(original) = &interaction.original {
        response["interaction"]["response_message_id"] = original["id"].clone();
        response["resource"] = json!({"type": call.body()["type"], "message": original});
    }
    Ok(Reply::json(response))
}

fn guild<'w>(world: &'w World, call: &Call<'_>) -> Result<&'w World, ApiError> {
    if call.id("guild_id") == world.guild.id {
        Ok(world)
    } else {
        Err(ApiError::new(404, 10004, "Unknown Guild"))
    }
}

fn guild_members(world: &World, call: &Call<'_>) -> Result<Vec<Value>, ApiError> {
    let world = guild(world, call)?;
    let after = call.query_id("after").unwrap_or(0);
    let limit = call.query("limit").and_then(|l| l.parse().ok()).unwrap_or(1usize);
    Ok(world
        .guild
        .members
        .range(after + 1..)
        .take(limit)
        .map(|(_, m)| m.clone())
        .collect())
}

fn unknown_member() -> ApiError {
    ApiError::new(404, 10007, "Unknown Member")
}
