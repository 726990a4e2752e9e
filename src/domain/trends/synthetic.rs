//! Test support: seeded count series (seasonal Poisson, with or without an injected burst).

use chrono::{DateTime, TimeZone, Utc};

/// A small seeded generator (SplitMix64): the same seed gives the same series.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A Poisson draw (Knuth's method; fine for the small means of tests).
    pub fn poisson(&mut self, mean: f64) -> u32 {
        let limit = (-mean).exp();
        let (mut k, mut product) = (0, self.uniform());
        while product > limit {
            k += 1;
            product *= self.uniform();
        }
        k
    }
}

/// Monday 2026-11-02 00:00 UTC: series start on a Monday at midnight.
pub fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0)
        .single()
        .expect("a valid date")
}

/// The mean count per five minutes at `at`: `base` on weekday afternoons, a third of it at night,
/// half of it on weekends.
pub fn seasonal_mean(base: f64, at: DateTime<Utc>) -> f64 {
    let secs = at.timestamp();
    let hour = (secs / 3600).rem_euclid(24) as f64;
    let daily = 2.0 / 3.0 + (std::f64::consts::TAU * (hour - 9.0) / 24.0).sin() / 3.0;
    let weekday = (secs / 86_400 + 3).rem_euclid(7);
    let weekly = if weekday >= 5 { 0.5 } else { 1.0 };
    base * daily * weekly
}

/// Five-minute counts for `days` days from [`monday`], with the mean multiplied by `factor` during
/// `burst` (start, end).
pub fn series(
    base: f64,
    days: i64,
    burst: Option<(DateTime<Utc>, DateTime<Utc>, f64)>,
    seed: u64,
) -> Vec<(DateTime<Utc>, u32)> {
    let mut rng = Rng::new(seed);
    (0..days * 288)
        .map(|i| {
            let at = monday() + chrono::Duration::minutes(5 * i);
            let mut mean = seasonal_mean(base, at);
            if let Some((start, end, factor)) = burst {
                if start <= at && at < end {
                    mean *= factor;
                }
            }
            (at, rng.poisson(mean))
        })
        .collect()
}
