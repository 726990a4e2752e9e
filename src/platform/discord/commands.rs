//! Slash commands: the Discord application commands for every chat command, built from the
//! command table ([`table::SLASH`], which covers `command::COMMANDS`) and the prompts
//! (`slash.*` keys), as the JSON body of a bulk overwrite
//! (`PUT /applications/{app}/guilds/{guild}/commands`).
//!
//! Names stay the English words of the text commands (`today`, `forget-me`, option `zone`):
//! Discord sends the default name in every interaction whatever the client's language, so the
//! adapter can dispatch on them. Each client sees the names and descriptions of its locale where
//! Relais has the language (fr, es-ES, es-419, pt-BR, en-US, en-GB; Discord has no Catalan);
//! everyone else sees the default names and descriptions in the organisation's language.
//!
//! Prompts can be edited without recompiling, so every localised text is held to Discord's limits
//! (name pattern in lower case, 1-32 characters; descriptions and choice names 1-100 characters;
//! names unique among siblings in each locale). A localisation that breaks them is left out (the
//! default shows instead), an over-long description is shortened, and each is reported in
//! [`SlashCommands::problems`] for the adapter to log.

pub mod table;

use crate::domain::Lang;
use crate::prompts::Prompts;
use regex::Regex;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use table::{command_key, option_key, top_level, ChoiceSet, OptionSpec, OptionType, SlashSpec, Values, SLASH};

/// Discord's locales Relais writes in, with the language of each.
pub const LOCALES: [(&str, Lang); 6] = [
    ("en-US", Lang::En),
    ("en-GB", Lang::En),
    ("es-ES", Lang::Es),
    ("es-419", Lang::Es),
    ("fr", Lang::Fr),
    ("pt-BR", Lang::PtBr),
];

/// Longest description or choice name Discord takes, in characters.
const MAX_TEXT: usize = 100;

/// Localised texts by Discord locale.
pub type Localized = BTreeMap<&'static str, String>;

/// A name and a description, each with its localisations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub name: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub name_localizations: Localized,
    pub description: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub description_localizations: Localized,
}

/// A chat-input (slash) command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlashCommand {
    #[serde(flatten)]
    pub label: Label,
    /// 1: a chat-input command.
    #[serde(rename = "type")]
    pub kind: u8,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<SlashOption>,
}

/// An option or a sub-command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlashOption {
    #[serde(rename = "type")]
    pub kind: u8,
    #[serde(flatten)]
    pub label: Label,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub autocomplete: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<SlashOption>,
}

/// One value of a fixed set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub name: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub name_localizations: Localized,
    pub value: String,
}

/// The commands, and what was wrong in the prompts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlashCommands {
    pub commands: Vec<SlashCommand>,
    /// One line per localised text left out or shortened, naming its language and key.
    pub problems: Vec<String>,
}

/// Builds every slash command, with default texts in `default_lang` (the organisation's).
pub fn slash_commands(prompts: &Prompts, default_lang: Lang) -> SlashCommands {
    let mut builder = Builder {
        prompts,
        default_lang,
        problems: Vec::new(),
    };
    let mut commands: Vec<SlashCommand> = top_level().into_iter().map(|top| builder.command(top)).collect();
    let mut labels: Vec<&mut Label> = commands.iter_mut().map(|c| &mut c.label).collect();
    builder.unique_names(&mut labels, "commands");
    for command in &mut commands {
        builder.unique_option_names(&mut command.options, &command.label.name.clone());
    }
    SlashCommands {
        commands,
        problems: builder.problems,
    }
}

struct Builder<'p> {
    prompts: &'p Prompts,
    default_lang: Lang,
    problems: Vec<String>,
}

impl Builder<'_> {
    /// The top-level command `top`: its options, or its sub-commands (`post add`, …).
    fn command(&mut self, top: &'static str) -> SlashCommand {
        let entries: Vec<&SlashSpec> = SLASH.iter().filter(|s| s.path.split(' ').next() == Some(top)).collect();
        let options = match entries.as_slice() {
            [single] if single.path == top => self.options(single.options),
            _ => entries.iter().map(|entry| self.sub_command(entry)).collect(),
        };
        SlashCommand {
            label: self.label(
                top,
                &command_key(top, "name"),
                &command_key(top, "description"),
                &json!({}),
            ),
            kind: 1,
            options,
        }
    }

    fn sub_command(&mut self, spec: &SlashSpec) -> SlashOption {
        let name = spec.path.rsplit(' ').next().unwrap_or(spec.path);
        let label = self.label(
            name,
            &command_key(spec.path, "name"),
            &command_key(spec.path, "description"),
            &json!({}),
        );
        SlashOption {
            kind: OptionType::SubCommand as u8,
            options: self.options(spec.options),
            ..plain_option(label)
        }
    }

    fn options(&mut self, specs: &[OptionSpec]) -> Vec<SlashOption> {
        let mut options = Vec::new();
        for spec in specs {
            if spec.per_language {
                for lang in Lang::ALL {
                    // Discord names are lower case: `text-pt-br`.
                    let code = lang.code().to_lowercase();
                    let vars = json!({"lang": code, "language": lang.native_name()});
                    options.push(self.option(spec, &format!("{}-{code}", spec.key), &vars));
                }
            } else {
                options.push(self.option(spec, spec.key, &json!({})));
            }
        }
        options
    }

    fn option(&mut self, spec: &OptionSpec, name: &str, vars: &serde_json::Value) -> SlashOption {
        let label = self.label(
            name,
            &option_key(spec.key, "name"),
            &option_key(spec.key, "description"),
            vars,
        );
        SlashOption {
            kind: spec.kind as u8,
            required: spec.required,
            autocomplete: spec.values == Values::Autocomplete,
            choices: match spec.values {
                Values::Choices(set) => self.choices(set),
                _ => Vec::new(),
            },
            ..plain_option(label)
        }
    }

    fn choices(&mut self, set: ChoiceSet) -> Vec<Choice> {
        match set {
            ChoiceSet::Commands => top_level()
                .into_iter()
                .map(|top| self.choice(top, &command_key(top, "name"), top.to_string()))
                .collect(),
            ChoiceSet::Languages => Lang::ALL
                .into_iter()
                .map(|lang| Choice {
                    name: lang.native_name().to_string(),
                    name_localizations: Localized::new(),
                    value: lang.code().to_string(),
                })
                .collect(),
            ChoiceSet::Prompted { set, values } => values
                .iter()
                .map(|value| {
                    let key = table::choice_key(set, value);
                    let default = self.render(self.default_lang, &key, &json!({}));
                    self.choice(value, &key, default)
                })
                .collect(),
        }
    }

    /// The choice `value`, named `default_name` (or `value` if that is empty), with the localised
    /// names of `key`.
    fn choice(&mut self, value: &str, key: &str, default_name: String) -> Choice {
        let name = self
            .fit(self.default_lang, key, default_name)
            .unwrap_or_else(|| value.to_string());
        let mut name_localizations = Localized::new();
        for (locale, lang) in LOCALES {
            if self.prompts.has(lang, key) {
                let text = self.render(lang, key, &json!({}));
                if let Some(text) = self.fit(lang, key, text) {
                    name_localizations.insert(locale, text);
                }
            }
        }
        Choice {
            name,
            name_localizations,
            value: value.to_string(),
        }
    }

    /// The name `name` and the texts of `name_key` and `description_key`.
    fn label(&mut self, name: &str, name_key: &str, description_key: &str, vars: &serde_json::Value) -> Label {
        let default = self.render(self.default_lang, description_key, vars);
        let description = self
            .fit(self.default_lang, description_key, default)
            .unwrap_or_else(|| name.to_string());
        let mut label = Label {
            name: name.to_string(),
            name_localizations: Localized::new(),
            description,
            description_localizations: Localized::new(),
        };
        for (locale, lang) in LOCALES {
            if self.prompts.has(lang, name_key) {
                let localized = self.render(lang, name_key, vars);
                if is_valid_name(&localized) {
                    label.name_localizations.insert(locale, localized);
                } else {
                    self.report(format!(
                        "prompts/{lang}: `{name_key}` gives {localized:?}, not a Discord name (1-32 lower-case letters, digits, - or _): `{name}` is shown instead"
                    ));
                }
            }
            if self.prompts.has(lang, description_key) {
                let text = self.render(lang, description_key, vars);
                if let Some(text) = self.fit(lang, description_key, text) {
                    label.description_localizations.insert(locale, text);
                }
            }
        }
        label
    }

    /// Notes a problem once (a language serves two locales, es-ES and es-419 say).
    fn report(&mut self, problem: String) {
        if !self.problems.contains(&problem) {
            self.problems.push(problem);
        }
    }

    fn render(&self, lang: Lang, key: &str, vars: &serde_json::Value) -> String {
        self.prompts.render(lang, key, vars).trim().to_string()
    }

    /// `text` within Discord's 1-100 characters: shortened with `…` if longer, `None` if empty.
    fn fit(&mut self, lang: Lang, key: &str, text: String) -> Option<String> {
        let length = text.chars().count();
        if length == 0 {
            self.problems
                .push(format!("prompts/{lang}: `{key}` is empty: left out"));
            return None;
        }
        if length <= MAX_TEXT {
            return Some(text);
        }
        self.report(format!(
            "prompts/{lang}: `{key}` has {length} characters, Discord shows {MAX_TEXT} at most: shortened"
        ));
        let mut short: String = text.chars().take(MAX_TEXT - 1).collect();
        short.push('…');
        Some(short)
    }

    /// Where two siblings show the same name in a locale, leaves out the localised one (the
    /// later one if both are), until every sibling shows its own name.
    fn unique_names(&mut self, siblings: &mut [&mut Label], at: &str) {
        for (locale, lang) in LOCALES {
            loop {
                let shown: Vec<&String> = siblings
                    .iter()
                    .map(|l| l.name_localizations.get(locale).unwrap_or(&l.name))
                    .collect();
                let clash = (0..shown.len()).find_map(|i| (0..i).find(|j| shown[*j] == shown[i]).map(|j| (j, i)));
                let Some((first, second)) = clash else { break };
                let name = shown[second].clone();
                let Some(loser) = [second, first]
                    .into_iter()
                    .find(|i| siblings[*i].name_localizations.contains_key(locale))
                else {
                    break;
                };
                siblings[loser].name_localizations.remove(locale);
                self.report(format!(
                    "prompts/{lang}: two names of {at} are {name:?} in {locale}: `{}` is shown instead",
                    siblings[loser].name
                ));
            }
        }
    }

    fn unique_option_names(&mut self, options: &mut [SlashOption], at: &str) {
        let mut labels: Vec<&mut Label> = options.iter_mut().map(|o| &mut o.label).collect();
        self.unique_names(&mut labels, &format!("/{at}"));
        for option in options.iter_mut() {
            let here = format!("{at} {}", option.label.name);
            self.unique_option_names(&mut option.options, &here);
        }
    }
}

fn plain_option(label: Label) -> SlashOption {
    SlashOption {
        kind: OptionType::String as u8,
        label,
        required: false,
        choices: Vec::new(),
        autocomplete: false,
        options: Vec::new(),
    }
}

/// Whether Discord takes `name` as a command or option name: its pattern, in lower case.
pub fn is_valid_name(name: &str) -> bool {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    let pattern = PATTERN.get_or_init(|| {
        Regex::new(r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$").expect("Discord's name pattern compiles")
    });
    pattern.is_match(name) && name.to_lowercase() == name
}

#[cfg(test)]
mod tests;
