//! One poll round: every due feed fetched, a few at a time, and each one's state updated with
//! what it brought. The new entries and the reports are returned for the core to act on.

use super::fetch::{Fetched, Fetcher};
use super::watch::{FeedState, PollOutcome, WatchPolicy};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;

/// A feed and its state.
#[derive(Clone, Debug)]
pub struct WatchedFeed {
    pub url: String,
    pub state: FeedState,
}

/// Polls the feeds of `feeds` that are due at `now`, at most `parallel` at once; returns the index
/// and the outcome of each feed polled.
pub async fn poll_round(
    fetcher: &Fetcher,
    feeds: &mut [WatchedFeed],
    now: DateTime<Utc>,
    policy: &WatchPolicy,
    parallel: usize,
) -> Vec<(usize, PollOutcome)> {
    let due: Vec<(usize, String, Option<String>, Option<String>)> = feeds
        .iter()
        .enumerate()
        .filter(|(_, feed)| feed.state.due(now))
        .map(|(n, feed)| {
            (
                n,
                feed.url.clone(),
                feed.state.etag.clone(),
                feed.state.last_modified.clone(),
            )
        })
        .collect();
    let fetched: Vec<(usize, Fetched)> =
        futures_util::stream::iter(due.into_iter().map(|(n, url, etag, modified)| async move {
            (n, fetcher.fetch(&url, etag.as_deref(), modified.as_deref()).await)
        }))
        .buffer_unordered(parallel.max(1))
        .collect()
        .await;
    let mut outcomes: Vec<(usize, PollOutcome)> = fetched
        .into_iter()
        .map(|(n, fetched)| {
            let jitter = jitter(&feeds[n].url, feeds[n].state.failures);
            (n, feeds[n].state.record(now, fetched, policy, jitter))
        })
        .collect();
    outcomes.sort_by_key(|(n, _)| *n);
    outcomes
}

/// A jitter in [0, 1) that differs between feeds and between their failures, the same on every
/// run (FNV-1a of the URL and the failure count).
pub fn jitter(url: &str, failures: u32) -> f64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in url.bytes().chain(failures.to_le_bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_spreads_feeds_and_stays_in_range() {
        let values: Vec<f64> = (0..100)
            .map(|n| jitter(&format!("https://f.example.org/{n}"), 1))
            .collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        let low = values.iter().filter(|v| **v < 0.5).count();
        assert!((30..=70).contains(&low), "spread: {low} of 100 below 0.5");
        assert_eq!(jitter("https://a.example.org", 2), jitter("https://a.example.org", 2));
        assert_ne!(jitter("https://a.example.org", 2), jitter("https://a.example.org", 3));
    }
}
