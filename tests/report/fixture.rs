//! Test fixture for the coordinator report: an organisation in Paris over the in-memory store,
//! filled directly through the store (people with Matrix ids, items, reshares at given instants).

#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use relais::app::{App, CampaignGoal, RoomSettings, Settings};
use relais::domain::reshare::AmbassadorStats;
use relais::domain::{
    Ambassador, AmbassadorId, Identity, Intent, Item, ItemId, ItemKind, ItemStatus, Lang, Network, Platform, Prefs,
    Reshare, ReshareSource, Role, RoomRef, WeekKey,
};
use relais::prompts::Prompts;
use relais::store::{MemoryStore, Store};
use std::cell::Cell;
use std::collections::BTreeMap;

/// The week most tests report on: Monday 16 to Sunday 22 November 2026.
pub fn w47() -> WeekKey {
    WeekKey { year: 2026, week: 47 }
}

/// `2026-month-day hour:minute` UTC (Paris is UTC+1 in November).
pub fn utc(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .single()
        .expect("valid test instant")
}

pub fn date(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).expect("valid test date")
}

pub fn goal(name: &str, start: NaiveDate, goal_reshares: u32, goal_date: NaiveDate) -> CampaignGoal {
    CampaignGoal {
        name: name.into(),
        start,
        goal_reshares,
        goal_date,
    }
}

/// The coordinators' room (English) and the team room (French).
pub fn coord_room() -> RoomRef {
    RoomRef::new(Platform::Console, "coord")
}

pub fn team_room() -> RoomRef {
    RoomRef::new(Platform::Console, "equipe")
}

fn prompts() -> &'static Prompts {
    static PROMPTS: std::sync::OnceLock<Prompts> = std::sync::OnceLock::new();
    PROMPTS.get_or_init(Prompts::for_tests)
}

pub struct Org {
    pub settings: Settings,
    pub store: MemoryStore,
    next_url: Cell<u64>,
}

impl Org {
    pub fn new(campaigns: Vec<CampaignGoal>) -> Self {
        let room = |room: RoomRef, lang, coordinators_room| RoomSettings {
            room,
            lang,
            push_time: chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("time"),
            coordinators_room,
        };
        let settings = Settings {
            org_name: "Living Rivers".into(),
            org_tz: chrono_tz::Europe::Paris,
            default_lang: Lang::En,
            coordinators: vec![Identity::new(Platform::Console, "carla")],
            rooms: vec![room(coord_room(), Lang::En, true), room(team_room(), Lang::Fr, false)],
            campaigns,
            ..Settings::default()
        };
        Org {
            settings,
            store: MemoryStore::new(),
            next_url: Cell::new(0),
        }
    }

    pub fn app(&self) -> App<'_> {
        App::new(&self.settings, prompts(), &self.store)
    }

    /// Someone called `name` (a Matrix user `@name:example.org`, lower case) who joined at `joined`.
    pub fn person(&self, name: &str, joined: DateTime<Utc>) -> AmbassadorId {
        let id = self.store.next_ambassador_id().expect("id");
        let user = format!("@{}:example.org", name.to_lowercase().replace(' ', "."));
        let who = Ambassador {
            id,
            code: format!("code{}", id.0),
            display_name: name.into(),
            identities: vec![Identity::new(Platform::Matrix, user)],
            lang: Lang::En,
            tz: "Europe/Paris".into(),
            role: Role::Ambassador,
            prefs: Prefs::default(),
            joined_at: joined,
        };
        self.store.put_ambassador(&who).expect("ambassador stored");
        id
    }

    pub fn item(&self, title: &str, campaign: Option<&str>, intent: Intent) -> ItemId {
        let id = self.store.next_item_id().expect("item id");
        let item = Item {
            id,
            title: title.into(),
            link: format!("https://rivers.example.org/{}", id.0),
            texts: BTreeMap::from([(Lang::En, format!("{title}!"))]),
            captions: Vec::new(),
            hashtags: Vec::new(),
            campaign: campaign.map(String::from),
            intent,
            kind: ItemKind::Evergreen,
            publish: date(10, 1),
            status: ItemStatus::Approved,
            created_by: AmbassadorId(1),
            created_at: utc(10, 1, 8, 0),
        };
        self.store.put_item(&item).expect("item stored");
        id
    }

    /// A 10-point reshare by `who` of `item` on `network` at `at`, with a URL of its own.
    pub fn reshare(&self, who: AmbassadorId, item: Option<ItemId>, network: Network, at: DateTime<Utc>) {
        let n = self.next_url.get() + 1;
        self.next_url.set(n);
        let url = format!("https://{}.example.net/post/{n}", network.key());
        let reshare = Reshare {
            id: 0,
            ambassador: who,
            item,
            network,
            url: Some(url.clone()),
            dedup_key: url,
            keys: Vec::new(),
            source: ReshareSource::Command,
            at,
            points: 10,
            week: WeekKey::of(at, chrono_tz::Europe::Paris),
        };
        self.store
            .record_reshare(reshare, &AmbassadorStats::default())
            .expect("reshare stored");
    }

    /// `count` reshares of `item` by `who` on X, one a minute from `from`.
    pub fn reshares(&self, who: AmbassadorId, item: ItemId, count: u32, from: DateTime<Utc>) {
        for minute in 0..count {
            self.reshare(
                who,
                Some(item),
                Network::X,
                from + chrono::Duration::minutes(i64::from(minute)),
            );
        }
    }
}
