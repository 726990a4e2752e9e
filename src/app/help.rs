//! Help texts and parse-error replies, built from the one command table (`command::COMMANDS`).

use super::context::Ctx;
use super::{App, Effect, Reply};
use crate::command::{spec, CommandSpec, ParseError, ParseErrorKind, COMMANDS};
use crate::domain::{Intent, Lang, Network};
use crate::prompts::markup;
use serde_json::{json, Value};

/// `help [COMMAND]`.
pub fn help(ctx: &Ctx, topic: Option<&str>) -> Effect {
    Reply::text(help_text(ctx.app, ctx.lang(), topic, ctx.is_coordinator()))
}

/// The command list (coordinator commands only for coordinators), or one command's help: a group
/// (`post`) lists each of its commands, and `post add` explains every field.
pub fn help_text(app: &App, lang: Lang, topic: Option<&str>, coordinator: bool) -> String {
    let prefix = app.settings.prefix.as_str();
    if let Some(topic) = topic {
        let wanted = topic.trim().trim_start_matches(prefix).to_lowercase();
        let wanted = wanted.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(c) = spec(&wanted) {
            let text = app.prompts.render(lang, "help.command", &command_vars(app, lang, c));
            if c.name != "post add" {
                return text;
            }
            let fields = app.prompts.render(lang, "help.post_fields", &field_vars(app));
            return format!("{text}\n\n{fields}");
        }
        let group: Vec<&CommandSpec> = COMMANDS
            .iter()
            .filter(|c| c.name.split(' ').next() == Some(wanted.as_str()))
            .collect();
        if !group.is_empty() {
            let coordinators_only = group.iter().all(|c| c.coordinator_only);
            let commands: Vec<Value> = group.iter().map(|c| command_vars(app, lang, c)).collect();
            let vars = json!({"group": wanted, "commands": commands, "prefix": prefix, "coordinators_only": coordinators_only});
            return app.prompts.render(lang, "help.group", &vars);
        }
        return app
            .prompts
            .render(lang, "help.unknown_topic", &json!({"topic": topic, "prefix": prefix}));
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

/// What the help of `post add` and its errors list: the languages, networks and intents the code
/// knows, so that the texts never fall out of step with it.
fn field_vars(app: &App) -> Value {
    json!({
        "prefix": app.settings.prefix,
        "langs": Lang::ALL.map(Lang::code).join(", "),
        "networks": Network::ALL.map(Network::key).join(", "),
        "intents": Intent::ALL.map(Intent::key).join(", "),
        "hot_days": app.settings.hot_default_days,
    })
}

/// "English (en), français (fr), …": every language by its own name, with its code.
pub fn language_names() -> String {
    Lang::ALL
        .map(|l| format!("{} ({})", l.native_name(), l.code()))
        .join(", ")
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

/// A parse error as a reply: the reason in the user's language, then the usage line. A `post add`
/// lists every problem of the post, each rendered from its own key.
pub fn render_parse_error(app: &App, lang: Lang, e: &ParseError) -> String {
    if let ParseErrorKind::PostInvalid { problems, more } = &e.kind {
        let lines: Vec<Value> = problems
            .iter()
            .map(|p| {
                let vars = with_common(app, e, serde_json::to_value(p).unwrap_or_else(|_| json!({})));
                markup(app.prompts.render(lang, &format!("parse.{}", p.key()), &vars))
            })
            .collect();
        let vars = json!({"problems": lines, "more": more, "prefix": app.settings.prefix});
        return app.prompts.render(lang, "parse.post_invalid", &vars);
    }
    let vars = with_common(app, e, serde_json::to_value(&e.kind).unwrap_or_else(|_| json!({})));
    app.prompts.render(lang, &format!("parse.{}", e.kind.key()), &vars)
}

/// `vars` with what every parse error may say: the prefix, the usage line, the languages and the
/// fields' allowed values.
fn with_common(app: &App, e: &ParseError, mut vars: Value) -> Value {
    if let (Value::Object(map), Value::Object(fields)) = (&mut vars, field_vars(app)) {
        for (key, value) in fields {
            map.entry(key).or_insert(value);
        }
        map.insert("language_names".into(), json!(language_names()));
        map.insert(
            "usage".into(),
            json!(e.command.and_then(spec).map(|c| usage(&app.settings.prefix, c))),
        );
    }
    vars
}
