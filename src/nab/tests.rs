//! Tests of the evaluation: generated folders in the NAB layout are scored, bad folders get an
//! error naming the file (and line), scores count windows, false alarms and delays.

use super::*;
use crate::domain::trends::synthetic::{monday, series};
use chrono::Duration;
use std::fs;

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

fn write_series(dir: &Path, name: &str, points: &[(DateTime<Utc>, u32)]) {
    let mut text = String::from("timestamp,value\n");
    for (at, n) in points {
        text.push_str(&format!("{},{n}\n", stamp(*at)));
    }
    fs::write(dir.join(name), text).expect("writable temp dir");
}

/// A labelled window as (start, end).
type Span = (DateTime<Utc>, DateTime<Utc>);

fn write_labels(dir: &Path, labels: &[(&str, &[Span])]) {
    let map: serde_json::Map<String, serde_json::Value> = labels
        .iter()
        .map(|(name, windows)| {
            let pairs = windows
                .iter()
                .map(|(s, e)| serde_json::json!([format!("{}.000000", stamp(*s)), format!("{}.000000", stamp(*e))]))
                .collect();
            (name.to_string(), serde_json::Value::Array(pairs))
        })
        .collect();
    fs::write(dir.join("labels.json"), serde_json::Value::Object(map).to_string()).expect("writable");
}

#[test]
fn a_generated_folder_is_scored_and_its_alerts_listed() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let burst = monday() + Duration::days(12) + Duration::hours(15);
    let bursty = series(5.0, 16, Some((burst, burst + Duration::hours(2), 5.0)), 11);
    let calm = series(5.0, 16, None, 12);
    write_series(dir.path(), "bursty.csv", &bursty);
    write_series(dir.path(), "calm.csv", &calm);
    let window = (burst - Duration::hours(12), burst + Duration::hours(12));
    let missed = (monday() + Duration::days(5), monday() + Duration::days(6));
    write_labels(dir.path(), &[("bursty.csv", &[window]), ("calm.csv", &[missed])]);

    let evaluation = evaluate_dir(dir.path()).expect("a valid folder");
    let report = evaluation.report();
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 3, "{report}");
    assert!(
        lines[0].starts_with("bursty.csv: windows 1/1, false alarms 0 (0.00/week), alerts 1"),
        "{report}"
    );
    assert!(
        lines[1].starts_with("calm.csv: windows 0/1, false alarms 0 (0.00/week), alerts 0"),
        "{report}"
    );
    assert!(
        lines[2].starts_with("overall: windows 1/2, false alarms/week 0.00, median delay "),
        "{report}"
    );
    let alert = evaluation.series[0].alerts[0];
    assert!(burst <= alert && alert < burst + Duration::hours(2), "{alert}");
    assert_eq!(
        evaluation.alerts_csv(),
        format!("series,timestamp\nbursty.csv,{}\n", stamp(alert))
    );
}

#[test]
fn a_series_alerts_at_most_once_an_hour() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut points = series(5.0, 10, None, 5);
    for (i, (_, n)) in points.iter_mut().enumerate().skip(6 * 288) {
        *n += if i % 3 == 0 { 400 } else { 0 };
    }
    write_series(dir.path(), "noisy.csv", &points);
    write_labels(dir.path(), &[("noisy.csv", &[])]);
    let evaluation = evaluate_dir(dir.path()).expect("a valid folder");
    let alerts = &evaluation.series[0].alerts;
    assert!(!alerts.is_empty());
    assert!(
        alerts.windows(2).all(|w| w[1] - w[0] >= Duration::hours(1)),
        "{alerts:?}"
    );
}

const OK_CSV: &str = "timestamp,value\n2015-02-26 21:42:53,3\n2015-02-26 21:47:53,4\n";
const LABELS: &str = r#"{"a.csv": [["2015-02-26 21:00:00.000000", "2015-02-26 22:00:00.000000"]]}"#;

/// (CSV text of a.csv or None, labels.json or None, expected error text)
const BAD_FOLDERS: &[(Option<&str>, Option<&str>, &str)] = &[
    (Some(OK_CSV), None, "labels.json: "),
    (
        Some("time,value\n2015-02-26 21:42:53,3\n"),
        Some(LABELS),
        "a.csv:1: the first line must be the header",
    ),
    (
        Some("timestamp,value\n2015-02-26 21:42:53,3\n2015-02-26 21:47:53\n"),
        Some(LABELS),
        "a.csv:3: expected `timestamp,value`",
    ),
    (
        Some("timestamp,value\n26/02/2015,3\n"),
        Some(LABELS),
        "a.csv:2: `26/02/2015` is not a timestamp",
    ),
    (
        Some("timestamp,value\n2015-02-26 21:42:53,-3\n"),
        Some(LABELS),
        "a.csv:2: `-3` is not a count",
    ),
    (
        Some("timestamp,value\n2015-02-26 21:42:53,2.5\n"),
        Some(LABELS),
        "a.csv:2: `2.5` is not a count",
    ),
    (
        Some("timestamp,value\n2015-02-26 21:42:53,1\n2015-02-26 21:42:53,1\n"),
        Some(LABELS),
        "a.csv:3: `2015-02-26 21:42:53` is not after",
    ),
    (
        Some("timestamp,value\n"),
        Some(LABELS),
        "a.csv:1: no data after the header",
    ),
    (
        Some(OK_CSV),
        Some(r#"{"a.csv": [["2015-02-26 21:00:00"]]}"#),
        "labels.json: line 1 column",
    ),
    (
        Some(OK_CSV),
        Some(r#"{"a.csv": [["2015-02-27 21:00:00", "2015-02-26 21:00:00"]]}"#),
        "a.csv: the window 2015-02-27 21:00:00 – 2015-02-26 21:00:00 ends before it starts",
    ),
    (
        Some(OK_CSV),
        Some(r#"{"a.csv": [], "b.csv": []}"#),
        "labels.json: has labels for b.csv, which is not in the folder",
    ),
];

#[test]
fn bad_folders_get_an_error_naming_the_file_and_line() {
    for &(csv, labels, expected) in BAD_FOLDERS {
        let dir = tempfile::tempdir().expect("a temp dir");
        if let Some(csv) = csv {
            fs::write(dir.path().join("a.csv"), csv).expect("writable");
        }
        if let Some(labels) = labels {
            fs::write(dir.path().join("labels.json"), labels).expect("writable");
        }
        let error = evaluate_dir(dir.path()).expect_err(expected).to_string();
        assert!(error.contains(expected), "expected {expected:?} in {error:?}");
    }
}

#[test]
fn unlabelled_series_and_empty_folders_are_refused() {
    let dir = tempfile::tempdir().expect("a temp dir");
    fs::write(dir.path().join("labels.json"), "{}").expect("writable");
    let error = evaluate_dir(dir.path()).expect_err("no series").to_string();
    assert!(error.ends_with(": no CSV series"), "{error}");
    fs::write(dir.path().join("x.csv"), "timestamp,value\n2015-02-26 21:42:53,1\n").expect("writable");
    let error = evaluate_dir(dir.path()).expect_err("unlabelled").to_string();
    assert!(error.ends_with("x.csv: not listed in labels.json"), "{error}");
}

#[test]
fn scores_count_windows_false_alarms_and_delays() {
    let t = |h: i64| monday() + Duration::hours(h);
    let windows = [
        Window {
            start: t(10),
            end: t(20),
        },
        Window {
            start: t(40),
            end: t(50),
        },
        Window {
            start: t(70),
            end: t(80),
        },
    ];
    // (alert hours, detected, false alarms, median delay from the midpoints)
    let rows: [(&[i64], usize, usize, Option<f64>); 5] = [
        (&[], 0, 0, None),
        (&[5, 100], 0, 2, None),
        (&[10, 12, 20], 1, 0, Some(-5.0)),
        (&[12, 30, 50, 71], 3, 1, Some(-3.0)),
        (&[18, 44, 90], 2, 1, Some(1.0)),
    ];
    for (hours, detected, false_alarms, delay) in rows {
        let alerts: Vec<_> = hours.iter().map(|&h| t(h)).collect();
        let score = Score::of(&alerts, &windows, t(0), t(168));
        assert_eq!(
            (score.detected, score.false_alarms, score.median_delay()),
            (detected, false_alarms, delay),
            "{hours:?}"
        );
        assert_eq!(score.windows, 3);
        assert_eq!(score.false_alarms_per_week(), false_alarms as f64);
    }
}
