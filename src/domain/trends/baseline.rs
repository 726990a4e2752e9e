//! A term's usual count per bucket: a level times an hour-of-day factor times a day-of-week
//! factor (multiplicative seasonality), and how much the counts vary around it.

use super::params::Params;

/// The smallest expected count: a term never mentioned still has a little chance of a mention.
const FLOOR: f32 = 0.5;
/// The overdispersion a new term starts with.
const INITIAL_SPREAD: f32 = 0.1;

/// The hour of the day (0–23, UTC) and the day of the week (0 = Monday) of a Unix time.
pub fn slots(secs: i64) -> (usize, usize) {
    let hour = secs.div_euclid(3600).rem_euclid(24);
    // 1970-01-01 was a Thursday (3 days after a Monday).
    let day = (secs.div_euclid(86_400) + 3).rem_euclid(7);
    (hour as usize, day as usize)
}

/// How far `count` lies above `expected`, in standard deviations of a negative binomial with
/// overdispersion `spread` (variance `mu + spread * mu^2`; Poisson when `spread` is 0).
pub fn z_score(count: f32, expected: f32, spread: f32) -> f32 {
    let mu = expected.max(FLOOR);
    (count - mu) / (mu + spread * mu * mu).sqrt()
}

/// What a term usually counts per bucket; fixed size (33 numbers).
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    level: f32,
    hour: [f32; 24],
    day: [f32; 7],
    spread: f32,
    /// Buckets learned (saturating): a new baseline learns as a running mean, then settles.
    learned: u32,
}

impl Baseline {
    /// A baseline that starts from a first bucket's count.
    pub fn new(first_count: f32) -> Self {
        Baseline {
            level: first_count.max(FLOOR),
            hour: [1.0; 24],
            day: [1.0; 7],
            spread: INITIAL_SPREAD,
            learned: 1,
        }
    }

    /// The expected count of the bucket starting at `secs`.
    pub fn expected(&self, secs: i64) -> f32 {
        self.expected_in(slots(secs))
    }

    /// The expected count of a bucket in this hour of the day and day of the week ([`slots`]).
    pub fn expected_in(&self, (h, d): (usize, usize)) -> f32 {
        (self.level * self.hour[h] * self.day[d]).max(FLOOR)
    }

    /// The overdispersion learned so far.
    pub fn spread(&self) -> f32 {
        self.spread
    }

    /// Learn from the final count of the bucket starting at `secs`. The count is first clipped at
    /// `clip_z` standard deviations, so that a burst moves the baseline only a little.
    pub fn learn(&mut self, secs: i64, count: f32, p: &Params) {
        self.learn_in(slots(secs), count, p);
    }

    /// [`Baseline::learn`] for a bucket whose [`slots`] are known.
    pub fn learn_in(&mut self, (h, d): (usize, usize), count: f32, p: &Params) {
        let mu = self.expected_in((h, d));
        let clipped = count.min(mu + p.clip_z * (mu + self.spread * mu * mu).sqrt());
        // Until a rate is reached, each part learns as the running mean of what it has seen: the
        // level of every bucket, an hour of one bucket a day, a weekday of one in seven.
        let n = self.learned as f32;
        let per_day = (86_400.0 / p.bucket_secs.max(1) as f32).max(1.0);
        let (level_rate, hour_rate, day_rate) = (
            p.level_rate.max(1.0 / (n + 1.0)),
            p.hour_rate.max(1.0 / (n / per_day + 1.0)),
            p.day_rate.max(1.0 / (n / 7.0 + 1.0)),
        );
        self.spread = learn_spread(self.spread, clipped, mu, p.spread_rate);
        self.level += level_rate * (clipped / (self.hour[h] * self.day[d]) - self.level);
        self.level = self.level.max(FLOOR / 10.0);
        self.hour[h] += hour_rate * (clipped / (self.level * self.day[d]) - self.hour[h]);
        self.day[d] += day_rate * (clipped / (self.level * self.hour[h]) - self.day[d]);
        self.hour[h] = self.hour[h].max(0.01);
        self.day[d] = self.day[d].max(0.01);
        self.learned = self.learned.saturating_add(1);
    }

    /// `buckets` empty buckets learned at once: only the level decays (in closed form), the hour
    /// and weekday profiles keep what they knew.
    pub fn decay(&mut self, buckets: i64, p: &Params) {
        if buckets <= 0 {
            return;
        }
        let kept = (1.0 - p.level_rate).powi(i32::try_from(buckets).unwrap_or(i32::MAX));
        self.level = (self.level * kept).max(FLOOR / 10.0);
        self.learned = self.learned.saturating_add(u32::try_from(buckets).unwrap_or(u32::MAX));
    }
}

/// One step of the overdispersion estimate: the excess of the squared residual over the Poisson
/// variance, relative to `mu^2` (method of moments), smoothed.
pub fn learn_spread(spread: f32, count: f32, mu: f32, rate: f32) -> f32 {
    let mu = mu.max(FLOOR);
    let excess = (((count - mu).powi(2) - mu) / (mu * mu)).max(0.0);
    spread + rate * (excess - spread)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_know_the_hour_and_the_weekday() {
        // 2015-03-02 was a Monday; 2026-12-06 a Sunday.
        assert_eq!(slots(1_425_254_400 + 13 * 3600 + 59), (13, 0));
        assert_eq!(slots(1_796_515_200 + 23 * 3600), (23, 6));
        assert_eq!(slots(0), (0, 3));
        assert_eq!(slots(-1), (23, 2));
    }

    #[test]
    fn the_baseline_learns_a_daily_profile() {
        let p = Params::default();
        let mut b = Baseline::new(10.0);
        for hour in 0..24 * 28 {
            let count = if hour % 24 >= 12 { 40.0 } else { 10.0 };
            b.learn(hour * 3600, count, &p);
        }
        let (day, night) = (b.expected(28 * 86_400 + 14 * 3600), b.expected(28 * 86_400 + 3 * 3600));
        // Within a quarter of the true counts, and the afternoon about four times the night.
        assert!((30.0..50.0).contains(&day), "afternoon {day}");
        assert!((7.5..12.5).contains(&night), "night {night}");
        assert!((3.0..5.0).contains(&(day / night)), "{day} / {night}");
    }

    #[test]
    fn a_burst_moves_the_baseline_only_a_little() {
        let p = Params::default();
        let mut b = Baseline::new(20.0);
        for hour in 0..200 {
            b.learn(hour * 3600, 20.0, &p);
        }
        let before = b.expected(200 * 3600);
        b.learn(200 * 3600, 5000.0, &p);
        assert!(
            b.expected(201 * 3600) < before * 1.5,
            "{before} -> {}",
            b.expected(201 * 3600)
        );
    }

    #[test]
    fn z_scores_follow_the_spread() {
        assert_eq!(z_score(20.0, 10.0, 0.0), 10.0 / 10f32.sqrt());
        assert!(z_score(20.0, 10.0, 0.5) < z_score(20.0, 10.0, 0.0));
        assert!(z_score(0.0, 0.0, 0.0) < 0.0);
    }
}
