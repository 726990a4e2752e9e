//! Cross-cutting tests of the command parser: whole messages, prefixes, the command table and robustness.

use super::*;
use crate::domain::ItemId;
use proptest::prelude::*;
use ParseErrorKind as K;

type Expected = Option<Result<Command, ParseError>>;

fn ok(command: Command) -> Expected {
    Some(Ok(command))
}

fn err(command: Option<&'static str>, kind: ParseErrorKind) -> Expected {
    Some(Err(ParseError { command, kind }))
}

fn unknown(typed: &str, suggestion: Option<&'static str>) -> Expected {
    err(
        None,
        K::UnknownCommand {
            typed: typed.to_string(),
            suggestion,
        },
    )
}

fn help(topic: &str) -> Expected {
    ok(Command::Help {
        topic: Some(topic.to_string()),
    })
}

#[test]
fn messages_parse_to_commands() {
    let x = "https://x.com/ngo/status/1";
    let shared = |item: Option<u32>| {
        ok(Command::Shared {
            url: x.to_string(),
            item: item.map(ItemId),
        })
    };
    let rows: Vec<(&str, Expected)> = vec![
        ("!help", ok(Command::Help { topic: None })),
        ("!help shared", help("shared")),
        ("!HELP Post ADD", help("post add")),
        ("!help !today", help("today")),
        ("!help leaderboard", help("top")),
        (
            "!help post add now",
            err(Some("help"), K::UnexpectedArgument { extra: "now".into() }),
        ),
        ("!today", ok(Command::Today)),
        ("!me", ok(Command::Me)),
        ("!top", ok(Command::Top)),
        ("!leaderboard", ok(Command::Top)),
        ("!Board", ok(Command::Top)),
        ("!hide", ok(Command::Hide)),
        ("!show", ok(Command::Show)),
        ("!my-data", ok(Command::MyData)),
        ("!mydata", ok(Command::MyData)),
        ("!my_data", ok(Command::MyData)),
        ("!ambassadors", ok(Command::Ambassadors)),
        ("!forget-me", ok(Command::ForgetMe { confirmed: false })),
        ("!forgetme CONFIRM", ok(Command::ForgetMe { confirmed: true })),
        ("!forget_me", ok(Command::ForgetMe { confirmed: false })),
        (
            "!forget-me now",
            err(
                Some("forget-me"),
                K::InvalidChoice {
                    text: "now".into(),
                    choices: "confirm",
                },
            ),
        ),
        ("!link", ok(Command::Link { code: None })),
        (
            "!link  ab12cd ",
            ok(Command::Link {
                code: Some("AB12CD".into()),
            }),
        ),
        (
            "!link ab cd",
            err(Some("link"), K::UnexpectedArgument { extra: "cd".into() }),
        ),
        ("!shared https://x.com/ngo/status/1", shared(None)),
        ("!shared c12 https://x.com/ngo/status/1", shared(Some(12))),
        ("!shared <https://x.com/ngo/status/1> c12", shared(Some(12))),
        ("!shared [the post](https://x.com/ngo/status/1)", shared(None)),
        (
            "!shared x.com/ngo/status/1 C3",
            ok(Command::Shared {
                url: "x.com/ngo/status/1".into(),
                item: Some(ItemId(3)),
            }),
        ),
        ("!shared", err(Some("shared"), K::MissingArgument { what: "URL" })),
        ("!lang fr", ok(Command::Lang { lang: Lang::Fr })),
        (
            "!tz europe/paris",
            ok(Command::Tz {
                zone: "Europe/Paris".into(),
            }),
        ),
        (
            "!nudges 18h",
            ok(Command::Nudges {
                setting: NudgeSetting::At(NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default()),
            }),
        ),
        ("!away off", ok(Command::Away { until: None })),
        (
            "!mastodon @a@mastodon.social",
            ok(Command::Mastodon {
                instance: Some("mastodon.social".into()),
            }),
        ),
        (
            "!post list",
            ok(Command::PostList {
                filter: PostFilter::Open,
            }),
        ),
        ("!post show c2", ok(Command::PostShow { id: ItemId(2) })),
        ("!post push c2", ok(Command::PostPush { id: ItemId(2) })),
        ("!urgent off", ok(Command::Urgent { on: false })),
        ("!Urgent ON", ok(Command::Urgent { on: true })),
        ("!report", ok(Command::Report { week: None })),
        (
            "!role grant @bob:example.org",
            ok(Command::Role {
                grant: true,
                user: "@bob:example.org".into(),
            }),
        ),
    ];
    check(&rows, "!");
}

#[test]
fn prefixes_case_and_whitespace() {
    let rows: Vec<(&str, &str, Expected)> = vec![
        ("!today", "!", ok(Command::Today)),
        ("! today", "!", ok(Command::Today)),
        ("   !TODAY   ", "!", ok(Command::Today)),
        ("!\tToDay", "!", ok(Command::Today)),
        ("!today\nand some more text", "!", ok(Command::Today)),
        ("!today\r\n", "!", ok(Command::Today)),
        ("?top", "?", ok(Command::Top)),
        ("? me", "?", ok(Command::Me)),
        ("relais: me", "relais:", ok(Command::Me)),
        ("Relais:me", "relais:", ok(Command::Me)),
        ("RELAIS:  help  tz", "relais:", help("tz")),
        ("!", "!", err(None, K::Empty)),
        ("!   ", "!", err(None, K::Empty)),
        ("  !  \n today", "!", err(None, K::Empty)),
        ("relais:", "relais:", err(None, K::Empty)),
        ("!!!", "!", None),
        ("!?", "!", None),
        ("!123", "!", None),
        ("today", "!", None),
        ("", "!", None),
        ("?today", "!", None),
        ("relais me", "relais:", None),
        ("hello !today", "!", None),
    ];
    for (text, prefix, want) in rows {
        assert_eq!(parse(text, prefix), want, "{text:?} with prefix {prefix:?}");
    }
}

#[test]
fn unknown_commands_get_suggestions() {
    let rows: Vec<(&str, Expected)> = vec![
        ("!sahred https://x.org/a", unknown("sahred", Some("shared"))),
        ("!hlep", unknown("hlep", Some("help"))),
        ("!tody", unknown("tody", Some("today"))),
        ("!Tody", unknown("Tody", Some("today"))),
        ("!ambas", unknown("ambas", Some("ambassadors"))),
        ("!today,", unknown("today,", Some("today"))),
        ("!xyzzy", unknown("xyzzy", None)),
        ("!régler", unknown("régler", None)),
        ("!supercalifragilistic", unknown("supercalifragilistic", None)),
    ];
    check(&rows, "!");
}

#[test]
fn extra_words_after_complete_commands_are_unexpected() {
    let rows: Vec<(&str, Expected)> = ["today", "me", "top", "hide", "show", "my-data", "ambassadors"]
        .into_iter()
        .map(|name| {
            (
                name,
                err(
                    spec(name).map(|s| s.name),
                    K::UnexpectedArgument {
                        extra: "please  now".into(),
                    },
                ),
            )
        })
        .collect();
    for (name, want) in rows {
        assert_eq!(parse(&format!("!{name} please  now"), "!"), want, "{name}");
    }
}

fn check(rows: &[(&str, Expected)], prefix: &str) {
    for (text, want) in rows {
        assert_eq!(&parse(text, prefix), want, "{text:?}");
    }
}

/// A valid message for each command of the table.
fn sample(name: &str) -> Option<&'static str> {
    let samples = [
        ("help", "help"),
        ("today", "today"),
        ("shared", "shared https://example.org/post c1"),
        ("me", "me"),
        ("top", "top"),
        ("lang", "lang es"),
        ("tz", "tz America/New_York"),
        ("nudges", "nudges off"),
        ("away", "away until 2030-01-01"),
        ("hide", "hide"),
        ("show", "show"),
        ("urgent", "urgent off"),
        ("mastodon", "mastodon mastodon.social"),
        ("link", "link"),
        ("my-data", "my-data"),
        ("forget-me", "forget-me confirm"),
        (
            "post add",
            "post add\ntitle: T\nlink: https://example.org\ntext.en: Hello",
        ),
        ("post list", "post list all"),
        ("post show", "post show c1"),
        ("post approve", "post approve c1"),
        ("post cancel", "post cancel c1"),
        ("post push", "post push c1"),
        ("report", "report 2026-W01"),
        ("ambassadors", "ambassadors"),
        ("role", "role revoke alice"),
        ("room", "room here team fr 09:00"),
    ];
    samples.into_iter().find(|(n, _)| *n == name).map(|(_, text)| text)
}

#[test]
fn every_command_in_the_table_parses_and_names_itself() {
    for spec in COMMANDS {
        let text = sample(spec.name).map(|s| format!("!{s}"));
        let got = text.as_deref().and_then(|t| parse(t, "!"));
        let Some(Ok(command)) = got else {
            panic!("no valid sample for `{}`: {got:?}", spec.name)
        };
        assert_eq!(command.name(), spec.name);
        assert_eq!(command.needs_coordinator(), spec.coordinator_only, "{}", spec.name);
    }
}

#[test]
fn argument_errors_name_a_command_of_the_table() {
    let texts = [
        "!shared",
        "!lang",
        "!tz",
        "!nudges",
        "!away",
        "!mastodon",
        "!urgent",
        "!post show",
        "!post push",
        "!role",
        "!report x",
    ];
    for text in texts {
        let Some(Err(e)) = parse(text, "!") else {
            panic!("{text} should fail")
        };
        assert!(e.command.and_then(spec).is_some(), "{text}: {e:?}");
    }
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>(), prefix in "[!?]|relais:|") {
        let _ = parse(&text, &prefix);
    }

    #[test]
    fn prefixed_arbitrary_text_never_panics(text in any::<String>()) {
        let _ = parse(&format!("!{text}"), "!");
        let _ = parse(&format!("!post add\n{text}"), "!");
    }

    #[test]
    fn command_words_with_arbitrary_arguments_never_panic(
        word in proptest::sample::select(vec![
            "help", "shared", "lang", "tz", "nudges", "away", "mastodon", "link", "forget-me", "post", "post add",
            "post list", "post show", "post push", "urgent", "report", "role", "role grant",
        ]),
        args in "\\PC{0,40}",
        lines in "(\\PC{0,20}\n){0,4}",
    ) {
        let text = format!("!{word} {args}\n{lines}");
        if let Some(Err(e)) = parse(&text, "!") {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn post_add_field_lines_never_panic(
        lines in proptest::collection::vec("(title|link|text\\.[a-z]{2}|caption\\.[a-z]{1,9}(\\.[a-z]{2})?|hashtags|kind|expires|publish|intent|[a-z.]{1,8}) ?: ?\\PC{0,30}|  \\PC{0,20}|", 0..12),
    ) {
        let text = format!("!post add\n{}", lines.join("\n"));
        prop_assert!(parse(&text, "!").is_some());
    }
}

#[test]
fn huge_and_weird_inputs_are_handled() {
    let huge = format!("!shared {}", "a".repeat(1_000_000));
    assert!(matches!(
        parse(&huge, "!"),
        Some(Ok(Command::Shared { url, item: None })) if url.len() == 1_000_000
    ));
    let weird = "!\u{202e}today \u{200b}\u{feff}";
    assert_eq!(parse(weird, "!"), None);
    let many_lines = format!("!post add\n{}", "title: x\n".repeat(10_000));
    assert!(matches!(
        parse(&many_lines, "!"),
        Some(Err(ParseError {
            kind: K::PostInvalid { more, .. },
            ..
        })) if more > 9_000
    ));
    let long_word = format!("!{}", "é".repeat(100_000));
    let Some(Err(ParseError {
        kind: K::UnknownCommand {
            typed,
            suggestion: None,
        },
        ..
    })) = parse(&long_word, "!")
    else {
        panic!("a long word is an unknown command");
    };
    assert_eq!(typed.chars().count(), crate::prompts::escape::MAX_ECHO_CHARS + 1);
}
