//! The instants Relais works with: from 1970 to the end of 9999 (UTC). chrono reaches year 262142,
//! but the core computes with what it is given (ISO weeks and their bounds, days and weeks ahead,
//! time zones), and near chrono's end that arithmetic overflows and panics. Every instant a person
//! can choose (`--now`, the demo's `/advance`) is checked against this range first.

use chrono::{DateTime, Duration, Utc};

/// The first instant Relais accepts: 1970-01-01 00:00:00 UTC.
pub fn earliest() -> DateTime<Utc> {
    DateTime::UNIX_EPOCH
}

/// The last instant Relais accepts: 9999-12-31 23:59:59 UTC, the last second with a four-digit
/// year (as RFC 3339 and the chat commands write them).
pub fn latest() -> DateTime<Utc> {
    DateTime::from_timestamp(253_402_300_799, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Why an instant was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstantError {
    #[error("`{0}` is not a date and time: write it as in RFC 3339, e.g. 2026-11-23T09:00:00Z")]
    Malformed(String),
    #[error("{0} is out of range: Relais works with instants from 1970-01-01 to 9999-12-31 (UTC)")]
    OutOfRange(String),
}

/// `at` if it lies in the range Relais works with.
pub fn in_range(at: DateTime<Utc>) -> Result<DateTime<Utc>, InstantError> {
    if (earliest()..=latest()).contains(&at) {
        Ok(at)
    } else {
        Err(InstantError::OutOfRange(at.to_rfc3339()))
    }
}

/// An RFC 3339 instant (`2026-11-23T09:00:00Z`, `2026-11-23T10:00:00+01:00`) in the range Relais
/// works with.
pub fn parse(text: &str) -> Result<DateTime<Utc>, InstantError> {
    let text = text.trim();
    let at: DateTime<Utc> = text.parse().map_err(|_| InstantError::Malformed(text.to_string()))?;
    in_range(at)
}

/// `at + by` if both the sum can be computed and it lies in the range Relais works with.
pub fn add(at: DateTime<Utc>, by: Duration) -> Option<DateTime<Utc>> {
    at.checked_add_signed(by).filter(|sum| in_range(*sum).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::WeekKey;
    use proptest::prelude::*;

    #[test]
    fn instants_parse_in_range_and_are_refused_out_of_it() {
        let rows = [
            ("2026-11-23T09:00:00Z", Ok("2026-11-23T09:00:00+00:00")),
            (" 2026-11-23T10:00:00+01:00 ", Ok("2026-11-23T09:00:00+00:00")),
            ("1970-01-01T00:00:00Z", Ok("1970-01-01T00:00:00+00:00")),
            ("9999-12-31T23:59:59Z", Ok("9999-12-31T23:59:59+00:00")),
            ("1969-12-31T23:59:59Z", Err("out of range")),
            ("9999-12-31T23:59:59-01:00", Err("out of range")),
            ("+262142-12-31T23:00:00Z", Err("out of range")),
            ("2026-11-23", Err("not a date and time")),
            ("soon", Err("not a date and time")),
        ];
        for (text, want) in rows {
            match (parse(text), want) {
                (Ok(at), Ok(expected)) => assert_eq!(at.to_rfc3339(), expected, "{text}"),
                (Err(e), Err(expected)) => assert!(e.to_string().contains(expected), "{text}: {e}"),
                (got, _) => panic!("{text}: {got:?}, expected {want:?}"),
            }
        }
    }

    #[test]
    fn the_end_of_chrono_is_out_of_range_and_adding_past_the_end_is_refused() {
        assert!(matches!(
            in_range(DateTime::<Utc>::MAX_UTC),
            Err(InstantError::OutOfRange(_))
        ));
        assert_eq!(add(latest(), Duration::seconds(1)), None);
        assert_eq!(add(earliest(), Duration::seconds(-1)), None);
        assert_eq!(add(DateTime::<Utc>::MAX_UTC, Duration::MAX), None);
        assert_eq!(add(latest(), Duration::zero()), Some(latest()));
    }

    proptest! {
        #[test]
        fn parsing_any_text_never_panics(text in any::<String>()) {
            let _ = parse(&text);
        }

        #[test]
        fn parsing_any_instant_chrono_can_write_never_panics_and_what_is_accepted_is_usable(
            seconds in DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp(),
            offset_minutes in -1439i32..=1439,
        ) {
            let Some(at) = DateTime::from_timestamp(seconds, 0) else { return Ok(()) };
            let zone = chrono::FixedOffset::east_opt(offset_minutes * 60).expect("an offset under a day");
            let text = at.with_timezone(&zone).to_rfc3339();
            if let Ok(parsed) = parse(&text) {
                prop_assert_eq!(parsed, at);
                // What the core does with the clock: weeks in a far time zone, a year ahead.
                let week = WeekKey::of(parsed, chrono_tz::Pacific::Kiritimati);
                let _ = week.next().bounds(chrono_tz::Pacific::Kiritimati);
                let _ = parsed + Duration::days(400);
            }
        }
    }
}
