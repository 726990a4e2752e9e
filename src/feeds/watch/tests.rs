//! Polls in sequence: new entries, conditional answers, failures, backoff and reports.

use super::*;
use chrono::TimeZone;

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).single().expect("time") + Duration::minutes(minutes)
}

fn entry(id: &str) -> Entry {
    Entry {
        id: id.into(),
        title: format!("title {id}"),
        link: None,
        summary: String::new(),
        published: None,
    }
}

fn entries(ids: &[&str]) -> Fetched {
    Fetched::Entries {
        entries: ids.iter().map(|id| entry(id)).collect(),
        etag: Some(format!("\"{}\"", ids.len())),
        last_modified: None,
    }
}

fn ids(outcome: &PollOutcome) -> Vec<&str> {
    outcome.new_entries.iter().map(|e| e.id.as_str()).collect()
}

#[test]
fn the_first_poll_marks_what_is_there_and_later_polls_bring_only_new_entries() {
    let policy = WatchPolicy::default();
    let mut state = FeedState::default();
    assert!(state.due(at(0)));
    let first = state.record(at(0), entries(&["a", "b"]), &policy, 0.0);
    assert_eq!(ids(&first), Vec::<&str>::new(), "old entries do not flood the room");
    assert_eq!(state.etag.as_deref(), Some("\"2\""));
    assert!(!state.due(at(14)) && state.due(at(15)), "next poll after the interval");
    let second = state.record(at(15), entries(&["c", "a", "b", "d"]), &policy, 0.0);
    assert_eq!(ids(&second), ["c", "d"]);
    let unchanged = state.record(at(30), Fetched::NotModified, &policy, 0.0);
    assert_eq!(unchanged, PollOutcome::default());
    assert_eq!(state.etag.as_deref(), Some("\"4\""), "a 304 keeps the validators");
}

#[test]
fn the_seen_entries_are_bounded() {
    let policy = WatchPolicy {
        seen_cap: 3,
        ..WatchPolicy::default()
    };
    let mut state = FeedState::default();
    state.record(at(0), entries(&["a", "b", "c"]), &policy, 0.0);
    let outcome = state.record(at(15), entries(&["d", "e"]), &policy, 0.0);
    assert_eq!(ids(&outcome), ["d", "e"]);
    assert_eq!(state.seen, ["c", "d", "e"]);
}

#[test]
fn failures_back_off_with_jitter_up_to_the_maximum() {
    let policy = WatchPolicy::default();
    let mut state = FeedState::default();
    let mut waits = Vec::new();
    let mut now = at(0);
    for _ in 0..8 {
        state.record(now, Fetched::Failed("timed out".into()), &policy, 0.0);
        let next = state.next_poll.expect("next poll");
        waits.push((next - now).num_minutes());
        now = next;
    }
    assert_eq!(waits, [15, 30, 60, 120, 240, 360, 360, 360]);
    let mut jittered = FeedState::default();
    jittered.record(at(0), Fetched::Failed("x".into()), &policy, 0.999);
    let wait = jittered.next_poll.expect("next") - at(0);
    assert!(wait < Duration::minutes(15) && wait > Duration::minutes(11), "{wait}");
}

#[test]
fn a_failing_feed_is_reported_once_after_the_threshold_and_its_recovery_too() {
    let policy = WatchPolicy {
        report_after: Duration::hours(1),
        ..WatchPolicy::default()
    };
    let mut state = FeedState::default();
    state.record(at(0), entries(&["a"]), &policy, 0.0);
    let mut reports = Vec::new();
    for minutes in [15, 30, 60, 75, 120, 240] {
        let error = format!("HTTP 503 at {minutes}");
        if let Some(report) = state.record(at(minutes), Fetched::Failed(error), &policy, 0.0).report {
            reports.push((minutes, report));
        }
    }
    assert_eq!(
        reports,
        [(
            75,
            FeedReport::Failing {
                since: at(15),
                error: "HTTP 503 at 75".into()
            }
        )],
        "once, when it has failed for an hour"
    );
    assert_eq!(state.last_error.as_deref(), Some("HTTP 503 at 240"));
    let back = state.record(at(300), entries(&["a", "b"]), &policy, 0.0);
    assert_eq!(back.report, Some(FeedReport::Recovered));
    assert_eq!(ids(&back), ["b"]);
    assert_eq!((state.failures, state.failing_since), (0, None));
    let quiet = state.record(at(301), Fetched::Failed("blip".into()), &policy, 0.0);
    assert_eq!(quiet.report, None, "a short failure is not reported");
    assert_eq!(
        state.record(at(302), Fetched::NotModified, &policy, 0.0).report,
        None,
        "nor its end"
    );
}

#[test]
fn the_state_survives_a_restart() {
    let policy = WatchPolicy::default();
    let mut state = FeedState::default();
    state.record(at(0), entries(&["a", "b"]), &policy, 0.0);
    let saved = serde_json::to_string(&state).expect("saved");
    let mut restored: FeedState = serde_json::from_str(&saved).expect("restored");
    assert_eq!(restored, state);
    let outcome = restored.record(at(15), entries(&["a", "b", "c"]), &policy, 0.0);
    assert_eq!(ids(&outcome), ["c"], "neither floods nor misses after a restart");
    assert!(serde_json::from_str::<FeedState>(r#"{"unknown": 1}"#).is_err());
}
