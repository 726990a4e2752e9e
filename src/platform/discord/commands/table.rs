//! The slash-command table: every chat command of `command::COMMANDS` as a Discord command or
//! sub-command, with its options. Where the text grammar takes one word from a fixed set that
//! changes what the command does (`nudges on|off|HH:MM`, `away until DATE | off`), the slash
//! command has one sub-command per form, so that Discord offers the set and asks for the rest.

/// Discord's application-command option types used here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionType {
    SubCommand = 1,
    String = 3,
    Boolean = 5,
    User = 6,
}

/// How the values of an option are offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    /// Typed freely.
    Free,
    /// Suggested by the bot as the person types (item ids, time zones).
    Autocomplete,
    /// One of a fixed set.
    Choices(ChoiceSet),
}

/// A fixed set of choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceSet {
    /// The top-level commands, named as in each locale (for `help`).
    Commands,
    /// Relais's languages, each by its own name (`français`).
    Languages,
    /// Values with names from the prompts `slash.choice.<set>.<value>`.
    Prompted {
        set: &'static str,
        values: &'static [&'static str],
    },
}

/// One option of a command or sub-command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    /// Its name, and the key of its texts (`slash.option.<key>.name`, `….description`).
    pub key: &'static str,
    pub kind: OptionType,
    pub required: bool,
    pub values: Values,
    /// One option per language (`text-en`, `text-fr`, …), named from a template with `lang`.
    pub per_language: bool,
}

/// One slash command or sub-command: its path (`post add`) and its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlashSpec {
    pub path: &'static str,
    pub options: &'static [OptionSpec],
}

const fn option(key: &'static str, kind: OptionType, required: bool, values: Values) -> OptionSpec {
    OptionSpec {
        key,
        kind,
        required,
        values,
        per_language: false,
    }
}

const fn text(key: &'static str, required: bool) -> OptionSpec {
    option(key, OptionType::String, required, Values::Free)
}

const fn suggested(key: &'static str, required: bool) -> OptionSpec {
    option(key, OptionType::String, required, Values::Autocomplete)
}

const fn chosen(key: &'static str, required: bool, set: ChoiceSet) -> OptionSpec {
    option(key, OptionType::String, required, Values::Choices(set))
}

const fn slash(path: &'static str, options: &'static [OptionSpec]) -> SlashSpec {
    SlashSpec { path, options }
}

const ITEM: OptionSpec = suggested("item", true);
const USER: OptionSpec = option("user", OptionType::User, true, Values::Free);
/// The keys of [`crate::domain::Intent`] (a test checks they match).
const INTENTS: [&str; 4] = ["awareness", "appreciation", "action", "advocacy"];

/// `post add`: the fields of the text form, one option each (texts one per language); captions
/// per network stay with the text form (`!post add`).
const POST_ADD: &[OptionSpec] = &[
    text("title", true),
    text("link", true),
    OptionSpec {
        per_language: true,
        ..text("text", false)
    },
    chosen(
        "kind",
        false,
        ChoiceSet::Prompted {
            set: "kind",
            values: &["hot", "evergreen"],
        },
    ),
    chosen(
        "intent",
        false,
        ChoiceSet::Prompted {
            set: "intent",
            values: &INTENTS,
        },
    ),
    text("hashtags", false),
    text("campaign", false),
    text("publish", false),
    text("expires", false),
];

/// Every slash command and sub-command, in the order of `command::COMMANDS`.
pub const SLASH: &[SlashSpec] = &[
    slash("help", &[chosen("command", false, ChoiceSet::Commands)]),
    slash("today", &[]),
    slash("shared", &[text("url", true), suggested("item", false)]),
    slash("me", &[]),
    slash("top", &[]),
    slash("lang", &[chosen("language", true, ChoiceSet::Languages)]),
    slash("tz", &[suggested("zone", true)]),
    slash("nudges on", &[]),
    slash("nudges off", &[]),
    slash("nudges at", &[text("time", true)]),
    slash("away until", &[text("date", true)]),
    slash("away off", &[]),
    slash("hide", &[]),
    slash("show", &[]),
    slash("urgent on", &[]),
    slash("urgent off", &[]),
    slash("mastodon set", &[text("server", true)]),
    slash("mastodon off", &[]),
    slash("link", &[text("code", false)]),
    slash("my-data", &[]),
    slash(
        "forget-me",
        &[option("confirm", OptionType::Boolean, false, Values::Free)],
    ),
    slash("post add", POST_ADD),
    slash(
        "post list",
        &[chosen(
            "filter",
            false,
            ChoiceSet::Prompted {
                set: "filter",
                values: &["draft", "approved", "cancelled", "all"],
            },
        )],
    ),
    slash("post show", &[ITEM]),
    slash("post approve", &[ITEM]),
    slash("post cancel", &[ITEM]),
    slash("post push", &[ITEM]),
    slash("report", &[text("week", false)]),
    slash("ambassadors", &[]),
    slash("role grant", &[USER]),
    slash("role revoke", &[USER]),
    slash("room show", &[]),
    slash(
        "room here",
        &[
            chosen(
                "purpose",
                true,
                ChoiceSet::Prompted {
                    set: "purpose",
                    values: &["team", "coordinators"],
                },
            ),
            chosen("language", false, ChoiceSet::Languages),
            text("time", false),
        ],
    ),
    slash("room off", &[]),
];

/// The top-level command names, in table order (`post` once).
pub fn top_level() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for spec in SLASH {
        let top = spec.path.split(' ').next().unwrap_or(spec.path);
        if !names.contains(&top) {
            names.push(top);
        }
    }
    names
}

/// The prompt key of a text of a command or sub-command: `slash.post.add.description`,
/// `slash.forget_me.name`.
pub fn command_key(path: &str, field: &str) -> String {
    format!("slash.{}.{field}", path.replace('-', "_").replace(' ', "."))
}

/// The prompt key of a text of an option: `slash.option.zone.name`.
pub fn option_key(key: &str, field: &str) -> String {
    format!("slash.option.{key}.{field}")
}

/// The prompt key of a choice's name: `slash.choice.filter.draft`.
pub fn choice_key(set: &str, value: &str) -> String {
    format!("slash.choice.{set}.{value}")
}

/// Every prompt key the table uses, for the catalog.
pub fn prompt_keys() -> Vec<String> {
    let mut keys = Vec::new();
    let mut push = |key: String| {
        if !keys.contains(&key) {
            keys.push(key);
        }
    };
    for top in top_level() {
        push(command_key(top, "name"));
        push(command_key(top, "description"));
    }
    for spec in SLASH.iter().filter(|s| s.path.contains(' ')) {
        push(command_key(spec.path, "name"));
        push(command_key(spec.path, "description"));
    }
    for option in SLASH.iter().flat_map(|s| s.options) {
        push(option_key(option.key, "name"));
        push(option_key(option.key, "description"));
        if let Values::Choices(ChoiceSet::Prompted { set, values }) = option.values {
            for value in values {
                push(choice_key(set, value));
            }
        }
    }
    keys
}
