//! The commands around the scheduler: `post push` (urgent), `urgent on|off`, `nudges` inside the
//! quiet hours, and profile changes (time, zone, away, forget-me, a newcomer) that the scheduler
//! picks up; plus the weekly board's ranks, streaks and movement.

mod sim;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Europe::Paris;
use relais::app::scheduler::{board_rows, Scheduler};
use relais::app::{App, Effect};
use relais::domain::{Identity, NudgePref, Platform, WeekKey};
use relais::store::{MemoryStore, Store};
use sim::{add, evergreen_post, hm, local, nudge_prefix, run, say, settings, utc, FakePlatform};

fn replies(effects: &[Effect]) -> String {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::Reply { .. }))
        .map(sim::text)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_reminder_time_in_the_quiet_hours_is_refused_naming_them() {
    let (settings, store) = (settings(), MemoryStore::new());
    let app = App::new(&settings, sim::prompts(), &store);
    let now = utc("2026-03-18T12:00:00Z");
    // (command, part of the reply, reminder setting after it)
    let rows = [
        (
            "!nudges 22:30",
            "22:30 is in the quiet hours (21:00-08:00)",
            NudgePref::On,
        ),
        (
            "!nudges 7:59",
            "07:59 is in the quiet hours (21:00-08:00)",
            NudgePref::On,
        ),
        ("!nudges 08:00", "at 08:00", NudgePref::At(hm(8, 0))),
        ("!nudges 20:59", "at 20:59", NudgePref::At(hm(20, 59))),
        ("!nudges 25:00", "isn't a time", NudgePref::At(hm(20, 59))),
    ];
    for (command, reply, after) in rows {
        let text = replies(&say(&app, "alice", command, now));
        assert!(text.contains(reply), "{command}: {text}");
        let alice = store
            .ambassador_by_identity(&Identity::new(Platform::Console, "alice"))
            .expect("read")
            .expect("alice");
        assert_eq!(alice.prefs.nudges, after, "{command}");
    }
}

#[test]
fn an_urgent_push_posts_to_team_rooms_and_messages_who_wants_it_once_a_day() {
    let (settings, store) = (settings(), MemoryStore::new());
    let app = App::new(&settings, sim::prompts(), &store);
    let now = utc("2026-03-18T12:00:00Z");
    let c1 = evergreen_post(&app, now - Duration::hours(1));
    let alice = add(&store, "alice", Paris, NudgePref::On);
    let muted = add(&store, "muted", Paris, NudgePref::On);
    let away = add(&store, "away", Paris, NudgePref::On);
    let night = add(&store, "night", chrono_tz::Asia::Tokyo, NudgePref::On);
    say(&app, "muted", "!urgent off", now);
    say(&app, "away", "!away until 2026-03-20", now);
    assert!(replies(&say(&app, "alice", &format!("!post push {c1}"), now)).contains("Only coordinators"));

    let effects = say(&app, "carla", &format!("!post push {c1}"), now);
    let posts: Vec<&str> = effects
        .iter()
        .filter_map(|e| {
            if let Effect::Post { room, .. } = e {
                Some(room.room.as_str())
            } else {
                None
            }
        })
        .collect();
    assert_eq!(posts, ["team", "world"], "team rooms only, not the coordinators'");
    let dms: Vec<_> = effects
        .iter()
        .filter_map(|e| {
            if let Effect::Dm { to, key, .. } = e {
                Some((*to, key.clone()))
            } else {
                None
            }
        })
        .collect();
    assert_eq!(
        dms,
        [(alice.id, Some(format!("urgent:{c1}:2026-03-18#{}", alice.id)))],
        "not muted, away, at night in Tokyo, or the sender"
    );
    assert!(effects.iter().all(|e| !matches!(e, Effect::Post { .. })
        || e.key()
            .is_some_and(|k| k.starts_with(&format!("urgent:{c1}:2026-03-18#console:")))));
    let reply = replies(&effects);
    assert!(
        reply.contains("2 rooms") && reply.contains("1 ambassador by direct message"),
        "{reply}"
    );
    assert!(
        reply.contains("1 who muted") && reply.contains("1 away") && reply.contains("1 in their quiet hours"),
        "{reply}"
    );
    let _ = (muted, away, night);

    let again = replies(&say(
        &app,
        "carla",
        &format!("!post push {c1}"),
        now + Duration::hours(2),
    ));
    assert!(again.contains("already pushed urgently today"), "{again}");
    let tomorrow = say(&app, "carla", &format!("!post push {c1}"), now + Duration::days(1));
    assert!(tomorrow.iter().any(|e| matches!(e, Effect::Dm { .. })), "a new day");

    say(&app, "muted", "!urgent on", now + Duration::days(3));
    let unmuted = say(&app, "carla", &format!("!post push {c1}"), now + Duration::days(3));
    assert_eq!(
        unmuted.iter().filter(|e| matches!(e, Effect::Dm { .. })).count(),
        3,
        "alice, muted (now on) and away (back)"
    );
}

#[test]
fn only_approved_current_items_can_be_pushed() {
    let (settings, store) = (settings(), MemoryStore::new());
    let app = App::new(&settings, sim::prompts(), &store);
    let now = utc("2026-03-18T12:00:00Z");
    say(
        &app,
        "carla",
        "!post add\ntitle: Draft\nlink: https://example.org/d\ntext.en: hi",
        now,
    );
    say(&app, "carla", "!post add\ntitle: Old\nlink: https://example.org/o\ntext.en: hi\nkind: hot\npublish: 2026-03-10\nexpires: 2026-03-11 12:00", now);
    say(&app, "carla", "!post approve c2", now);
    // (command, part of the reply)
    let rows = [
        ("!post push c1", "it's draft"),
        ("!post push c2", "it has expired"),
        ("!post push c9", "I don't know any item c9"),
    ];
    for (command, want) in rows {
        let effects = say(&app, "carla", command, now);
        assert!(replies(&effects).contains(want), "{command}: {}", replies(&effects));
        assert!(
            !effects
                .iter()
                .any(|e| matches!(e, Effect::Post { .. } | Effect::Dm { .. })),
            "{command}: nothing sent"
        );
    }
}

/// Runs a scheduler over a day while `act` plays the people; returns the reminders' local times.
fn reminders(
    app: &App,
    scheduler: &mut Scheduler,
    platform: &mut FakePlatform,
    from: DateTime<Utc>,
    hours: i64,
    act: impl FnMut(&App, &mut Scheduler, DateTime<Utc>),
) {
    run(
        app,
        scheduler,
        platform,
        from,
        from + Duration::hours(hours),
        Duration::minutes(1),
        act,
    );
}

#[test]
fn profile_changes_reach_the_scheduler() {
    let (settings, store) = (settings(), MemoryStore::new());
    let app = App::new(&settings, sim::prompts(), &store);
    let start = utc("2026-03-16T06:00:00Z");
    evergreen_post(&app, start - Duration::days(1));
    let alice = add(&store, "alice", Paris, NudgePref::On);
    let mut scheduler = Scheduler::start(&app, start).expect("start");
    let mut platform = FakePlatform::default();
    let command = |app: &App, scheduler: &mut Scheduler, who: &str, text: &str, now| {
        say(app, who, text, now);
        scheduler
            .refresh_identity(app, &Identity::new(Platform::Console, who), now)
            .expect("refresh");
    };
    // Monday: alice moves her reminder to 19:15; zoe writes for the first time at noon.
    reminders(&app, &mut scheduler, &mut platform, start, 24, |app, s, now| {
        if now == utc("2026-03-16T10:00:00Z") {
            command(app, s, "alice", "!nudges 19:15", now);
        }
        if now == utc("2026-03-16T11:00:00Z") {
            command(app, s, "zoe", "!me", now);
        }
    });
    let zoe = store
        .ambassador_by_identity(&Identity::new(Platform::Console, "zoe"))
        .expect("read")
        .expect("zoe");
    let alice_sent = platform.with_prefix(&format!("{}2026-03-16", nudge_prefix(alice.id)));
    assert_eq!(
        alice_sent.iter().map(|d| local(d.at, Paris)).collect::<Vec<_>>(),
        [hm(19, 15)]
    );
    assert_eq!(
        platform
            .with_prefix(&format!("{}2026-03-16", nudge_prefix(zoe.id)))
            .len(),
        1,
        "the newcomer at 18:00"
    );
    // Tuesday: alice moves to Lisbon, zoe goes away until Wednesday.
    reminders(
        &app,
        &mut scheduler,
        &mut platform,
        start + Duration::days(1),
        24,
        |app, s, now| {
            if now == utc("2026-03-17T09:00:00Z") {
                command(app, s, "alice", "!tz Europe/Lisbon", now);
                command(app, s, "zoe", "!away until 2026-03-18", now);
            }
        },
    );
    let alice_tuesday = platform.with_prefix(&format!("{}2026-03-17", nudge_prefix(alice.id)));
    assert_eq!(
        alice_tuesday
            .iter()
            .map(|d| local(d.at, chrono_tz::Europe::Lisbon))
            .collect::<Vec<_>>(),
        [hm(19, 15)]
    );
    assert!(
        platform
            .with_prefix(&format!("{}2026-03-17", nudge_prefix(zoe.id)))
            .is_empty(),
        "away"
    );
    // Wednesday: zoe forgets herself; alice turns reminders off.
    reminders(
        &app,
        &mut scheduler,
        &mut platform,
        start + Duration::days(2),
        48,
        |app, s, now| {
            if now == utc("2026-03-18T09:00:00Z") {
                command(app, s, "zoe", "!forget-me confirm", now);
                command(app, s, "alice", "!nudges off", now);
            }
        },
    );
    assert!(
        platform.with_prefix(&nudge_prefix(zoe.id)).len() == 1,
        "nothing after Monday"
    );
    assert!(
        platform
            .with_prefix(&format!("{}2026-03-18", nudge_prefix(alice.id)))
            .is_empty(),
        "off"
    );
    assert_eq!(platform.duplicates_refused, 0);
}

#[test]
fn the_weekly_board_ranks_shows_streaks_and_movement_without_hidden_people() {
    let (settings, store) = (settings(), MemoryStore::new());
    let app = App::new(&settings, sim::prompts(), &store);
    let monday = utc("2026-03-16T09:00:00Z");
    evergreen_post(&app, monday - Duration::days(1));
    for name in ["bob", "carl", "dana", "eve"] {
        add(&store, name, Paris, NudgePref::On);
    }
    say(&app, "dana", "!hide", monday);
    let mut n = 0;
    let mut share = |who: &str, at: DateTime<Utc>| {
        n += 1;
        // Posts of their own, not claimed for c1: an item earns points once per network (issue 14).
        say(&app, who, &format!("!shared https://x.com/{who}/status/{n}"), at);
    };
    // Week 12: dana (hidden) 3 shares, bob 2, carl 1.
    for day in 0..3 {
        share("dana", monday + Duration::days(day));
    }
    share("bob", monday);
    share("bob", monday + Duration::days(1));
    share("carl", monday + Duration::days(2));
    // Week 13: carl shares three days running, eve twice, bob once.
    let next = monday + Duration::days(7);
    for day in 0..3 {
        share("carl", next + Duration::days(day));
    }
    share("eve", next);
    share("eve", next + Duration::hours(1));
    share("bob", next);
    let week: WeekKey = "2026-W13".parse().expect("week");
    let rows = board_rows(&app, week, next + Duration::days(2) + Duration::hours(2)).expect("rows");
    let shown: Vec<(String, u64, u64, String, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap_or("").to_string(),
                r["rank"].as_u64().unwrap_or(0),
                r["streak"].as_u64().unwrap_or(0),
                r["move"].as_str().unwrap_or("").to_string(),
                r["by"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let want = [
        ("carl", 1, 3, "up", 1),
        ("eve", 2, 0, "new", 0),
        ("bob", 3, 0, "down", 2),
    ];
    let want: Vec<(String, u64, u64, String, u64)> = want
        .iter()
        .map(|(n, r, s, m, b)| (n.to_string(), *r, *s, m.to_string(), *b))
        .collect();
    assert_eq!(shown, want, "{rows:?}");
}
