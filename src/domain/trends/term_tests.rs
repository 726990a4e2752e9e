//! Tests of one term's state: buckets close in order, silent gaps are learned as zeros (bounded).

use super::*;

#[test]
fn buckets_close_in_order_and_gaps_are_bounded() {
    let p = Params::default();
    let mut t = TermState::new(0, &p);
    t.observe(10, 5, &p);
    t.observe(3600 * 5 + 1, 5, &p);
    assert_eq!(t.history, 5, "the first bucket and four empty ones");
    t.observe(3600 * 10_000, 1, &p);
    assert_eq!(
        i64::from(t.history),
        5 + 1 + p.max_gap_buckets,
        "the fifth bucket, then a week of empty ones"
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
