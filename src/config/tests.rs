//! Unit tests of the configuration internals: the required-key lists, positions and value parsers.

use super::check::{AMBASSADORS, CAMPAIGNS, DISCORD, ITEMS, MATRIX, ORGANISATION, RESHARES, ROOMS};
use super::fields::{parse_hh_mm, parse_identity, parse_time_zone};
use super::walk::{field_names, line_column, Place};
use super::*;
use serde::de::{DeserializeOwned, IntoDeserializer};

/// Each required key exists, and serde requires exactly the listed keys: an empty table misses the
/// first one, and a table with only the required keys is not refused for a missing key.
fn assert_required<T: DeserializeOwned + fmt::Debug>(place: Place, minimal: &str) {
    let fields = field_names::<T>();
    for key in place.required {
        assert!(
            fields.contains(key),
            "{}: `{key}` is not a field of {fields:?}",
            place.path
        );
    }
    let read = |text: &str| {
        let value: toml_edit::Value = text.parse().map_err(|e| format!("{e}"))?;
        T::deserialize(value.into_deserializer()).map_err(|e| e.message().to_string())
    };
    let first = place.required.first().map(|k| format!("missing field `{k}`"));
    assert_eq!(read("{}").err(), first, "{}", place.path);
    assert!(read(minimal).is_ok(), "{}: {:?}", place.path, read(minimal));
}

#[test]
fn required_key_lists_match_the_serde_types() {
    assert_required::<Organisation>(ORGANISATION, r#"{ name = "x" }"#);
    assert_required::<Room>(ROOMS, r#"{ platform = "console", id = "team" }"#);
    assert_required::<Matrix>(MATRIX, r#"{ homeserver = "https://m.org", user-id = "@r:m.org" }"#);
    assert_required::<Discord>(DISCORD, r#"{ token-env = "T" }"#);
    assert_required::<DemoAmbassador>(AMBASSADORS, r#"{ name = "alice" }"#);
    assert_required::<DemoItem>(
        ITEMS,
        r#"{ title = "t", link = "https://x.org", texts = { en = "Hi" } }"#,
    );
    assert_required::<DemoReshare>(RESHARES, r#"{ ambassador = "a", url = "https://x.org/1" }"#);
    assert_required::<Campaign>(
        CAMPAIGNS,
        r#"{ name = "n", start = 2026-11-01, goal-reshares = 10, goal-date = 2026-11-30 }"#,
    );
    assert_required::<Bot>(check::BOT, "{}");
    assert_required::<Points>(check::POINTS, "{}");
    assert_required::<Store>(check::STORE, "{}");
    assert_required::<Nudges>(check::NUDGES, "{}");
    assert_required::<Schedule>(check::SCHEDULE, "{}");
}

#[test]
fn field_names_come_from_serde() {
    assert_eq!(field_names::<Organisation>(), ["name", "time-zone", "default-language"]);
    assert!(field_names::<Config>().contains(&"coordinators"));
}

#[test]
fn offsets_become_lines_and_columns_in_chars() {
    let text = "ab\nçé = 1\n\nx";
    // (byte offset, line, column)
    let rows = [
        (0, 1, 1),
        (2, 1, 3),
        (3, 2, 1),
        (7, 2, 3),
        (5, 2, 2),
        (4, 2, 1),
        (12, 3, 1),
        (13, 4, 1),
        (99, 4, 2),
    ];
    for (offset, line, column) in rows {
        assert_eq!(line_column(text, offset), (line, column), "offset {offset}");
    }
}

#[test]
fn times_of_day() {
    let rows = [
        ("09:00", Some((9, 0))),
        ("9:05", Some((9, 5))),
        ("23:59", Some((23, 59))),
        ("00:00", Some((0, 0))),
        ("24:00", None),
        ("12:60", None),
        ("12:5", None),
        ("1200", None),
        ("ab:cd", None),
        ("-1:00", None),
        ("+1:00", None),
        ("", None),
    ];
    for (text, want) in rows {
        let got = parse_hh_mm(text)
            .ok()
            .map(|t| (chrono::Timelike::hour(&t), chrono::Timelike::minute(&t)));
        assert_eq!(got, want, "{text}");
    }
}

#[test]
fn identities() {
    let rows = [
        ("matrix:@carla:example.org", Some("matrix:@carla:example.org")),
        ("discord:123456789012345678", Some("discord:123456789012345678")),
        ("console:carla", Some("console:carla")),
        ("Console:carla", Some("console:carla")),
        ("carla", None),
        ("irc:carla", None),
        ("matrix:carla", None),
        ("matrix:@carla", None),
        ("discord:carla", None),
        ("console:", None),
        ("console:car la", None),
    ];
    for (text, want) in rows {
        assert_eq!(
            parse_identity(text).ok().map(|i| i.to_string()).as_deref(),
            want,
            "{text}"
        );
    }
}

#[test]
fn time_zones_suggest_a_close_name() {
    assert_eq!(parse_time_zone("Europe/Lisbon").ok(), Some(chrono_tz::Europe::Lisbon));
    let rows = [
        ("Europe/Pariss", "did you mean `Europe/Paris`?"),
        ("europe/madrid", "did you mean `Europe/Madrid`?"),
        ("Mars/Olympus", "IANA"),
    ];
    for (text, hint) in rows {
        let message = parse_time_zone(text).err().unwrap_or_default();
        assert!(message.contains(text) && message.contains(hint), "{text}: {message}");
    }
}
