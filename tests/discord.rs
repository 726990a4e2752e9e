//! Discord: the local Discord-compatible server of `tests/discord_support/`, proven end to end with
//! serenity itself, its checks against Discord's OpenAPI spec and serenity's models (and that they
//! catch what they must), and the slash-command definitions. One test binary for every Discord test.

#[path = "discord_support/mod.rs"]
mod discord_support;

#[path = "discord/checks.rs"]
mod checks;
#[path = "discord/serenity_gateway.rs"]
mod serenity_gateway;
#[path = "discord/serenity_rest.rs"]
mod serenity_rest;
#[path = "discord/slash_commands.rs"]
mod slash_commands;
