//! Tests of the detector on generated series: bursts found, calm series silent, no look-ahead,
//! cooldown, warm-up, minimum count, weekday awareness, bounded memory.

use super::*;
use crate::domain::trends::synthetic::{monday, series};
use chrono::Duration;

fn run(detector: &mut Detector, term: &str, points: &[(DateTime<Utc>, u32)]) -> Vec<Alert> {
    points
        .iter()
        .filter_map(|&(at, n)| detector.observe(term, at, n))
        .collect()
}

fn detector() -> Detector {
    Detector::new(Params::default(), 1000)
}

#[test]
fn a_burst_in_a_seasonal_poisson_series_is_found_and_nothing_else() {
    let start = monday() + Duration::days(17) + Duration::hours(14);
    let end = start + Duration::hours(2);
    for seed in 1..=5 {
        let points = series(6.0, 21, Some((start, end, 4.0)), seed);
        let alerts = run(&mut detector(), "forêt", &points);
        assert_eq!(alerts.len(), 1, "seed {seed}: {alerts:?}");
        let alert = &alerts[0];
        assert!(start <= alert.at && alert.at < end, "seed {seed}: {alert:?}");
        assert_eq!(alert.term, "forêt");
        assert!(alert.bucket_start <= alert.at && alert.at < alert.bucket_start + alert.bucket_length);
        assert!(f64::from(alert.count) > 2.0 * alert.expected, "{alert:?}");
    }
}

#[test]
fn a_calm_seasonal_or_flat_series_raises_nothing() {
    for seed in 1..=5 {
        let points = series(6.0, 28, None, seed);
        assert_eq!(run(&mut detector(), "calm", &points), [], "seed {seed}");
    }
    let flat: Vec<_> = (0..28 * 288)
        .map(|i| (monday() + Duration::minutes(5 * i), 20))
        .collect();
    assert_eq!(run(&mut detector(), "flat", &flat), []);
}

#[test]
fn a_prefix_gives_the_alerts_of_the_full_run_up_to_its_end() {
    let start = monday() + Duration::days(9) + Duration::hours(10);
    let points = series(3.0, 16, Some((start, start + Duration::hours(3), 5.0)), 7);
    let full = run(&mut detector(), "t", &points);
    assert!(!full.is_empty(), "the burst is found");
    for cut in [100, 2_000, 2_750, 2_800, 2_900, 4_000, points.len()] {
        let prefix = run(&mut detector(), "t", &points[..cut]);
        let end = points[cut - 1].0;
        let expected: Vec<_> = full.iter().filter(|a| a.at <= end).cloned().collect();
        assert_eq!(prefix, expected, "prefix of {cut} observations");
    }
}

#[test]
fn a_term_alerts_at_most_once_per_cooldown() {
    // Without the calm rule, only the cooldown limits alerts: one per hour during a long burst.
    let params = Params {
        calm_buckets: 0,
        ..Params::default()
    };
    let start = monday() + Duration::days(8) + Duration::hours(12);
    let points = series(6.0, 10, Some((start, start + Duration::hours(4), 6.0)), 3);
    let alerts = run(&mut Detector::new(params, 10), "t", &points);
    assert!(alerts.len() >= 3, "{alerts:?}");
    for pair in alerts.windows(2) {
        assert!(pair[1].at - pair[0].at >= Duration::hours(1), "{pair:?}");
    }
    // With it (the default), the same burst gives one alert.
    assert_eq!(run(&mut detector(), "t", &points).len(), 1);
}

#[test]
fn a_term_alerts_again_after_a_calm_spell() {
    let first = monday() + Duration::days(8) + Duration::hours(12);
    let second = first + Duration::hours(30);
    let mut points = series(6.0, 10, Some((first, first + Duration::hours(1), 6.0)), 4);
    for (at, count) in &mut points {
        if second <= *at && *at < second + Duration::hours(1) {
            *count *= 6;
        }
    }
    let alerts = run(&mut detector(), "t", &points);
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    assert!(alerts[1].at >= second);
}

#[test]
fn no_alert_during_warm_up_nor_below_the_minimum_count() {
    let mut d = detector();
    let quiet: Vec<_> = (0..24).map(|h| (monday() + Duration::hours(h), 1)).collect();
    assert_eq!(run(&mut d, "t", &quiet), [], "warm-up");
    let after = monday() + Duration::hours(30);
    assert_eq!(d.observe("t", after, 9), None, "9 is below the minimum of 10");
    assert!(d.observe("t", after, 1).is_some(), "the tenth mention makes a burst");
}

#[test]
fn a_weekday_volume_is_a_burst_on_a_sunday() {
    let weekday = |at: DateTime<Utc>| (at.timestamp() / 86_400 + 3).rem_euclid(7) < 5;
    let hours: Vec<_> = (0..28 * 24).map(|h| monday() + Duration::hours(h)).collect();
    let points: Vec<_> = hours
        .iter()
        .map(|&at| (at, if weekday(at) { 100 } else { 20 }))
        .collect();
    let mut d = detector();
    assert_eq!(run(&mut d, "t", &points), []);
    let (next_monday, next_sunday) = (monday() + Duration::days(28), monday() + Duration::days(34));
    assert_eq!(d.clone().observe("t", next_monday, 100), None, "usual on a Monday");
    assert!(d.observe("t", next_sunday, 100).is_some(), "a burst on a Sunday");
}

#[test]
fn memory_is_bounded_by_the_cap_and_recent_terms_stay() {
    let mut d = Detector::new(Params::default(), 100);
    let mut full = 0;
    for i in 0..1000 {
        if i == 99 {
            full = d.state_bytes();
        }
        d.observe(&format!("term{i}"), monday() + Duration::seconds(i), 1);
        d.observe("hot", monday() + Duration::seconds(i), 1);
        assert!(d.len() <= 100, "{} terms after {i}", d.len());
    }
    assert!(d.terms.contains_key("hot") && d.terms.contains_key("term999"));
    assert!(!d.terms.contains_key("term0"));
    assert!(d.state_bytes() > 100 * std::mem::size_of::<TermState>() / 2);
    assert!(
        d.state_bytes() <= full + full / 4,
        "{} bytes, {full} when first full",
        d.state_bytes()
    );
}
