//! The weekly leaderboard: ranking running week totals with a deterministic tie-break.

use super::reshare::WeekTotal;
use super::AmbassadorId;
use std::cmp::Ordering;

/// One ranked row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// 1-based position after the tie-break (no two rows share a rank).
    pub rank: usize,
    pub ambassador: AmbassadorId,
    pub total: WeekTotal,
}

/// Orders two totals: more points first; on equal points, whoever reached the total first;
/// then more reshares; then the lower ambassador id. Total and deterministic.
fn compare(a: &(AmbassadorId, WeekTotal), b: &(AmbassadorId, WeekTotal)) -> Ordering {
    b.1.points
        .cmp(&a.1.points)
        .then_with(|| match (a.1.reached_at, b.1.reached_at) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| b.1.reshares.cmp(&a.1.reshares))
        .then_with(|| a.0.cmp(&b.0))
}

/// Ranks every total (rows with zero points and zero reshares are left out).
pub fn rank(mut totals: Vec<(AmbassadorId, WeekTotal)>) -> Vec<Standing> {
    totals.retain(|(_, t)| t.points > 0 || t.reshares > 0);
    totals.sort_unstable_by(compare);
    totals
        .into_iter()
        .enumerate()
        .map(|(i, (ambassador, total))| Standing {
            rank: i + 1,
            ambassador,
            total,
        })
        .collect()
}

/// The public board: the first `size` rows of `ranked` whose ambassador is not hidden,
/// re-numbered 1..=size so that hidden people leave no gaps.
pub fn public_top(ranked: &[Standing], size: usize, is_hidden: impl Fn(AmbassadorId) -> bool) -> Vec<Standing> {
    ranked
        .iter()
        .filter(|s| !is_hidden(s.ambassador))
        .take(size)
        .enumerate()
        .map(|(i, s)| Standing { rank: i + 1, ..*s })
        .collect()
}

/// The top `size` public rows without sorting everyone: partial selection over the totals,
/// checking `is_hidden` only for candidates. Same order as `public_top(&rank(totals), ..)`.
pub fn public_top_fast(
    mut totals: Vec<(AmbassadorId, WeekTotal)>,
    size: usize,
    is_hidden: impl Fn(AmbassadorId) -> bool,
) -> Vec<Standing> {
    totals.retain(|(_, t)| t.points > 0 || t.reshares > 0);
    let mut wanted = size;
    loop {
        let k = wanted.min(totals.len());
        if k < totals.len() && k > 0 {
            totals.select_nth_unstable_by(k - 1, compare);
        }
        let mut head: Vec<_> = totals[..k].to_vec();
        head.sort_unstable_by(compare);
        let visible: Vec<_> = head.into_iter().filter(|(id, _)| !is_hidden(*id)).collect();
        if visible.len() >= size || k == totals.len() {
            return visible
                .into_iter()
                .take(size)
                .enumerate()
                .map(|(i, (ambassador, total))| Standing {
                    rank: i + 1,
                    ambassador,
                    total,
                })
                .collect();
        }
        wanted = (wanted * 2).max(size + 1);
    }
}

/// The 1-based position of `who` in `ranked`, counting everyone (hidden or not).
pub fn position(ranked: &[Standing], who: AmbassadorId) -> Option<usize> {
    ranked.iter().find(|s| s.ambassador == who).map(|s| s.rank)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn t(points: u64, reshares: u64, minute: Option<u32>) -> WeekTotal {
        WeekTotal {
            points,
            reshares,
            reached_at: minute.map(|m| Utc.with_ymd_and_hms(2026, 11, 16, 10, m, 0).unwrap()),
        }
    }

    fn ids(rows: &[Standing]) -> Vec<u64> {
        rows.iter().map(|s| s.ambassador.0).collect()
    }

    #[test]
    fn ties_break_on_who_got_there_first_then_reshares_then_id() {
        let totals = vec![
            (AmbassadorId(1), t(20, 2, Some(30))),
            (AmbassadorId(2), t(20, 2, Some(10))),
            (AmbassadorId(3), t(30, 3, Some(50))),
            (AmbassadorId(4), t(20, 3, Some(10))),
            (AmbassadorId(5), t(20, 3, Some(10))),
            (AmbassadorId(6), t(0, 0, None)),
        ];
        let ranked = rank(totals.clone());
        assert_eq!(ids(&ranked), vec![3, 4, 5, 2, 1]);
        assert_eq!(ranked.iter().map(|s| s.rank).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
        // Input order does not matter.
        let mut reversed = totals;
        reversed.reverse();
        assert_eq!(ids(&rank(reversed)), vec![3, 4, 5, 2, 1]);
    }

    #[test]
    fn hidden_ambassadors_leave_the_public_board_without_gaps() {
        let totals: Vec<_> = (1..=6).map(|i| (AmbassadorId(i), t(100 - i, 1, Some(1)))).collect();
        let ranked = rank(totals.clone());
        let hidden = |id: AmbassadorId| id.0 == 1 || id.0 == 3;
        let top = public_top(&ranked, 3, hidden);
        assert_eq!(ids(&top), vec![2, 4, 5]);
        assert_eq!(top.iter().map(|s| s.rank).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(position(&ranked, AmbassadorId(3)), Some(3));
        assert_eq!(public_top_fast(totals, 3, hidden), top);
    }

    #[test]
    fn fast_top_matches_the_full_sort() {
        let totals: Vec<_> = (1..=500u64)
            .map(|i| (AmbassadorId(i), t((i * 7919) % 97, i % 5, Some((i % 60) as u32))))
            .collect();
        for size in [0, 1, 10, 499, 600] {
            let hidden = |id: AmbassadorId| id.0.is_multiple_of(3);
            assert_eq!(
                public_top_fast(totals.clone(), size, hidden),
                public_top(&rank(totals.clone()), size, hidden),
                "size {size}"
            );
        }
    }

    #[test]
    fn an_empty_week_has_an_empty_board() {
        assert!(rank(vec![]).is_empty());
        assert!(public_top_fast(vec![(AmbassadorId(1), t(0, 0, None))], 10, |_| false).is_empty());
    }
}
