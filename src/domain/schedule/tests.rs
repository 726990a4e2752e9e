//! Table-driven tests of the scheduling rules, across the daylight-saving changes of 2026 in
//! Europe/Paris (29 March, 25 October) and Australia/Sydney (5 April, 4 October).

use super::*;
use chrono::Timelike;
use chrono_tz::Australia::Sydney;
use chrono_tz::Europe::Paris;

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn hm(text: &str) -> NaiveTime {
    parse_time(text).unwrap_or_else(|| panic!("{text}"))
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn local_times_resolve_across_daylight_saving_changes() {
    // (zone, local time, instant, what it shows)
    let rows = [
        (
            Paris,
            "2026-03-29 01:59",
            "2026-03-29T00:59:00Z",
            "before the spring gap",
        ),
        (
            Paris,
            "2026-03-29 02:00",
            "2026-03-29T01:00:00Z",
            "gap start moves to 03:00",
        ),
        (
            Paris,
            "2026-03-29 02:30",
            "2026-03-29T01:00:00Z",
            "inside the gap moves to 03:00",
        ),
        (Paris, "2026-03-29 03:00", "2026-03-29T01:00:00Z", "first valid time"),
        (Paris, "2026-03-29 18:00", "2026-03-29T16:00:00Z", "summer time"),
        (Paris, "2026-10-25 01:59", "2026-10-24T23:59:00Z", "before the repeat"),
        (
            Paris,
            "2026-10-25 02:30",
            "2026-10-25T00:30:00Z",
            "repeated: the earlier",
        ),
        (Paris, "2026-10-25 03:00", "2026-10-25T02:00:00Z", "after the repeat"),
        (Paris, "2026-10-25 18:00", "2026-10-25T17:00:00Z", "winter time"),
        (
            Sydney,
            "2026-04-05 02:30",
            "2026-04-04T15:30:00Z",
            "repeated: the earlier (AEDT)",
        ),
        (
            Sydney,
            "2026-04-05 03:00",
            "2026-04-04T17:00:00Z",
            "after the repeat (AEST)",
        ),
        (Sydney, "2026-04-05 18:00", "2026-04-05T08:00:00Z", "winter time"),
        (
            Sydney,
            "2026-10-04 01:59",
            "2026-10-03T15:59:00Z",
            "before the spring gap",
        ),
        (
            Sydney,
            "2026-10-04 02:00",
            "2026-10-03T16:00:00Z",
            "gap start moves to 03:00",
        ),
        (
            Sydney,
            "2026-10-04 02:30",
            "2026-10-03T16:00:00Z",
            "inside the gap moves to 03:00",
        ),
        (Sydney, "2026-10-04 03:00", "2026-10-03T16:00:00Z", "first valid time"),
        (Sydney, "2026-10-04 18:00", "2026-10-04T07:00:00Z", "summer time"),
    ];
    for (tz, at, want, why) in rows {
        assert_eq!(resolve_local(local(at), tz), utc(want), "{tz} {at}: {why}");
    }
}

#[test]
fn daily_occurrences_keep_the_local_time_and_one_per_date() {
    // (zone, local time, start, the next four occurrences as instants)
    let rows: [(Tz, &str, &str, [&str; 4]); 5] = [
        (
            Paris,
            "18:00",
            "2026-03-27T12:00:00Z",
            [
                "2026-03-27T17:00:00Z",
                "2026-03-28T17:00:00Z",
                "2026-03-29T16:00:00Z",
                "2026-03-30T16:00:00Z",
            ],
        ),
        (
            Paris,
            "02:30",
            "2026-03-28T00:00:00Z",
            [
                "2026-03-28T01:30:00Z",
                "2026-03-29T01:00:00Z",
                "2026-03-30T00:30:00Z",
                "2026-03-31T00:30:00Z",
            ],
        ),
        (
            Paris,
            "02:30",
            "2026-10-24T00:00:00Z",
            [
                "2026-10-24T00:30:00Z",
                "2026-10-25T00:30:00Z",
                "2026-10-26T01:30:00Z",
                "2026-10-27T01:30:00Z",
            ],
        ),
        (
            Sydney,
            "18:00",
            "2026-04-03T00:00:00Z",
            [
                "2026-04-03T07:00:00Z",
                "2026-04-04T07:00:00Z",
                "2026-04-05T08:00:00Z",
                "2026-04-06T08:00:00Z",
            ],
        ),
        (
            Sydney,
            "02:30",
            "2026-10-02T00:00:00Z",
            [
                "2026-10-02T16:30:00Z",
                "2026-10-03T16:00:00Z",
                "2026-10-04T15:30:00Z",
                "2026-10-05T15:30:00Z",
            ],
        ),
    ];
    for (tz, time, start, want) in rows {
        let mut after = utc(start);
        let mut dates = Vec::new();
        for (n, expected) in want.iter().enumerate() {
            let next = next_daily(after, hm(time), tz);
            assert_eq!(next.at, utc(expected), "{tz} {time} from {start}, occurrence {n}");
            dates.push(next.date);
            after = next.at;
        }
        assert!(
            dates.windows(2).all(|w| w[0].succ_opt() == Some(w[1])),
            "{tz} {time}: one per date {dates:?}"
        );
    }
}

#[test]
fn the_next_occurrence_is_strictly_after() {
    let at = utc("2026-03-29T16:00:00Z");
    assert_eq!(next_daily(at, hm("18:00"), Paris).at, utc("2026-03-30T16:00:00Z"));
    let just_before = at - chrono::Duration::seconds(1);
    assert_eq!(
        next_daily(just_before, hm("18:00"), Paris),
        Occurrence {
            date: date("2026-03-29"),
            at
        }
    );
}

#[test]
fn weekly_occurrences_fall_on_the_day_at_the_local_time() {
    let monday_nine = WeeklyTime {
        day: Weekday::Mon,
        time: hm("09:00"),
    };
    // (zone, start, next occurrence, its local date)
    let rows = [
        (Paris, "2026-03-25T12:00:00Z", "2026-03-30T07:00:00Z", "2026-03-30"),
        (Paris, "2026-03-23T07:59:00Z", "2026-03-23T08:00:00Z", "2026-03-23"),
        (Paris, "2026-03-23T08:00:00Z", "2026-03-30T07:00:00Z", "2026-03-30"),
        (Paris, "2026-10-20T00:00:00Z", "2026-10-26T08:00:00Z", "2026-10-26"),
        (Sydney, "2026-04-01T00:00:00Z", "2026-04-05T23:00:00Z", "2026-04-06"),
        (Sydney, "2026-10-01T00:00:00Z", "2026-10-04T22:00:00Z", "2026-10-05"),
    ];
    for (tz, start, at, day) in rows {
        let next = next_weekly(utc(start), monday_nine, tz);
        assert_eq!((next.at, next.date), (utc(at), date(day)), "{tz} from {start}");
    }
    let friday = WeeklyTime {
        day: Weekday::Fri,
        time: hm("17:30"),
    };
    assert_eq!(
        next_weekly(utc("2026-11-20T16:30:00Z"), friday, Paris).at,
        utc("2026-11-27T16:30:00Z")
    );
    assert_eq!(friday.to_string(), "friday 17:30");
}

#[test]
fn quiet_hours_wrap_midnight_and_parse() {
    // (range, local time, inside)
    let rows = [
        ("21:00-08:00", "20:59", false),
        ("21:00-08:00", "21:00", true),
        ("21:00-08:00", "23:59", true),
        ("21:00-08:00", "00:00", true),
        ("21:00-08:00", "07:59", true),
        ("21:00-08:00", "08:00", false),
        ("21:00-08:00", "12:00", false),
        ("12:00-14:00", "11:59", false),
        ("12:00-14:00", "12:00", true),
        ("12:00-14:00", "13:59", true),
        ("12:00-14:00", "14:00", false),
        ("off", "03:00", false),
        ("OFF", "12:00", false),
    ];
    for (range, time, inside) in rows {
        let quiet: QuietHours = range.parse().unwrap_or_else(|e| panic!("{range}: {e}"));
        assert_eq!(quiet.contains(hm(time)), inside, "{range} contains {time}");
    }
    assert_eq!(QuietHours::default().to_string(), "21:00-08:00");
    assert_eq!(QuietHours::NONE.to_string(), "off");
    assert!(
        QuietHours::default().contains_instant(utc("2026-07-01T20:00:00Z"), Paris),
        "22:00 in Paris"
    );
    assert!(
        QuietHours::default().contains_instant(utc("2026-07-01T20:00:00Z"), Sydney),
        "06:00 in Sydney"
    );
    assert!(
        !QuietHours::default().contains_instant(utc("2026-07-01T10:00:00Z"), Paris),
        "12:00 in Paris"
    );
    assert!(
        !QuietHours::default().contains_instant(utc("2026-07-01T10:00:00Z"), Sydney),
        "20:00 in Sydney"
    );
}

#[test]
fn bad_quiet_hours_say_why() {
    // (text, start of the message)
    let rows = [
        ("21:00", "`21:00` is not a range of hours"),
        ("21-8", "`21-8` is not a range of hours"),
        ("25:00-08:00", "`25:00-08:00` is not a range of hours"),
        ("21:00-8:0", "`21:00-8:0` is not a range of hours"),
        ("", "`` is not a range of hours"),
        ("08:00-08:00", "`08:00-08:00` starts and ends at the same time"),
    ];
    for (text, want) in rows {
        let error = text
            .parse::<QuietHours>()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.starts_with(want), "{text:?}: {error}");
    }
}

#[test]
fn times_and_weekdays_parse() {
    let times = [
        ("9:05", Some((9, 5))),
        ("23:59", Some((23, 59))),
        ("24:00", None),
        ("12:60", None),
        ("12", None),
        ("1:2", None),
        ("123:00", None),
    ];
    for (text, want) in times {
        let got = parse_time(text).map(|t| (t.hour(), t.minute()));
        assert_eq!(got, want, "{text}");
    }
    let days = [
        ("monday", Some(Weekday::Mon)),
        ("Sun", Some(Weekday::Sun)),
        ("FRIDAY", Some(Weekday::Fri)),
        ("mo", None),
        ("funday", None),
        ("", None),
    ];
    for (text, want) in days {
        assert_eq!(parse_weekday(text).ok(), want, "{text}");
    }
    assert!(parse_weekday("funday")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
        .contains("monday, tuesday"));
}

#[test]
fn action_keys_print_and_parse_back() {
    let team = RoomRef::new(Platform::Matrix, "!abc:example.org");
    let week = WeekKey { year: 2026, week: 13 };
    // (key, text)
    let rows = [
        (
            ActionKey::Push {
                room: team.clone(),
                date: date("2026-03-29"),
            },
            "push:matrix:!abc:example.org:2026-03-29",
        ),
        (
            ActionKey::Nudge {
                ambassador: AmbassadorId(12),
                date: date("2026-03-29"),
            },
            "nudge:a12:2026-03-29",
        ),
        (
            ActionKey::Board {
                room: RoomRef::new(Platform::Console, "team"),
                week,
            },
            "board:console:team:2026-W13",
        ),
        (
            ActionKey::Report { room: team, week },
            "report:matrix:!abc:example.org:2026-W13",
        ),
        (
            ActionKey::Urgent {
                item: ItemId(3),
                date: date("2026-03-29"),
            },
            "urgent:c3:2026-03-29",
        ),
    ];
    for (key, text) in rows {
        assert_eq!(key.to_string(), text);
        assert_eq!(text.parse::<ActionKey>().as_ref(), Ok(&key), "{text}");
    }
    for bad in [
        "push:console:team",
        "nudge:12:2026-03-29",
        "board:console:team:2026-03-29",
        "frob:x:2026-03-29",
        "push:mars:x:2026-03-29",
        "",
    ] {
        assert!(bad.parse::<ActionKey>().is_err(), "{bad}");
    }
    let key = ActionKey::Nudge {
        ambassador: AmbassadorId(1),
        date: date("2026-01-01"),
    };
    assert_eq!(key.part(0), "nudge:a1:2026-01-01#0");
}
