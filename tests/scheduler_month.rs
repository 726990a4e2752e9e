//! A simulated month, twice (across the spring and the autumn daylight-saving changes of Paris and
//! Sydney): pushes per room at their local times, reminders once a day at each ambassador's local
//! time and never when away, after sharing or in the quiet hours, the weekly board and report.

mod sim;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Australia::Sydney;
use chrono_tz::Europe::Paris;
use chrono_tz::Tz;
use relais::app::scheduler::Scheduler;
use relais::app::{App, Effect};
use relais::domain::schedule::QuietHours;
use relais::domain::{Ambassador, NudgePref};
use relais::store::{ActionState, MemoryStore, Store};
use sim::{add, date, evergreen_post, hm, local, nudge_prefix, run, say, settings, utc, FakePlatform};

struct People {
    alice: Ambassador,
    sam: Ambassador,
    olga: Ambassador,
    aaron: Ambassador,
    sharer: Ambassador,
    hidden: Ambassador,
}

fn people(store: &dyn Store) -> People {
    let mut aaron = add(store, "aaron", Paris, NudgePref::On);
    aaron.prefs.away_until = Some(date("2026-03-25"));
    store.put_ambassador(&aaron).expect("away");
    let mut hidden = add(store, "hidden", Paris, NudgePref::On);
    hidden.prefs.hidden = true;
    store.put_ambassador(&hidden).expect("hidden");
    People {
        alice: add(store, "alice", Paris, NudgePref::On),
        sam: add(store, "sam", Sydney, NudgePref::At(hm(19, 30))),
        olga: add(store, "olga", Paris, NudgePref::Off),
        aaron,
        sharer: add(store, "sharer", Paris, NudgePref::On),
        hidden,
    }
}

/// The dates (from their keys) and instants of the deliveries whose key starts with `prefix`,
/// checked to be one per consecutive local date at `time` in `tz`.
fn daily(platform: &FakePlatform, prefix: &str, tz: Tz, time: NaiveTime) -> Vec<(NaiveDate, DateTime<Utc>)> {
    let rows: Vec<(NaiveDate, DateTime<Utc>)> = platform
        .with_prefix(prefix)
        .into_iter()
        .map(|d| {
            (
                d.key
                    .rsplit(':')
                    .next()
                    .unwrap_or_default()
                    .parse()
                    .expect("a date key"),
                d.at,
            )
        })
        .collect();
    for (key_date, at) in &rows {
        assert_eq!(
            local(*at, tz),
            time,
            "{prefix}{key_date} sent at {at} is not {time} in {tz}"
        );
        assert_eq!(
            at.with_timezone(&tz).date_naive(),
            *key_date,
            "{prefix}: key date is the local date"
        );
    }
    assert!(
        rows.windows(2).all(|w| w[0].0.succ_opt() == Some(w[1].0)),
        "{prefix}: one per date, none missing: {rows:?}"
    );
    rows
}

fn simulate(from: &str, to: &str) -> (MemoryStore, People, FakePlatform) {
    let store = MemoryStore::new();
    let settings = settings();
    let (people, platform) = simulate_on(&store, &settings, from, to);
    (store, people, platform)
}

fn simulate_on(store: &MemoryStore, settings: &relais::app::Settings, from: &str, to: &str) -> (People, FakePlatform) {
    let app = App::new(settings, sim::prompts(), store);
    let (from, to) = (utc(from), utc(to));
    evergreen_post(&app, from - Duration::days(1));
    let people = people(store);
    let mut scheduler = Scheduler::start(&app, from).expect("start");
    let mut platform = FakePlatform::default();
    let mut shares = 0;
    run(
        &app,
        &mut scheduler,
        &mut platform,
        from,
        to,
        Duration::minutes(1),
        |app, scheduler, now| {
            let paris = now.with_timezone(&Paris);
            if paris.hour() == 12 && paris.minute() == 0 {
                shares += 1;
                // A post of their own each day, not claimed for the item: an item earns points
                // once per network (issue 14).
                say(
                    app,
                    "sharer",
                    &format!("!shared https://x.com/sharer/status/{shares}"),
                    now,
                );
                scheduler
                    .refresh_identity(app, &people.sharer.identities[0], now)
                    .expect("refresh");
            }
            if paris.hour() == 10 && paris.minute() == 0 && paris.day() % 2 == 0 {
                say(
                    app,
                    "hidden",
                    // Another post than the sharer's: a status id is one post, whoever's name is in the link.
                    &format!("!shared https://x.com/hidden/status/{}", 1000 + shares),
                    now,
                );
            }
        },
    );
    (people, platform)
}

fn check_month(store: &MemoryStore, people: &People, platform: &FakePlatform, days: usize, mondays: usize) {
    for (room, time) in [("team", hm(9, 0)), ("world", hm(10, 30)), ("coord", hm(9, 15))] {
        assert_eq!(
            daily(platform, &format!("push:console:{room}:"), Paris, time).len(),
            days,
            "pushes in {room}"
        );
    }
    assert_eq!(
        daily(platform, &nudge_prefix(people.alice.id), Paris, hm(18, 0)).len(),
        days,
        "alice, Paris 18:00"
    );
    assert_eq!(
        daily(platform, &nudge_prefix(people.sam.id), Sydney, hm(19, 30)).len(),
        days,
        "sam, Sydney 19:30"
    );
    assert!(
        platform.with_prefix(&nudge_prefix(people.olga.id)).is_empty(),
        "reminders off"
    );
    assert!(
        platform.with_prefix(&nudge_prefix(people.sharer.id)).is_empty(),
        "shares every day before 18:00"
    );
    let hidden_nudges = platform.with_prefix(&nudge_prefix(people.hidden.id));
    assert!(
        hidden_nudges.len() >= days / 2 - 1,
        "reminded on the days without a share: {}",
        hidden_nudges.len()
    );
    for hidden in hidden_nudges {
        assert_eq!(
            hidden.at.with_timezone(&Paris).day() % 2,
            1,
            "not on the days they shared: {}",
            hidden.key
        );
    }
    let quiet = QuietHours::default();
    for dm in platform.with_prefix("nudge:") {
        let Effect::Dm { to, .. } = &dm.effect else {
            panic!("{} is not a direct message", dm.key)
        };
        let tz = store
            .ambassador(*to)
            .expect("read")
            .map(|a| a.time_zone())
            .expect("a known recipient");
        assert!(!quiet.contains_instant(dm.at, tz), "{} in the quiet hours", dm.key);
    }
    for room in ["team", "world"] {
        let boards = platform.with_prefix(&format!("board:console:{room}:"));
        assert_eq!(boards.len(), mondays, "one board a week in {room}");
        for (n, board) in boards.into_iter().enumerate() {
            let paris = board.at.with_timezone(&Paris);
            assert_eq!(
                (paris.weekday(), paris.time()),
                (Weekday::Mon, hm(9, 0)),
                "{}",
                board.key
            );
            let text = sim::text(&board.effect);
            if n == 0 {
                assert!(
                    !text.contains("sharer"),
                    "the week before the simulation had no shares: {text}"
                );
            } else {
                assert!(
                    text.contains("1. sharer") && !text.contains("hidden"),
                    "{}: {text}",
                    board.key
                );
            }
        }
    }
    assert!(
        platform.with_prefix("board:console:coord").is_empty(),
        "no board in the coordinators' room"
    );
    assert_eq!(
        platform.with_prefix("report:console:coord:").len(),
        3 * mondays,
        "one report a week: its text, chart and CSV"
    );
    assert_eq!(platform.duplicates_refused, 0);
    assert_eq!(platform.distinct_keys(), platform.delivered.len());
    for delivery in &platform.delivered {
        // An action with several effects keys them `<action>#<n>`.
        let action = delivery.key.split('#').next().unwrap_or_default();
        let state = store.action_state(action).expect("read").map(|r| r.state);
        assert_eq!(state, Some(ActionState::Done), "{}", delivery.key);
    }
}

#[test]
fn a_spring_month_across_the_paris_and_sydney_changes() {
    let (store, people, platform) = simulate("2026-03-16T00:00:00Z", "2026-04-14T23:59:00Z");
    check_month(&store, &people, &platform, 30, 5);
    // Away until 25 March: reminders from the 26th only.
    let aaron = daily(&platform, &nudge_prefix(people.aaron.id), Paris, hm(18, 0));
    assert_eq!(aaron.first().map(|(d, _)| *d), Some(date("2026-03-26")));
    // The same local times fall on other UTC hours after the changes.
    let instants = |who: &Ambassador| -> Vec<(NaiveDate, DateTime<Utc>)> {
        daily(
            &platform,
            &nudge_prefix(who.id),
            who.time_zone(),
            if who.tz == "Australia/Sydney" {
                hm(19, 30)
            } else {
                hm(18, 0)
            },
        )
    };
    let on =
        |rows: &[(NaiveDate, DateTime<Utc>)], day: &str| rows.iter().find(|(d, _)| *d == date(day)).map(|(_, at)| *at);
    let alice = instants(&people.alice);
    assert_eq!(on(&alice, "2026-03-28"), Some(utc("2026-03-28T17:00:00Z")));
    assert_eq!(on(&alice, "2026-03-29"), Some(utc("2026-03-29T16:00:00Z")));
    let sam = instants(&people.sam);
    assert_eq!(on(&sam, "2026-04-04"), Some(utc("2026-04-04T08:30:00Z")));
    assert_eq!(on(&sam, "2026-04-05"), Some(utc("2026-04-05T09:30:00Z")));
}

#[test]
fn an_autumn_month_across_the_sydney_and_paris_changes() {
    let (store, people, platform) = simulate("2026-09-28T00:00:00Z", "2026-10-27T23:59:00Z");
    check_month(&store, &people, &platform, 30, 5);
    let on = |prefix: String, day: &str| {
        platform
            .with_prefix(&prefix)
            .into_iter()
            .find(|d| d.key.ends_with(day))
            .map(|d| d.at)
    };
    assert_eq!(
        on(nudge_prefix(people.sam.id), "2026-10-03"),
        Some(utc("2026-10-03T09:30:00Z"))
    );
    assert_eq!(
        on(nudge_prefix(people.sam.id), "2026-10-04"),
        Some(utc("2026-10-04T08:30:00Z"))
    );
    assert_eq!(
        on(nudge_prefix(people.alice.id), "2026-10-24"),
        Some(utc("2026-10-24T16:00:00Z"))
    );
    assert_eq!(
        on(nudge_prefix(people.alice.id), "2026-10-25"),
        Some(utc("2026-10-25T17:00:00Z"))
    );
    assert_eq!(
        on("push:console:team:".into(), "2026-10-26"),
        Some(utc("2026-10-26T08:00:00Z"))
    );
}

#[test]
fn reminders_in_the_spring_gap_move_forward_and_in_the_autumn_repeat_come_once() {
    let mut settings = settings();
    settings.rooms.clear();
    settings.schedule.quiet_hours = QuietHours::NONE;
    let store = MemoryStore::new();
    let app = App::new(&settings, sim::prompts(), &store);
    evergreen_post(&app, utc("2026-03-01T00:00:00Z"));
    let paris = add(&store, "paris", Paris, NudgePref::At(hm(2, 30)));
    let sydney = add(&store, "sydney", Sydney, NudgePref::At(hm(2, 30)));
    // (who, window start, window end, local date, expected instant)
    let rows = [
        (
            &paris,
            "2026-03-27T12:00:00Z",
            "2026-03-31T00:00:00Z",
            "2026-03-29",
            "2026-03-29T01:00:00Z",
        ),
        (
            &paris,
            "2026-10-23T12:00:00Z",
            "2026-10-27T00:00:00Z",
            "2026-10-25",
            "2026-10-25T00:30:00Z",
        ),
        (
            &sydney,
            "2026-10-01T12:00:00Z",
            "2026-10-06T00:00:00Z",
            "2026-10-04",
            "2026-10-03T16:00:00Z",
        ),
        (
            &sydney,
            "2026-04-02T12:00:00Z",
            "2026-04-07T00:00:00Z",
            "2026-04-05",
            "2026-04-04T15:30:00Z",
        ),
    ];
    let mut platform = FakePlatform::default();
    for (who, from, to, day, want) in rows {
        let mut scheduler = Scheduler::start(&app, utc(from)).expect("start");
        run(
            &app,
            &mut scheduler,
            &mut platform,
            utc(from),
            utc(to),
            Duration::minutes(1),
            |_, _, _| {},
        );
        let key = format!("{}{day}", nudge_prefix(who.id));
        let sent: Vec<_> = platform.with_prefix(&key);
        assert_eq!(sent.len(), 1, "{key}: once");
        assert_eq!(sent[0].at, utc(want), "{key}");
    }
    assert_eq!(platform.duplicates_refused, 0);
}
