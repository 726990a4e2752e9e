//! ISO weeks (`2026-W47`) in the organisation's time zone.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An ISO-8601 week: year and week number. Orders chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct WeekKey {
    pub year: i32,
    pub week: u32,
}

impl WeekKey {
    /// The ISO week that `at` falls in, seen from time zone `tz`.
    pub fn of(at: DateTime<Utc>, tz: Tz) -> Self {
        Self::of_date(at.with_timezone(&tz).date_naive())
    }

    /// The ISO week of a calendar date.
    pub fn of_date(date: NaiveDate) -> Self {
        let w = date.iso_week();
        WeekKey {
            year: w.year(),
            week: w.week(),
        }
    }

    /// Monday of this week.
    pub fn monday(self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon).expect("a WeekKey is always a valid ISO week")
    }

    /// The week before.
    pub fn previous(self) -> Self {
        Self::of_date(self.monday() - chrono::Days::new(7))
    }

    /// The week after.
    pub fn next(self) -> Self {
        Self::of_date(self.monday() + chrono::Days::new(7))
    }

    /// `[start, end)` of this week in UTC, where the week runs Monday 00:00 to Monday 00:00 in `tz`.
    pub fn bounds(self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            local_midnight(self.monday(), tz),
            local_midnight(self.next().monday(), tz),
        )
    }

    /// A big-endian key for ordered stores (year then week).
    pub fn to_bytes(self) -> [u8; 6] {
        let mut b = [0u8; 6];
        b[..4].copy_from_slice(&(self.year as u32 ^ 0x8000_0000).to_be_bytes());
        b[4..].copy_from_slice(&(self.week as u16).to_be_bytes());
        b
    }
}

/// The first instant of `date` in `tz` (handles days that start at 01:00 because of DST).
pub fn local_midnight(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let mut t = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    for _ in 0..48 {
        if let Some(dt) = tz.from_local_datetime(&t).earliest() {
            return dt.with_timezone(&Utc);
        }
        t += chrono::Duration::minutes(30);
    }
    Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

impl fmt::Display for WeekKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

/// The text is not an ISO week.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a week (write it like 2026-W47)")]
pub struct BadWeek(pub String);

impl FromStr for WeekKey {
    type Err = BadWeek;
    /// Accepts `2026-W47`, `2026-w47` and `2026W47`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadWeek(s.trim().to_string());
        let t = s.trim().to_ascii_uppercase();
        let (y, w) = t.split_once('W').ok_or_else(bad)?;
        let y = y.strip_suffix('-').unwrap_or(y);
        if y.len() != 4 || w.is_empty() || w.len() > 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let week: u32 = w.parse().map_err(|_| bad())?;
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).ok_or_else(bad)?;
        Ok(WeekKey { year, week })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_parse_print_and_step() {
        let w: WeekKey = "2026-W47".parse().unwrap();
        assert_eq!(w.to_string(), "2026-W47");
        assert_eq!(w.monday(), NaiveDate::from_ymd_opt(2026, 11, 16).unwrap());
        assert_eq!("2026w01".parse::<WeekKey>().unwrap().previous().to_string(), "2025-W52");
        assert_eq!("2020-W53".parse::<WeekKey>().unwrap().next().to_string(), "2021-W01");
        for bad in ["2026-W54", "2026-W00", "W47", "2026-47", "26-W4", "2026-Wxx", ""] {
            assert!(bad.parse::<WeekKey>().is_err(), "{bad}");
        }
    }

    #[test]
    fn week_membership_follows_the_organisation_time_zone() {
        // Sunday 23:30 UTC is already Monday in Paris (UTC+1 in winter).
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 23, 30, 0).unwrap();
        assert_eq!(WeekKey::of(at, chrono_tz::UTC).to_string(), "2026-W47");
        assert_eq!(WeekKey::of(at, chrono_tz::Europe::Paris).to_string(), "2026-W48");
        let (start, end) = WeekKey::of(at, chrono_tz::Europe::Paris).bounds(chrono_tz::Europe::Paris);
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 11, 22, 23, 0, 0).unwrap());
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 11, 29, 23, 0, 0).unwrap());
    }

    #[test]
    fn keys_order_like_weeks() {
        let a: WeekKey = "2025-W52".parse().unwrap();
        let b: WeekKey = "2026-W01".parse().unwrap();
        assert!(a < b && a.to_bytes() < b.to_bytes());
    }
}
