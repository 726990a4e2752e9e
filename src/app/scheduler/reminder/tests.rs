//! The cached reminder texts are exactly the directly rendered ones, whatever the names, codes,
//! languages, zones, Mastodon servers, streaks and item texts. (A template that transforms the
//! name is tested end to end in `tests/scheduler_texts.rs`.)

use super::{render, Reminder, ReminderCache};
use crate::app::{App, Settings};
use crate::domain::{
    Ambassador, AmbassadorId, Caption, Intent, Item, ItemId, ItemKind, ItemStatus, Lang, Network, Prefs, Role,
};
use crate::prompts::Prompts;
use crate::store::MemoryStore;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use std::collections::BTreeMap;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 18, 17, 0, 0).single().unwrap_or_default()
}

fn person(id: u64, name: &str, code: &str, lang: Lang, tz: &str, mastodon: Option<&str>) -> Ambassador {
    Ambassador {
        id: AmbassadorId(id),
        code: code.to_string(),
        display_name: name.to_string(),
        identities: Vec::new(),
        lang,
        tz: tz.to_string(),
        role: Role::Ambassador,
        prefs: Prefs {
            mastodon_instance: mastodon.map(str::to_string),
            ..Prefs::default()
        },
        joined_at: now() - Duration::days(9),
    }
}

fn item(id: u32, text: &str) -> Item {
    let texts: BTreeMap<Lang, String> = [(Lang::En, text.to_string()), (Lang::Fr, format!("{text} (fr)"))]
        .into_iter()
        .collect();
    Item {
        id: ItemId(id),
        title: format!("Post {id}"),
        link: format!("https://example.org/p/{id}?ref=home"),
        texts,
        captions: vec![Caption {
            network: Network::X,
            lang: Some(Lang::Fr),
            text: "Pour X ~~~".into(),
        }],
        hashtags: vec!["rivers".into()],
        campaign: Some("rivers 2026".into()),
        intent: Intent::Action,
        kind: ItemKind::Hot {
            expires: now() + Duration::days(2),
        },
        publish: NaiveDate::from_ymd_opt(2026, 3, 18).unwrap_or_default(),
        status: ItemStatus::Approved,
        created_by: AmbassadorId(1),
        created_at: now() - Duration::days(1),
    }
}

fn people() -> Vec<Ambassador> {
    vec![
        person(1, "Alice", "k3v9x2m7qa", Lang::En, "Europe/Paris", None),
        person(2, "Bob", "zz0123abcd", Lang::En, "Europe/Paris", None),
        person(
            3,
            "Zoë ~~~~~~~~~~ {{ name }}",
            "abcdefghij",
            Lang::En,
            "Europe/Paris",
            None,
        ),
        person(
            4,
            "Chloé",
            "q-r.s",
            Lang::Fr,
            "Australia/Sydney",
            Some("mastodon.social"),
        ),
        person(5, "Dan", "q-r.t", Lang::Fr, "Australia/Sydney", Some("mastodon.social")),
        person(6, "Eve", "has_underscore", Lang::En, "Europe/Paris", None),
        person(7, "Fay", "", Lang::PtBr, "America/Sao_Paulo", None),
        person(8, "\u{E000}n\u{E001}", "k3v9x2m7qb", Lang::En, "Europe/Paris", None),
        person(9, "\u{E000}n*\u{E001}", "k3v9x2m7qc", Lang::En, "Europe/Paris", None),
        person(
            10,
            "# [Alice](https://phish.example) <b>@room</b> **x_**",
            "k3v9x2m7qd",
            Lang::En,
            "Europe/Paris",
            None,
        ),
    ]
}

/// Checks every person against direct rendering; returns how many shapes were cached as text and
/// how many are rendered directly.
fn check_cache_matches_direct_rendering(prompts: &Prompts, first_text: &str) -> (usize, usize) {
    let (settings, store) = (Settings::default(), MemoryStore::new());
    let app = App::new(&settings, prompts, &store);
    let long = "A long text that Bluesky must shorten to fit the link. ".repeat(8);
    let items = [item(1, first_text), item(2, &long)];
    let todays: Vec<&Item> = items.iter().collect();
    let date = NaiveDate::from_ymd_opt(2026, 3, 18).unwrap_or_default();
    let mut cache = ReminderCache::default();
    for streak in [0, 3] {
        for who in people() {
            let reminder = Reminder {
                who: &who,
                items: &todays,
                date,
                streak,
                now: now(),
            };
            let direct = render(&app, &reminder);
            let cached = cache.text(&app, &reminder);
            assert_eq!(
                cached, direct,
                "{} (code {:?}), streak {streak}",
                who.display_name, who.code
            );
        }
    }
    let trusted = cache.texts.values().filter(|t| t.is_some()).count();
    let shapes = (trusted, cache.texts.len() - trusted);
    // Another day's items: the texts are not reused.
    let other = [item(3, "Another post")];
    let who = &people()[0];
    let next = date.succ_opt().unwrap_or(date);
    let reminder = Reminder {
        who,
        items: &[&other[0]],
        date: next,
        streak: 0,
        now: now(),
    };
    let direct = render(&app, &reminder);
    assert_eq!(cache.text(&app, &reminder), direct);
    assert!(direct.contains("Another post") && direct.contains(&who.code));
    shapes
}

#[test]
fn cached_reminders_are_the_directly_rendered_ones() {
    let prompts = Prompts::for_tests();
    let (trusted, direct) = check_cache_matches_direct_rendering(&prompts, "Join us on Saturday!");
    // Alice, Bob, Zoë and the placeholder- and Markdown-named people share a shape, so do Chloé and
    // Dan; the `_` and empty codes are never cached.
    assert_eq!((trusted, direct), (4, 0), "two shapes per streak, all trusted");
    // A text that contains a placeholder code: noticed, rendered directly.
    let (trusted, direct) = check_cache_matches_direct_rendering(&prompts, "Join us ~~~~~~~~~~ on Saturday!");
    assert_eq!((trusted, direct), (0, 4));
}
