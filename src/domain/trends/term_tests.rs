//! Tests of one term's state: buckets close in order, silent gaps are learned as zeros (bounded).

use super::*;

#[test]
fn buckets_close_in_order_and_a_long_silence_costs_a_bounded_time() {
    let p = Params::default();
    let mut t = TermState::new(0, &p);
    for hour in 0..48 {
        t.observe(hour * 3600 + 10, 50, &p);
    }
    t.observe(3600 * 52 + 1, 5, &p);
    assert_eq!(t.history, 52, "48 buckets of 50, then four empty ones");
    let level = t.baseline.as_ref().map(|b| b.expected(0)).unwrap_or_default();
    t.observe(3600 * 10_000, 1, &p);
    assert_eq!(t.history, 10_000, "every bucket up to the current one");
    let after = t.baseline.as_ref().map(|b| b.expected(0)).unwrap_or_default();
    assert!(
        after < level / 2.0,
        "a long silence lowers the level: {level} -> {after}"
    );
    assert_eq!(t.count, 1);
}

#[test]
fn a_late_observation_counts_in_the_current_bucket() {
    let p = Params::default();
    let mut t = TermState::new(7200, &p);
    t.observe(7200, 2, &p);
    t.observe(100, 3, &p);
    assert_eq!((t.bucket, t.count, t.history), (2, 5, 0));
}
