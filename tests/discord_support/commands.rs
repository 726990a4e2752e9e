//! Application commands as Discord keeps them: a bulk overwrite replaces the whole set (a command
//! with the same name and type keeps its id), after Discord's own rules that the spec's schema
//! cannot express ([`discord_rules`]).

use super::spec::Operation;
use super::world::{ApiError, World};
use regex::Regex;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Option types that hold other options.
const SUB_COMMAND: u64 = 1;
const SUB_COMMAND_GROUP: u64 = 2;
/// Most options or choices at one level.
const MAX_OPTIONS: usize = 25;
/// Most characters of one command in one locale (names, descriptions, choice names and values).
const MAX_COMMAND_CHARS: usize = 4000;
/// Discord's locales that Relais localises (and `default`, the unlocalised text).
const LOCALES: [&str; 6] = ["fr", "es-ES", "es-419", "pt-BR", "en-US", "en-GB"];

/// `PUT …/commands`: replaces the command set of the guild (or the global set).
pub fn bulk_set(world: &mut World, op: &Operation, body: &Value) -> Result<Value, ApiError> {
    let scope = scope(world, op)?;
    let list = body.as_array().cloned().unwrap_or_default();
    if let Some(problem) = discord_rules(&list).into_iter().next() {
        return Err(ApiError::invalid_form(&problem));
    }
    let old = world.commands.get(&scope).cloned().unwrap_or_default();
    let mut served = Vec::new();
    for command in list {
        let kind = command["type"].as_u64().unwrap_or(1);
        let kept = old.iter().find(|c| c["name"] == command["name"] && c["type"] == kind);
        let id = match kept.and_then(|c| c["id"].as_str()).and_then(|s| s.parse().ok()) {
            Some(id) => id,
            None => world.next_id(),
        };
        let version = world.next_id();
        served.push(served_command(world.app_id, scope, id, version, kind, &command));
    }
    world.commands.insert(scope, served.clone());
    Ok(json!(served))
}

/// `GET …/commands`: the set, with its localisation maps only if `with_localizations=true`.
pub fn list(world: &World, op: &Operation, localized: bool) -> Result<Value, ApiError> {
    let scope = scope(world, op)?;
    let mut commands = world.commands.get(&scope).cloned().unwrap_or_default();
    if !localized {
        for command in &mut commands {
            strip_localizations(command);
        }
    }
    Ok(json!(commands))
}

/// The id of the command named `name` in the guild's set, if registered.
pub fn command_id(world: &World, name: &str) -> Option<u64> {
    world
        .commands
        .get(&Some(world.guild.id))?
        .iter()
        .find(|c| c["name"] == name)?["id"]
        .as_str()?
        .parse()
        .ok()
}

fn scope(world: &World, op: &Operation) -> Result<Option<u64>, ApiError> {
    if op.snowflake("application_id") != Some(world.app_id) {
        return Err(ApiError::new(403, 50001, "Missing Access"));
    }
    match op.snowflake("guild_id") {
        None if op.param("guild_id").is_empty() => Ok(None),
        Some(id) if id == world.guild.id => Ok(Some(id)),
        _ => Err(ApiError::new(404, 10004, "Unknown Guild")),
    }
}

fn served_command(app_id: u64, scope: Option<u64>, id: u64, version: u64, kind: u64, request: &Value) -> Value {
    let mut served = json!({
        "id": id.to_string(),
        "application_id": app_id.to_string(),
        "version": version.to_string(),
        "default_member_permissions": request.get("default_member_permissions").cloned().unwrap_or(Value::Null),
        "type": kind,
        "name": request["name"],
        "description": request.get("description").cloned().unwrap_or(json!("")),
        "nsfw": request.get("nsfw").cloned().unwrap_or(json!(false)),
        "integration_types": [0],
        "contexts": request.get("contexts").cloned().unwrap_or(Value::Null),
    });
    if let Some(guild_id) = scope {
        served["guild_id"] = json!(guild_id.to_string());
    }
    for key in ["name_localizations", "description_localizations"] {
        if let Some(value) = request.get(key).filter(|v| !v.is_null()) {
            served[key] = value.clone();
        }
    }
    if let Some(options) = request["options"].as_array().filter(|o| !o.is_empty()) {
        served["options"] = options.iter().map(served_option).collect();
    }
    served
}

/// An option as Discord gives it back: without the null fields and empty lists a request may
/// carry (serenity sends `"max_length": null`, `"choices": []`, …).
fn served_option(option: &Value) -> Value {
    let mut served = serde_json::Map::new();
    for (key, value) in option.as_object().into_iter().flatten() {
        match value {
            Value::Null => {}
            Value::Array(items) if items.is_empty() => {}
            Value::Array(items) if key == "options" => {
                served.insert(key.clone(), items.iter().map(served_option).collect());
            }
            _ => {
                served.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(served)
}

fn strip_localizations(value: &mut Value) {
    if let Some(map) = value.as_object_mut() {
        map.remove("name_localizations");
        map.remove("description_localizations");
        for child in map.values_mut() {
            strip_localizations(child);
        }
    } else if let Some(items) = value.as_array_mut() {
        items.iter_mut().for_each(strip_localizations);
    }
}

/// Discord's rules for chat-input commands that the schema does not state: name pattern and lower
/// case (also every localised name), description lengths, at most 25 options and 25 choices per
/// level, required options before optional ones, sub-commands not mixed with other options,
/// autocomplete without choices, unique names per level and locale, at most 4000 characters per
/// command and locale.
pub fn discord_rules(commands: &[Value]) -> Vec<String> {
    let mut problems = Vec::new();
    check_siblings(commands, "commands", &mut problems);
    for command in commands {
        let at = format!("/{}", command["name"].as_str().unwrap_or("?"));
        check_entry(command, &at, &mut problems);
        check_options(command, &at, &mut problems);
        for locale in ["default"].into_iter().chain(LOCALES) {
            let chars = command_chars(command, locale);
            if chars > MAX_COMMAND_CHARS {
                problems.push(format!(
                    "{at}: {chars} characters in locale {locale} (at most {MAX_COMMAND_CHARS})"
                ));
            }
        }
    }
    problems
}

fn check_options(parent: &Value, at: &str, problems: &mut Vec<String>) {
    let options = parent["options"].as_array().cloned().unwrap_or_default();
    if options.len() > MAX_OPTIONS {
        problems.push(format!("{at}: {} options (at most {MAX_OPTIONS})", options.len()));
    }
    check_siblings(&options, at, problems);
    let nesting = |o: &Value| matches!(o["type"].as_u64(), Some(SUB_COMMAND | SUB_COMMAND_GROUP));
    if options.iter().any(nesting) && !options.iter().all(nesting) {
        problems.push(format!("{at}: sub-commands mixed with other options"));
    }
    let mut optional_seen = false;
    for option in &options {
        let here = format!("{at}/{}", option["name"].as_str().unwrap_or("?"));
        check_entry(option, &here, problems);
        let required = option["required"] == true;
        if required && optional_seen {
            problems.push(format!("{here}: a required option after an optional one"));
        }
        optional_seen |= !required && !nesting(option);
        let choices = option["choices"].as_array().map_or(0, Vec::len);
        if choices > MAX_OPTIONS {
            problems.push(format!("{here}: {choices} choices (at most {MAX_OPTIONS})"));
        }
        if choices > 0 && option["autocomplete"] == true {
            problems.push(format!("{here}: autocomplete with choices"));
        }
        for choice in option["choices"].as_array().into_iter().flatten() {
            for (locale, name) in texts(choice, "name") {
                let length = name.chars().count();
                if !(1..=100).contains(&length) {
                    problems.push(format!(
                        "{here}: choice name {name:?} ({locale}) has {length} characters (1-100)"
                    ));
                }
            }
        }
        if nesting(option) {
            check_options(option, &here, problems);
        }
    }
}

/// The name (pattern, lower case, every locale) and description (1-100 characters) of a command
/// or option.
fn check_entry(entry: &Value, at: &str, problems: &mut Vec<String>) {
    for (locale, name) in texts(entry, "name") {
        if !name_pattern().is_match(name) || name.to_lowercase() != name {
            problems.push(format!(
                "{at}: name {name:?} ({locale}) does not match Discord's pattern in lower case"
            ));
        }
    }
    for (locale, description) in texts(entry, "description") {
        let length = description.chars().count();
        if !(1..=100).contains(&length) {
            problems.push(format!("{at}: description ({locale}) has {length} characters (1-100)"));
        }
    }
}

/// Names must differ among siblings, in every locale.
fn check_siblings(siblings: &[Value], at: &str, problems: &mut Vec<String>) {
    for locale in ["default"].into_iter().chain(LOCALES) {
        let mut seen = HashSet::new();
        for sibling in siblings {
            let name = localized(sibling, "name", locale);
            if !seen.insert(name.to_string()) {
                problems.push(format!("{at}: the name {name:?} is used twice in locale {locale}"));
            }
        }
    }
}

/// The default text of `field` and each of its localisations, with their locale.
fn texts<'v>(entry: &'v Value, field: &str) -> Vec<(&'v str, &'v str)> {
    let mut all = vec![("default", entry[field].as_str().unwrap_or_default())];
    if let Some(map) = entry[format!("{field}_localizations")].as_object() {
        all.extend(
            map.iter()
                .map(|(locale, text)| (locale.as_str(), text.as_str().unwrap_or_default())),
        );
    }
    all
}

/// `field` as a client in `locale` sees it.
fn localized<'v>(entry: &'v Value, field: &str, locale: &str) -> &'v str {
    entry[format!("{field}_localizations")][locale]
        .as_str()
        .unwrap_or_else(|| entry[field].as_str().unwrap_or_default())
}

/// The characters Discord counts for a command in `locale`.
fn command_chars(entry: &Value, locale: &str) -> usize {
    let own =
        localized(entry, "name", locale).chars().count() + localized(entry, "description", locale).chars().count();
    let choices: usize = entry["choices"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| localized(c, "name", locale).chars().count() + c["value"].to_string().chars().count())
        .sum();
    let options: usize = entry["options"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| command_chars(o, locale))
        .sum();
    own + choices + options
}

/// Discord's pattern for command and option names.
fn name_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$").expect("Discord's name pattern compiles")
    })
}
