//! Exactly once: the bot is stopped at each step of a push round and of a reminder round, then
//! restarted (a new scheduler over the same store; for sled, the database closed and opened
//! again). Every message is delivered once, none is lost; what was missed beyond the grace window
//! is skipped, recorded, and listed in the next coordinators' report.

mod sim;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Australia::Sydney;
use chrono_tz::Europe::Paris;
use relais::app::scheduler::{Scheduler, INTERRUPTED, MISSED, UNDELIVERED};
use relais::app::{App, Settings};
use relais::domain::{Ambassador, NudgePref};
use relais::store::{ActionState, DiskOptions, MemoryStore, SledStore, Store};
use sim::{add, evergreen_post, hm, run, settings, utc, FakePlatform};
use tempfile::TempDir;

/// The database, kept across "process" restarts.
enum Db {
    Memory(Box<MemoryStore>),
    Sled { dir: TempDir, store: Option<SledStore> },
}

impl Db {
    fn memory() -> Db {
        Db::Memory(Box::new(MemoryStore::new()))
    }

    fn sled() -> Db {
        let dir = TempDir::new().expect("temporary directory");
        let store = SledStore::open(dir.path(), DiskOptions::default()).expect("open");
        Db::Sled {
            dir,
            store: Some(store),
        }
    }

    fn store(&self) -> &dyn Store {
        match self {
            Db::Memory(store) => &**store,
            Db::Sled { store: Some(store), .. } => store,
            Db::Sled { store: None, .. } => panic!("the database is closed"),
        }
    }

    /// A process restart: sled is closed and opened again; memory stays as it is.
    fn restart(&mut self) {
        if let Db::Sled { dir, store } = self {
            drop(store.take());
            *store = Some(SledStore::open(dir.path(), DiskOptions::default()).expect("reopen"));
        }
    }
}

/// Where the bot stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Crash {
    /// At the due time, before the scheduler ran.
    BeforeRun,
    /// After the actions were recorded started, before anything was sent.
    AfterStarted,
    /// After the adapter sent half of the messages.
    HalfSent,
    /// After the adapter sent everything, before confirming.
    AfterSent,
    /// After confirming.
    AfterConfirm,
}

const CRASHES: [Crash; 5] = [
    Crash::BeforeRun,
    Crash::AfterStarted,
    Crash::HalfSent,
    Crash::AfterSent,
    Crash::AfterConfirm,
];

struct World {
    settings: Settings,
    db: Db,
    platform: FakePlatform,
    people: Vec<Ambassador>,
}

/// Wednesday 18 March 2026, 06:00 UTC: a fresh bot with an evergreen post, carla (who posted it),
/// alice and bob in Paris (reminders 18:00) and sam in Sydney (19:30).
const START: &str = "2026-03-18T06:00:00Z";
/// The push round: 09:00 in Paris, the `team` room.
const PUSH_ROUND: &str = "2026-03-18T08:00:00Z";
/// The reminder round: 18:00 in Paris (carla, alice, bob).
const NUDGE_ROUND: &str = "2026-03-18T17:00:00Z";

fn world(db: Db) -> World {
    let settings = settings();
    let mut people = Vec::new();
    {
        let app = App::new(&settings, sim::prompts(), db.store());
        evergreen_post(&app, utc("2026-03-17T10:00:00Z"));
        people.extend(db.store().ambassadors().expect("carla"));
        people.push(add(db.store(), "alice", Paris, NudgePref::On));
        people.push(add(db.store(), "bob", Paris, NudgePref::On));
        people.push(add(db.store(), "sam", Sydney, NudgePref::At(hm(19, 30))));
    }
    World {
        settings,
        db,
        platform: FakePlatform::default(),
        people,
    }
}

impl World {
    /// Runs minute by minute from a fresh scheduler started at `from` (a process start).
    fn run(&mut self, from: DateTime<Utc>, to: DateTime<Utc>) {
        let app = App::new(&self.settings, sim::prompts(), self.db.store());
        let mut scheduler = Scheduler::start(&app, from).expect("start");
        run(
            &app,
            &mut scheduler,
            &mut self.platform,
            from,
            to,
            Duration::minutes(1),
            |_, _, _| {},
        );
    }

    /// Starts at `from`, runs normally until just before `round`, then stops at `crash`.
    fn crash_at(&mut self, from: DateTime<Utc>, round: DateTime<Utc>, crash: Crash) {
        let app = App::new(&self.settings, sim::prompts(), self.db.store());
        let mut scheduler = Scheduler::start(&app, from).expect("start");
        run(
            &app,
            &mut scheduler,
            &mut self.platform,
            from,
            round - Duration::minutes(1),
            Duration::minutes(1),
            |_, _, _| {},
        );
        if crash == Crash::BeforeRun {
            return;
        }
        let handouts = scheduler.run_due(&app, round).expect("round");
        assert!(!handouts.is_empty(), "the round has work");
        let effects: Vec<_> = handouts.iter().flat_map(|h| h.effects.iter()).collect();
        let send = match crash {
            Crash::BeforeRun | Crash::AfterStarted => 0,
            Crash::HalfSent => effects.len().div_ceil(2),
            Crash::AfterSent | Crash::AfterConfirm => effects.len(),
        };
        for effect in effects.into_iter().take(send) {
            self.platform.deliver(round, effect);
        }
        if crash == Crash::AfterConfirm {
            let keys: Vec<&str> = handouts.iter().map(|h| h.key.as_str()).collect();
            scheduler.confirm_all(&app, &keys, round).expect("confirm");
        }
    }

    fn state(&self, key: &str) -> Option<(ActionState, Option<String>)> {
        self.db
            .store()
            .action_state(key)
            .expect("read")
            .map(|r| (r.state, r.reason))
    }

    fn nudge_key(&self, name: &str, day: &str) -> String {
        let who = self
            .people
            .iter()
            .find(|a| a.display_name == name)
            .unwrap_or_else(|| panic!("{name}"));
        format!("nudge:{}:{day}", who.id)
    }
}

/// The keys a round must deliver.
fn round_keys(world: &World, round: &str) -> Vec<String> {
    if round == PUSH_ROUND {
        vec!["push:console:team:2026-03-18".to_string()]
    } else {
        ["carla", "alice", "bob"]
            .iter()
            .map(|name| world.nudge_key(name, "2026-03-18"))
            .collect()
    }
}

fn crash_and_restart(make: fn() -> Db, round: &str, crash: Crash) {
    let mut world = world(make());
    let round_at = utc(round);
    world.crash_at(utc(START), round_at, crash);
    world.db.restart();
    world.run(round_at + Duration::minutes(5), round_at + Duration::minutes(65));
    let case = format!("{round} {crash:?}");
    for key in round_keys(&world, round) {
        assert_eq!(
            world.platform.with_prefix(&key).len(),
            1,
            "{case}: {key} delivered once"
        );
        assert_eq!(
            world.state(&key).map(|s| s.0),
            Some(ActionState::Done),
            "{case}: {key} done"
        );
    }
    let expected = round_keys(&world, round).len();
    let refused = match crash {
        Crash::HalfSent => expected.div_ceil(2),
        Crash::AfterSent => expected,
        _ => 0,
    };
    assert_eq!(
        world.platform.duplicates_refused, refused,
        "{case}: the platform refused the repeats, and only them"
    );
    assert_eq!(
        world.platform.distinct_keys(),
        world.platform.delivered.len(),
        "{case}: no key twice"
    );
}

#[test]
fn a_push_round_stopped_at_each_step_delivers_once_memory() {
    for crash in CRASHES {
        crash_and_restart(Db::memory, PUSH_ROUND, crash);
    }
}

#[test]
fn a_reminder_round_stopped_at_each_step_delivers_once_memory() {
    for crash in CRASHES {
        crash_and_restart(Db::memory, NUDGE_ROUND, crash);
    }
}

#[test]
fn a_push_round_stopped_at_each_step_delivers_once_sled_reopened() {
    for crash in CRASHES {
        crash_and_restart(Db::sled, PUSH_ROUND, crash);
    }
}

#[test]
fn a_reminder_round_stopped_at_each_step_delivers_once_sled_reopened() {
    for crash in CRASHES {
        crash_and_restart(Db::sled, NUDGE_ROUND, crash);
    }
}

#[test]
fn a_restart_after_the_grace_window_skips_and_never_sends_late() {
    // (stop, the record left, the reason)
    let rows = [(Crash::BeforeRun, MISSED), (Crash::AfterStarted, INTERRUPTED)];
    for (crash, reason) in rows {
        let mut world = world(Db::memory());
        let round = utc(NUDGE_ROUND);
        world.crash_at(utc(START), round, crash);
        world.run(round + Duration::hours(3), round + Duration::hours(4));
        for key in round_keys(&world, NUDGE_ROUND) {
            assert!(
                world.platform.with_prefix(&key).is_empty(),
                "{crash:?}: {key} not sent late"
            );
            assert_eq!(
                world.state(&key),
                Some((ActionState::Skipped, Some(reason.to_string()))),
                "{crash:?}: {key}"
            );
        }
    }
}

#[test]
fn a_long_downtime_is_skipped_recorded_and_listed_in_the_next_report_sled() {
    let mut world = world(Db::sled());
    world.run(utc("2026-03-16T07:00:00Z"), utc("2026-03-17T07:00:00Z"));
    world.db.restart();
    // Down from Tuesday 07:00 to Thursday 10:40 UTC (grace: two hours).
    let back = utc("2026-03-19T10:40:00Z");
    world.run(back, back + Duration::minutes(30));
    let mut expected: Vec<String> = ["17", "18"]
        .iter()
        .flat_map(|d| ["team", "coord", "world"].map(|room| format!("push:console:{room}:2026-03-{d}")))
        .collect();
    expected.extend([
        "push:console:team:2026-03-19".to_string(),
        "push:console:coord:2026-03-19".to_string(),
    ]);
    for name in ["carla", "alice", "bob"] {
        expected.extend(["17", "18"].map(|d| world.nudge_key(name, &format!("2026-03-{d}"))));
    }
    expected.extend(["17", "18", "19"].map(|d| world.nudge_key("sam", &format!("2026-03-{d}"))));
    let listed = world
        .db
        .store()
        .skipped_actions(back - Duration::days(8), back)
        .expect("skipped");
    let mut keys: Vec<String> = listed.iter().map(|(k, _)| k.clone()).collect();
    assert!(
        listed.iter().all(|(_, r)| r.reason.as_deref() == Some(MISSED)),
        "{listed:?}"
    );
    keys.sort();
    expected.sort();
    assert_eq!(keys, expected);
    assert_eq!(
        world.platform.with_prefix("push:console:world:2026-03-19").len(),
        1,
        "70 minutes late: within grace, sent"
    );
    // The next report (Monday 23 March, 09:00 in Paris) lists them, and the one after does not.
    world.run(back + Duration::minutes(31), utc("2026-03-30T08:05:00Z"));
    let reports = world.platform.with_prefix("report:console:coord:");
    // Each report is a post followed by its chart and CSV uploads.
    let texts: Vec<&str> = reports
        .iter()
        .filter(|d| matches!(d.effect, relais::app::Effect::Post { .. }))
        .map(|d| sim::text(&d.effect))
        .collect();
    assert_eq!(reports.len(), 3 * texts.len(), "a chart and a CSV with every report");
    assert_eq!(texts.len(), 3, "16, 23 and 30 March");
    for line in [
        "Not sent, and too late to send now",
        "daily push for `console:team`, 2026-03-17: missed while Relais was not running",
        "daily push for `console:coord`, 2026-03-19",
        "9 personal reminders: missed while Relais was not running",
    ] {
        assert!(texts[1].contains(line), "{line}: {}", texts[1]);
    }
    assert!(!texts[2].contains("too late"), "listed once: {}", texts[2]);
    assert!(
        !texts[1].contains("push for `console:world`, 2026-03-19"),
        "sent, so not listed"
    );
}

/// What the adapter could not deliver within the grace window (the bot not in the room, the
/// homeserver away) and gave up is recorded skipped as undelivered: never handed out again, even
/// after a restart, and listed as such in the next coordinators' report.
#[test]
fn rounds_the_adapter_gave_up_are_skipped_as_undelivered_and_listed_in_the_next_report() {
    let mut world = world(Db::sled());
    let app_settings = world.settings.clone();
    let given_up_at = utc(NUDGE_ROUND) + Duration::hours(3);
    {
        let app = App::new(&app_settings, sim::prompts(), world.db.store());
        let mut scheduler = Scheduler::start(&app, utc(START)).expect("start");
        let mut handed = Vec::new();
        let mut from = utc(START);
        for round in [PUSH_ROUND, NUDGE_ROUND].map(utc) {
            let step = Duration::minutes(1);
            run(
                &app,
                &mut scheduler,
                &mut world.platform,
                from,
                round - step,
                step,
                |_, _, _| {},
            );
            handed.extend(scheduler.run_due(&app, round).expect("round"));
            from = round + step;
        }
        let keys: Vec<&str> = handed.iter().map(|h| h.key.as_str()).collect();
        scheduler.give_up_all(&app, &keys, given_up_at).expect("give up");
        assert!(scheduler
            .run_due(&app, given_up_at)
            .expect("after")
            .iter()
            .all(|h| !keys.contains(&h.key.as_str())));
    }
    let given_up: Vec<String> = [PUSH_ROUND, NUDGE_ROUND]
        .iter()
        .flat_map(|r| round_keys(&world, r))
        .collect();
    for key in &given_up {
        assert_eq!(
            world.state(key),
            Some((ActionState::Skipped, Some(UNDELIVERED.to_string()))),
            "{key}"
        );
        assert!(world.platform.with_prefix(key).is_empty(), "{key} never sent");
    }
    world.db.restart();
    // The next report: Monday 23 March, 09:00 in Paris.
    world.run(given_up_at, utc("2026-03-23T08:05:00Z"));
    for key in &given_up {
        assert!(
            world.platform.with_prefix(key).is_empty(),
            "{key} not sent after the restart"
        );
    }
    let reports = world.platform.with_prefix("report:console:coord:");
    let text = reports.first().map(|d| sim::text(&d.effect)).unwrap_or_default();
    for line in [
        "daily push for `console:team`, 2026-03-18: could not be delivered",
        "3 personal reminders: could not be delivered",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
    assert!(!text.contains("`console:team`, 2026-03-18: missed"), "{text}");
}

#[test]
fn store_failures_hand_out_nothing_and_are_retried_without_losing_the_schedule() {
    use std::sync::atomic::Ordering;
    let settings = settings();
    let store = sim::flaky::FlakyStore::default();
    let app = App::new(&settings, sim::prompts(), &store);
    let start = utc(START);
    evergreen_post(&app, start - Duration::days(1));
    let alice = add(&store, "alice", Paris, NudgePref::On);
    let mut scheduler = Scheduler::start(&app, start).expect("start");
    let mut platform = FakePlatform::default();
    let push = utc(PUSH_ROUND);
    run(
        &app,
        &mut scheduler,
        &mut platform,
        start,
        push - Duration::minutes(1),
        Duration::minutes(1),
        |_, _, _| {},
    );
    // The push round cannot record anything: nothing is handed out, the push comes back a minute later.
    store.fail_action_writes.store(true, Ordering::SeqCst);
    assert!(scheduler.run_due(&app, push).is_err());
    assert!(scheduler
        .next_due()
        .is_some_and(|due| due <= push + Duration::minutes(1)));
    store.fail_action_writes.store(false, Ordering::SeqCst);
    // The reminder round cannot read alice: her reminder is retried, and her next days stay queued.
    let nudge = utc(NUDGE_ROUND);
    run(
        &app,
        &mut scheduler,
        &mut platform,
        push + Duration::minutes(1),
        nudge - Duration::minutes(1),
        Duration::minutes(1),
        |_, _, _| {},
    );
    store.fail_ambassador_reads.store(true, Ordering::SeqCst);
    let failed = scheduler.run_due(&app, nudge).expect("the batch itself is written");
    assert!(failed
        .iter()
        .all(|h| !h.key.starts_with(&format!("nudge:{}:", alice.id))));
    store.fail_ambassador_reads.store(false, Ordering::SeqCst);
    run(
        &app,
        &mut scheduler,
        &mut platform,
        nudge + Duration::minutes(1),
        nudge + Duration::days(2),
        Duration::minutes(1),
        |_, _, _| {},
    );
    assert_eq!(
        platform.with_prefix("push:console:team:2026-03-18").len(),
        1,
        "the push, a minute late"
    );
    for day in ["2026-03-18", "2026-03-19", "2026-03-20"] {
        assert_eq!(
            platform.with_prefix(&format!("nudge:{}:{day}", alice.id)).len(),
            1,
            "alice on {day}"
        );
    }
    assert_eq!(platform.duplicates_refused, 0);
}

#[test]
fn a_handout_retried_after_an_interruption_says_so_and_a_first_one_does_not() {
    let world = world(Db::memory());
    let round = utc(PUSH_ROUND);
    let key = round_keys(&world, PUSH_ROUND).remove(0);
    let app = App::new(&world.settings, sim::prompts(), world.db.store());
    let mut scheduler = Scheduler::start(&app, round - Duration::minutes(1)).expect("start");
    let first = scheduler.run_due(&app, round).expect("round");
    let first = first.iter().find(|h| h.key == key).expect("the push is handed out");
    assert!(!first.interrupted, "a first attempt is not a retry");
    // The process stops before confirming; the next one hands the push out again, flagged.
    let later = round + Duration::minutes(2);
    let mut restarted = Scheduler::start(&app, later).expect("restart");
    let again = restarted.run_due(&app, later).expect("retry");
    let again = again
        .iter()
        .find(|h| h.key == key)
        .expect("the push is handed out again");
    assert!(again.interrupted, "the retry of a Started action is flagged");
    assert_eq!(again.effects, first.effects, "the same messages, with the same keys");
}
