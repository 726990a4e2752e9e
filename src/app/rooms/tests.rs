//! Tests of rooms managed from chat (issue 17 §2): `room here …` / `room off` kept in the store and
//! seen at once by the core and the scheduler, the one line in a room not served, and what wins
//! between `[[rooms]]` and the chat.

use crate::app::scheduler::Scheduler;
use crate::app::{App, Effect, Incoming, RoomSettings, Settings};
use crate::domain::{Identity, Lang, Platform, RoomRef};
use crate::prompts::Prompts;
use crate::store::{MemoryStore, Store};
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use std::sync::OnceLock;

/// Monday 23 November 2026, 07:00 UTC.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).single().expect("time")
}

fn prompts() -> &'static Prompts {
    static PROMPTS: OnceLock<Prompts> = OnceLock::new();
    PROMPTS.get_or_init(Prompts::for_tests)
}

fn carla() -> Identity {
    Identity::new(Platform::Matrix, "@carla:example.org")
}

fn room(id: &str) -> RoomRef {
    RoomRef::new(Platform::Matrix, id)
}

fn time(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).expect("time")
}

/// Carla is a coordinator; `!configured` is in `[[rooms]]` (French, 08:00).
fn settings() -> Settings {
    Settings {
        coordinators: vec![carla()],
        rooms: vec![RoomSettings {
            room: room("!configured:example.org"),
            lang: Lang::Fr,
            push_time: time(8, 0),
            coordinators_room: false,
        }],
        ..Settings::default()
    }
}

/// `text` from `from` in `room` as an adapter hands it over; the replies.
fn say(app: &App, from: &Identity, room_id: &str, text: &str) -> Vec<String> {
    let msg = Incoming {
        from: from.clone(),
        display_name: from.user.clone(),
        room: room(room_id),
        direct: false,
        text: text.into(),
    };
    let effects = app.receive(&msg, now());
    effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Reply { text, .. } => Some(text),
            _ => None,
        })
        .collect()
}

#[test]
fn a_room_not_served_answers_the_first_command_once_with_how_to_set_it_up() {
    let (settings, store) = (settings(), MemoryStore::new());
    let app = App::new(&settings, prompts(), &store);
    let bob = Identity::new(Platform::Matrix, "@bob:example.org");
    let first = say(&app, &bob, "!new:example.org", "!help");
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(first[0].contains("I don't serve this room yet"), "{first:?}");
    assert!(first[0].contains("`!room here team en 09:00`"), "{first:?}");
    for text in ["!me", "!help", "!today", "!nonsense"] {
        assert!(
            say(&app, &bob, "!new:example.org", text).is_empty(),
            "{text}: once per room"
        );
    }
    assert!(say(&app, &bob, "!new:example.org", "hello").is_empty(), "not a command");
    assert!(store.ambassador_by_identity(&bob).unwrap().is_none(), "no profile made");
    // Remembered in the store: a restarted core stays quiet there too.
    let again = App::new(&settings, prompts(), &store);
    assert!(say(&again, &bob, "!new:example.org", "!help").is_empty());
    assert_eq!(
        say(&again, &bob, "!other:example.org", "!help").len(),
        1,
        "another room"
    );
}

#[test]
fn a_coordinator_sets_up_a_room_from_chat_and_it_is_served_at_once_and_after_a_restart() {
    let (settings, store) = (settings(), MemoryStore::new());
    let app = App::new(&settings, prompts(), &store);
    let new = room("!new:example.org");
    let bob = Identity::new(Platform::Matrix, "@bob:example.org");
    let refused = say(&app, &bob, "!new:example.org", "!room here team");
    assert!(
        refused.iter().any(|r| r.contains("I don't serve this room yet")),
        "{refused:?}"
    );
    assert!(!app.serves(&new));
    assert!(
        store.ambassador_by_identity(&bob).unwrap().is_none(),
        "no profile for a stranger"
    );

    let done = say(&app, &carla(), "!new:example.org", "!room here team es 10:30");
    assert!(
        done.iter()
            .any(|r| r.contains("now a team room") && r.contains("10:30")),
        "{done:?}"
    );
    let served = app.rooms.get(&new).expect("served");
    assert_eq!(
        (served.lang, served.push_time, served.coordinators_room),
        (Lang::Es, time(10, 30), false)
    );
    let answered = say(&app, &bob, "!new:example.org", "!today");
    assert!(!answered.is_empty(), "commands are answered now");

    // The coordinators' room keeps the language and time it had unless given.
    say(&app, &carla(), "!new:example.org", "!room here coordinators");
    let restarted = App::new(&settings, prompts(), &store);
    let kept = restarted.rooms.get(&new).expect("kept in the store");
    assert_eq!(
        (kept.lang, kept.push_time, kept.coordinators_room),
        (Lang::Es, time(10, 30), true)
    );
    let status = say(&restarted, &carla(), "!new:example.org", "!room");
    assert!(
        status.iter().any(|r| r.contains("the coordinators' room")),
        "{status:?}"
    );

    let off = say(&restarted, &carla(), "!new:example.org", "!room off");
    assert!(off.iter().any(|r| r.contains("I no longer serve this room")), "{off:?}");
    assert!(!restarted.serves(&new));
    assert!(!App::new(&settings, prompts(), &store).serves(&new), "stopped for good");
}

#[test]
fn the_configuration_seeds_the_rooms_and_a_change_from_chat_wins_afterwards() {
    let (settings, store) = (settings(), MemoryStore::new());
    let configured = room("!configured:example.org");
    let app = App::new(&settings, prompts(), &store);
    assert_eq!(app.rooms.get(&configured).map(|r| r.push_time), Some(time(8, 0)));
    assert!(store.rooms().unwrap().is_empty(), "seeding writes nothing");

    say(&app, &carla(), "!configured:example.org", "!room here team 11:00");
    let later = App::new(&settings, prompts(), &store);
    let room = later.rooms.get(&configured).expect("served");
    assert_eq!(
        (room.lang, room.push_time),
        (Lang::Fr, time(11, 0)),
        "the chat's time, the file's language"
    );

    say(&later, &carla(), "!configured:example.org", "!room off");
    assert!(
        !App::new(&settings, prompts(), &store).serves(&configured),
        "stopped from chat wins over the file"
    );
}

#[test]
fn the_scheduler_picks_up_a_room_set_up_from_chat_and_drops_a_stopped_one() {
    let (settings, store) = (settings(), MemoryStore::new());
    let app = App::new(&settings, prompts(), &store);
    // Carla's profile (and her reminder) first, so that only rooms change below.
    say(&app, &carla(), "!configured:example.org", "!me");
    let mut scheduler = Scheduler::start(&app, now()).expect("scheduler");
    let queued = scheduler.len();
    say(&app, &carla(), "!new:example.org", "!room here team en 07:30");
    scheduler.refresh_identity(&app, &carla(), now()).expect("refresh");
    assert_eq!(scheduler.len(), queued + 2, "the new room's push and board");
    assert_eq!(
        scheduler.next_due(),
        Some(Utc.with_ymd_and_hms(2026, 11, 23, 7, 30, 0).single().expect("time")),
        "today's push at 07:30 comes first"
    );
    say(&app, &carla(), "!configured:example.org", "!room off");
    scheduler.refresh_identity(&app, &carla(), now()).expect("refresh");
    assert_eq!(scheduler.len(), queued, "the stopped room's push and board are gone");
}
