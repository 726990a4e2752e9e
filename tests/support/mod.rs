//! Test support: a Relais core over the in-memory store, the repository's prompts and a fixed clock.

#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use relais::app::{App, Effect, Incoming, RoomSettings, Settings};
use relais::domain::{Identity, Lang, Platform, RoomRef};
use relais::prompts::Prompts;
use relais::store::MemoryStore;

pub struct Bot {
    pub settings: Settings,
    pub prompts: &'static Prompts,
    pub store: MemoryStore,
}

/// Monday 23 November 2026 at `h:m` UTC (10:00 in Paris at h = 9).
pub fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, h, m, 0)
        .single()
        .expect("valid test time")
}

/// The repository's prompts, loaded once per test binary.
pub fn prompts() -> &'static Prompts {
    static PROMPTS: std::sync::OnceLock<Prompts> = std::sync::OnceLock::new();
    PROMPTS.get_or_init(|| {
        Prompts::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/prompts")))
            .expect("repository prompts load")
            .prompts
    })
}

impl Bot {
    pub fn new() -> Self {
        let settings = Settings {
            org_name: "Living Rivers".into(),
            org_tz: chrono_tz::Europe::Paris,
            default_lang: Lang::En,
            coordinators: vec![Identity::new(Platform::Console, "carla")],
            rooms: vec![
                RoomSettings {
                    room: RoomRef::new(Platform::Console, "team"),
                    lang: Lang::En,
                    push_time: chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("time"),
                    coordinators_room: false,
                },
                RoomSettings {
                    room: RoomRef::new(Platform::Console, "equipe"),
                    lang: Lang::Fr,
                    push_time: chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("time"),
                    coordinators_room: false,
                },
            ],
            ..Settings::default()
        };
        Bot {
            settings,
            prompts: prompts(),
            store: MemoryStore::new(),
        }
    }

    pub fn app(&self) -> App<'_> {
        App::new(&self.settings, self.prompts, &self.store)
    }

    /// `who` says `text` in the console room `room` at `now`.
    pub fn say_in(&self, who: &str, room: &str, text: &str, now: DateTime<Utc>) -> Vec<Effect> {
        self.say_as(Identity::new(Platform::Console, who), room, text, now)
    }

    pub fn say(&self, who: &str, text: &str, now: DateTime<Utc>) -> Vec<Effect> {
        self.say_in(who, "team", text, now)
    }

    pub fn say_as(&self, from: Identity, room: &str, text: &str, now: DateTime<Utc>) -> Vec<Effect> {
        let msg = Incoming {
            display_name: from.user.clone(),
            room: RoomRef::new(from.platform, room),
            direct: false,
            from,
            text: text.into(),
        };
        self.app().handle(&msg, now)
    }

    /// Every text of `effects` (replies, DMs, posts) joined by newlines.
    pub fn text(effects: &[Effect]) -> String {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Reply { text, .. } | Effect::Dm { text, .. } | Effect::Post { text, .. } => Some(text.as_str()),
                Effect::React { .. } | Effect::Upload { .. } | Effect::Forgotten { .. } => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The text of the last reply.
    pub fn last_reply(effects: &[Effect]) -> String {
        effects
            .iter()
            .rev()
            .find_map(|e| match e {
                Effect::Reply { text, .. } => Some(text.clone()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// Carla (a coordinator by configuration) adds and approves a post; returns its id (`c1`…).
    pub fn approved_post(&self, title: &str, extra: &str, now: DateTime<Utc>) -> String {
        let text = format!("!post add\ntitle: {title}\nlink: https://example.org/{}\ntext.en: {title} — join us!\ntext.fr: {title} — rejoignez-nous !\n{extra}", title.to_lowercase().replace(' ', "-"));
        let added = Bot::last_reply(&self.say_in("carla", "coord", &text, now));
        let items = relais::store::Store::items(&self.store).expect("items");
        let id = items
            .last()
            .unwrap_or_else(|| panic!("no item added: {added}"))
            .id
            .to_string();
        assert!(added.contains(&id), "{added}");
        let approved = Bot::last_reply(&self.say_in("carla", "coord", &format!("!post approve {id}"), now));
        assert!(approved.contains(&id), "{approved}");
        id
    }
}
