//! Issue 14 §1: what people type is shown as text, never as markup. Display names, echoed command
//! arguments and a coordinator's post go through the real core, prompts and Matrix renderer; the
//! checks read the `formatted_body` (and `body`) the Matrix adapter would send.

mod support;

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use relais::app::scheduler::Scheduler;
use relais::app::{Effect, Incoming};
use relais::domain::{Identity, Platform, RoomRef};
use relais::platform::matrix::{notice_content, Relation};
use serde_json::Value;
use support::{at, Bot};

const PHISH: &str = "[Alice: claim your prize](https://phish.example/login) @room";
const TRACKER: &str = "<b>Bob</b> ![x](https://tracker.example/p.png)";

/// The Matrix content of `text` as the adapter sends it (a notice that mentions nobody).
fn matrix(text: &str) -> Value {
    notice_content(text, &[], &Relation::None)
}

fn html(text: &str) -> String {
    matrix(text)["formatted_body"].as_str().unwrap_or_default().to_string()
}

/// `user`, whose display name is `name`, says `text` in the team room.
fn say_named(bot: &Bot, user: &str, name: &str, text: &str, now: DateTime<Utc>) -> Vec<Effect> {
    let msg = Incoming {
        from: Identity::new(Platform::Console, user),
        display_name: name.into(),
        room: RoomRef::new(Platform::Console, "team"),
        direct: false,
        text: text.into(),
    };
    bot.app().handle(&msg, now)
}

/// A bot where Eve, named `name`, reshared a post on Wednesday 18 November.
fn bot_with_sharer(name: &str) -> Bot {
    let bot = Bot::new();
    let c1 = bot.approved_post("River day", "", at(18, 8, 0));
    let claim = format!("!shared https://x.com/eve/status/1 {c1}");
    let reply = Bot::last_reply(&say_named(&bot, "eve", name, &claim, at(18, 9, 0)));
    assert!(reply.contains("+15"), "{reply}");
    bot
}

/// `!top`, asked by Eve during that week.
fn top(bot: &Bot) -> String {
    Bot::last_reply(&say_named(bot, "eve", "", "!top", at(18, 10, 0)))
}

/// The weekly leaderboard posted to the team room on Monday 23 November for that week.
fn weekly_board(bot: &Bot) -> String {
    let app = bot.app();
    let mut scheduler = Scheduler::start(&app, at(23, 7, 0)).expect("scheduler");
    let handouts = scheduler.run_due(&app, at(23, 8, 30)).expect("run");
    handouts
        .iter()
        .flat_map(|handout| &handout.effects)
        .find_map(|effect| match effect {
            Effect::Post { text, key, .. } if key.starts_with("board:console:team:") => Some(text.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no weekly board for the team room: {handouts:?}"))
}

/// Carla adds a post with `fields` (after `post add`), approves it and pushes it urgently;
/// returns every text the push sends (room posts, direct messages, her reply).
fn pushed(fields: &str) -> Vec<String> {
    let bot = Bot::new();
    let now = at(23, 9, 0);
    say_named(&bot, "alice", "Alice", "!today", now);
    let added = Bot::last_reply(&bot.say_in("carla", "coord", &format!("!post add\n{fields}"), now));
    assert!(added.contains("c1"), "{added}");
    bot.say_in("carla", "coord", "!post approve c1", now);
    let effects = bot.say_in("carla", "coord", "!post push c1", now);
    let texts: Vec<String> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Reply { text, .. } | Effect::Dm { text, .. } | Effect::Post { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert!(texts.len() >= 3, "room posts, a DM and the reply: {effects:?}");
    texts
}

/// Checks that Eve's display name `name` shows as `shown` (HTML) in `!top` and in the weekly board
/// rendered for Matrix: no link, no image, no HTML tag of its own, and no room-wide mention.
fn assert_name_is_text(name: &str, shown: &str) {
    let bot = bot_with_sharer(name);
    for text in [top(&bot), weekly_board(&bot)] {
        let content = matrix(&text);
        let html = content["formatted_body"].as_str().unwrap_or_default();
        let body = content["body"].as_str().unwrap_or_default();
        for tag in ["<a ", "<img", "<b>"] {
            assert!(!html.contains(tag), "{tag} in {html}");
        }
        assert!(html.contains(shown), "{shown} not in {html}");
        assert!(!body.contains("@room"), "a room-wide mention in {body:?}");
        let nobody = serde_json::json!({"user_ids": []});
        assert_eq!(content["m.mentions"], nobody, "nobody mentioned");
    }
}

#[test]
fn issue14_display_name_link_is_text() {
    assert_name_is_text(
        PHISH,
        "[Alice: claim your prize](https://phish.example/login) @\u{200B}room",
    );
}

#[test]
fn issue14_display_name_html_and_image_are_text() {
    assert_name_is_text(TRACKER, "&lt;b&gt;Bob&lt;/b&gt; ![x](https://tracker.example/p.png)");
}

#[test]
fn issue14_backtick_in_an_argument_stays_in_the_code_span() {
    let bot = Bot::new();
    let typed = "Europe/Paris`[x](javascript:alert(document.cookie))";
    let reply = Bot::last_reply(&bot.say("alice", &format!("!tz {typed}"), at(23, 9, 0)));
    let html = html(&reply);
    assert!(!html.contains("<a "), "{html}");
    assert!(html.contains(&format!("<code>{typed}</code>")), "{html}");
}

#[test]
fn issue14_post_title_link_is_text_in_post_push() {
    let title = "[Log in](javascript:alert(1))";
    let texts = pushed(&format!(
        "title: {title}\nlink: https://example.org/p\ntext.en: Sign the petition"
    ));
    for text in &texts {
        let html = html(text);
        assert!(html.contains(title), "the title as text in {html}");
        assert!(!html.contains("javascript:alert(1)\""), "{html}");
        assert!(only_core_links(&html), "{html}");
    }
}

#[test]
fn issue14_post_fields_are_text_in_post_push() {
    let texts = pushed(
        "title: **Big** <i>news</i>\nlink: https://example.org/p?a=1&b=(2)\ntext.en: # Join\n  > [us](https://evil.example) ||now||\nhashtags: #rivers #_x_",
    );
    let room = html(&texts[0]);
    for shown in [
        "**Big** &lt;i&gt;news&lt;/i&gt;",
        "# Join<br />\n&gt; [us](https://evil.example) ||now||",
        "#rivers #_x_",
        "https://example.org/p?a=1&amp;b=(2)",
    ] {
        assert!(room.contains(shown), "{shown} not in {room}");
    }
    for tag in ["<a ", "<h1", "<blockquote", "<em", "<i>"] {
        assert!(!room.contains(tag), "{tag} in {room}");
    }
    // `**` inside the title stays text; the title itself is bold, as the template writes it.
    assert!(room.contains("<strong>c1 · **Big**"), "{room}");
}

/// Texts the core renders and puts into another text keep their own markup, and the core's values
/// in code spans show as they are.
#[test]
fn the_cores_own_markup_is_not_escaped() {
    let bot = Bot::new();
    let help = Bot::last_reply(&bot.say("alice", "!help", at(23, 9, 0)));
    for code in ["(or `away off` to resume)", "`!shared URL [ITEM]`", "`!help COMMAND`"] {
        assert!(help.contains(code), "{code} in {help}");
    }
    assert!(!help.contains('\\'), "nothing escaped: {help}");
}

/// Whether every link of `html` goes where the core's share links go: the web or an e-mail.
fn only_core_links(html: &str) -> bool {
    html.split("href=\"")
        .skip(1)
        .all(|href| href.starts_with("https://") || href.starts_with("mailto:?"))
}

/// The tag names of `html` in order (`p`, `/p`, `a`, …), line breaks left out: a line break typed
/// in a value stays a line break.
fn tags(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .map(|rest| rest.split(['>', ' ']).next().unwrap_or_default().to_string())
        .filter(|name| name != "br")
        .collect()
}

/// Checks that `with_value` has exactly the tags of `neutral`, and only the core's links.
fn same_structure(with_value: &str, neutral: &str) -> Result<(), TestCaseError> {
    let (html, expected) = (html(with_value), html(neutral));
    prop_assert_eq!(
        tags(&html),
        tags(&expected),
        "{}\nwith a neutral value:\n{}",
        html,
        expected
    );
    prop_assert!(only_core_links(&html), "{}", html);
    Ok(())
}

/// Text as people type it: the issue's payloads, Markdown and HTML pieces, any characters.
fn typed() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(vec![
            PHISH, TRACKER, "`", "``", "[x](javascript:alert(1))", "](https://e.org)", "<script>", "<", "&lt;b&gt;",
            "*", "_", "~~", "||", "# ", "> ", "- ", "1. ", "\\", "@room", "@everyone", "<@123>", " ", "é", "x",
        ])
        .prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 1..8).prop_map(|pieces| pieces.concat())
}

/// `typed` on one line, as a command argument or a post field is.
fn typed_line() -> impl Strategy<Value = String> {
    typed().prop_map(|text| text.replace(['\n', '\r'], " "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn issue14_no_display_name_adds_markup(name in typed()) {
        let (bot, neutral) = (bot_with_sharer(&name), bot_with_sharer("Neutral"));
        same_structure(&top(&bot), &top(&neutral))?;
        same_structure(&weekly_board(&bot), &weekly_board(&neutral))?;
    }

    #[test]
    fn issue14_no_echoed_argument_adds_markup(zone in typed_line()) {
        let bot = Bot::new();
        let reply = |zone: &str| Bot::last_reply(&bot.say("alice", &format!("!tz {zone}"), at(23, 9, 0)));
        let (text, neutral) = (reply(&zone), reply("Nowhere"));
        // An unknown zone, without a suggestion (which adds a code span of the core's own).
        prop_assume!(text.starts_with("I don't know the time zone") && !text.contains("Did you mean"));
        same_structure(&text, &neutral)?;
    }

    #[test]
    fn issue14_no_post_field_adds_markup(title in typed_line(), text in typed_line()) {
        prop_assume!(!title.trim().is_empty() && !text.trim().is_empty());
        let post = |title: &str, text: &str| pushed(&format!("title: {title}\nlink: https://example.org/p\ntext.en: {text}"));
        let (texts, neutral) = (post(&title, &text), post("Neutral", "Neutral text"));
        prop_assert_eq!(texts.len(), neutral.len());
        for (with_value, neutral) in texts.iter().zip(&neutral) {
            same_structure(with_value, neutral)?;
        }
    }
}
