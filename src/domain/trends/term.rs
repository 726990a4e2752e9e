//! One term's detector state: its baseline, the counts of the current bucket and spike bucket,
//! and whether it may alert (cooldown, one alert per burst). Fixed size, whatever the history.

use super::baseline::{learn_spread, slots, z_score, Baseline};
use super::params::Params;

/// Which count raised an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// The count of the whole bucket so far.
    Bucket,
    /// The count of the current spike bucket (a fraction of a bucket).
    Spike,
    /// Several buckets in a row above their expected counts (a cumulative sum).
    Sustained,
}

/// A burst found by [`TermState::observe`], before it is named.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Burst {
    /// Which count is a burst.
    pub scale: Scale,
    /// Start of the (spike) bucket whose count is a burst, Unix seconds.
    pub bucket_start: i64,
    /// The count so far and the count expected for the whole (spike) bucket.
    pub count: u32,
    pub expected: f32,
    /// Standard deviations above the expected count (of the bucket, for a sustained rise).
    pub z: f32,
}

/// A term's state.
#[derive(Debug, Clone, PartialEq)]
pub struct TermState {
    /// None until the first bucket closes.
    baseline: Option<Baseline>,
    spike_spread: f32,
    /// The cumulative sum of the closed buckets' excess z-scores (CUSUM), for sustained rises.
    cusum: f32,
    /// Index of the current bucket and spike bucket (Unix seconds / their length).
    bucket: i64,
    spike: i64,
    count: u32,
    spike_count: u32,
    /// Closed buckets learned (saturating).
    history: u16,
    /// Calm buckets in a row since the last alert.
    calm: u8,
    armed: bool,
    last_alert: Option<i64>,
    /// The latest observation, Unix seconds (for evicting terms not seen for long).
    pub(super) last_seen: i64,
}

impl TermState {
    /// A term first seen at `secs`.
    pub fn new(secs: i64, p: &Params) -> Self {
        TermState {
            baseline: None,
            spike_spread: 0.1,
            cusum: 0.0,
            bucket: secs.div_euclid(p.bucket_secs),
            spike: secs.div_euclid(p.spike_secs()),
            count: 0,
            spike_count: 0,
            history: 0,
            calm: 0,
            armed: true,
            last_alert: None,
            last_seen: secs,
        }
    }

    /// Count `count` occurrences at `secs`; a burst if this makes the current bucket or spike bucket
    /// one and the term may alert. An observation older than the current bucket counts in it (time
    /// never goes back).
    pub fn observe(&mut self, secs: i64, count: u32, p: &Params) -> Option<Burst> {
        self.advance(secs, p);
        self.count = self.count.saturating_add(count);
        self.spike_count = self.spike_count.saturating_add(count);
        self.last_seen = self.last_seen.max(secs);
        let burst = self.test(p)?;
        if self.last_alert.is_some_and(|last| secs - last < p.cooldown_secs) {
            return None;
        }
        self.last_alert = Some(secs);
        self.armed = false;
        self.calm = 0;
        self.cusum = 0.0;
        Some(burst)
    }

    fn advance(&mut self, secs: i64, p: &Params) {
        let bucket = secs.div_euclid(p.bucket_secs);
        if bucket > self.bucket {
            self.close_buckets(bucket, p);
        }
        let spike = secs.div_euclid(p.spike_secs());
        if spike > self.spike {
            self.close_spikes(spike, p);
        }
    }

    /// Learn the current bucket's count, then the empty buckets up to `bucket`: the last
    /// `max_gap_buckets` of them one by one, the older ones only as a decay of the level.
    fn close_buckets(&mut self, bucket: i64, p: &Params) {
        let first_empty = (bucket - p.max_gap_buckets).max(self.bucket + 1);
        self.close_bucket(self.bucket, self.count, p);
        let skipped = first_empty - (self.bucket + 1);
        if let Some(baseline) = &mut self.baseline {
            baseline.decay(skipped, p);
        }
        self.history = self.history.saturating_add(u16::try_from(skipped).unwrap_or(u16::MAX));
        self.calm = self.calm.saturating_add(u8::try_from(skipped).unwrap_or(u8::MAX));
        for b in first_empty..bucket {
            self.close_bucket(b, 0, p);
        }
        self.bucket = bucket;
        self.count = 0;
    }

    /// Learn the final `count` of bucket `b`: calm or not, the cumulative sum, the baseline.
    fn close_bucket(&mut self, b: i64, count: u32, p: &Params) {
        let start = b * p.bucket_secs;
        match &mut self.baseline {
            None => self.baseline = Some(Baseline::new(count as f32)),
            Some(baseline) => {
                let slot = slots(start);
                let z = z_score(count as f32, baseline.expected_in(slot), baseline.spread());
                self.calm = if z < p.calm_z { self.calm.saturating_add(1) } else { 0 };
                self.cusum = (self.cusum + z.min(p.clip_z) - p.cusum_slack).max(0.0);
                if !self.armed && self.calm >= p.calm_buckets {
                    self.armed = true;
                }
                baseline.learn_in(slot, count as f32, p);
            }
        }
        self.history = self.history.saturating_add(1);
    }

    /// Learn the spread of the current spike bucket's count, then of the empty ones up to `spike`
    /// (at most one bucket's worth: the spread is a short-term figure).
    fn close_spikes(&mut self, spike: i64, p: &Params) {
        let per = p.spikes_per_bucket.max(1);
        let rate = p.spread_rate / per as f32;
        if let Some(baseline) = &self.baseline {
            let first_empty = (spike - per).max(self.spike + 1);
            let closing = std::iter::once((self.spike, self.spike_count)).chain((first_empty..spike).map(|s| (s, 0)));
            // The expected count changes with the bucket only: look it up once per bucket.
            let mut cached: Option<(i64, f32)> = None;
            for (s, count) in closing {
                let bucket = (s * p.spike_secs()).div_euclid(p.bucket_secs);
                let mu = match cached {
                    Some((b, mu)) if b == bucket => mu,
                    _ => {
                        let mu = baseline.expected(bucket * p.bucket_secs) / per as f32;
                        cached = Some((bucket, mu));
                        mu
                    }
                };
                let clipped = (count as f32).min(mu + p.clip_z * (mu + self.spike_spread * mu * mu).sqrt());
                self.spike_spread = learn_spread(self.spike_spread, clipped, mu, rate);
            }
        }
        self.spike = spike;
        self.spike_count = 0;
    }

    /// A burst in the current bucket or spike bucket, if the term is armed and past its warm-up.
    fn test(&self, p: &Params) -> Option<Burst> {
        let baseline = self.baseline.as_ref()?;
        if !self.armed || self.history < p.warmup_buckets {
            return None;
        }
        let start = self.bucket * p.bucket_secs;
        let expected = baseline.expected(start);
        let z = z_score(self.count as f32, expected, baseline.spread());
        if self.count >= p.min_count && z > p.bucket_z {
            let (scale, count) = (Scale::Bucket, self.count);
            return Some(Burst {
                scale,
                bucket_start: start,
                count,
                expected,
                z,
            });
        }
        let sum = self.cusum + z.min(p.clip_z) - p.cusum_slack;
        if self.count >= p.min_count && sum > p.cusum_limit {
            let (scale, count) = (Scale::Sustained, self.count);
            return Some(Burst {
                scale,
                bucket_start: start,
                count,
                expected,
                z,
            });
        }
        let expected = expected / p.spikes_per_bucket.max(1) as f32;
        let z = z_score(self.spike_count as f32, expected, self.spike_spread);
        if self.spike_count >= p.min_count && z > p.spike_z {
            let (scale, count, bucket_start) = (Scale::Spike, self.spike_count, self.spike * p.spike_secs());
            return Some(Burst {
                scale,
                bucket_start,
                count,
                expected,
                z,
            });
        }
        None
    }
}

#[cfg(test)]
#[path = "term_tests.rs"]
mod tests;
