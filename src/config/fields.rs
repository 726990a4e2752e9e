//! Parsers and defaults for single configuration values, each failing with a plain-language message.
//!
//! The messages never repeat the value of an `*-env` key: someone may have pasted a secret there.

use super::suggest::closest;
use crate::domain::schedule::{parse_weekday, QuietHours};
use crate::domain::{Identity, Intent, ItemStatus, Lang, Platform, Role};
use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use serde::de::{Error as _, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;
use std::path::PathBuf;

/// Reads a string and parses it with `parse`. The parse runs inside the visitor, so the error
/// carries the position of the value (or of the array element, or of the map key).
pub(super) fn parsed<'de, D: Deserializer<'de>, T>(
    d: D,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, D::Error> {
    d.deserialize_str(ParseVisitor(parse))
}

struct ParseVisitor<F>(F);

impl<T, F: FnOnce(&str) -> Result<T, String>> Visitor<'_> for ParseVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        (self.0)(text).map_err(E::custom)
    }
}

/// A valid time of day; out-of-range parts give midnight (callers pass constants).
pub(super) fn time_of_day(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
}

pub(super) fn utc() -> Tz {
    chrono_tz::UTC
}
pub(super) fn english() -> Lang {
    Lang::En
}
pub(super) fn nine() -> NaiveTime {
    time_of_day(9, 0)
}
pub(super) fn matrix_state_dir() -> PathBuf {
    PathBuf::from("relais-matrix")
}
pub(super) fn discord_api() -> String {
    "https://discord.com/api".into()
}
pub(super) fn ambassador() -> Role {
    Role::Ambassador
}
pub(super) fn awareness() -> Intent {
    Intent::Awareness
}
pub(super) fn approved() -> ItemStatus {
    ItemStatus::Approved
}

/// An IANA time zone name, with a suggestion when the name is close to a real one.
pub(super) fn parse_time_zone(text: &str) -> Result<Tz, String> {
    text.parse::<Tz>().map_err(|_| {
        let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
        match closest(text, names) {
            Some(name) => format!("unknown time zone `{text}`; did you mean `{name}`?"),
            None => format!("unknown time zone `{text}` (use an IANA name such as `Europe/Paris` or `UTC`)"),
        }
    })
}

/// `HH:MM`, 00:00 to 23:59 (a one-digit hour is accepted).
pub(super) fn parse_hh_mm(text: &str) -> Result<NaiveTime, String> {
    let bad = || format!("`{text}` is not a time of day: write it as HH:MM, from 00:00 to 23:59");
    let (hour, minute) = text.split_once(':').ok_or_else(bad)?;
    let digits = |s: &str, max_len: usize| !s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(hour, 2) || !digits(minute, 2) || minute.len() != 2 {
        return Err(bad());
    }
    let (hour, minute) = (
        hour.parse::<u32>().map_err(|_| bad())?,
        minute.parse::<u32>().map_err(|_| bad())?,
    );
    NaiveTime::from_hms_opt(hour, minute, 0).ok_or_else(bad)
}

/// `platform:user`, where the user has the platform's own shape.
pub(super) fn parse_identity(text: &str) -> Result<Identity, String> {
    let shape =
        "write `platform:user`, e.g. `matrix:@carla:example.org`, `discord:123456789012345678` or `console:carla`";
    let (platform, user) = text
        .split_once(':')
        .ok_or_else(|| format!("`{text}` is not an identity: {shape}"))?;
    let platform: Platform = platform
        .parse()
        .map_err(|e| format!("`{text}` is not an identity: {e}"))?;
    let user_ok = match platform {
        Platform::Matrix => parse_matrix_user(user).is_ok(),
        Platform::Discord => is_snowflake(user),
        Platform::Console => !user.is_empty() && !user.chars().any(char::is_whitespace),
    };
    if !user_ok {
        let want = match platform {
            Platform::Matrix => "a Matrix user id such as `@carla:example.org`",
            Platform::Discord => "a numeric Discord user id such as `123456789012345678`",
            Platform::Console => "a console name without spaces",
        };
        return Err(format!("`{text}` is not an identity: after `{platform}:` comes {want}"));
    }
    Ok(Identity::new(platform, user))
}

/// A Matrix user id: `@local:server`.
pub(super) fn parse_matrix_user(text: &str) -> Result<String, String> {
    let valid = text
        .strip_prefix('@')
        .and_then(|rest| rest.split_once(':'))
        .is_some_and(|(local, server)| !local.is_empty() && !server.is_empty())
        && !text.chars().any(char::is_whitespace);
    if valid {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}` is not a Matrix user id (they look like `@relais:example.org`)"
        ))
    }
}

fn is_snowflake(text: &str) -> bool {
    (1..=20).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}

fn parse_env_name(text: &str) -> Result<String, String> {
    let mut chars = text.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_uppercase() || c == '_');
    if first_ok && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') {
        Ok(text.to_string())
    } else {
        // Never echo the value: it may be the secret itself.
        Err(
            "must be the NAME of an environment variable (capital letters, digits and `_`, e.g. \
             `RELAIS_MATRIX_PASSWORD`), not the secret itself"
                .to_string(),
        )
    }
}

fn parse_http_url(text: &str) -> Result<String, String> {
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(text.to_string()),
        _ => Err(format!(
            "`{text}` is not a web address (it should start with `https://`)"
        )),
    }
}

pub(super) fn non_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    parsed(d, |s| {
        if s.trim().is_empty() {
            Err("must not be empty".into())
        } else {
            Ok(s.to_string())
        }
    })
}

pub(super) fn no_whitespace<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    parsed(d, |s| {
        if s.is_empty() || s.chars().any(char::is_whitespace) {
            Err(format!("`{s}` must be non-empty and without spaces"))
        } else {
            Ok(s.to_string())
        }
    })
}

pub(super) fn path<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
    parsed(d, |s| {
        if s.is_empty() {
            Err("must not be empty".into())
        } else {
            Ok(PathBuf::from(s))
        }
    })
}

pub(super) fn time_zone<'de, D: Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
    parsed(d, parse_time_zone)
}

pub(super) fn opt_time_zone<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Tz>, D::Error> {
    parsed(d, parse_time_zone).map(Some)
}

pub(super) fn lang<'de, D: Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
    parsed(d, |s| s.parse::<Lang>().map_err(|e| e.to_string()))
}

pub(super) fn opt_lang<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Lang>, D::Error> {
    lang(d).map(Some)
}

pub(super) fn hh_mm<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
    parsed(d, parse_hh_mm)
}

pub(super) fn weekday<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
    parsed(d, |s| parse_weekday(s).map_err(|e| e.to_string()))
}

pub(super) fn quiet_hours<'de, D: Deserializer<'de>>(d: D) -> Result<QuietHours, D::Error> {
    parsed(d, |s| s.parse::<QuietHours>().map_err(|e| e.to_string()))
}

pub(super) fn platform<'de, D: Deserializer<'de>>(d: D) -> Result<Platform, D::Error> {
    parsed(d, |s| s.parse::<Platform>())
}

pub(super) fn prefix<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    parsed(d, |s| {
        if s.is_empty() || s.chars().any(char::is_whitespace) || s.chars().count() > 8 {
            Err(format!(
                "`{s}` is not a usable prefix: it must be 1 to 8 characters without spaces, like `!`"
            ))
        } else if crate::prompts::escape::text(s) != s {
            // The texts show commands in code spans, where an escaped prefix would show its backslash.
            Err(format!(
                "`{s}` is not a usable prefix: Markdown reads some of its characters as formatting; use others, like `!`, `?` or `relais:`"
            ))
        } else {
            Ok(s.to_string())
        }
    })
}

pub(super) fn identities<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Identity>, D::Error> {
    Vec::<IdentityText>::deserialize(d).map(|v| v.into_iter().map(|i| i.0).collect())
}

struct IdentityText(Identity);

impl<'de> Deserialize<'de> for IdentityText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parsed(d, parse_identity).map(IdentityText)
    }
}

pub(super) fn matrix_user<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    parsed(d, parse_matrix_user)
}

/// Each entry is a Matrix user id; every entry is its own value so each bad one is reported.
pub(super) fn matrix_users<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Vec::<MatrixUser>::deserialize(d).map(|v| v.into_iter().map(|u| u.0).collect())
}

struct MatrixUser(String);

impl<'de> Deserialize<'de> for MatrixUser {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parsed(d, parse_matrix_user).map(MatrixUser)
    }
}

/// Each entry is a Matrix user id or `:server`; every entry is its own value so each bad one is reported.
pub(super) fn matrix_inviters<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Vec::<Inviter>::deserialize(d).map(|v| v.into_iter().map(|i| i.0).collect())
}

struct Inviter(String);

impl<'de> Deserialize<'de> for Inviter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parsed(d, |s| match s.strip_prefix(':') {
            Some(server) if !server.is_empty() && !server.contains(char::is_whitespace) => Ok(Inviter(s.into())),
            Some(_) => Err(format!("`{s}` is not a server: write `:example.org`")),
            None => parse_matrix_user(s).map(Inviter),
        })
    }
}

pub(super) fn snowflakes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Vec::<Snowflake>::deserialize(d).map(|v| v.into_iter().map(|s| s.0).collect())
}

struct Snowflake(String);

impl<'de> Deserialize<'de> for Snowflake {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parsed(d, |s| match is_snowflake(s) {
            true => Ok(Snowflake(s.into())),
            false => Err(format!(
                "`{s}` is not a Discord id (a number such as `123456789012345678`, in quotes)"
            )),
        })
    }
}

pub(super) fn env_name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    parsed(d, parse_env_name)
}

pub(super) fn opt_env_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    env_name(d).map(Some)
}

pub(super) fn http_url<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    parsed(d, parse_http_url)
}

/// A calendar date: a TOML date (`2026-11-01`) or the same as a string (`"2026-11-01"`).
pub(super) fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_any(DateVisitor)
}

/// The key under which the TOML deserializers hand over a date-time, as a string.
const TOML_DATETIME_FIELD: &str = "$__toml_private_datetime";

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date: write it as YYYY-MM-DD, e.g. 2026-11-30"))
}

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date such as 2026-11-30")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<NaiveDate, E> {
        parse_date(text).map_err(E::custom)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<NaiveDate, A::Error> {
        match map.next_key::<String>()? {
            Some(key) if key == TOML_DATETIME_FIELD => {
                let text: String = map.next_value()?;
                parse_date(&text)
                    .map_err(|_| A::Error::custom(format!("`{text}` is not a date: write only the day, as YYYY-MM-DD")))
            }
            _ => Err(A::Error::custom("expected a date such as 2026-11-30")),
        }
    }
}

/// A whole number in `MIN..=MAX`, converted to the field's type.
pub(super) fn bounded<'de, const MIN: i64, const MAX: i64, T: TryFrom<i64>, D: Deserializer<'de>>(
    d: D,
) -> Result<T, D::Error> {
    let number = d.deserialize_i64(Bounded::<MIN, MAX>)?;
    T::try_from(number).map_err(|_| D::Error::custom(format!("{number} is too large")))
}

pub(super) fn opt_bounded<'de, const MIN: i64, const MAX: i64, T: TryFrom<i64>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    bounded::<MIN, MAX, T, D>(d).map(Some)
}

struct Bounded<const MIN: i64, const MAX: i64>;

impl<const MIN: i64, const MAX: i64> Visitor<'_> for Bounded<MIN, MAX> {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a whole number from {MIN} to {MAX}")
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
        if (MIN..=MAX).contains(&v) {
            Ok(v)
        } else {
            Err(E::custom(format!(
                "{v} is out of range: use a whole number from {MIN} to {MAX}"
            )))
        }
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
        self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
