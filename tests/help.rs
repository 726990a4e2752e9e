//! Issue 17 §4, help that answers: `help post`, `help post add`, every problem of a post at once,
//! readable `my-data`, long values shortened, languages by name and the welcome of a coordinator,
//! through the real core and prompts in every language.

mod support;

use relais::domain::Lang;
use relais::store::Store;
use support::{at, Bot};

/// `who` switches to `lang` (so that the replies that follow are in it).
fn speak(bot: &Bot, who: &str, lang: Lang) {
    bot.say(who, &format!("!lang {}", lang.code()), at(23, 8, 0));
}

/// The last reply to `text`, said by `who` in the team room.
fn reply(bot: &Bot, who: &str, text: &str) -> String {
    Bot::last_reply(&bot.say(who, text, at(23, 9, 0)))
}

#[test]
fn issue17_help_post_lists_every_post_command_in_every_language() {
    let bot = Bot::new();
    for lang in Lang::ALL {
        speak(&bot, "carla", lang);
        let help = reply(&bot, "carla", "!help post");
        for usage in [
            "!post add",
            "!post list",
            "!post show ITEM",
            "!post approve ITEM",
            "!post cancel ITEM",
            "!post push ITEM",
        ] {
            assert!(help.contains(usage), "{lang}: {usage} missing in\n{help}");
        }
    }
    speak(&bot, "carla", Lang::En);
    let help = reply(&bot, "carla", "!help post");
    assert_eq!(help.matches("(coordinators only)").count(), 1, "said once:\n{help}");
}

#[test]
fn issue17_help_post_add_explains_every_field_with_its_values_in_every_language() {
    let bot = Bot::new();
    for lang in Lang::ALL {
        speak(&bot, "carla", lang);
        let help = reply(&bot, "carla", "!help post add");
        let fields = [
            "`title:",
            "`link:",
            "`text.",
            "`caption.",
            "`hashtags:",
            "`campaign:",
            "`intent:",
            "`kind:",
            "`expires:",
            "`publish:",
        ];
        let values = [
            "awareness, appreciation, action, advocacy",
            "evergreen",
            "linkedin",
            "bluesky",
            "2026-11-30 18:00",
        ];
        for want in fields.iter().chain(&values) {
            assert!(help.contains(want), "{lang}: {want} missing in\n{help}");
        }
        for other in Lang::ALL {
            assert!(
                help.contains(other.code()),
                "{lang}: language {other} missing in\n{help}"
            );
        }
        let examples = help.matches("expires: 2026-11-30 18:00").count() + help.matches("`title: ").count();
        assert!(
            examples >= 3,
            "{lang}: examples of each field and a whole post:\n{help}"
        );
    }
}

/// The issue's own example: an evergreen post with an expiry, a text in an unknown language and
/// an unknown field, and no link. Every problem is named, in plain words, in one reply.
#[test]
fn issue17_post_add_names_every_problem_in_plain_words() {
    let bot = Bot::new();
    let post = "!post add\ntitle: Winter\nkind: evergreen\nexpires: 2026-12-30 10:00\ntext.de: Hallo\nurl: https://example.org/w";
    let text = Bot::last_reply(&bot.say_in("carla", "coord", post, at(23, 9, 0)));
    for want in [
        "Line 4: an evergreen post never expires",
        "Line 5: `text.de` names no language I write in",
        "Line 6: I don't know the field `url`. Did you mean `link`?",
        "The post needs a `link:` line.",
        "`!help post add` lists every field.",
    ] {
        assert!(text.contains(want), "{want:?} missing in\n{text}");
    }
    assert!(!text.contains("(expected"), "no jargon: {text}");
    let place = |line: &str| text.find(line).unwrap_or(usize::MAX);
    let ordered = place("Line 4") < place("Line 5") && place("Line 6") < place("needs a `link:`");
    assert!(ordered, "in line order: {text}");
    assert!(bot.store.items().unwrap_or_default().is_empty(), "nothing was added");
    for lang in Lang::ALL {
        speak(&bot, "carla", lang);
        let text = Bot::last_reply(&bot.say_in("carla", "coord", post, at(23, 9, 0)));
        let lines = text.lines().filter(|l| l.starts_with("- ")).count();
        assert_eq!(lines, 5, "{lang}: five problems listed (no text left either):\n{text}");
    }
}

#[test]
fn issue17_post_add_warns_about_a_publish_date_in_the_past() {
    let bot = Bot::new();
    let post = |publish: &str, extra: &str| {
        format!("!post add\ntitle: Old\nlink: https://example.org/old\ntext.en: Old news\npublish: {publish}\n{extra}")
    };
    let rows = [
        (
            post("2026-11-20", ""),
            Some("already past (today is 2026-11-23) and the post has expired already"),
        ),
        (
            post("2026-11-20", "kind: evergreen"),
            Some("already past (today is 2026-11-23): once approved"),
        ),
        (post("2026-11-23", ""), None),
        (post("2026-11-24", ""), None),
    ];
    for (text, warning) in rows {
        let added = Bot::last_reply(&bot.say_in("carla", "coord", &text, at(23, 9, 0)));
        assert!(added.contains("as a draft"), "{added}");
        match warning {
            Some(want) => assert!(added.contains(want), "{want:?} missing in {added}"),
            None => assert!(!added.contains("⚠️"), "no warning: {added}"),
        }
    }
}

#[test]
fn issue17_my_data_shows_preferences_as_sentences_not_json() {
    let bot = Bot::new();
    for command in [
        "!nudges 19:30",
        "!away until 2026-12-24",
        "!hide",
        "!mastodon mastodon.social",
        "!urgent off",
    ] {
        bot.say("alice", command, at(23, 8, 0));
    }
    for lang in Lang::ALL {
        speak(&bot, "alice", lang);
        let text = Bot::text(&bot.say("alice", "!my-data", at(23, 9, 0)));
        assert!(
            !text.contains('{') && !text.contains("\":"),
            "{lang}: no JSON in\n{text}"
        );
        for value in ["19:30", "2026-12-24", "mastodon.social"] {
            assert!(text.contains(value), "{lang}: {value} missing in\n{text}");
        }
    }
    speak(&bot, "alice", Lang::En);
    let text = Bot::text(&bot.say("alice", "!my-data", at(23, 9, 0)));
    for want in [
        "Reminders: every day at 19:30 · Away until 2026-12-24",
        "Public leaderboard: hidden · Urgent messages by direct message: muted · Mastodon server: mastodon.social",
    ] {
        assert!(text.contains(want), "{want:?} missing in\n{text}");
    }
}

#[test]
fn issue17_a_huge_link_is_not_echoed_back_in_full() {
    let bot = Bot::new();
    let url = format!("https://example.org/{}", "a".repeat(3000));
    for text in [format!("!shared {url}"), format!("!shared {}", "a".repeat(3000))] {
        let answer = reply(&bot, "alice", &text);
        assert!(answer.contains("aaaaaaaaaa"), "{answer}");
        assert!(answer.contains('…') && answer.chars().count() < 400, "{answer}");
    }
}

#[test]
fn issue17_lang_names_the_languages_it_speaks() {
    let bot = Bot::new();
    for lang in Lang::ALL {
        speak(&bot, "alice", lang);
        let answer = reply(&bot, "alice", "!lang de");
        for l in Lang::ALL {
            let named = format!("{} ({})", l.native_name(), l.code());
            assert!(answer.contains(&named), "{lang}: {named} missing in {answer}");
        }
    }
}

#[test]
fn issue17_the_welcome_calls_a_coordinator_a_coordinator() {
    let bot = Bot::new();
    let carla = Bot::text(&bot.say("carla", "!me", at(23, 9, 0)));
    let alice = Bot::text(&bot.say("alice", "!me", at(23, 9, 0)));
    assert!(
        carla.contains("one of the coordinators") && !carla.contains("an ambassador for"),
        "{carla}"
    );
    assert!(alice.contains("You're now an ambassador for Living Rivers"), "{alice}");
}

#[path = "support/cli.rs"]
mod cli;

/// The demo at a fixed instant on a fresh store, given `script`: standard output and error.
fn demo(script: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let store = dir.path().join("store");
    let args = [
        "demo",
        "--fresh",
        "--now",
        "2026-11-23T09:00:00Z",
        "--store",
        &store.to_string_lossy(),
    ];
    let out = cli::relais(&args, script);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn issue17_react_without_an_item_says_what_is_missing() {
    let (out, err) = demo("/react\n/react c1\n");
    assert!(out.contains("Which item? /react needs the item"), "{out}\n{err}");
    assert!(!out.contains("`` is not"), "{out}");
    assert!(out.contains("relais reacts ✅"), "a real item still works: {out}");
}

#[test]
fn issue17_now_in_another_format_says_which_format_is_expected() {
    for now in ["yesterday", "2026-11-23 09:00", "23/11/2026"] {
        let out = cli::relais(&["demo", "--now", now], "");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{now}: refused");
        assert!(err.contains("RFC 3339, e.g. 2026-11-23T09:00:00Z"), "{now}: {err}");
    }
}

/// Issue 17: European and Brazilian Portuguese are two languages, each written consistently; `pt`
/// (from before the split) is Brazilian.
#[test]
fn issue17_portuguese_comes_as_european_and_brazilian() {
    let bot = Bot::new();
    let rows = [
        (
            "!lang pt-PT",
            Lang::PtPt,
            "português (Portugal)",
            "Classificação, semana",
        ),
        ("!lang pt-BR", Lang::PtBr, "português (Brasil)", "Ranking, semana"),
        ("!lang pt", Lang::PtBr, "português (Brasil)", "Ranking, semana"),
    ];
    for (command, lang, name, board) in rows {
        let answer = reply(&bot, "joana", command);
        assert!(answer.contains(name), "{command}: {answer}");
        let joana = bot.store.ambassadors().unwrap_or_default();
        assert_eq!(
            joana.iter().find(|a| a.display_name == "joana").map(|a| a.lang),
            Some(lang),
            "{command}"
        );
        bot.say("joana", "!shared https://x.com/joana/status/1", at(23, 9, 0));
        let top = reply(&bot, "joana", "!top");
        assert!(top.contains(board), "{command}: {top}");
    }
}

/// Words that belong to the other Portuguese, never found in each one's prompts.
#[test]
fn issue17_each_portuguese_keeps_to_its_own_words() {
    let rows: [(&str, &[&str]); 2] = [
        (
            "pt-PT",
            &[
                "você",
                "compartilh",
                "equipe",
                "ranking",
                "usuário",
                "registrou",
                "digit",
                "por padrão",
            ],
        ),
        (
            "pt-BR",
            &[
                " partilh",
                "equipa",
                "utilizador",
                "registou",
                "código de ligação",
                "por predefinição",
            ],
        ),
    ];
    for (folder, foreign) in rows {
        let dir = std::path::Path::new(relais::prompts::REPO_PROMPTS_DIR).join(folder);
        for entry in std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
        {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default().to_lowercase();
            for word in foreign {
                assert!(!text.contains(word), "{}: {word:?}", entry.path().display());
            }
        }
    }
}

/// The demo's Lisbon ambassador reads European Portuguese.
#[test]
fn issue17_the_demos_lisbon_ambassador_reads_european_portuguese() {
    let (out, err) = demo("/as joana\n!top\n!today\n");
    assert!(out.contains("Classificação, semana"), "{out}\n{err}");
    assert!(
        out.contains("margens do Garona") || out.contains("Publicações de hoje"),
        "{out}"
    );
    assert!(!out.contains("Ranking"), "{out}");
}
