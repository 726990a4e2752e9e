//! The slash-command definitions (`relais::platform::discord::commands`) against Discord: the
//! bulk-overwrite body validates against the spec's request schema and keeps Discord's own limits
//! in every default language, and registers through serenity at the local server.

use crate::discord_support::bot::SerenityBot;
use crate::discord_support::commands::discord_rules;
use crate::discord_support::spec::Spec;
use crate::discord_support::DiscordServer;
use relais::domain::Lang;
use relais::platform::discord::commands::{slash_commands, table::top_level};
use relais::prompts::Prompts;
use serde_json::{json, Value};
use serenity::all::{CommandDataOptionValue, GuildId, Interaction};
use std::sync::OnceLock;

fn prompts() -> &'static Prompts {
    static PROMPTS: OnceLock<Prompts> = OnceLock::new();
    PROMPTS.get_or_init(Prompts::for_tests)
}

fn body(lang: Lang) -> Value {
    let built = slash_commands(prompts(), lang);
    assert_eq!(built.problems, Vec::<String>::new(), "{lang}");
    serde_json::to_value(&built.commands).expect("the commands serialise")
}

#[test]
fn the_slash_commands_fit_the_bulk_overwrite_schema_and_discords_rules_in_every_language() {
    let spec = Spec::shared();
    let op = spec
        .operation("PUT", "/applications/1/guilds/2/commands")
        .expect("the spec has the bulk overwrite");
    assert_eq!(op.id, "bulk_set_guild_application_commands");
    for lang in Lang::ALL {
        let body = body(lang);
        assert_eq!(
            spec.check_request(&op, &[], Some(&body)),
            Vec::<String>::new(),
            "{lang}"
        );
        let commands = body.as_array().cloned().unwrap_or_default();
        assert_eq!(discord_rules(&commands), Vec::<String>::new(), "{lang}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_slash_commands_register_through_serenity_and_come_back_as_interactions() {
    let server = DiscordServer::start().await;
    let mut bot = SerenityBot::start(&server).await;
    bot.ready().await;
    let guild = GuildId::new(server.guild_id());
    let built = slash_commands(prompts(), Lang::Fr);
    let registered = bot
        .http
        .create_guild_commands(guild, &built.commands)
        .await
        .expect("Discord takes the commands");
    let names: Vec<&str> = registered.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, top_level());
    let served = server.guild_commands();
    assert_eq!(served[1]["name_localizations"]["fr"], "aujourdhui");
    assert_eq!(
        served[1]["description"],
        prompts().render(Lang::Fr, "slash.today.description", &json!({}))
    );
    let listed = guild.get_commands(&bot.http).await.expect("listed");
    assert!(
        listed.iter().all(|c| c.name_localizations.is_none()),
        "localisations only when asked for"
    );

    let at = json!([{"name": "at", "type": 1, "options": [{"name": "time", "type": 3, "value": "18:30"}]}]);
    server.slash_command_in("fr", server.user("alice"), server.channel("general"), "nudges", at);
    let Interaction::Command(command) = bot.interaction().await else {
        panic!("a slash command arrives as a command interaction")
    };
    assert_eq!(command.data.name, "nudges");
    assert_eq!(command.locale, "fr");
    assert_eq!(
        Some(command.data.id),
        registered.iter().find(|c| c.name == "nudges").map(|c| c.id)
    );
    let sub = &command.data.options[0];
    let CommandDataOptionValue::SubCommand(options) = &sub.value else {
        panic!("`at` is a sub-command: {sub:?}")
    };
    assert_eq!((sub.name.as_str(), options[0].value.as_str()), ("at", Some("18:30")));
}
