//! Unit tests of the report's pieces: campaign status and pace, percentages, the value axis, CSV
//! fields, the week's days across a DST change, and the chart's text rendering.

use super::csv::push_field;
use super::glyphs::{self, Align, Canvas, Label};
use super::summary::percent;
use super::*;
use crate::app::{CampaignGoal, Settings};
use crate::domain::WeekKey;
use crate::prompts::Prompts;
use crate::store::MemoryStore;
use chrono::{NaiveDate, TimeZone, Utc};

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).expect("valid date")
}

#[test]
fn campaign_status_follows_the_goal_the_pace_and_the_date() {
    // Goal 10 reshares from 1 to 10 November: one a day.
    let campaign = CampaignGoal {
        name: "Rivers".into(),
        start: day(11, 1),
        goal_reshares: 10,
        goal_date: day(11, 10),
    };
    // (reshares counted, seen on, expected status, reshares due by then)
    let rows = [
        (0, day(11, 1), CampaignStatus::Behind, 1),
        (1, day(11, 1), CampaignStatus::OnTrack, 1),
        (4, day(11, 5), CampaignStatus::Behind, 5),
        (5, day(11, 5), CampaignStatus::OnTrack, 5),
        (9, day(11, 10), CampaignStatus::Behind, 10),
        (10, day(11, 3), CampaignStatus::Reached, 3),
        (12, day(11, 20), CampaignStatus::Reached, 10),
        (9, day(11, 11), CampaignStatus::Missed, 10),
        (0, day(12, 31), CampaignStatus::Missed, 10),
    ];
    for row @ (reshares, as_of, status, expected) in rows {
        let progress = campaign_progress(&campaign, reshares, as_of);
        assert_eq!((progress.status, progress.expected), (status, expected), "{row:?}");
        assert_eq!(progress.percent, (reshares * 10) as u32, "{row:?}");
    }
}

#[test]
fn a_one_day_campaign_and_an_uneven_pace_round_up() {
    let one_day = CampaignGoal {
        name: "Day".into(),
        start: day(11, 5),
        goal_reshares: 7,
        goal_date: day(11, 5),
    };
    assert_eq!(
        campaign_progress(&one_day, 6, day(11, 5)).status,
        CampaignStatus::Behind
    );
    assert_eq!(campaign_progress(&one_day, 6, day(11, 5)).expected, 7);
    // 10 reshares over 3 days: 3.33 due after the first day, so 4.
    let three_days = CampaignGoal {
        name: "Three".into(),
        start: day(11, 1),
        goal_reshares: 10,
        goal_date: day(11, 3),
    };
    assert_eq!(campaign_progress(&three_days, 3, day(11, 1)).expected, 4);
    assert_eq!(
        campaign_progress(&three_days, 4, day(11, 1)).status,
        CampaignStatus::OnTrack
    );
}

#[test]
fn percentages_round_to_the_nearest_and_survive_zero() {
    // (part, whole, percent)
    let rows = [
        (0, 0, 0),
        (3, 0, 0),
        (1, 3, 33),
        (2, 3, 67),
        (1, 2, 50),
        (1, 200, 1),
        (1, 201, 0),
        (5, 4, 125),
    ];
    for row @ (part, whole, want) in rows {
        assert_eq!(percent(part, whole), want, "{row:?}");
    }
}

#[test]
fn the_value_axis_has_room_and_round_steps() {
    // (highest bar, (top, step))
    let rows = [
        (0, (1, 1)),
        (1, (2, 1)),
        (4, (5, 1)),
        (5, (6, 2)),
        (9, (10, 2)),
        (14, (15, 5)),
        (49, (50, 10)),
        (14_286, (15_000, 5_000)),
        (100_000, (150_000, 50_000)),
    ];
    for row @ (highest, want) in rows {
        let (top, step) = value_axis(highest);
        assert_eq!((top, step), want, "{row:?}");
        assert!(top > highest && top % step == 0 && top / step <= 6, "{row:?}");
    }
}

#[test]
fn csv_fields_are_quoted_and_defused_when_needed() {
    // (field, as written)
    let rows = [
        ("Alice", "Alice"),
        ("", ""),
        ("García, Bob", "\"García, Bob\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
        ("+33 6 00", "'+33 6 00"),
        ("-1", "'-1"),
        ("@team", "'@team"),
        ("https://x.com/a?b=1&c=2", "https://x.com/a?b=1&c=2"),
    ];
    for (field, want) in rows {
        let mut out = String::new();
        push_field(&mut out, field);
        assert_eq!(out, want, "{field:?}");
    }
}

#[test]
fn days_of_the_week_follow_the_local_calendar_across_a_dst_change() {
    let settings = Settings {
        org_tz: chrono_tz::Europe::Paris,
        ..Settings::default()
    };
    let prompts = Prompts::for_tests();
    let store = MemoryStore::new();
    let app = App::new(&settings, &prompts, &store);
    // 2026-W43 ends on Sunday 25 October, when Paris goes back from UTC+2 to UTC+1.
    let week = WeekKey { year: 2026, week: 43 };
    let data = WeekData::load(&app, week).expect("load");
    let at = |d, h, m| Utc.with_ymd_and_hms(2026, 10, d, h, m, 0).single().expect("instant");
    // (instant, day of the week)
    let rows = [
        (at(18, 22, 0), 0),
        (at(19, 21, 59), 0),
        (at(19, 22, 0), 1),
        (at(25, 0, 30), 6),
        (at(25, 22, 59), 6),
    ];
    for (instant, want) in rows {
        assert_eq!(data.day_of_week(instant), want, "{instant}");
    }
    assert_eq!(
        (data.start, data.end),
        (at(18, 22, 0), at(25, 23, 0)),
        "a 169-hour week"
    );
}

#[test]
fn the_report_is_seen_from_sunday_or_from_today_in_the_current_week() {
    let settings = Settings::default();
    let prompts = Prompts::for_tests();
    let store = MemoryStore::new();
    let app = App::new(&settings, &prompts, &store);
    let data = WeekData::load(&app, WeekKey { year: 2026, week: 47 }).expect("load");
    assert_eq!(data.as_of, day(11, 22));
    // (today, seen from)
    let rows = [
        (day(11, 18), day(11, 18)),
        (day(11, 16), day(11, 16)),
        (day(11, 30), day(11, 22)),
        (day(11, 1), day(11, 16)),
    ];
    for (today, want) in rows {
        assert_eq!(data.clone().seen_on(today).as_of, want, "{today}");
    }
}

#[test]
fn chart_text_is_drawn_with_the_embedded_font() {
    let font = glyphs::font().expect("the embedded font parses");
    assert!(glyphs::width(font, 20.0, "Reshares") > glyphs::width(font, 20.0, "Re") + 20.0);
    let (width, height) = (120u32, 40u32);
    let mut pixels = vec![255u8; (width * height * 3) as usize];
    let mut canvas = Canvas {
        pixels: &mut pixels,
        width,
        height,
    };
    let label = Label {
        text: "García 12",
        size: 20.0,
        x: 60.0,
        y: 20.0,
        align: Align::Centre,
        colour: (0, 0, 0),
    };
    canvas.text(font, &label);
    // Text running off the edges is clipped, not a panic.
    canvas.text(
        font,
        &Label {
            x: -30.0,
            y: 2.0,
            align: Align::Left,
            ..label
        },
    );
    let dark = pixels.chunks(3).filter(|p| p.iter().all(|c| *c < 100)).count();
    assert!(dark > 80, "only {dark} dark pixels");
}
