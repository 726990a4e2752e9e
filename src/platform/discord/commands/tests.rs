//! The slash-command table and builder: coverage of the command table, prompt keys, choices the
//! text grammar takes, names kept English, and prompts that break Discord's limits.

use super::table::{prompt_keys, top_level, ChoiceSet, Values, SLASH};
use super::*;
use crate::command::{parse, COMMANDS};
use crate::prompts::catalog;
use serde_json::json;

fn prompts() -> &'static Prompts {
    static PROMPTS: OnceLock<Prompts> = OnceLock::new();
    PROMPTS.get_or_init(Prompts::for_tests)
}

#[test]
fn every_chat_command_has_a_slash_command_and_no_other_exists() {
    for spec in COMMANDS {
        let covered = SLASH
            .iter()
            .any(|s| s.path == spec.name || s.path.starts_with(&format!("{} ", spec.name)));
        assert!(covered, "`{}` has no slash command", spec.name);
    }
    for top in top_level() {
        let known = COMMANDS.iter().any(|c| c.name.split(' ').next() == Some(top));
        assert!(known, "/{top} is not a chat command");
    }
}

#[test]
fn the_table_uses_exactly_the_catalogued_slash_keys() {
    let keys = prompt_keys();
    for key in &keys {
        assert!(catalog::entry(key).is_some(), "{key} is not in the catalog");
    }
    for entry in catalog::CATALOG.iter().filter(|e| e.key.starts_with("slash.")) {
        assert!(
            keys.iter().any(|k| k == entry.key),
            "{} is catalogued but unused",
            entry.key
        );
    }
}

#[test]
fn the_repository_prompts_build_without_problems_in_every_default_language() {
    for lang in Lang::ALL {
        let built = slash_commands(prompts(), lang);
        assert_eq!(built.problems, Vec::<String>::new(), "{lang}");
        assert_eq!(built.commands.len(), top_level().len());
    }
}

#[test]
fn names_stay_english_and_descriptions_follow_the_default_language() {
    let english = slash_commands(prompts(), Lang::En).commands;
    let french = slash_commands(prompts(), Lang::Fr).commands;
    let names = |commands: &[SlashCommand]| commands.iter().map(|c| c.label.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&english), top_level());
    assert_eq!(names(&french), top_level());
    let today = |commands: &[SlashCommand]| commands[1].label.clone();
    assert_eq!(
        today(&french).description,
        prompts().render(Lang::Fr, "slash.today.description", &json!({}))
    );
    assert_eq!(
        today(&english).name_localizations.get("fr").map(String::as_str),
        Some("aujourdhui")
    );
    let locales: Vec<&str> = today(&english).description_localizations.keys().copied().collect();
    assert_eq!(locales, ["en-GB", "en-US", "es-419", "es-ES", "fr", "pt-BR"]);
}

#[test]
fn a_command_serialises_as_discord_reads_it() {
    let commands = slash_commands(prompts(), Lang::En).commands;
    let tz = commands.iter().find(|c| c.label.name == "tz").map(serde_json::to_value);
    let tz = tz.and_then(Result::ok).unwrap_or_default();
    assert_eq!(tz["type"], 1);
    assert_eq!(tz["name_localizations"]["pt-BR"], "fuso");
    let zone = &tz["options"][0];
    let fields: Vec<&str> = zone
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(
        fields,
        [
            "autocomplete",
            "description",
            "description_localizations",
            "name",
            "name_localizations",
            "required",
            "type"
        ]
    );
    assert_eq!(
        (
            zone["type"].clone(),
            zone["required"].clone(),
            zone["autocomplete"].clone()
        ),
        (json!(3), json!(true), json!(true))
    );
    let nudges = commands
        .iter()
        .find(|c| c.label.name == "nudges")
        .map(serde_json::to_value);
    let nudges = nudges.and_then(Result::ok).unwrap_or_default();
    let subs: Vec<(serde_json::Value, serde_json::Value)> = nudges["options"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| (o["name"].clone(), o["type"].clone()))
        .collect();
    assert_eq!(
        subs,
        [
            (json!("on"), json!(1)),
            (json!("off"), json!(1)),
            (json!("at"), json!(1))
        ]
    );
}

#[test]
fn choice_values_are_what_the_text_grammar_takes() {
    for option in SLASH.iter().flat_map(|s| s.options) {
        let Values::Choices(set) = option.values else { continue };
        let texts: Vec<String> = match set {
            ChoiceSet::Commands => top_level().iter().map(|c| format!("!help {c}")).collect(),
            ChoiceSet::Languages => Lang::ALL.iter().map(|l| format!("!lang {}", l.code())).collect(),
            ChoiceSet::Prompted { set: "filter", values } => values.iter().map(|v| format!("!post list {v}")).collect(),
            ChoiceSet::Prompted { set: "purpose", values } => {
                values.iter().map(|v| format!("!room here {v}")).collect()
            }
            ChoiceSet::Prompted { set, values } => values
                .iter()
                .map(|v| format!("!post add\ntitle: T\nlink: https://example.org/a\ntext.en: x\n{set}: {v}"))
                .collect(),
        };
        for text in texts {
            assert!(
                matches!(parse(&text, "!"), Some(Ok(_))),
                "{text:?}: {:?}",
                parse(&text, "!")
            );
        }
    }
    let intents: Vec<&str> = crate::domain::Intent::ALL.iter().map(|i| i.key()).collect();
    let table = SLASH
        .iter()
        .flat_map(|s| s.options)
        .find(|o| o.key == "intent")
        .map(|o| o.values);
    assert_eq!(
        table,
        Some(Values::Choices(ChoiceSet::Prompted {
            set: "intent",
            values: &["awareness", "appreciation", "action", "advocacy"]
        }))
    );
    assert_eq!(intents, ["awareness", "appreciation", "action", "advocacy"]);
}

#[test]
fn discord_names_follow_its_pattern_in_lower_case() {
    let long = "a".repeat(33);
    let rows = [
        ("today", true),
        ("forget-me", true),
        ("my_data", true),
        ("mes-données", true),
        ("esqueça-me", true),
        ("तारीख", true),
        ("วันนี้", true),
        ("text-fr", true),
        ("Today", false),
        ("aujourd'hui", false),
        ("two words", false),
        ("", false),
        (long.as_str(), false),
        ("c12?", false),
    ];
    for (name, want) in rows {
        assert_eq!(is_valid_name(name), want, "{name:?}");
    }
}

#[test]
fn prompts_that_break_discords_limits_are_left_out_or_shortened_and_reported() {
    let long = "é".repeat(150);
    let prompts = with_edited("fr", |text| {
        text.replacen("name = \"aujourdhui\"", "name = \"Aujourd'hui\"", 1)
            .replacen("name = \"classement\"", "name = \"moi\"", 1)
            .replacen(
                "description = \"Vos points, votre série, votre rang et vos réglages\"",
                &format!("description = \"{long}\""),
                1,
            )
    });
    let built = slash_commands(&prompts, Lang::En);
    let find = |name: &str| {
        built
            .commands
            .iter()
            .find(|c| c.label.name == name)
            .map(|c| c.label.clone())
    };
    let (today, me, top) = (find("today"), find("me"), find("top"));
    assert_eq!(today.and_then(|l| l.name_localizations.get("fr").cloned()), None);
    assert_eq!(top.and_then(|l| l.name_localizations.get("fr").cloned()), None);
    let me_fr = me
        .and_then(|l| l.description_localizations.get("fr").cloned())
        .unwrap_or_default();
    assert_eq!(me_fr.chars().count(), 100);
    assert!(me_fr.ends_with('…'), "{me_fr}");
    let problems = built.problems.join("\n");
    for want in [
        "`slash.today.name` gives \"Aujourd'hui\"",
        "`slash.me.description` has 150 characters",
        "two names of commands are \"moi\" in fr",
    ] {
        assert!(problems.contains(want), "want {want:?} in:\n{problems}");
    }
    assert_eq!(built.problems.len(), 3, "{problems}");
}

#[test]
fn a_localised_name_that_takes_another_commands_own_name_gives_way() {
    let prompts = with_edited("fr", |text| {
        text.replacen("name = \"moi\"", "name = \"top\"", 1)
            .replacen("name = \"classement\"\n", "", 1)
    });
    let built = slash_commands(&prompts, Lang::En);
    let french_name = |name: &str| {
        let command = built.commands.iter().find(|c| c.label.name == name);
        command.and_then(|c| c.label.name_localizations.get("fr").cloned())
    };
    assert_eq!((french_name("me"), french_name("top")), (None, None));
    assert_eq!(
        built.problems,
        ["prompts/fr: two names of commands are \"top\" in fr: `me` is shown instead"]
    );
}

#[test]
fn a_problem_in_a_language_of_two_locales_is_reported_once() {
    let prompts = with_edited("es", |text| text.replacen("name = \"hoy\"", "name = \"hoy mismo\"", 1));
    let built = slash_commands(&prompts, Lang::En);
    let today = built
        .commands
        .iter()
        .find(|c| c.label.name == "today")
        .map(|c| c.label.clone());
    let spanish: Vec<&str> = today
        .iter()
        .flat_map(|l| l.name_localizations.keys().copied())
        .filter(|locale| locale.starts_with("es"))
        .collect();
    assert_eq!(spanish, Vec::<&str>::new());
    assert_eq!(
        built.problems,
        ["prompts/es: `slash.today.name` gives \"hoy mismo\", not a Discord name (1-32 lower-case letters, digits, - or _): `today` is shown instead"]
    );
}

/// The repository's prompts with `edit` applied to `<lang>/discord.toml`.
fn with_edited(lang: &str, edit: impl FnOnce(String) -> String) -> Prompts {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let to = dir.path();
    let from = std::path::Path::new(crate::prompts::REPO_PROMPTS_DIR);
    for lang in Lang::ALL {
        let (source, target) = (from.join(lang.code()), to.join(lang.code()));
        std::fs::create_dir_all(&target).expect("a language folder");
        for file in std::fs::read_dir(&source).expect("the repository's prompts").flatten() {
            std::fs::copy(file.path(), target.join(file.file_name())).expect("a prompts file copied");
        }
    }
    let file = to.join(lang).join("discord.toml");
    let text = std::fs::read_to_string(&file).expect("the prompts to edit");
    std::fs::write(&file, edit(text)).expect("the edited prompts written");
    Prompts::load(to).expect("the edited prompts load").prompts
}
