//! The serde types of `bot-config/*.toml`: one struct per section, kebab-case keys, unknown keys refused.
//!
//! Every field is already validated when a value of these types exists (the parsers are in
//! `fields`), so the rest of Relais never re-checks a time zone or a time of day.

use super::{fields, item_fields};
use crate::domain::schedule::QuietHours;
use crate::domain::{Caption, Identity, Intent, ItemStatus, Lang, Platform, Role};
use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A whole configuration file. Only `[organisation]` (with its `name`) is required.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    pub organisation: Organisation,
    #[serde(default)]
    pub bot: Bot,
    #[serde(default)]
    pub points: Points,
    #[serde(default)]
    pub store: Store,
    #[serde(default)]
    pub nudges: Nudges,
    #[serde(default)]
    pub schedule: Schedule,
    /// Identities (`platform:user`) that are coordinators from the start.
    #[serde(default, deserialize_with = "fields::identities")]
    pub coordinators: Vec<Identity>,
    #[serde(default)]
    pub rooms: Vec<Room>,
    /// Campaign goals followed by the coordinator report.
    #[serde(default)]
    pub campaigns: Vec<Campaign>,
    /// Present when Relais should connect to Matrix.
    #[serde(default)]
    pub matrix: Option<Matrix>,
    /// Present when Relais should connect to Discord.
    #[serde(default)]
    pub discord: Option<Discord>,
    /// Seed data for `relais demo` (only in the demo configuration).
    #[serde(default)]
    pub demo: Option<Demo>,
}

/// `[organisation]`: who runs the programme.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Organisation {
    #[serde(deserialize_with = "fields::non_empty")]
    pub name: String,
    /// IANA time zone of weeks, publish dates and reports (default UTC).
    #[serde(default = "fields::utc", deserialize_with = "fields::time_zone")]
    pub time_zone: Tz,
    /// Language of new ambassadors and rooms without one (default English).
    #[serde(default = "fields::english", deserialize_with = "fields::lang")]
    pub default_language: Lang,
}

/// `store.backend`: the database that keeps Relais' data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreBackend {
    /// sled, the default.
    #[default]
    Sled,
    /// SQLite: a bounded page cache, for the smallest memory footprint.
    Sqlite,
}

/// How the bot's log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// `[bot]`: how the bot talks.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Bot {
    #[serde(deserialize_with = "fields::prefix")]
    pub prefix: String,
    #[serde(deserialize_with = "fields::bounded::<100, 20000, _, _>")]
    pub max_message_chars: usize,
    /// Folder of the message templates; a relative path is relative to the current directory.
    #[serde(deserialize_with = "fields::path")]
    pub prompts_dir: PathBuf,
    #[serde(deserialize_with = "fields::bounded::<1, 50, _, _>")]
    pub leaderboard_size: usize,
    #[serde(deserialize_with = "fields::bounded::<1, 1440, _, _>")]
    pub link_code_minutes: u32,
    #[serde(deserialize_with = "fields::bounded::<0, 30, _, _>")]
    pub hot_default_days: u32,
    pub log_format: LogFormat,
}

impl Default for Bot {
    fn default() -> Self {
        Bot {
            prefix: "!".into(),
            max_message_chars: 4000,
            prompts_dir: PathBuf::from("prompts"),
            leaderboard_size: 10,
            link_code_minutes: 30,
            hot_default_days: 1,
            log_format: LogFormat::Text,
        }
    }
}

/// `[points]`: what a reshare earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Points {
    #[serde(deserialize_with = "fields::bounded::<0, 1000, _, _>")]
    pub reshare: u32,
    #[serde(deserialize_with = "fields::bounded::<0, 1000, _, _>")]
    pub same_day_bonus: u32,
    #[serde(deserialize_with = "fields::bounded::<0, 1000, _, _>")]
    pub streak_bonus: u32,
    #[serde(deserialize_with = "fields::bounded::<2, 365, _, _>")]
    pub streak_min_days: u32,
}

impl Default for Points {
    fn default() -> Self {
        Points {
            reshare: 10,
            same_day_bonus: 5,
            streak_bonus: 3,
            streak_min_days: 2,
        }
    }
}

/// `[store]`: where the data lives.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Store {
    /// Which database keeps the data.
    pub backend: StoreBackend,
    /// The database directory; a relative path is relative to the current directory.
    #[serde(deserialize_with = "fields::path")]
    pub path: PathBuf,
    #[serde(deserialize_with = "fields::bounded::<1, 1024, _, _>")]
    pub cache_mb: u64,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            backend: StoreBackend::default(),
            path: PathBuf::from("relais-data"),
            cache_mb: 8,
        }
    }
}

/// `[nudges]`: personal reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Nudges {
    /// Local time of nudges for ambassadors who did not choose one.
    #[serde(deserialize_with = "fields::hh_mm")]
    pub default_time: NaiveTime,
}

impl Default for Nudges {
    fn default() -> Self {
        Nudges {
            default_time: fields::time_of_day(18, 0),
        }
    }
}

/// `[schedule]`: when scheduled actions happen, and what happens to missed ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Schedule {
    /// A missed action is still done this many minutes after it was due (after a restart);
    /// later it is skipped and listed in the next report.
    #[serde(deserialize_with = "fields::bounded::<0, 1440, _, _>")]
    pub grace_minutes: u32,
    /// `HH:MM-HH:MM` in each person's own zone (may wrap midnight), or `off`.
    #[serde(deserialize_with = "fields::quiet_hours")]
    pub quiet_hours: QuietHours,
    #[serde(deserialize_with = "fields::weekday")]
    pub leaderboard_day: Weekday,
    #[serde(deserialize_with = "fields::hh_mm")]
    pub leaderboard_time: NaiveTime,
    #[serde(deserialize_with = "fields::weekday")]
    pub report_day: Weekday,
    #[serde(deserialize_with = "fields::hh_mm")]
    pub report_time: NaiveTime,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            grace_minutes: 120,
            quiet_hours: QuietHours::default(),
            leaderboard_day: Weekday::Mon,
            leaderboard_time: fields::nine(),
            report_day: Weekday::Mon,
            report_time: fields::nine(),
        }
    }
}

/// `[[rooms]]`: a room Relais serves.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Room {
    #[serde(deserialize_with = "fields::platform")]
    pub platform: Platform,
    /// Matrix room id, Discord channel id or console room name.
    #[serde(deserialize_with = "fields::no_whitespace")]
    pub id: String,
    /// Defaults to the organisation's default language.
    #[serde(default, deserialize_with = "fields::opt_lang")]
    pub language: Option<Lang>,
    /// Local time (organisation zone) of the daily push (default 09:00).
    #[serde(default = "fields::nine", deserialize_with = "fields::hh_mm")]
    pub push_time: NaiveTime,
    #[serde(default)]
    pub coordinators_room: bool,
}

/// `[[campaigns]]`: a campaign's goal, `goal-reshares` reshares of its items from `start` to `goal-date`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Campaign {
    /// As written in the items' `campaign` (compared without regard to case).
    #[serde(deserialize_with = "fields::non_empty")]
    pub name: String,
    /// First day counted (organisation time zone), a TOML date such as 2026-11-01.
    #[serde(deserialize_with = "fields::date")]
    pub start: NaiveDate,
    #[serde(deserialize_with = "fields::bounded::<1, 10000000, _, _>")]
    pub goal_reshares: u32,
    /// Last day counted; not before `start`.
    #[serde(deserialize_with = "fields::date")]
    pub goal_date: NaiveDate,
}

/// `[matrix]`: the Matrix account of the bot. Secrets are named, never written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Matrix {
    #[serde(deserialize_with = "fields::http_url")]
    pub homeserver: String,
    #[serde(deserialize_with = "fields::matrix_user")]
    pub user_id: String,
    /// Name of the environment variable holding the password.
    #[serde(default, deserialize_with = "fields::opt_env_name")]
    pub password_env: Option<String>,
    /// Name of the environment variable holding an access token.
    #[serde(default, deserialize_with = "fields::opt_env_name")]
    pub access_token_env: Option<String>,
    /// Users (`@carla:example.org`) or whole servers (`:example.org`) whose invitations the bot accepts.
    #[serde(default, deserialize_with = "fields::matrix_inviters")]
    pub allowed_inviters: Vec<String>,
    /// Users (`@announcer:example.org`) whose messages the bot ignores, besides itself and bot-named users.
    #[serde(default, deserialize_with = "fields::matrix_users")]
    pub ignored_users: Vec<String>,
    /// Where the Matrix session and encryption keys are kept (default `relais-matrix`).
    #[serde(default = "fields::matrix_state_dir", deserialize_with = "fields::path")]
    pub state_dir: PathBuf,
    /// Name of the environment variable holding the passphrase that encrypts matrix-sdk's stores
    /// in `state-dir/sdk` (none: unencrypted).
    #[serde(default, deserialize_with = "fields::opt_env_name")]
    pub store_passphrase_env: Option<String>,
    /// Reactions on a daily push that count as a quick claim (default ✅ 🔁 👍).
    #[serde(default = "default_claim_reactions")]
    pub claim_reactions: Vec<String>,
}

fn default_claim_reactions() -> Vec<String> {
    ["✅", "🔁", "👍"].iter().map(|k| k.to_string()).collect()
}

/// `[discord]`: the Discord bot account.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Discord {
    /// Name of the environment variable holding the bot token.
    #[serde(deserialize_with = "fields::env_name")]
    pub token_env: String,
    /// Base of the Discord REST API (default `https://discord.com/api`; overridable for tests).
    #[serde(default = "fields::discord_api", deserialize_with = "fields::http_url")]
    pub api_base: String,
    /// Guild (server) ids the bot serves; empty means every guild it is in.
    #[serde(default, deserialize_with = "fields::snowflakes")]
    pub guilds: Vec<String>,
}

/// `[demo]`: seed data for `relais demo` (console only).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Demo {
    pub ambassadors: Vec<DemoAmbassador>,
    pub items: Vec<DemoItem>,
    pub reshares: Vec<DemoReshare>,
}

/// `[[demo.ambassadors]]`: a console user taking part.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DemoAmbassador {
    /// Console user name (`alice`).
    #[serde(deserialize_with = "fields::no_whitespace")]
    pub name: String,
    /// Defaults to `name`.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Defaults to the organisation's default language.
    #[serde(default, deserialize_with = "fields::opt_lang")]
    pub language: Option<Lang>,
    /// Defaults to the organisation's time zone.
    #[serde(default, deserialize_with = "fields::opt_time_zone")]
    pub time_zone: Option<Tz>,
    #[serde(default = "fields::ambassador")]
    pub role: Role,
    #[serde(default)]
    pub mastodon_instance: Option<String>,
}

/// Whether a demo item is hot (matters now, expires) or evergreen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DemoKind {
    Hot,
    #[default]
    Evergreen,
}

/// `[[demo.items]]`: a content item.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DemoItem {
    #[serde(deserialize_with = "fields::non_empty")]
    pub title: String,
    #[serde(deserialize_with = "fields::http_url")]
    pub link: String,
    /// Text per language (at least one).
    #[serde(deserialize_with = "item_fields::texts")]
    pub texts: BTreeMap<Lang, String>,
    /// Keys `network` or `network.lang` (`x`, `linkedin.fr`).
    #[serde(default, deserialize_with = "item_fields::captions")]
    pub captions: Vec<Caption>,
    /// Without the leading `#` (a leading `#` is dropped).
    #[serde(default, deserialize_with = "item_fields::hashtags")]
    pub hashtags: Vec<String>,
    #[serde(default)]
    pub campaign: Option<String>,
    #[serde(default = "fields::awareness")]
    pub intent: Intent,
    #[serde(default)]
    pub kind: DemoKind,
    /// Publish date relative to today (organisation zone): 0 today, -1 yesterday.
    #[serde(default, deserialize_with = "fields::bounded::<-365, 365, _, _>")]
    pub publish_offset_days: i64,
    /// Hot items only: hours from now until the item expires.
    #[serde(default, deserialize_with = "fields::opt_bounded::<1, 720, _, _>")]
    pub expires_in_hours: Option<u32>,
    #[serde(default = "fields::approved")]
    pub status: ItemStatus,
}

/// `[[demo.reshares]]`: a reshare already made.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DemoReshare {
    /// A `name` from `[[demo.ambassadors]]`.
    pub ambassador: String,
    /// 1-based position in `[[demo.items]]`; omitted for a reshare of no particular item.
    #[serde(default, deserialize_with = "fields::opt_bounded::<1, 10000, _, _>")]
    pub item: Option<usize>,
    #[serde(deserialize_with = "fields::http_url")]
    pub url: String,
    #[serde(default, deserialize_with = "fields::bounded::<0, 365, _, _>")]
    pub days_ago: u32,
}
