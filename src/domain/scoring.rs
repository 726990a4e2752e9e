//! Points: how many a reshare earns (base, same-day bonus, streak bonus) and how streaks move.

use super::reshare::AmbassadorStats;
use chrono::NaiveDate;

/// Configurable point values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PointsRules {
    /// Every counted reshare.
    pub reshare: u32,
    /// Extra when the reshare happens on the item's publish day (organisation time zone).
    pub same_day_bonus: u32,
    /// Extra on the first reshare of a day that extends a streak of at least `streak_min_days`.
    pub streak_bonus: u32,
    pub streak_min_days: u32,
}

impl Default for PointsRules {
    fn default() -> Self {
        PointsRules {
            reshare: 10,
            same_day_bonus: 5,
            streak_bonus: 3,
            streak_min_days: 2,
        }
    }
}

/// What a new reshare earns and the stats it leaves behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    pub points: u32,
    pub same_day: bool,
    pub streak_bonus: bool,
    pub stats: AmbassadorStats,
}

/// Scores a reshare made on local day `today` (ambassador's zone) of an item published on
/// `published` (organisation zone; `None` when no item is named), given the ambassador's stats
/// before it. Also used for the `today_org` date comparison of the same-day bonus.
pub fn award(
    rules: &PointsRules,
    before: &AmbassadorStats,
    today: NaiveDate,
    today_org: NaiveDate,
    published: Option<NaiveDate>,
) -> Award {
    let mut stats = before.clone();
    let first_today = stats.last_day != Some(today);
    if first_today {
        let continues = stats.last_day.and_then(|d| d.succ_opt()) == Some(today);
        // A claim dated before the last day (clock skew) never breaks or extends a streak.
        if stats.last_day.is_none_or(|d| d < today) {
            stats.streak = if continues { stats.streak + 1 } else { 1 };
            stats.last_day = Some(today);
        }
    }
    stats.best_streak = stats.best_streak.max(stats.streak);
    let same_day = published == Some(today_org);
    let streak_bonus = first_today && stats.last_day == Some(today) && stats.streak >= rules.streak_min_days.max(2);
    let points = rules.reshare
        + if same_day { rules.same_day_bonus } else { 0 }
        + if streak_bonus { rules.streak_bonus } else { 0 };
    stats.points += u64::from(points);
    stats.reshares += 1;
    Award {
        points,
        same_day,
        streak_bonus,
        stats,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    #[test]
    fn points_table() {
        let r = PointsRules::default();
        let fresh = AmbassadorStats::default();
        let yesterday = AmbassadorStats {
            streak: 1,
            best_streak: 1,
            last_day: Some(d(9)),
            ..Default::default()
        };
        let earlier_today = AmbassadorStats {
            streak: 2,
            best_streak: 2,
            last_day: Some(d(10)),
            ..Default::default()
        };
        let gap = AmbassadorStats {
            streak: 5,
            best_streak: 5,
            last_day: Some(d(7)),
            ..Default::default()
        };
        // (before, item published, points, streak after, same-day, streak bonus)
        type Row<'a> = (&'a AmbassadorStats, Option<NaiveDate>, u32, u32, bool, bool);
        let rows: [Row; 6] = [
            (&fresh, None, 10, 1, false, false),
            (&fresh, Some(d(10)), 15, 1, true, false),
            (&fresh, Some(d(9)), 10, 1, false, false),
            (&yesterday, Some(d(10)), 18, 2, true, true),
            (&earlier_today, None, 10, 2, false, false),
            (&gap, None, 10, 1, false, false),
        ];
        for (i, (before, published, points, streak, same_day, bonus)) in rows.into_iter().enumerate() {
            let a = award(&r, before, d(10), d(10), published);
            assert_eq!(
                (a.points, a.stats.streak, a.same_day, a.streak_bonus),
                (points, streak, same_day, bonus),
                "row {i}"
            );
            assert_eq!(a.stats.points, before.points + u64::from(points));
            assert!(a.stats.best_streak >= a.stats.streak);
        }
        assert_eq!(award(&r, &gap, d(10), d(10), None).stats.best_streak, 5);
    }

    #[test]
    fn a_claim_dated_before_the_last_day_keeps_the_streak() {
        let r = PointsRules::default();
        let s = AmbassadorStats {
            streak: 3,
            best_streak: 3,
            last_day: Some(d(10)),
            ..Default::default()
        };
        let a = award(&r, &s, d(8), d(8), None);
        assert_eq!((a.stats.streak, a.stats.last_day, a.points), (3, Some(d(10)), 10));
    }
}
