//! Scheduler simulation support: settings with three rooms, ambassadors written straight into a
//! store, a recording fake platform that dedupes by key like a real adapter, and a fixed-step
//! clock that runs the scheduler (and the people) minute by minute.

#![allow(dead_code)]

pub mod flaky;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use relais::app::scheduler::{Handout, Scheduler};
use relais::app::{App, Effect, Incoming, RoomSettings, Settings};
use relais::domain::{Ambassador, AmbassadorId, Identity, Lang, NudgePref, Platform, Prefs, Role, RoomRef};
use relais::prompts::Prompts;
use relais::store::Store;
use std::collections::BTreeMap;

pub fn prompts() -> &'static Prompts {
    static PROMPTS: std::sync::OnceLock<Prompts> = std::sync::OnceLock::new();
    PROMPTS.get_or_init(Prompts::for_tests)
}

pub fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

pub fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
}

pub fn date(text: &str) -> NaiveDate {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

pub fn room(id: &str) -> RoomRef {
    RoomRef::new(Platform::Console, id)
}

/// Paris organisation; rooms `team` (fr, 09:00), `world` (en, 10:30) and `coord` (coordinators,
/// en, 09:15); quiet hours, board and report at their defaults (21:00-08:00, Monday 09:00).
pub fn settings() -> Settings {
    let room = |id: &str, lang, push_time, coordinators_room| RoomSettings {
        room: room(id),
        lang,
        push_time,
        coordinators_room,
    };
    Settings {
        org_name: "Living Rivers".into(),
        org_tz: chrono_tz::Europe::Paris,
        coordinators: vec![Identity::new(Platform::Console, "carla")],
        rooms: vec![
            room("team", Lang::Fr, hm(9, 0), false),
            room("world", Lang::En, hm(10, 30), false),
            room("coord", Lang::En, hm(9, 15), true),
        ],
        ..Settings::default()
    }
}

/// Stores an ambassador `name` (console identity) in zone `tz` with reminders `nudges`.
pub fn add(store: &dyn Store, name: &str, tz: Tz, nudges: NudgePref) -> Ambassador {
    let id = store.next_ambassador_id().expect("id");
    let who = Ambassador {
        id,
        code: relais::app::pseudonym_code(id, utc("2026-01-01T00:00:00Z")),
        display_name: name.to_string(),
        identities: vec![Identity::new(Platform::Console, name)],
        lang: Lang::En,
        tz: tz.name().to_string(),
        role: Role::Ambassador,
        prefs: Prefs {
            nudges,
            ..Prefs::default()
        },
        joined_at: utc("2026-01-01T00:00:00Z"),
    };
    store.put_ambassador(&who).expect("put ambassador");
    who
}

/// `name` says `text` in the console room `world` (English) at `now`.
pub fn say(app: &App, name: &str, text: &str, now: DateTime<Utc>) -> Vec<Effect> {
    let msg = Incoming {
        from: Identity::new(Platform::Console, name),
        display_name: name.to_string(),
        room: room("world"),
        direct: false,
        text: text.to_string(),
    };
    app.handle(&msg, now)
}

/// Carla adds and approves an evergreen post (always something to share); returns its id.
pub fn evergreen_post(app: &App, now: DateTime<Utc>) -> String {
    let text = "!post add\ntitle: Why wetlands matter\nlink: https://example.org/wetlands\ntext.en: Wetlands!\ntext.fr: Les zones humides !\nkind: evergreen\npublish: 2026-01-01";
    say(app, "carla", text, now);
    let id = app
        .store
        .items()
        .expect("items")
        .last()
        .map(|i| i.id.to_string())
        .expect("an item");
    say(app, "carla", &format!("!post approve {id}"), now);
    id
}

/// One delivered message.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub at: DateTime<Utc>,
    pub key: String,
    pub effect: Effect,
}

/// The outside world: what reached the chat platform, deduplicated by key like a real adapter.
#[derive(Debug, Default)]
pub struct FakePlatform {
    pub delivered: Vec<Delivery>,
    /// How many sends were refused because their key had been delivered already.
    pub duplicates_refused: usize,
    by_key: BTreeMap<String, usize>,
}

impl FakePlatform {
    /// Sends one effect unless its key was delivered before; returns whether it was sent.
    pub fn deliver(&mut self, at: DateTime<Utc>, effect: &Effect) -> bool {
        let key = effect.key().unwrap_or_default().to_string();
        assert!(!key.is_empty(), "a scheduled effect without a key: {effect:?}");
        if self.by_key.contains_key(&key) {
            self.duplicates_refused += 1;
            return false;
        }
        self.by_key.insert(key.clone(), self.delivered.len());
        self.delivered.push(Delivery {
            at,
            key,
            effect: effect.clone(),
        });
        true
    }

    pub fn send(&mut self, at: DateTime<Utc>, handout: &Handout) {
        for effect in &handout.effects {
            self.deliver(at, effect);
        }
    }

    /// Deliveries whose key starts with `prefix`.
    pub fn with_prefix(&self, prefix: &str) -> Vec<&Delivery> {
        self.delivered.iter().filter(|d| d.key.starts_with(prefix)).collect()
    }

    pub fn distinct_keys(&self) -> usize {
        self.by_key.len()
    }
}

/// The text of an effect.
pub fn text(effect: &Effect) -> &str {
    match effect {
        Effect::Reply { text, .. } | Effect::Dm { text, .. } | Effect::Post { text, .. } => text,
        Effect::React { .. } | Effect::Upload { .. } | Effect::Forgotten { .. } => "",
    }
}

/// Runs the scheduler with a fixed-step clock from `from` to `to` (inclusive), sending and
/// confirming every handout; `people(app, scheduler, t)` plays the humans at each step.
pub fn run(
    app: &App,
    scheduler: &mut Scheduler,
    platform: &mut FakePlatform,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    step: Duration,
    mut people: impl FnMut(&App, &mut Scheduler, DateTime<Utc>),
) {
    let mut now = from;
    while now <= to {
        people(app, scheduler, now);
        for handout in scheduler.run_due(app, now).expect("run due") {
            platform.send(now, &handout);
            scheduler.confirm(app, &handout.key, now).expect("confirm");
        }
        now += step;
    }
}

/// The local time of an instant in `tz`.
pub fn local(at: DateTime<Utc>, tz: Tz) -> NaiveTime {
    at.with_timezone(&tz).time()
}

/// `AmbassadorId` as written in nudge keys.
pub fn nudge_prefix(id: AmbassadorId) -> String {
    format!("nudge:{id}:")
}

/// Midnight UTC of a date, for readable bounds.
pub fn day(text: &str) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date(text).and_time(NaiveTime::MIN))
}
