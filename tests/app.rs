//! End-to-end tests of the core: messages in, effects out, over the in-memory store.

mod support;

use relais::app::Effect;
use relais::domain::{Identity, Lang, Platform, RoomRef, WeekKey};
use relais::store::Store;
use support::{at, Bot};

fn ambassador(bot: &Bot, name: &str) -> relais::domain::Ambassador {
    bot.store
        .ambassador_by_identity(&Identity::new(Platform::Console, name))
        .unwrap()
        .unwrap()
}

#[test]
fn a_first_message_registers_and_welcomes_with_defaults() {
    let bot = Bot::new();
    let effects = bot.say_in("alice", "equipe", "!today", at(23, 9, 0));
    assert!(effects.len() >= 2, "{effects:?}");
    let alice = ambassador(&bot, "alice");
    assert_eq!(alice.lang, Lang::Fr, "the room's language");
    assert_eq!(alice.tz, "Europe/Paris", "the organisation's zone");
    assert_eq!(alice.code.len(), 10);
    assert!(!alice.code.contains("alice"));
    // A second command is not welcomed again.
    assert_eq!(bot.say_in("alice", "equipe", "!today", at(23, 9, 1)).len(), 1);
}

#[test]
fn messages_not_for_the_bot_are_ignored() {
    let bot = Bot::new();
    for text in ["hello", "", "   ", "today", "what? !today"] {
        assert!(bot.say("alice", text, at(23, 9, 0)).is_empty(), "{text:?}");
    }
    assert!(
        bot.store.ambassadors().unwrap().is_empty(),
        "no profile for people who never used a command"
    );
}

#[test]
fn a_reshare_is_scored_once_and_a_second_claim_is_told_already_counted() {
    let bot = Bot::new();
    let c1 = bot.approved_post("River day", "", at(23, 8, 0));
    let first = bot.say(
        "alice",
        &format!("!shared https://x.com/alice/status/1?s=20 {c1}"),
        at(23, 9, 0),
    );
    assert!(first.iter().any(|e| matches!(e, Effect::React { .. })), "{first:?}");
    let reply = Bot::last_reply(&first);
    assert!(reply.contains("+15"), "10 + same-day bonus 5: {reply}");
    let alice = ambassador(&bot, "alice");
    assert_eq!(bot.store.stats(alice.id).unwrap().points, 15);

    // Same post, other spelling: not counted again, for her or for anyone else.
    let again = Bot::last_reply(&bot.say("alice", "!shared https://twitter.com/alice/status/1", at(23, 9, 5)));
    assert!(again.contains("already"), "{again}");
    let other = Bot::last_reply(&bot.say("bob", "!shared https://mobile.twitter.com/alice/status/1", at(23, 9, 6)));
    assert!(other.contains("someone else"), "{other}");
    assert_eq!(bot.store.stats(alice.id).unwrap().points, 15);
    assert_eq!(bot.store.reshares_of(alice.id).unwrap().len(), 1);
}

#[test]
fn claims_name_the_unknown_item_the_bad_url_and_closed_items() {
    let bot = Bot::new();
    let unknown = Bot::last_reply(&bot.say("alice", "!shared https://x.com/a/status/1 c42", at(23, 9, 0)));
    assert!(unknown.contains("c42"), "{unknown}");
    let bad = Bot::last_reply(&bot.say("alice", "!shared ftp://example.org/x", at(23, 9, 0)));
    assert!(bad.contains("ftp://example.org/x"), "{bad}");
    bot.say_in(
        "carla",
        "coord",
        "!post add\ntitle: Draft\nlink: https://example.org/d\ntext.en: hi",
        at(23, 8, 0),
    );
    let draft = Bot::last_reply(&bot.say("alice", "!shared https://x.com/a/status/2 c1", at(23, 9, 0)));
    assert!(draft.contains("c1") && draft.contains("draft"), "{draft}");
    let alice = ambassador(&bot, "alice");
    assert!(
        bot.store.reshares_of(alice.id).unwrap().is_empty(),
        "nothing recorded after errors"
    );
}

#[test]
fn a_reaction_claim_counts_once_and_a_later_url_is_attached_without_new_points() {
    let bot = Bot::new();
    let c1 = bot.approved_post("Clean up", "", at(23, 8, 0));
    let id = c1.parse().unwrap();
    let msg = |who: &str| relais::app::Incoming {
        from: Identity::new(Platform::Console, who),
        display_name: who.into(),
        room: relais::domain::RoomRef::new(Platform::Console, "team"),
        direct: false,
        text: String::new(),
    };
    let first = bot.app().claim_by_reaction(&msg("bob"), id, at(23, 10, 0));
    assert!(Bot::text(&first).contains("+15"), "{first:?}");
    let second = bot.app().claim_by_reaction(&msg("bob"), id, at(23, 10, 1));
    assert!(Bot::last_reply(&second).contains("already"), "{second:?}");
    let attached = Bot::last_reply(&bot.say(
        "bob",
        &format!("!shared https://bsky.app/profile/bob.bsky.social/post/3k {c1}"),
        at(23, 10, 2),
    ));
    assert!(attached.contains("Bluesky"), "{attached}");
    let bob = ambassador(&bot, "bob");
    let reshares = bot.store.reshares_of(bob.id).unwrap();
    assert_eq!(reshares.len(), 1);
    assert_eq!(
        reshares[0].url.as_deref(),
        Some("https://bsky.app/profile/bob.bsky.social/post/3k")
    );
    assert_eq!(bot.store.stats(bob.id).unwrap().points, 15);
}

#[test]
fn coordinator_commands_are_refused_to_ambassadors_and_allowed_to_coordinators() {
    let bot = Bot::new();
    for text in [
        "!post list",
        "!report",
        "!ambassadors",
        "!role grant bob",
        "!post approve c1",
        "!post add\ntitle: x\nlink: https://e.org\ntext.en: y",
    ] {
        let reply = Bot::last_reply(&bot.say("bob", text, at(23, 9, 0)));
        assert!(reply.contains("Only coordinators"), "{text}: {reply}");
    }
    assert!(bot.store.items().unwrap().is_empty());
    let granted = Bot::last_reply(&bot.say("carla", "!role grant bob", at(23, 9, 1)));
    assert!(granted.contains("now a coordinator"), "{granted}");
    let list = Bot::last_reply(&bot.say("bob", "!post list", at(23, 9, 2)));
    assert!(!list.contains("Only coordinators"), "{list}");
    let revoke_config = Bot::last_reply(&bot.say("bob", "!role revoke carla", at(23, 9, 3)));
    assert!(revoke_config.contains("configuration"), "{revoke_config}");
}

#[test]
fn bad_arguments_get_the_reason_and_the_usage() {
    let bot = Bot::new();
    let rows = [
        ("!sahred https://x.com/a/status/1", "shared"),
        ("!tz Europe/Pari", "Europe/Paris"),
        ("!lang de", "de"),
        ("!nudges 25:00", "25:00"),
        ("!away until tomorrow", "tomorrow"),
        ("!shared", "!shared URL [ITEM]"),
        ("!report 47", "47"),
    ];
    for (text, expected) in rows {
        let reply = Bot::last_reply(&bot.say("alice", text, at(23, 9, 0)));
        assert!(reply.contains(expected), "{text}: {reply}");
        assert!(
            !reply.starts_with('['),
            "a rendered message, not a missing key: {reply}"
        );
    }
}

#[test]
fn an_overlong_message_is_refused_politely() {
    let bot = Bot::new();
    let text = format!("!shared https://x.com/a/status/1 {}", "x".repeat(5000));
    let reply = Bot::last_reply(&bot.say("alice", &text, at(23, 9, 0)));
    assert!(reply.contains("4000"), "{reply}");
    assert!(bot.store.ambassadors().unwrap().is_empty());
}

#[test]
fn settings_commands_change_the_profile_and_validate_input() {
    let bot = Bot::new();
    let now = at(23, 9, 0);
    bot.say("alice", "!lang pt", now);
    bot.say("alice", "!tz america/sao_paulo", now);
    bot.say("alice", "!nudges 19:30", now);
    bot.say("alice", "!away until 2026-12-01", now);
    bot.say("alice", "!hide", now);
    bot.say("alice", "!mastodon @alice@mastodon.green", now);
    let alice = ambassador(&bot, "alice");
    assert_eq!(alice.lang, Lang::PtBr);
    assert_eq!(alice.tz, "America/Sao_Paulo");
    assert_eq!(
        alice.prefs.nudges,
        relais::domain::NudgePref::At(chrono::NaiveTime::from_hms_opt(19, 30, 0).unwrap())
    );
    assert_eq!(alice.prefs.away_until, chrono::NaiveDate::from_ymd_opt(2026, 12, 1));
    assert!(alice.prefs.hidden);
    assert_eq!(alice.prefs.mastodon_instance.as_deref(), Some("mastodon.green"));
    let past = Bot::last_reply(&bot.say("alice", "!away until 2026-01-01", now));
    assert!(past.contains("2026-01-01"), "{past}");
    assert_eq!(
        ambassador(&bot, "alice").prefs.away_until,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1),
        "unchanged"
    );
}

#[test]
fn replies_follow_the_ambassadors_language() {
    let bot = Bot::new();
    let now = at(23, 9, 0);
    bot.say("alice", "!lang fr", now);
    let me = Bot::last_reply(&bot.say("alice", "!hide", now));
    assert_eq!(me, bot.prompts.render(Lang::Fr, "board.hidden", &serde_json::json!({})));
    assert_ne!(
        me,
        bot.prompts.render(Lang::En, "board.hidden", &serde_json::json!({})),
        "French differs from English"
    );
}

#[test]
fn the_note_on_posts_not_sent_names_the_rooms_in_the_senders_language() {
    let bot = Bot::new();
    bot.say("alice", "!lang fr", at(23, 9, 0));
    let alice = Identity::new(Platform::Console, "alice");
    let one = [RoomRef::new(Platform::Matrix, "#absent:example.org")];
    let note = bot.app().not_posted_note(&alice, &one);
    assert!(
        note.contains("#absent:example.org") && note.contains("ce salon"),
        "{note}"
    );
    let two = [
        RoomRef::new(Platform::Matrix, "#a:example.org"),
        RoomRef::new(Platform::Matrix, "#b:example.org"),
    ];
    let stranger = Identity::new(Platform::Console, "nobody");
    let note = bot.app().not_posted_note(&stranger, &two);
    assert!(
        note.contains("`#a:example.org`, `#b:example.org`") && note.contains("those rooms"),
        "{note}"
    );
}

#[test]
fn the_leaderboard_counts_weeks_in_the_organisations_zone_and_leaves_hidden_people_out() {
    let bot = Bot::new();
    // Sunday 22 Nov 23:30 UTC is Monday 00:30 in Paris: week 48, not 47.
    bot.say("alice", "!shared https://x.com/alice/status/10", at(22, 23, 30));
    bot.say("bob", "!shared https://x.com/bob/status/11", at(22, 22, 30));
    let alice = ambassador(&bot, "alice");
    let bob = ambassador(&bot, "bob");
    let w48: WeekKey = "2026-W48".parse().unwrap();
    let w47: WeekKey = "2026-W47".parse().unwrap();
    assert_eq!(
        bot.store
            .week_totals(w48)
            .unwrap()
            .iter()
            .map(|(id, _)| *id)
            .collect::<Vec<_>>(),
        vec![alice.id]
    );
    assert_eq!(
        bot.store
            .week_totals(w47)
            .unwrap()
            .iter()
            .map(|(id, _)| *id)
            .collect::<Vec<_>>(),
        vec![bob.id]
    );

    bot.say("dora", "!shared https://x.com/dora/status/12", at(23, 9, 0));
    bot.say("dora", "!shared https://x.com/dora/status/13", at(23, 9, 1));
    bot.say("dora", "!hide", at(23, 9, 2));
    let board = Bot::last_reply(&bot.say("alice", "!top", at(23, 10, 0)));
    assert!(board.contains("1. alice") && !board.contains("dora"), "{board}");
    let own = Bot::last_reply(&bot.say("dora", "!top", at(23, 10, 0)));
    assert!(
        own.contains("#1") && own.contains("hidden"),
        "dora sees her own rank: {own}"
    );
}

#[test]
fn my_data_is_sent_privately_and_forget_me_erases_everything_after_confirmation() {
    let bot = Bot::new();
    bot.say("alice", "!shared https://x.com/alice/status/77", at(23, 9, 0));
    let data = bot.say("alice", "!my-data", at(23, 9, 1));
    let dm = data
        .iter()
        .find_map(|e| match e {
            Effect::Dm { text, .. } => Some(text.clone()),
            _ => None,
        })
        .expect("a DM");
    assert!(
        dm.contains("https://x.com/alice/status/77") && dm.contains("console:alice"),
        "{dm}"
    );
    let ask = Bot::last_reply(&bot.say("alice", "!forget-me", at(23, 9, 2)));
    assert!(ask.contains("forget-me confirm"), "{ask}");
    assert_eq!(
        bot.store.ambassadors().unwrap().len(),
        1,
        "nothing erased before confirmation"
    );
    let forgot = bot.say("alice", "!forget-me confirm", at(23, 9, 3));
    assert!(
        forgot.contains(&Effect::Forgotten {
            identities: vec![relais::domain::Identity::new(
                relais::domain::Platform::Console,
                "alice"
            )]
        }),
        "the adapters are told to drop what they keep of the person: {forgot:?}"
    );
    assert!(bot.store.ambassadors().unwrap().is_empty());
    assert!(bot
        .store
        .reshare_by_key("https://x.com/alice/status/77")
        .unwrap()
        .is_none());
    assert!(bot
        .store
        .week_totals(WeekKey::of(at(23, 9, 0), chrono_tz::Europe::Paris))
        .unwrap()
        .is_empty());
    // Asking again does not re-create a profile.
    let after = Bot::last_reply(&bot.say("alice", "!my-data", at(23, 9, 4)));
    assert!(after.contains("don't keep anything"), "{after}");
    assert!(bot.store.ambassadors().unwrap().is_empty());
}

#[test]
fn link_joins_a_matrix_and_a_discord_identity_into_one_profile() {
    let bot = Bot::new();
    let matrix = Identity::new(Platform::Matrix, "@alice:example.org");
    let discord = Identity::new(Platform::Discord, "123456789");
    bot.say_as(
        matrix.clone(),
        "!room:example.org",
        "!shared https://x.com/alice/status/1",
        at(23, 9, 0),
    );
    bot.say_as(
        discord.clone(),
        "42",
        "!shared https://x.com/alice/status/2",
        at(23, 9, 1),
    );
    let effects = bot.say_as(matrix.clone(), "!room:example.org", "!link", at(23, 9, 2));
    let dm = effects
        .iter()
        .find_map(|e| match e {
            Effect::Dm { text, .. } => Some(text.clone()),
            _ => None,
        })
        .expect("code by DM");
    let code = dm.split("**").nth(1).expect("bold code").to_string();
    assert!(
        !Bot::last_reply(&effects).contains(&code),
        "the code is never shown in the room"
    );
    let wrong = Bot::last_reply(&bot.say_as(discord.clone(), "42", "!link ZZZZ-ZZZZ", at(23, 9, 3)));
    assert!(wrong.contains("ZZZZ-ZZZZ"), "{wrong}");
    let done = Bot::last_reply(&bot.say_as(discord.clone(), "42", &format!("!link {code}"), at(23, 9, 4)));
    assert!(done.contains("discord") && done.contains("matrix"), "{done}");
    let one = bot.store.ambassador_by_identity(&discord).unwrap().unwrap();
    assert_eq!(one.id, bot.store.ambassador_by_identity(&matrix).unwrap().unwrap().id);
    assert_eq!(bot.store.ambassadors().unwrap().len(), 1);
    assert_eq!(bot.store.stats(one.id).unwrap().reshares, 2);
    let reuse = Bot::last_reply(&bot.say_as(discord, "42", &format!("!link {code}"), at(23, 9, 5)));
    assert!(reuse.contains("doesn't work"), "one use only: {reuse}");
}

#[test]
fn expired_link_codes_are_refused() {
    let bot = Bot::new();
    let matrix = Identity::new(Platform::Matrix, "@alice:example.org");
    let effects = bot.say_as(matrix, "!r:example.org", "!link", at(23, 9, 0));
    let dm = Bot::text(&effects);
    let code = dm.split("**").nth(1).expect("bold code").to_string();
    let late = Bot::last_reply(&bot.say_as(
        Identity::new(Platform::Discord, "9"),
        "1",
        &format!("!link {code}"),
        at(23, 10, 0),
    ));
    assert!(late.contains("expired"), "{late}");
}

#[test]
fn posts_are_added_as_drafts_listed_shown_approved_and_cancelled() {
    let bot = Bot::new();
    let now = at(23, 8, 0);
    let add = "!post add\ntitle: Save the bees\nlink: https://example.org/bees\ntext.en: Bees need you\ntext.es: Las abejas te necesitan\ncaption.x: 🐝 Bees!\nhashtags: #bees pollinators\ncampaign: bees-2026\nintent: advocacy\nkind: evergreen";
    let added = Bot::last_reply(&bot.say_in("carla", "coord", add, now));
    assert!(added.contains("c1") && added.contains("draft"), "{added}");
    let item = bot.store.item("c1".parse().unwrap()).unwrap().unwrap();
    assert_eq!(item.hashtags, vec!["bees", "pollinators"]);
    assert_eq!(item.kind, relais::domain::ItemKind::Evergreen);
    assert!(Bot::last_reply(&bot.say_in("carla", "coord", "!post list", now)).contains("Save the bees"));
    let show = Bot::last_reply(&bot.say_in("carla", "coord", "!post show c1", now));
    assert!(show.contains("Las abejas") && show.contains("🐝 Bees!"), "{show}");
    assert!(
        Bot::last_reply(&bot.say("alice", "!today", now)).contains("Nothing to share"),
        "drafts are not pushed"
    );
    bot.say_in("carla", "coord", "!post approve c1", now);
    let today = Bot::last_reply(&bot.say("alice", "!today", now));
    assert!(
        today.contains("Save the bees") && today.contains("utm_content="),
        "{today}"
    );
    let again = Bot::last_reply(&bot.say_in("carla", "coord", "!post approve c1", now));
    assert!(again.contains("already"), "{again}");
    bot.say_in("carla", "coord", "!post cancel c1", now);
    assert!(Bot::last_reply(&bot.say("alice", "!today", now)).contains("Nothing to share"));
    let unknown = Bot::last_reply(&bot.say_in("carla", "coord", "!post show c9", now));
    assert!(unknown.contains("c9"), "{unknown}");
}

#[test]
fn the_share_kit_never_contains_a_chat_id() {
    let bot = Bot::new();
    bot.approved_post("Trees", "", at(23, 8, 0));
    let matrix = Identity::new(Platform::Matrix, "@alice.secret:example.org");
    let today = Bot::text(&bot.say_as(matrix, "!r:example.org", "!today", at(23, 9, 0)));
    let links: Vec<&str> = today
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|t| (t.starts_with("http") || t.starts_with("mailto:")) && t.contains("example.org"))
        .collect();
    assert!(links.len() >= 8, "the tracked link and the share links: {today}");
    assert!(links.iter().any(|l| l.contains("x.com/intent")), "{today}");
    for link in links {
        assert!(!link.contains("alice"), "{link}");
        assert!(
            link.contains("utm_content"),
            "every link is tracked with the pseudonymous code: {link}"
        );
    }
}

#[test]
fn the_report_counts_the_week_and_refuses_the_future() {
    let bot = Bot::new();
    let c1 = bot.approved_post("Report me", "campaign: rivers\nintent: action", at(23, 8, 0));
    bot.say("alice", &format!("!shared https://x.com/a/status/1 {c1}"), at(23, 9, 0));
    bot.say(
        "bob",
        &format!("!shared https://www.linkedin.com/posts/bob_x-activity-1 {c1}"),
        at(23, 9, 0),
    );
    let report = Bot::last_reply(&bot.say_in("carla", "coord", "!report", at(23, 12, 0)));
    assert!(
        report.contains("2026-W48") && report.contains("Reshares: 2") && report.contains("rivers"),
        "{report}"
    );
    let future = Bot::last_reply(&bot.say_in("carla", "coord", "!report 2027-W10", at(23, 12, 0)));
    assert!(future.contains("2027-W10"), "{future}");
}

#[test]
fn help_lists_coordinator_commands_only_to_coordinators() {
    let bot = Bot::new();
    let ambassador_help = Bot::last_reply(&bot.say("alice", "!help", at(23, 9, 0)));
    let coordinator_help = Bot::last_reply(&bot.say("carla", "!help", at(23, 9, 0)));
    assert!(
        ambassador_help.contains("!shared URL [ITEM]") && !ambassador_help.contains("post add"),
        "{ambassador_help}"
    );
    assert!(coordinator_help.contains("!post add"), "{coordinator_help}");
    let one = Bot::last_reply(&bot.say("alice", "!help tz", at(23, 9, 0)));
    assert!(one.contains("!tz ZONE"), "{one}");
}

#[test]
fn the_daily_push_lists_todays_items_in_the_rooms_language() {
    let bot = Bot::new();
    bot.approved_post("Fleuve", "", at(23, 8, 0));
    let room = relais::domain::RoomRef::new(Platform::Console, "equipe");
    let push = relais::app::daily_push(&bot.app(), &room, at(23, 9, 0))
        .unwrap()
        .expect("a push");
    match push {
        Effect::Post { text, items, key, .. } => {
            assert!(text.contains("rejoignez-nous"), "{text}");
            assert_eq!(items.len(), 1);
            assert_eq!(key, "push:console:equipe:2026-11-23");
        }
        other => panic!("expected a post, got {other:?}"),
    }
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
        #[test]
        fn any_message_gets_an_answer_or_nothing_but_never_a_panic(body in ".{0,300}", cmd in prop::sample::select(vec![
            "", "shared ", "tz ", "lang ", "nudges ", "away ", "away until ", "link ", "post add\n", "post show ",
            "report ", "role grant ", "help ", "mastodon ", "forget-me ", "me ", "top ",
        ])) {
            let bot = Bot::new();
            let _ = bot.say("carla", &format!("!{cmd}{body}"), at(23, 9, 0));
            let _ = bot.say("alice", &format!("!{cmd}{body}"), at(23, 9, 0));
            // Whatever happened, the store is still consistent: every reshare's owner exists.
            for r in bot.store.reshares_between(at(1, 0, 0), at(30, 0, 0)).unwrap() {
                prop_assert!(bot.store.ambassador(r.ambassador).unwrap().is_some());
            }
        }
    }
}

/// Issue 14: dates, weeks and times people type, at any instant the clock may read, give an
/// answer and never a panic (an overflow near the end of the calendar).
mod issue14_dates_never_panic {
    use super::*;
    use chrono::{DateTime, Utc};
    use proptest::prelude::*;
    use relais::domain::instant;

    fn any_now() -> impl Strategy<Value = DateTime<Utc>> {
        let range = instant::earliest().timestamp()..=instant::latest().timestamp();
        prop_oneof![
            Just(instant::earliest()),
            Just(instant::latest()),
            range.prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or_default()),
        ]
    }

    fn any_year() -> impl Strategy<Value = u32> {
        prop_oneof![
            Just(0u32),
            Just(1),
            Just(1969),
            Just(1970),
            Just(9998),
            Just(9999),
            0u32..=9999
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
        #[test]
        fn issue14_typed_dates_weeks_and_times_never_panic(
            now in any_now(),
            year in any_year(),
            (month, day, week) in (0u32..=13, 0u32..=32, 0u32..=54),
            (hour, minute) in (0u32..=24, 0u32..=60),
            template in prop::sample::select(vec![
                "!away until {date}",
                "!report {week}",
                "!nudges {time}",
                "!post add\ntitle: T\nlink: https://example.org/x\ntext.en: hi\npublish: {date}",
                "!post add\ntitle: T\nlink: https://example.org/x\ntext.en: hi\nkind: hot\nexpires: {date} {time}",
            ]),
        ) {
            let bot = Bot::new();
            let text = template
                .replace("{date}", &format!("{year:04}-{month:02}-{day:02}"))
                .replace("{week}", &format!("{year:04}-W{week:02}"))
                .replace("{time}", &format!("{hour:02}:{minute:02}"));
            let answer = bot.say("carla", &text, now);
            prop_assert!(!answer.is_empty(), "{text} at {now}: no answer");
            // What follows a date or time: the person's own view, the push, the board.
            let _ = bot.say("carla", "!me", now);
            let _ = bot.say("carla", "!post push c1", now);
            let _ = bot.say("carla", "!today", now);
            let _ = bot.say("carla", "!top", now);
        }
    }
}
