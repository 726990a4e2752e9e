//! The settings the core needs, already validated (built from `bot-config/` by `crate::config`).

use crate::domain::schedule::{QuietHours, WeeklyTime};
use crate::domain::scoring::PointsRules;
use crate::domain::{Identity, Lang, RoomRef};
use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;

/// Validated, platform-neutral settings of one Relais instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub org_name: String,
    /// Weeks, publish dates and reports are in this zone.
    pub org_tz: Tz,
    /// Language of new ambassadors and fallback for item texts.
    pub default_lang: Lang,
    /// Command prefix (default `!`).
    pub prefix: String,
    /// Longer messages are refused politely (default 4000 characters).
    pub max_message_chars: usize,
    pub points: PointsRules,
    /// Identities that are coordinators from the start (config), in addition to granted roles.
    pub coordinators: Vec<Identity>,
    /// The rooms of the configuration (`[[rooms]]`). They seed the rooms served, which can change
    /// from chat: the core reads those from [`App::rooms`](crate::app::App::rooms).
    pub rooms: Vec<RoomSettings>,
    /// Local time of personal nudges for ambassadors who did not choose one.
    pub default_nudge_time: NaiveTime,
    /// A hot item without `expires` expires at the end of its publish day plus this many days.
    pub hot_default_days: u32,
    /// How many ambassadors the public leaderboard shows.
    pub leaderboard_size: usize,
    /// How long a `link` code stays valid, in minutes.
    pub link_code_minutes: u32,
    /// Campaign goals followed by the coordinator report.
    pub campaigns: Vec<CampaignGoal>,
    /// When scheduled actions happen and what happens to missed ones.
    pub schedule: ScheduleSettings,
}

/// A campaign's goal: `goal_reshares` reshares of its items between `start` and `goal_date`
/// (organisation-zone dates, both included). Items belong to a campaign by name (case-insensitive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignGoal {
    pub name: String,
    pub start: NaiveDate,
    pub goal_reshares: u32,
    /// Never before `start` (the configuration checker refuses it).
    pub goal_date: NaiveDate,
}

/// The scheduler's settings (`[schedule]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleSettings {
    /// A missed action is still done this long after it was due; later it is skipped and listed in
    /// the next report.
    pub grace: chrono::Duration,
    /// No direct messages in these local hours (each ambassador's own zone).
    pub quiet_hours: QuietHours,
    /// When the weekly leaderboard is posted to the team rooms (organisation zone).
    pub leaderboard: WeeklyTime,
    /// When the weekly report is posted to the coordinators' rooms (organisation zone).
    pub report: WeeklyTime,
}

impl Default for ScheduleSettings {
    /// Two hours of grace, quiet from 21:00 to 08:00, board and report on Monday at 09:00.
    fn default() -> Self {
        let monday_nine = WeeklyTime {
            day: Weekday::Mon,
            time: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
        };
        ScheduleSettings {
            grace: chrono::Duration::minutes(120),
            quiet_hours: QuietHours::default(),
            leaderboard: monday_nine,
            report: monday_nine,
        }
    }
}

/// A room Relais serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomSettings {
    pub room: RoomRef,
    pub lang: Lang,
    /// Local time (organisation zone) of the daily push.
    pub push_time: NaiveTime,
    /// The coordinators' room receives reports.
    pub coordinators_room: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            org_name: "Relais".into(),
            org_tz: chrono_tz::UTC,
            default_lang: Lang::En,
            prefix: "!".into(),
            max_message_chars: 4000,
            points: PointsRules::default(),
            coordinators: Vec::new(),
            rooms: Vec::new(),
            default_nudge_time: NaiveTime::from_hms_opt(18, 0, 0).expect("valid time"),
            hot_default_days: 1,
            leaderboard_size: 10,
            link_code_minutes: 30,
            campaigns: Vec::new(),
            schedule: ScheduleSettings::default(),
        }
    }
}

impl Settings {
    /// The settings of `room`, if the configuration lists it.
    pub fn room(&self, room: &RoomRef) -> Option<&RoomSettings> {
        self.rooms.iter().find(|r| &r.room == room)
    }

    /// The rooms of the ambassadors (every room that is not a coordinators' room).
    pub fn team_rooms(&self) -> impl Iterator<Item = &RoomSettings> {
        self.rooms.iter().filter(|r| !r.coordinators_room)
    }

    /// The coordinators' rooms.
    pub fn coordinator_rooms(&self) -> impl Iterator<Item = &RoomSettings> {
        self.rooms.iter().filter(|r| r.coordinators_room)
    }
}
