//! The burst detector over many terms: each term's counts against its own baseline, memory bounded
//! by a cap on the number of terms (those not seen for the longest time are forgotten first).

use super::params::Params;
use super::term::{Scale, TermState};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// A term whose volume took off: its count in a bucket against the count its baseline expected.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// The term, as the detector was given it.
    pub term: String,
    /// The observation that made the count a burst.
    pub at: DateTime<Utc>,
    /// The bucket whose count is a burst: its start and length.
    pub bucket_start: DateTime<Utc>,
    pub bucket_length: Duration,
    /// The count in that bucket so far.
    pub count: u32,
    /// The count the baseline expected for that bucket (knowing the hour and the weekday).
    pub expected: f64,
    /// How many standard deviations above the expected count.
    pub z: f64,
}

/// The detector: feed it observations in time order, get alerts.
#[derive(Debug, Clone)]
pub struct Detector {
    params: Params,
    max_terms: usize,
    terms: HashMap<Box<str>, TermState>,
}

impl Detector {
    /// A detector that keeps at most `max_terms` terms (at least 2).
    pub fn new(params: Params, max_terms: usize) -> Self {
        Detector {
            params,
            max_terms: max_terms.max(2),
            terms: HashMap::new(),
        }
    }

    /// The parameters.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Count `count` occurrences of `term` at `at`; an alert if that makes a burst. `at` only moves
    /// forward per term: an observation older than the term's current bucket counts in that bucket.
    pub fn observe(&mut self, term: &str, at: DateTime<Utc>, count: u32) -> Option<Alert> {
        let secs = at.timestamp();
        let burst = match self.terms.get_mut(term) {
            Some(state) => state.observe(secs, count, &self.params),
            None => {
                if self.terms.len() >= self.max_terms {
                    self.forget_oldest_half();
                }
                let mut state = TermState::new(secs, &self.params);
                let burst = state.observe(secs, count, &self.params);
                self.terms.insert(term.into(), state);
                burst
            }
        }?;
        let p = &self.params;
        let length = match burst.scale {
            Scale::Bucket | Scale::Sustained => p.bucket_secs,
            Scale::Spike => p.spike_secs(),
        };
        Some(Alert {
            term: term.to_owned(),
            at,
            bucket_start: DateTime::from_timestamp(burst.bucket_start, 0).unwrap_or(at),
            bucket_length: Duration::seconds(length),
            count: burst.count,
            expected: f64::from(burst.expected),
            z: f64::from(burst.z),
        })
    }

    /// How many terms the detector keeps.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether it keeps none.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The bytes the detector's state takes: the map's slots and each term's name.
    pub fn state_bytes(&self) -> usize {
        let slot = std::mem::size_of::<(Box<str>, TermState)>() + 1;
        self.terms.capacity() * slot + self.terms.keys().map(|k| k.len()).sum::<usize>()
    }

    /// Forget the half of the terms seen least recently: amortised, each insertion pays for one
    /// forgotten term, and the map never grows past `max_terms`.
    fn forget_oldest_half(&mut self) {
        let mut seen: Vec<i64> = self.terms.values().map(|t| t.last_seen).collect();
        let middle = seen.len() / 2;
        let cutoff = *seen.select_nth_unstable(middle).1;
        // Forget exactly `middle + 1` terms: all seen before the cutoff, then ties at it.
        let before = seen.iter().filter(|&&s| s < cutoff).count();
        let mut ties = (middle + 1).saturating_sub(before);
        // The terms kept go into a fresh map sized for `max_terms`: removing them from the old one
        // would leave tombstones that, depending on where the hashes fall, make the map double its
        // slots on a later insertion (a shrink to the same size keeps them).
        let mut kept = HashMap::with_capacity(self.max_terms);
        for (name, t) in std::mem::take(&mut self.terms) {
            let forget = t.last_seen < cutoff || (t.last_seen == cutoff && ties > 0);
            if t.last_seen == cutoff && forget {
                ties -= 1;
            }
            if !forget {
                kept.insert(name, t);
            }
        }
        self.terms = kept;
    }
}

#[cfg(test)]
#[path = "detector_tests.rs"]
mod tests;
