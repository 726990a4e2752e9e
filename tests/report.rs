//! The coordinator report end to end over the in-memory store: figures, campaign goals, inactive
//! ambassadors, skipped actions, empty and future weeks, the weekly post with its chart and CSV.

#[path = "report/fixture.rs"]
mod fixture;

use fixture::{coord_room, date, goal, team_room, utc, w47, Org};
use relais::app::report::{report_effects, week_report, CampaignStatus, Count, WeekData};
use relais::app::{Effect, Incoming};
use relais::domain::{Identity, Intent, Network, Platform, RoomRef, WeekKey};

fn count(label: &str, count: usize, percent: u32) -> Count {
    Count {
        label: label.into(),
        count,
        percent,
    }
}

/// Six people, three items, five reshares in 2026-W47 (one just after Sunday midnight UTC, which
/// is already Monday in Paris), one the week before and one the week after.
fn scenario() -> Org {
    let org = Org::new(Vec::new());
    let long_ago = utc(10, 1, 9, 0);
    let alice = org.person("Alice", long_ago);
    let bob = org.person("Bob", long_ago);
    let chloe = org.person("Chloé", long_ago);
    org.person("Dan", long_ago);
    org.person("Eve", utc(11, 20, 9, 0));
    let frank = org.person("Frank", long_ago);
    let c1 = org.item("Clean the Garonne", Some("Clean banks"), Intent::Action);
    let c2 = org.item("Why wetlands matter", None, Intent::Awareness);
    let c3 = org.item("Loire plan", Some("Loire water plan"), Intent::Advocacy);
    org.reshare(alice, None, Network::Other, utc(11, 15, 23, 30));
    org.reshare(alice, Some(c1), Network::X, utc(11, 16, 9, 0));
    org.reshare(alice, Some(c2), Network::LinkedIn, utc(11, 17, 9, 0));
    org.reshare(bob, Some(c1), Network::X, utc(11, 18, 9, 0));
    org.reshare(bob, Some(c3), Network::Mastodon, utc(11, 22, 22, 30));
    org.reshare(bob, Some(c3), Network::Mastodon, utc(11, 22, 23, 10)); // Monday in Paris: W48
    org.reshare(chloe, Some(c1), Network::X, utc(11, 10, 9, 0)); // W46, inside the 14 days
    org.reshare(frank, Some(c2), Network::X, utc(11, 5, 9, 0)); // before the 14 days
    org
}

#[test]
fn the_week_report_counts_by_network_item_campaign_and_intent() {
    let org = scenario();
    let report = week_report(&org.app(), w47(), &[]).expect("report");
    assert_eq!(
        (
            report.week.as_str(),
            report.first_day.as_str(),
            report.last_day.as_str()
        ),
        ("2026-W47", "2026-11-16", "2026-11-22")
    );
    assert_eq!((report.ambassadors, report.active, report.participation), (6, 2, 33));
    assert_eq!((report.reshares, report.points), (5, 50));
    assert_eq!(
        report.by_network,
        [
            count("X", 2, 40),
            count("LinkedIn", 1, 20),
            count("Mastodon", 1, 20),
            count("web", 1, 20)
        ]
    );
    assert_eq!(
        report.by_item,
        [
            count("c1 Clean the Garonne", 2, 40),
            count("c2 Why wetlands matter", 1, 20),
            count("c3 Loire plan", 1, 20)
        ]
    );
    assert_eq!((report.items_more, report.without_item), (0, 1));
    assert_eq!(
        report.by_campaign,
        [count("Clean banks", 2, 40), count("Loire water plan", 1, 20)]
    );
    assert_eq!(
        report.by_intent,
        [
            count("awareness", 1, 25),
            count("appreciation", 0, 0),
            count("action", 2, 50),
            count("advocacy", 1, 25)
        ],
        "all four intents, in percent of the reshares of posts"
    );
    assert_eq!(
        report.inactive,
        ["Dan", "Frank"],
        "Eve is too new, Chloé reshared 12 days before the end"
    );
    assert_eq!((report.inactive_total, report.inactive_more), (2, 0));
    assert!(report.skipped.is_empty() && report.campaigns.is_empty());
}

#[test]
fn the_text_shows_every_part_in_the_readers_language() {
    let org = scenario();
    let data = WeekData::load(&org.app(), w47()).expect("data");
    let english = data.text(&org.app(), relais::domain::Lang::En, &[]);
    for part in [
        "**Report, week 2026-W47** (2026-11-16 to 2026-11-22)",
        "Active ambassadors: 2 of 6 (33%) · Reshares: 5 · Points: 50",
        "By network: X 2, LinkedIn 1, Mastodon 1, web 1",
        "By post: c1 Clean the Garonne (2), c2 Why wetlands matter (1), c3 Loire plan (1) · 1 of no particular post",
        "By campaign: Clean banks 2, Loire water plan 1",
        "Intent mix: awareness 25%, appreciation 0%, action 50%, advocacy 25%",
        "**Inactive for two weeks or more (2)**: Dan, Frank",
    ] {
        assert!(english.contains(part), "missing {part:?} in:\n{english}");
    }
    assert!(
        !english.contains("Skipped") && !english.contains("Campaign goals"),
        "{english}"
    );
    let french = data.text(&org.app(), relais::domain::Lang::Fr, &[]);
    for part in [
        "**Bilan, semaine 2026-W47**",
        "Par intention : sensibilisation 25 %, remerciement 0 %, action 50 %, plaidoyer 25 %",
        "Dan, Frank",
    ] {
        assert!(french.contains(part), "missing {part:?} in:\n{french}");
    }
}

#[test]
fn campaign_goals_are_reached_on_track_behind_or_missed() {
    let org = Org::new(vec![
        goal("Clean banks", date(11, 1), 4, date(12, 31)),
        goal("Loire water plan", date(11, 16), 10, date(11, 25)),
        goal("Steady", date(11, 16), 14, date(11, 29)),
        goal("Old", date(10, 1), 5, date(10, 31)),
        goal("Later", date(12, 1), 5, date(12, 31)),
    ]);
    let who = org.person("Alice", utc(9, 1, 9, 0));
    let banks = org.item("Banks", Some("Clean banks"), Intent::Action);
    let loire = org.item("Loire", Some("loire WATER plan "), Intent::Advocacy);
    let steady = org.item("Steady", Some("Steady"), Intent::Awareness);
    let old = org.item("Old", Some("Old"), Intent::Awareness);
    let later = org.item("Later", Some("Later"), Intent::Awareness);
    org.reshares(who, banks, 2, utc(10, 30, 9, 0)); // before the start: not counted
    org.reshares(who, banks, 2, utc(11, 10, 9, 0));
    org.reshares(who, banks, 2, utc(11, 18, 9, 0));
    org.reshares(who, banks, 3, utc(11, 23, 9, 0)); // after the week: not counted
    org.reshares(who, loire, 1, utc(11, 17, 9, 0));
    org.reshares(who, steady, 7, utc(11, 20, 9, 0));
    org.reshares(who, old, 3, utc(10, 20, 9, 0));
    org.reshares(who, old, 5, utc(11, 18, 9, 0)); // after the goal date: not counted
    org.reshares(who, later, 1, utc(11, 18, 9, 0));
    let report = week_report(&org.app(), w47(), &[]).expect("report");
    let seen: Vec<(&str, usize, u32, CampaignStatus)> = report
        .campaigns
        .iter()
        .map(|c| (c.name.as_str(), c.reshares, c.expected, c.status))
        .collect();
    assert_eq!(
        seen,
        [
            ("Clean banks", 4, 2, CampaignStatus::Reached),
            ("Loire water plan", 1, 7, CampaignStatus::Behind),
            ("Steady", 7, 7, CampaignStatus::OnTrack),
            ("Old", 3, 5, CampaignStatus::Missed),
        ],
        "a campaign starting after the week is left out"
    );
    let text = WeekData::load(&org.app(), w47())
        .expect("data")
        .text(&org.app(), relais::domain::Lang::En, &[]);
    for part in [
        "**Campaign goals**",
        "- Clean banks: 4 of 4 reshares by 2026-12-31 (100%): reached ✅",
        "- Loire water plan: 1 of 10 reshares by 2026-11-25 (10%): behind, 7 were due by 2026-11-22",
        "- Steady: 7 of 14 reshares by 2026-11-29 (50%): on track",
        "- Old: 3 of 5 reshares by 2026-10-31 (60%): missed ❌",
    ] {
        assert!(text.contains(part), "missing {part:?} in:\n{text}");
    }
}

#[test]
fn at_most_twenty_inactive_people_are_named() {
    let org = Org::new(Vec::new());
    for n in (1..=25).rev() {
        org.person(&format!("Person {n:02}"), utc(10, 1, 9, 0));
    }
    let report = week_report(&org.app(), w47(), &[]).expect("report");
    assert_eq!(
        (report.inactive.len(), report.inactive_total, report.inactive_more),
        (20, 25, 5)
    );
    assert_eq!(
        report.inactive.first().map(String::as_str),
        Some("Person 01"),
        "sorted by name"
    );
    let text = WeekData::load(&org.app(), w47())
        .expect("data")
        .text(&org.app(), relais::domain::Lang::En, &[]);
    assert!(
        text.contains("Person 20, and 5 more") && !text.contains("Person 21"),
        "{text}"
    );
}

#[test]
fn a_week_without_reshares_still_gives_a_clear_report() {
    let empty = Org::new(Vec::new());
    let quiet = scenario();
    // Eve joined after week 40: she does not count.
    for (org, ambassadors) in [(&empty, 0), (&quiet, 5)] {
        let week = WeekKey { year: 2026, week: 40 };
        let report = week_report(&org.app(), week, &[]).expect("report");
        assert_eq!((report.reshares, report.active, report.participation), (0, 0, 0));
        assert_eq!(report.ambassadors, ambassadors);
        let text = WeekData::load(&org.app(), week)
            .expect("data")
            .text(&org.app(), relais::domain::Lang::En, &[]);
        assert!(
            text.contains("Reshares: 0") && text.contains("No reshares that week.") && !text.contains("By network"),
            "{text}"
        );
        let (png, csv) = report_files(org, week);
        assert!(
            png.starts_with(b"\x89PNG") && csv.lines().count() == 1,
            "a chart and a header-only CSV"
        );
    }
}

#[test]
fn skipped_scheduled_actions_are_listed_when_there_are_some() {
    let org = scenario();
    let skipped = vec!["2026-11-18 09:00: daily push to console:team (store unavailable)".to_string()];
    let report = week_report(&org.app(), w47(), &skipped).expect("report");
    assert_eq!(report.skipped, skipped);
    let data = WeekData::load(&org.app(), w47()).expect("data");
    let text = data.text(&org.app(), relais::domain::Lang::En, &skipped);
    assert!(
        text.ends_with(
            "**Skipped by the scheduler**\n- 2026-11-18 09:00: daily push to console:team (store unavailable)"
        ),
        "{text}"
    );
    assert!(!data.text(&org.app(), relais::domain::Lang::En, &[]).contains("Skipped"));
}

/// The PNG and CSV uploads of the weekly report for `week` in the coordinators' room.
fn report_files(org: &Org, week: WeekKey) -> (Vec<u8>, String) {
    let effects = report_effects(&org.app(), week, &coord_room(), &[]).expect("effects");
    let upload = |name: &str| {
        effects.iter().find_map(|e| match e {
            Effect::Upload { file_name, bytes, .. } if file_name == name => Some(bytes.clone()),
            _ => None,
        })
    };
    let png = upload(&format!("relais-{week}.png")).expect("a chart");
    let csv = String::from_utf8(upload(&format!("relais-{week}.csv")).expect("a CSV")).expect("UTF-8");
    (png, csv)
}

#[test]
fn the_weekly_post_is_the_text_then_the_chart_then_the_csv() {
    let org = scenario();
    let effects = report_effects(&org.app(), w47(), &coord_room(), &[]).expect("effects");
    let shape: Vec<(String, String, String)> = effects
        .iter()
        .map(|e| match e {
            Effect::Post { room, text, key, .. } => (
                room.to_string(),
                key.clone(),
                text.lines().next().unwrap_or("").to_string(),
            ),
            Effect::Upload {
                room,
                file_name,
                mime,
                key,
                ..
            } => (room.to_string(), key.clone(), format!("{file_name} {mime}")),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    let row = |key: &str, what: &str| ("console:coord".to_string(), key.to_string(), what.to_string());
    assert_eq!(
        shape,
        [
            row(
                "report:console:coord:2026-W47",
                "**Report, week 2026-W47** (2026-11-16 to 2026-11-22)"
            ),
            row("report:console:coord:2026-W47:png", "relais-2026-W47.png image/png"),
            row("report:console:coord:2026-W47:csv", "relais-2026-W47.csv text/csv"),
        ]
    );
    let in_french = report_effects(&org.app(), w47(), &team_room(), &[]).expect("effects");
    assert!(
        matches!(in_french.first(), Some(Effect::Post { text, .. }) if text.starts_with("**Bilan")),
        "the room's language"
    );
    let unknown_room =
        report_effects(&org.app(), w47(), &RoomRef::new(Platform::Matrix, "!x:y"), &[]).expect("effects");
    assert!(
        matches!(unknown_room.first(), Some(Effect::Post { text, .. }) if text.starts_with("**Report")),
        "the default language"
    );
}

#[test]
fn report_in_chat_answers_with_the_text_and_attaches_the_files_to_the_room() {
    let org = Org::new(Vec::new());
    let msg = |text: &str| Incoming {
        from: Identity::new(Platform::Console, "carla"),
        display_name: "Carla".into(),
        room: coord_room(),
        direct: false,
        text: text.into(),
    };
    let now = utc(11, 23, 11, 0);
    let effects = org.app().handle(&msg("!report 2026-W47"), now);
    let files: Vec<(&str, &str)> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Upload { file_name, key, .. } => Some((file_name.as_str(), key.as_str())),
            _ => None,
        })
        .collect();
    let at = now.timestamp();
    assert_eq!(
        files,
        [
            (
                "relais-2026-W47.png",
                format!("report:console:coord:2026-W47:at:{at}:png").as_str()
            ),
            (
                "relais-2026-W47.csv",
                format!("report:console:coord:2026-W47:at:{at}:csv").as_str()
            ),
        ]
    );
    let future = org.app().handle(&msg("!report 2026-W49"), now);
    let refused = future.iter().find_map(|e| match e {
        Effect::Reply { text, .. } => Some(text.clone()),
        _ => None,
    });
    assert_eq!(
        refused.as_deref(),
        Some("Week 2026-W49 hasn't happened yet (this is 2026-W48).")
    );
    assert!(!future.iter().any(|e| matches!(e, Effect::Upload { .. })));
}
