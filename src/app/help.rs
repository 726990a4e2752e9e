//! Help texts and parse-error replies, built from the one command table (`command::COMMANDS`).

use super::context::Ctx;
use super::{App, Effect, Reply};
use crate::command::{spec, CommandSpec, ParseError, COMMANDS};
use crate::domain::Lang;
use crate::prompts::markup;
use serde_json::{json, Value};

/// `help [COMMAND]`.
pub fn help(ctx: &Ctx, topic: Option<&str>) -> Effect {
    Reply::text(help_text(ctx.app, ctx.lang(), topic, ctx.is_coordinator()))
}

/// The command list (coordinator commands only for coordinators), or one command's help.
pub fn help_text(app: &App, lang: Lang, topic: Option<&str>, coordinator: bool) -> String {
    let prefix = app.settings.prefix.as_str();
    if let Some(topic) = topic {
        let wanted = topic.trim().trim_start_matches(prefix).to_lowercase();
        let found = spec(&wanted).or_else(|| {
            COMMANDS
                .iter()
                .find(|c| c.name.split(' ').next() == Some(wanted.as_str()))
        });
        return match found {
            Some(c) => app.prompts.render(lang, "help.command", &command_vars(app, lang, c)),
            None => app
                .prompts
                .render(lang, "help.unknown_topic", &json!({"topic": topic, "prefix": prefix})),
        };
    }
    let rows: Vec<Value> = COMMANDS
        .iter()
        .filter(|c| coordinator || !c.coordinator_only)
        .map(|c| command_vars(app, lang, c))
        .collect();
    app.prompts.render(
        lang,
        "help.list",
        &json!({"commands": rows, "prefix": prefix, "coordinator": coordinator}),
    )
}

fn command_vars(app: &App, lang: Lang, c: &CommandSpec) -> Value {
    json!({
        "name": c.name,
        "args": c.args,
        "usage": usage(&app.settings.prefix, c),
        "coordinator_only": c.coordinator_only,
        "description": markup(app.prompts.render(lang, &description_key(c.name), &json!({}))),
    })
}

/// The prompt key of a command's one-line description (`cmd.post_add`).
pub fn description_key(name: &str) -> String {
    format!("cmd.{}", name.replace([' ', '-'], "_"))
}

/// `!shared URL [ITEM]`.
pub fn usage(prefix: &str, c: &CommandSpec) -> String {
    if c.args.is_empty() {
        format!("{prefix}{}", c.name)
    } else {
        format!("{prefix}{} {}", c.name, c.args)
    }
}

/// A parse error as a reply: the reason in the user's language, then the usage line.
pub fn render_parse_error(app: &App, lang: Lang, e: &ParseError) -> String {
    let mut vars = serde_json::to_value(&e.kind).unwrap_or_else(|_| json!({}));
    if let Value::Object(map) = &mut vars {
        map.insert("prefix".into(), json!(app.settings.prefix));
        map.insert(
            "usage".into(),
            json!(e.command.and_then(spec).map(|c| usage(&app.settings.prefix, c))),
        );
    }
    app.prompts.render(lang, &format!("parse.{}", e.kind.key()), &vars)
}
