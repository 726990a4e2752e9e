//! The burst detector's parameters: one set serves every term (and every series of the evaluation).

/// How the detector buckets counts, learns a term's usual level and decides that a count is a burst.
///
/// The defaults are the production values; `relais trends eval` measures them on labelled data.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Length of a bucket, in seconds: the baseline learns one count per bucket.
    pub bucket_secs: i64,
    /// Each bucket is also split into this many spike buckets, tested on their own so that a short
    /// sharp burst (a post going viral) is not diluted in the bucket's count.
    pub spikes_per_bucket: i64,
    /// No alert below this count, however quiet the term usually is.
    pub min_count: u32,
    /// A bucket is a burst when its count is this many standard deviations above the expected one.
    pub bucket_z: f32,
    /// A spike bucket is a burst above this many standard deviations (higher: short counts are noisy).
    pub spike_z: f32,
    /// How fast the level follows the counts (per bucket, exponential smoothing).
    pub level_rate: f32,
    /// How fast the hour-of-day profile learns.
    pub hour_rate: f32,
    /// How fast the day-of-week profile learns.
    pub day_rate: f32,
    /// How fast the overdispersion (the variance beyond Poisson) learns.
    pub spread_rate: f32,
    /// Counts are clipped at this many standard deviations before the baseline learns from them,
    /// so that a burst does not teach the baseline that bursts are usual.
    pub clip_z: f32,
    /// The z-score a bucket must exceed to add to the cumulative sum of a sustained rise (CUSUM).
    pub cusum_slack: f32,
    /// A sustained rise is a burst when its cumulative sum exceeds this.
    pub cusum_limit: f32,
    /// No alert before the term has this many buckets of history.
    pub warmup_buckets: u16,
    /// At most one alert per term within this many seconds.
    pub cooldown_secs: i64,
    /// After an alert, the term alerts again only once this many buckets in a row were calm
    /// (below `calm_z`): one burst, one alert.
    pub calm_buckets: u8,
    /// A bucket below this many standard deviations above the expected count is calm.
    pub calm_z: f32,
    /// A term silent for longer learns this many of its last empty buckets one by one (a day of
    /// hours), and the older ones only as a decay of its level, so that waking an old term costs a
    /// bounded time.
    pub max_gap_buckets: i64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            bucket_secs: 3600,
            spikes_per_bucket: 12,
            min_count: 10,
            bucket_z: 8.0,
            spike_z: 20.0,
            level_rate: 0.01,
            hour_rate: 0.05,
            day_rate: 0.02,
            spread_rate: 0.01,
            clip_z: 3.0,
            cusum_slack: 1.0,
            cusum_limit: 8.0,
            warmup_buckets: 24,
            cooldown_secs: 3600,
            calm_buckets: 6,
            calm_z: 1.0,
            max_gap_buckets: 24,
        }
    }
}

impl Params {
    /// The length of a spike bucket, in seconds.
    pub fn spike_secs(&self) -> i64 {
        (self.bucket_secs / self.spikes_per_bucket.max(1)).max(1)
    }
}
