//! Conformance cases for reshares: recording, deduplication, running totals, URLs attached
//! later, withdrawals and the time-ordered queries.

use super::fixtures::*;
use crate::domain::reshare::{AmbassadorStats, WeekTotal};
use crate::domain::{AmbassadorId, Network, Reshare, WeekKey};
use crate::store::migrations::week_totals_from_reshares;
use crate::store::{RecordOutcome, Store, StoreError};
use chrono::Duration;

/// Everything a duplicate claim must leave unchanged.
pub(super) fn snapshot(
    store: &dyn Store,
    who: AmbassadorId,
) -> (Vec<Reshare>, AmbassadorStats, Vec<(AmbassadorId, WeekTotal)>) {
    let week = week_of(monday_plus(0));
    (
        store.reshares_of(who).unwrap(),
        store.stats(who).unwrap(),
        store.week_totals(week).unwrap(),
    )
}

pub fn a_second_claim_is_already_counted_and_changes_nothing(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let by_url = record(store, url_reshare(alice.id, 1, &linkedin(1), monday_plus(1), 15));
    let quick = record(store, quick_reshare(alice.id, 2, monday_plus(2), 10));
    let before = snapshot(store, alice.id);
    let mut quick_with_url = quick_reshare(alice.id, 3, monday_plus(4), 10);
    quick_with_url.url = Some(linkedin(1));
    let rows = [
        (
            "same URL later",
            url_reshare(alice.id, 1, &linkedin(1), monday_plus(3), 18),
            &by_url,
        ),
        ("same quick key", quick_reshare(alice.id, 2, monday_plus(3), 10), &quick),
        ("a URL that is already a key", quick_with_url, &by_url),
    ];
    for (case, claim, original) in rows {
        let stats = stats_after(store, &claim);
        let outcome = store.record_reshare(claim, &stats).unwrap();
        assert_eq!(outcome, RecordOutcome::AlreadyCounted(original.clone()), "{case}");
        assert_eq!(snapshot(store, alice.id), before, "{case}: nothing changed");
    }
}

pub fn stats_and_week_totals_follow_recorded_reshares(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let bruno = add_ambassador(store, "Bruno");
    let week = week_of(monday_plus(0));
    let rows = [
        (alice.id, 0, 15),
        (bruno.id, 1, 10),
        (alice.id, 2, 10),
        (alice.id, 26, 13),
    ];
    let mut want_points = 0;
    for (n, (who, hours, points)) in rows.into_iter().enumerate() {
        let reshare = url_reshare(who, 1, &linkedin(n as u64), monday_plus(hours), points);
        let stats = stats_after(store, &reshare);
        store.record_reshare(reshare, &stats).unwrap();
        assert_eq!(store.stats(who).unwrap(), stats, "row {n}: stats are the ones given");
        if who == alice.id {
            want_points += u64::from(points);
        }
    }
    let stats = store.stats(alice.id).unwrap();
    assert_eq!((stats.points, stats.reshares, stats.streak), (38, 3, 2));
    let want = WeekTotal {
        points: want_points,
        reshares: 3,
        reached_at: Some(monday_plus(26)),
    };
    assert_eq!(total_of(store, week, alice.id), Some(want));
    assert_eq!(
        total_of(store, week, bruno.id),
        Some(WeekTotal {
            points: 10,
            reshares: 1,
            reached_at: Some(monday_plus(1))
        })
    );
}

pub fn reached_at_moves_only_with_points_and_never_back(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let week = week_of(monday_plus(0));
    // (hours after Monday 09:00, points, reached_at after it)
    let rows = [
        (1, 0, None),
        (3, 10, Some(3)),
        (5, 0, Some(3)),
        (2, 10, Some(3)),
        (6, 5, Some(6)),
    ];
    for (n, (hours, points, reached)) in rows.into_iter().enumerate() {
        record(
            store,
            url_reshare(alice.id, 1, &linkedin(n as u64), monday_plus(hours), points),
        );
        let total = total_of(store, week, alice.id).expect("a total");
        assert_eq!(total.reached_at, reached.map(monday_plus), "row {n}");
        assert_eq!(total.reshares, n as u64 + 1, "row {n}");
    }
}

pub fn a_reshare_of_an_unknown_ambassador_is_refused(store: &dyn Store) {
    let stranger = AmbassadorId(4242);
    let claim = url_reshare(stranger, 1, &linkedin(1), monday_plus(1), 10);
    let result = store.record_reshare(
        claim,
        &AmbassadorStats {
            points: 10,
            reshares: 1,
            ..Default::default()
        },
    );
    assert!(matches!(result, Err(StoreError::NotFound(_))), "{result:?}");
    assert_eq!(store.reshare_by_key(&linkedin(1)).unwrap(), None);
    assert_eq!(store.stats(stranger).unwrap(), AmbassadorStats::default());
    assert_eq!(store.week_totals(week_of(monday_plus(1))).unwrap(), vec![]);
}

pub fn attach_url_makes_the_url_a_key_and_keeps_the_points(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let quick = record(store, quick_reshare(alice.id, 5, monday_plus(1), 10));
    let other = record(store, url_reshare(alice.id, 6, &linkedin(2), monday_plus(2), 10));
    let before = snapshot(store, alice.id);
    let url = "https://mastodon.social/@alice/113524781937";

    let updated = store.attach_url(quick.id, url, Network::Mastodon, &[]).unwrap();
    assert_eq!(updated.url.as_deref(), Some(url));
    assert_eq!(
        (updated.network, updated.points, updated.id),
        (Network::Mastodon, 10, quick.id)
    );
    assert_eq!(store.reshare_by_key(url).unwrap(), Some(updated.clone()));
    assert_eq!(
        store.reshare_by_key(&quick.dedup_key).unwrap(),
        Some(updated.clone()),
        "quick key stays"
    );
    assert_eq!(store.stats(alice.id).unwrap(), before.1, "points unchanged");
    assert_eq!(store.week_totals(week_of(monday_plus(0))).unwrap(), before.2);
    let again = url_reshare(alice.id, 5, url, monday_plus(3), 10);
    let stats = stats_after(store, &again);
    assert_eq!(
        store.record_reshare(again, &stats).unwrap(),
        RecordOutcome::AlreadyCounted(updated.clone())
    );

    let taken = store.attach_url(quick.id, &linkedin(2), Network::LinkedIn, &[]);
    assert!(matches!(taken, Err(StoreError::KeyTaken(_))), "{taken:?}");
    assert_eq!(store.reshare_by_key(&linkedin(2)).unwrap(), Some(other));
    assert_eq!(store.reshare_by_key(url).unwrap(), Some(updated));
    let unknown = store.attach_url(
        quick.id + 100,
        "https://bsky.app/profile/alice/post/3l",
        Network::Bluesky,
        &[],
    );
    assert!(matches!(unknown, Err(StoreError::NotFound(_))), "{unknown:?}");

    // A corrected URL replaces the previous one as a key.
    let corrected = "https://mastodon.social/@alice/113524781999";
    store.attach_url(quick.id, corrected, Network::Mastodon, &[]).unwrap();
    assert_eq!(store.reshare_by_key(url).unwrap(), None);
    assert_eq!(store.reshare_by_key(corrected).unwrap().map(|r| r.id), Some(quick.id));
}

pub fn withdrawing_reverses_the_totals_and_frees_the_keys(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let week = week_of(monday_plus(0));
    let first = record(store, url_reshare(alice.id, 1, &linkedin(1), monday_plus(1), 10));
    let quick = record(store, quick_reshare(alice.id, 2, monday_plus(2), 15));
    let url = "https://x.com/alice/status/1859301";
    store.attach_url(quick.id, url, Network::X, &[]).unwrap();
    let stats_before = store.stats(alice.id).unwrap();

    let withdrawn = store.withdraw_reshare(quick.id).unwrap().expect("known reshare");
    assert_eq!((withdrawn.id, withdrawn.url.as_deref()), (quick.id, Some(url)));
    let stats = store.stats(alice.id).unwrap();
    assert_eq!(
        (stats.points, stats.reshares),
        (stats_before.points - 15, stats_before.reshares - 1)
    );
    assert_eq!(stats.streak, stats_before.streak, "streak unchanged");
    let left = WeekTotal {
        points: 10,
        reshares: 1,
        reached_at: Some(first.at),
    };
    assert_eq!(
        total_of(store, week, alice.id),
        Some(left),
        "reached_at back to the remaining reshare"
    );
    assert_eq!(store.reshare_by_key(url).unwrap(), None);
    assert_eq!(store.reshare_by_key(&quick.dedup_key).unwrap(), None);
    assert_eq!(store.reshares_of(alice.id).unwrap(), vec![first.clone()]);
    assert_eq!(
        store.reshares_between(monday_plus(0), monday_plus(9)).unwrap(),
        vec![first.clone()]
    );
    assert_eq!(store.withdraw_reshare(quick.id).unwrap(), None, "unknown now");

    let reclaimed = record(store, quick_reshare(alice.id, 2, monday_plus(3), 10));
    assert_eq!(store.reshare_by_key(&quick.dedup_key).unwrap(), Some(reclaimed.clone()));
    store.withdraw_reshare(first.id).unwrap();
    store.withdraw_reshare(reclaimed.id).unwrap();
    assert_eq!(store.week_totals(week).unwrap(), vec![], "an emptied total is gone");
    assert_eq!(store.stats(alice.id).unwrap().points, stats_before.points - 25);
}

pub fn reshares_between_is_half_open_and_oldest_first(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let bruno = add_ambassador(store, "Bruno");
    let micro = Duration::microseconds(250);
    // Recorded out of time order, some within the same millisecond.
    let times = [
        monday_plus(5),
        monday_plus(1),
        monday_plus(3) + micro,
        monday_plus(3),
        monday_plus(8),
    ];
    let recorded: Vec<_> = times
        .iter()
        .enumerate()
        .map(|(n, at)| {
            let who = if n % 2 == 0 { alice.id } else { bruno.id };
            record(store, url_reshare(who, 1, &linkedin(n as u64), *at, 10))
        })
        .collect();
    let id = |n: usize| recorded[n].id;
    // (from, to, expected in order)
    let rows = [
        (monday_plus(0), monday_plus(9), vec![id(1), id(3), id(2), id(0), id(4)]),
        (monday_plus(1), monday_plus(5), vec![id(1), id(3), id(2)]),
        (monday_plus(3) + micro, monday_plus(5) + micro, vec![id(2), id(0)]),
        (monday_plus(3), monday_plus(3) + micro, vec![id(3)]),
        (monday_plus(8), monday_plus(8), vec![]),
        (monday_plus(9), monday_plus(1), vec![]),
    ];
    for (from, to, want) in rows {
        let got: Vec<u64> = store.reshares_between(from, to).unwrap().iter().map(|r| r.id).collect();
        assert_eq!(got, want, "from {from} to {to}");
    }
}

pub fn reshares_of_are_oldest_first(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let bruno = add_ambassador(store, "Bruno");
    let late = record(store, url_reshare(alice.id, 1, &linkedin(1), monday_plus(30), 10));
    let other = record(store, url_reshare(bruno.id, 1, &linkedin(2), monday_plus(10), 10));
    let early = record(store, url_reshare(alice.id, 2, &linkedin(3), monday_plus(2), 10));
    let middle = record(store, quick_reshare(alice.id, 3, monday_plus(20), 10));
    assert_eq!(store.reshares_of(alice.id).unwrap(), vec![early, middle, late]);
    assert_eq!(store.reshares_of(bruno.id).unwrap(), vec![other]);
    assert_eq!(store.reshares_of(AmbassadorId(77)).unwrap(), vec![]);
}

pub fn week_totals_hold_only_that_week(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let bruno = add_ambassador(store, "Bruno");
    let week = week_of(monday_plus(0));
    // Sunday 23:30 in Paris is still this week; Monday 01:30 in Paris (00:30 UTC) is the next.
    let rows = [
        (alice.id, 1, 10),
        (bruno.id, 2, 15),
        (alice.id, 24 * 6 + 14, 10),
        (bruno.id, 24 * 6 + 16, 10),
    ];
    for (n, (who, hours, points)) in rows.into_iter().enumerate() {
        record(
            store,
            url_reshare(
                who,
                1,
                &linkedin(n as u64),
                monday_plus(hours) + Duration::minutes(30),
                points,
            ),
        );
    }
    let mut this_week = store.week_totals(week).unwrap();
    this_week.sort_by_key(|(id, _)| *id);
    let summary: Vec<_> = this_week.iter().map(|(id, t)| (*id, t.points, t.reshares)).collect();
    assert_eq!(summary, vec![(alice.id, 20, 2), (bruno.id, 15, 1)]);
    let next: Vec<_> = store
        .week_totals(week.next())
        .unwrap()
        .iter()
        .map(|(id, t)| (*id, t.points))
        .collect();
    assert_eq!(next, vec![(bruno.id, 10)]);
    assert_eq!(store.week_totals(week.previous()).unwrap(), vec![]);
}

/// Every week total equals what the reshares add up to, for every week of `weeks`.
fn assert_totals_match_reshares(store: &dyn Store, weeks: &[WeekKey], step: &str) {
    let ambassadors = store.ambassadors().unwrap();
    let mut reshares = Vec::new();
    for a in &ambassadors {
        reshares.extend(store.reshares_of(a.id).unwrap());
    }
    for week in weeks {
        let mut got = store.week_totals(*week).unwrap();
        got.sort_by_key(|(id, _)| *id);
        let mut want: Vec<(AmbassadorId, WeekTotal)> = ambassadors
            .iter()
            .filter_map(|a| {
                let theirs: Vec<_> = reshares.iter().filter(|r| r.ambassador == a.id).cloned().collect();
                week_totals_from_reshares(&theirs).get(week).map(|total| (a.id, *total))
            })
            .collect();
        want.sort_by_key(|(id, _)| *id);
        assert_eq!(got, want, "after {step}, week {week}");
    }
}

pub fn week_totals_always_agree_with_the_reshares(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let bruno = add_ambassador(store, "Bruno");
    let chloe = add_ambassador(store, "Chloé");
    let weeks = [week_of(monday_plus(0)), week_of(monday_plus(0)).next()];
    assert_totals_match_reshares(store, &weeks, "start");
    let mut recorded = Vec::new();
    for (n, (who, hours, points)) in [
        (alice.id, 1, 10),
        (bruno.id, 2, 15),
        (chloe.id, 3, 0),
        (alice.id, 24 * 7, 13),
        (bruno.id, 4, 10),
    ]
    .into_iter()
    .enumerate()
    {
        recorded.push(record(
            store,
            url_reshare(who, 1, &linkedin(n as u64), monday_plus(hours), points),
        ));
        assert_totals_match_reshares(store, &weeks, &format!("record {n}"));
    }
    store.withdraw_reshare(recorded[1].id).unwrap();
    assert_totals_match_reshares(store, &weeks, "withdraw");
    store.merge_ambassadors(chloe.id, bruno.id).unwrap();
    assert_totals_match_reshares(store, &weeks, "merge");
    record(store, quick_reshare(bruno.id, 9, monday_plus(5), 10));
    assert_totals_match_reshares(store, &weeks, "record after merge");
    store.forget_ambassador(alice.id).unwrap();
    assert_totals_match_reshares(store, &weeks, "forget");
}
