//! Scheduling rules: local wall-clock times to instants across daylight-saving changes, daily and
//! weekly occurrences, quiet hours, and the durable keys of scheduled actions.
//!
//! Daylight saving: a local time that does not exist (the spring gap) moves forward to the first
//! valid instant after the gap; a local time that happens twice (the autumn repeat) is the earlier
//! of the two. So every local date has exactly one occurrence of a daily time.

use super::{AmbassadorId, ItemId, Platform, RoomRef, WeekKey};
use chrono::{DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use std::fmt;
use std::str::FromStr;

/// One occurrence of a scheduled time: the local date it belongs to and the instant it falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Occurrence {
    pub date: NaiveDate,
    pub at: DateTime<Utc>,
}

/// The instant of the local date-time `local` in `tz` (see the module rules for DST).
pub fn resolve_local(local: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(at) => at.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.min(b).with_timezone(&Utc),
        LocalResult::None => end_of_gap(local, tz),
    }
}

/// The first instant whose local time in `tz` is at or after `local`: the end of the gap `local`
/// falls in. A binary search over whole seconds within 18 hours either side (offsets stay within
/// that), where the local time only moves forward.
fn end_of_gap(local: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    let naive_seconds = local.and_utc().timestamp();
    let reaches = |seconds: i64| {
        DateTime::from_timestamp(seconds, 0).is_some_and(|at| at.with_timezone(&tz).naive_local() >= local)
    };
    let (mut before, mut after) = (naive_seconds - 18 * 3600, naive_seconds + 18 * 3600);
    while after - before > 1 {
        let middle = before + (after - before) / 2;
        if reaches(middle) {
            after = middle;
        } else {
            before = middle;
        }
    }
    DateTime::from_timestamp(after, 0).unwrap_or_else(|| local.and_utc())
}

/// The instant of `time` on local `date` in `tz`.
pub fn at_local(date: NaiveDate, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
    resolve_local(date.and_time(time), tz)
}

/// The first occurrence of the daily local `time` in `tz` strictly after `after`.
pub fn next_daily(after: DateTime<Utc>, time: NaiveTime, tz: Tz) -> Occurrence {
    let today = after.with_timezone(&tz).date_naive();
    let start = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    days_from(start, 4)
        .map(|date| Occurrence {
            date,
            at: at_local(date, time, tz),
        })
        .find(|o| o.at > after)
        .unwrap_or(Occurrence {
            date: today,
            at: after + chrono::Duration::days(1),
        })
}

/// A day of the week and a local time: when a weekly action happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WeeklyTime {
    pub day: Weekday,
    pub time: NaiveTime,
}

impl fmt::Display for WeeklyTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", weekday_name(self.day), self.time.format("%H:%M"))
    }
}

/// The first occurrence of `weekly` (local time in `tz`) strictly after `after`.
pub fn next_weekly(after: DateTime<Utc>, weekly: WeeklyTime, tz: Tz) -> Occurrence {
    let today = after.with_timezone(&tz).date_naive();
    let start = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    days_from(start, 10)
        .filter(|date| date.weekday() == weekly.day)
        .map(|date| Occurrence {
            date,
            at: at_local(date, weekly.time, tz),
        })
        .find(|o| o.at > after)
        .unwrap_or(Occurrence {
            date: today,
            at: after + chrono::Duration::days(7),
        })
}

/// `count` consecutive dates from `start`.
fn days_from(start: NaiveDate, count: u64) -> impl Iterator<Item = NaiveDate> {
    (0..count).filter_map(move |n| start.checked_add_days(Days::new(n)))
}

/// The English name of a weekday, lower case (`monday`).
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

/// The text is not a day of the week.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a day of the week: write monday, tuesday, wednesday, thursday, friday, saturday or sunday")]
pub struct BadWeekday(pub String);

/// A day of the week in English, full or abbreviated, any case (`monday`, `Mon`).
pub fn parse_weekday(text: &str) -> Result<Weekday, BadWeekday> {
    let lower = text.trim().to_ascii_lowercase();
    let all = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    all.into_iter()
        .find(|day| {
            let name = weekday_name(*day);
            lower == name || (lower.len() == 3 && name.starts_with(&lower))
        })
        .ok_or_else(|| BadWeekday(text.trim().to_string()))
}

/// Whether someone away until `away_until` (inclusive, their local date) is away on local `today`.
pub fn is_away(away_until: Option<NaiveDate>, today: NaiveDate) -> bool {
    away_until.is_some_and(|last| today <= last)
}

/// `HH:MM` from 00:00 to 23:59 (one-digit hours accepted).
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let (hour, minute) = text.trim().split_once(':')?;
    let digits = |s: &str, lengths: &[usize]| lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(hour, &[1, 2]) || !digits(minute, &[2]) {
        return None;
    }
    NaiveTime::from_hms_opt(hour.parse().ok()?, minute.parse().ok()?, 0)
}

/// Local hours during which nobody gets a direct message: `[start, end)`, wrapping midnight when
/// `start` is after `end` (`21:00-08:00`). `start == end` means no quiet hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    /// No quiet hours at all.
    pub const NONE: QuietHours = QuietHours {
        start: NaiveTime::MIN,
        end: NaiveTime::MIN,
    };

    pub fn is_none(&self) -> bool {
        self.start == self.end
    }

    /// Whether the local time of day `time` is inside the quiet hours.
    pub fn contains(&self, time: NaiveTime) -> bool {
        if self.start <= self.end {
            self.start <= time && time < self.end
        } else {
            time >= self.start || time < self.end
        }
    }

    /// Whether the instant `at` is inside the quiet hours of someone living in `tz`.
    pub fn contains_instant(&self, at: DateTime<Utc>, tz: Tz) -> bool {
        self.contains(at.with_timezone(&tz).time())
    }
}

impl Default for QuietHours {
    /// 21:00 to 08:00.
    fn default() -> Self {
        let time = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
        QuietHours {
            start: time(21),
            end: time(8),
        }
    }
}

impl fmt::Display for QuietHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_none() {
            f.write_str("off")
        } else {
            write!(f, "{}-{}", self.start.format("%H:%M"), self.end.format("%H:%M"))
        }
    }
}

/// The text is not a quiet-hours range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadQuietHours {
    #[error("`{0}` is not a range of hours: write it as HH:MM-HH:MM, e.g. 21:00-08:00, or `off`")]
    Shape(String),
    #[error("`{0}` starts and ends at the same time: write `off` for no quiet hours")]
    Empty(String),
}

impl FromStr for QuietHours {
    type Err = BadQuietHours;
    /// `HH:MM-HH:MM` (the range may wrap midnight) or `off`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("off") {
            return Ok(QuietHours::NONE);
        }
        let shape = || BadQuietHours::Shape(trimmed.to_string());
        let (start, end) = trimmed.split_once('-').ok_or_else(shape)?;
        let (start, end) = (parse_time(start).ok_or_else(shape)?, parse_time(end).ok_or_else(shape)?);
        if start == end {
            return Err(BadQuietHours::Empty(trimmed.to_string()));
        }
        Ok(QuietHours { start, end })
    }
}

/// The durable key of one scheduled (or urgent) action: what, for whom, for which local date or
/// week. Written `push:<room>:<date>`, `nudge:<ambassador>:<date>`, `board:<room>:<week>`,
/// `report:<room>:<week>`, `urgent:<item>:<date>` (rooms are `platform:id`, ambassadors `a12`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActionKey {
    /// The daily push to a room, for a local date of the organisation.
    Push { room: RoomRef, date: NaiveDate },
    /// A personal reminder, for a local date of the ambassador.
    Nudge { ambassador: AmbassadorId, date: NaiveDate },
    /// The weekly leaderboard posted to a team room, for the week it ranks.
    Board { room: RoomRef, week: WeekKey },
    /// The weekly report posted to a coordinators' room, for the week it covers.
    Report { room: RoomRef, week: WeekKey },
    /// An urgent push of an item, for a local date of the organisation.
    Urgent { item: ItemId, date: NaiveDate },
}

impl ActionKey {
    /// `push`, `nudge`, `board`, `report` or `urgent`.
    pub fn kind(&self) -> &'static str {
        match self {
            ActionKey::Push { .. } => "push",
            ActionKey::Nudge { .. } => "nudge",
            ActionKey::Board { .. } => "board",
            ActionKey::Report { .. } => "report",
            ActionKey::Urgent { .. } => "urgent",
        }
    }

    /// The idempotency key of one effect of this action: `<action key>#<part>`.
    pub fn part(&self, part: impl fmt::Display) -> String {
        format!("{self}#{part}")
    }
}

impl fmt::Display for ActionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.kind();
        match self {
            ActionKey::Push { room, date } => write!(f, "{kind}:{room}:{date}"),
            ActionKey::Nudge { ambassador, date } => write!(f, "{kind}:{ambassador}:{date}"),
            ActionKey::Board { room, week } | ActionKey::Report { room, week } => write!(f, "{kind}:{room}:{week}"),
            ActionKey::Urgent { item, date } => write!(f, "{kind}:{item}:{date}"),
        }
    }
}

/// The text is not an action key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an action key")]
pub struct BadActionKey(pub String);

impl FromStr for ActionKey {
    type Err = BadActionKey;
    /// The inverse of `Display`. Room ids may contain `:`; the last field never does.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadActionKey(text.to_string());
        let (kind, rest) = text.split_once(':').ok_or_else(bad)?;
        let (target, when) = rest.rsplit_once(':').ok_or_else(bad)?;
        let date = || when.parse::<NaiveDate>().map_err(|_| bad());
        let week = || when.parse::<WeekKey>().map_err(|_| bad());
        let room = || -> Result<RoomRef, BadActionKey> {
            let (platform, id) = target.split_once(':').ok_or_else(bad)?;
            let platform: Platform = platform.parse().map_err(|_| bad())?;
            if id.is_empty() {
                return Err(bad());
            }
            Ok(RoomRef::new(platform, id))
        };
        match kind {
            "push" => Ok(ActionKey::Push {
                room: room()?,
                date: date()?,
            }),
            "board" => Ok(ActionKey::Board {
                room: room()?,
                week: week()?,
            }),
            "report" => Ok(ActionKey::Report {
                room: room()?,
                week: week()?,
            }),
            "nudge" => {
                let id = target.strip_prefix('a').and_then(|n| n.parse().ok()).ok_or_else(bad)?;
                Ok(ActionKey::Nudge {
                    ambassador: AmbassadorId(id),
                    date: date()?,
                })
            }
            "urgent" => Ok(ActionKey::Urgent {
                item: target.parse().map_err(|_| bad())?,
                date: date()?,
            }),
            _ => Err(bad()),
        }
    }
}

#[cfg(test)]
mod tests;
