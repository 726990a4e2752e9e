//! The durations typed to the console's `/advance`: `90m`, `2h`, `1d`, `1w`, or a sum such as
//! `1d2h30m`, at most [`MAX_DAYS`] days. Any text gives a duration or a clear error, never a
//! panic: numbers and sums are computed with checks, so `100000000000d100000000000d` is "too
//! long", not an overflow.

use chrono::Duration;

/// The longest duration accepted.
pub const MAX_DAYS: i64 = 400;

/// Why a text is not a duration to advance by.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("`{0}` is not a duration")]
    Malformed(String),
    #[error("`{0}` is too long: at most {MAX_DAYS} days at a time")]
    TooLong(String),
}

/// Parses a duration; zero is not one.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let text = text.trim();
    let malformed = || DurationError::Malformed(text.to_string());
    let too_long = || DurationError::TooLong(text.to_string());
    let max = Duration::days(MAX_DAYS);
    let mut total = Duration::zero();
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        if number.is_empty() {
            return Err(malformed());
        }
        // Only digits: a number too big for i64 is far longer than the maximum.
        let n: i64 = number.parse().map_err(|_| too_long())?;
        number.clear();
        let part = match c {
            's' => Duration::try_seconds(n),
            'm' => Duration::try_minutes(n),
            'h' => Duration::try_hours(n),
            'd' => Duration::try_days(n),
            'w' => Duration::try_weeks(n),
            _ => return Err(malformed()),
        };
        total = part
            .and_then(|part| total.checked_add(&part))
            .filter(|sum| *sum <= max)
            .ok_or_else(too_long)?;
    }
    if !number.is_empty() || total.is_zero() {
        return Err(malformed());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn durations_parse_in_units_and_sums() {
        let rows = [
            ("2h", Ok(Duration::hours(2))),
            ("1d", Ok(Duration::days(1))),
            ("90m", Ok(Duration::minutes(90))),
            ("1w", Ok(Duration::weeks(1))),
            ("1d2h30m", Ok(Duration::minutes(26 * 60 + 30))),
            ("45s", Ok(Duration::seconds(45))),
            (" 400d ", Ok(Duration::days(400))),
            ("", Err("is not a duration")),
            ("2", Err("is not a duration")),
            ("h", Err("is not a duration")),
            ("0m", Err("is not a duration")),
            ("3y", Err("is not a duration")),
            ("1d-2h", Err("is not a duration")),
            ("401d", Err("too long")),
            ("399d2d", Err("too long")),
            ("99999999999999999999d", Err("too long")),
        ];
        for (text, want) in rows {
            match (parse_duration(text), want) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{text:?}"),
                (Err(e), Err(want)) => assert!(e.to_string().contains(want), "{text:?}: {e}"),
                (got, want) => panic!("{text:?}: {got:?}, expected {want:?}"),
            }
        }
    }

    #[test]
    fn issue14_advance_overflow_is_an_error() {
        for text in [
            "100000000000d100000000000d",
            "9223372036854775807s1s",
            "15250284452w15250284452w",
        ] {
            assert_eq!(
                parse_duration(text),
                Err(DurationError::TooLong(text.to_string())),
                "{text}"
            );
        }
    }

    proptest! {
        #[test]
        fn parsing_any_text_never_panics(text in any::<String>()) {
            let _ = parse_duration(&text);
        }

        #[test]
        fn parsing_any_sum_of_numbers_never_panics_and_stays_in_bounds(
            parts in proptest::collection::vec((any::<u64>(), "[smhdwy]"), 1..6),
        ) {
            let text: String = parts.iter().map(|(n, unit)| format!("{n}{unit}")).collect();
            if let Ok(total) = parse_duration(&text) {
                prop_assert!(total > Duration::zero() && total <= Duration::days(MAX_DAYS), "{text}");
            }
        }
    }
}
