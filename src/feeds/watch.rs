//! One watched feed's state between polls, and what a poll's outcome changes: which entries are
//! new (the first poll of a feed only marks what it has as seen), the conditional-request
//! validators, when to poll next (the feed's interval, or a jittered backoff after failures), and
//! whether the coordinators must be told it fails (once, after a threshold) or works again. Pure:
//! the time and the jitter are parameters.

use super::entries::Entry;
use super::fetch::Fetched;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// How feeds are polled.
#[derive(Clone, Debug)]
pub struct WatchPolicy {
    /// Between two polls of a working feed.
    pub interval: Duration,
    /// The longest wait between two polls of a failing feed.
    pub max_backoff: Duration,
    /// A feed failing for this long is reported to the coordinators (once).
    pub report_after: Duration,
    /// How many entry ids are remembered per feed (more than a feed lists at once).
    pub seen_cap: usize,
}

impl Default for WatchPolicy {
    fn default() -> Self {
        WatchPolicy {
            interval: Duration::minutes(15),
            max_backoff: Duration::hours(6),
            report_after: Duration::hours(6),
            seen_cap: 2000,
        }
    }
}

/// What is kept of a feed between polls (and across restarts).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedState {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The ids of the entries seen, oldest first, at most `seen_cap`.
    pub seen: VecDeque<String>,
    /// Whether a poll has succeeded once (the first marks everything as seen).
    pub polled: bool,
    pub next_poll: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    /// Consecutive failures, and since when, with the last one's reason.
    pub failures: u32,
    pub failing_since: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// Whether the coordinators were told of the current run of failures.
    pub failure_reported: bool,
}

/// What a poll brings to the rest of the bot.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PollOutcome {
    /// Entries not seen before, in the feed's order.
    pub new_entries: Vec<Entry>,
    pub report: Option<FeedReport>,
}

/// What the coordinators are told about a feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FeedReport {
    /// It has been failing since `since`; the last reason.
    Failing { since: DateTime<Utc>, error: String },
    /// It works again after a failure that was reported.
    Recovered,
}

impl FeedState {
    /// Whether the feed is due for a poll at `now`.
    pub fn due(&self, now: DateTime<Utc>) -> bool {
        self.next_poll.is_none_or(|at| at <= now)
    }

    /// Takes in what the poll at `now` fetched. `jitter` in [0, 1) spreads the retries of feeds
    /// that failed together.
    pub fn record(&mut self, now: DateTime<Utc>, fetched: Fetched, policy: &WatchPolicy, jitter: f64) -> PollOutcome {
        match fetched {
            Fetched::Failed(error) => self.failed(now, error, policy, jitter),
            Fetched::NotModified => self.succeeded(now, Vec::new(), policy),
            Fetched::Entries {
                entries,
                etag,
                last_modified,
            } => {
                self.etag = etag;
                self.last_modified = last_modified;
                self.succeeded(now, entries, policy)
            }
        }
    }

    fn succeeded(&mut self, now: DateTime<Utc>, entries: Vec<Entry>, policy: &WatchPolicy) -> PollOutcome {
        let report = self.failure_reported.then_some(FeedReport::Recovered);
        self.failures = 0;
        self.failing_since = None;
        self.last_error = None;
        self.failure_reported = false;
        self.last_success = Some(now);
        self.next_poll = Some(now + policy.interval);
        let first = !self.polled;
        self.polled = true;
        let mut new_entries = Vec::new();
        for entry in entries {
            if self.seen.contains(&entry.id) {
                continue;
            }
            self.seen.push_back(entry.id.clone());
            if !first {
                new_entries.push(entry);
            }
        }
        while self.seen.len() > policy.seen_cap {
            self.seen.pop_front();
        }
        PollOutcome { new_entries, report }
    }

    fn failed(&mut self, now: DateTime<Utc>, error: String, policy: &WatchPolicy, jitter: f64) -> PollOutcome {
        self.failures = self.failures.saturating_add(1);
        let since = *self.failing_since.get_or_insert(now);
        self.last_error = Some(error.clone());
        self.next_poll = Some(now + backoff(self.failures, policy, jitter));
        let report = (!self.failure_reported && now - since >= policy.report_after).then(|| {
            self.failure_reported = true;
            FeedReport::Failing { since, error }
        });
        PollOutcome {
            new_entries: Vec::new(),
            report,
        }
    }
}

/// The wait after the `failures`-th failure in a row: the interval doubled each time, at most
/// `max_backoff`, then shortened by up to a quarter by `jitter`.
fn backoff(failures: u32, policy: &WatchPolicy, jitter: f64) -> Duration {
    let doubled = policy
        .interval
        .num_seconds()
        .saturating_mul(1i64 << failures.saturating_sub(1).min(20));
    let seconds = doubled.min(policy.max_backoff.num_seconds()).max(1);
    let jitter = jitter.clamp(0.0, 1.0);
    Duration::seconds(seconds - (seconds as f64 * 0.25 * jitter) as i64)
}

#[cfg(test)]
mod tests;
