//! Conformance cases for ambassadors, identities, ids, items, forget-me, merging, link codes and
//! the schema version.

use super::fixtures::*;
use crate::domain::reshare::{AmbassadorStats, WeekTotal};
use crate::domain::{AmbassadorId, Identity, ItemId, Platform, Reshare};
use crate::store::{LinkCode, RecordOutcome, Store, StoreError, SCHEMA_VERSION};

pub fn ambassadors_are_stored_found_by_identity_and_listed(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let mut bruno = ambassador(store.next_ambassador_id().unwrap(), "Bruno", vec![matrix("bruno")]);
    bruno.identities.push(Identity::new(Platform::Discord, "284751093456"));
    store.put_ambassador(&bruno).unwrap();

    assert_eq!(store.ambassador(alice.id).unwrap(), Some(alice.clone()));
    assert_eq!(store.ambassador(AmbassadorId(999)).unwrap(), None);
    let rows = [
        (matrix("alice"), Some(alice.id)),
        (matrix("bruno"), Some(bruno.id)),
        (Identity::new(Platform::Discord, "284751093456"), Some(bruno.id)),
        (Identity::new(Platform::Discord, "@bruno:example.org"), None),
        (matrix("nobody"), None),
    ];
    for (identity, want) in rows {
        let found = store.ambassador_by_identity(&identity).unwrap().map(|a| a.id);
        assert_eq!(found, want, "{identity}");
    }
    assert_eq!(store.ambassadors().unwrap(), vec![alice, bruno]);
}

pub fn identities_are_reindexed_on_update(store: &dyn Store) {
    let mut alice = add_ambassador(store, "Alice");
    alice.identities = vec![
        Identity::new(Platform::Discord, "1001"),
        Identity::new(Platform::Console, "alice"),
    ];
    alice.display_name = "Alice M.".to_string();
    store.put_ambassador(&alice).unwrap();
    assert_eq!(
        store.ambassador_by_identity(&matrix("alice")).unwrap(),
        None,
        "old identity un-indexed"
    );
    for identity in &alice.identities {
        assert_eq!(
            store.ambassador_by_identity(identity).unwrap(),
            Some(alice.clone()),
            "{identity}"
        );
    }
    // The freed identity can go to someone else.
    let other = ambassador(store.next_ambassador_id().unwrap(), "Alice too", vec![matrix("alice")]);
    store.put_ambassador(&other).unwrap();
    assert_eq!(
        store.ambassador_by_identity(&matrix("alice")).unwrap().map(|a| a.id),
        Some(other.id)
    );
}

pub fn a_taken_identity_writes_nothing(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let mut bruno = add_ambassador(store, "Bruno");
    let before = bruno.clone();
    bruno.identities = vec![Identity::new(Platform::Discord, "2002"), matrix("alice")];
    bruno.display_name = "Bruno renamed".to_string();
    match store.put_ambassador(&bruno) {
        Err(StoreError::IdentityTaken(identity)) => assert_eq!(identity, matrix("alice").to_string()),
        other => panic!("expected IdentityTaken, got {other:?}"),
    }
    assert_eq!(store.ambassador(bruno.id).unwrap(), Some(before), "record unchanged");
    assert_eq!(
        store
            .ambassador_by_identity(&Identity::new(Platform::Discord, "2002"))
            .unwrap(),
        None
    );
    assert_eq!(
        store.ambassador_by_identity(&matrix("bruno")).unwrap().map(|a| a.id),
        Some(bruno.id)
    );
    assert_eq!(
        store.ambassador_by_identity(&matrix("alice")).unwrap().map(|a| a.id),
        Some(alice.id)
    );
    // A new ambassador with a taken identity is not stored at all.
    let intruder = ambassador(store.next_ambassador_id().unwrap(), "Intruder", vec![matrix("alice")]);
    assert!(matches!(
        store.put_ambassador(&intruder),
        Err(StoreError::IdentityTaken(_))
    ));
    assert_eq!(store.ambassador(intruder.id).unwrap(), None);
}

pub fn ids_increase_and_are_never_reused(store: &dyn Store) {
    let first = add_ambassador(store, "Alice");
    let second = add_ambassador(store, "Bruno");
    assert!(first.id.0 >= 1 && second.id > first.id, "{first:?} {second:?}");
    store.forget_ambassador(second.id).unwrap();
    let third = store.next_ambassador_id().unwrap();
    assert!(third > second.id, "forgotten id {} reused as {third}", second.id);
    // An ambassador put with an explicit id moves the counter past it.
    store
        .put_ambassador(&ambassador(AmbassadorId(third.0 + 10), "Chloé", vec![]))
        .unwrap();
    assert!(store.next_ambassador_id().unwrap().0 > third.0 + 10);

    let c1 = store.next_item_id().unwrap();
    let c2 = store.next_item_id().unwrap();
    assert!(c1.0 >= 1 && c2 > c1);
    store.put_item(&item(ItemId(c2.0 + 5), "Explicit")).unwrap();
    assert!(store.next_item_id().unwrap().0 > c2.0 + 5);

    let r1 = record(store, url_reshare(first.id, 1, &linkedin(1), monday_plus(1), 10));
    store.withdraw_reshare(r1.id).unwrap();
    let r2 = record(store, url_reshare(first.id, 1, &linkedin(1), monday_plus(2), 10));
    assert!(
        r1.id >= 1 && r2.id > r1.id,
        "withdrawn reshare id {} reused as {}",
        r1.id,
        r2.id
    );
}

pub fn items_are_stored_and_listed(store: &dyn Store) {
    let ids: Vec<ItemId> = (0..3).map(|_| store.next_item_id().unwrap()).collect();
    let items: Vec<_> = ids
        .iter()
        .rev()
        .map(|id| item(*id, &format!("Winter shelter {id}")))
        .collect();
    for item in &items {
        store.put_item(item).unwrap();
    }
    assert_eq!(store.item(ids[1]).unwrap().as_ref(), items.get(1));
    assert_eq!(store.item(ItemId(9999)).unwrap(), None);
    let mut by_id = items.clone();
    by_id.sort_by_key(|i| i.id);
    assert_eq!(store.items().unwrap(), by_id, "listed by id");
    let mut edited = by_id[0].clone();
    edited.title = "Edited".to_string();
    store.put_item(&edited).unwrap();
    assert_eq!(store.item(edited.id).unwrap(), Some(edited));
    assert_eq!(store.items().unwrap().len(), 3);
}

pub fn forget_erases_everything_of_one_ambassador_only(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let bruno = add_ambassador(store, "Bruno");
    let url = linkedin(7);
    let quick = record(store, quick_reshare(alice.id, 3, monday_plus(1), 10));
    let by_url = record(store, url_reshare(alice.id, 4, &url, monday_plus(2), 15));
    let kept = record(store, url_reshare(bruno.id, 4, &linkedin(8), monday_plus(3), 10));
    let code = LinkCode {
        ambassador: alice.id,
        expires: monday_plus(4),
        secret: "EFGHJKLM".into(),
        failures: 1,
    };
    store.put_link_code("482913", &code).unwrap();
    store
        .put_link_code(
            "771234",
            &LinkCode {
                ambassador: bruno.id,
                ..code.clone()
            },
        )
        .unwrap();
    for who in [alice.id, bruno.id] {
        store.add_link_failure(who, monday_plus(1), monday_plus(0)).unwrap();
    }
    let bruno_stats = store.stats(bruno.id).unwrap();

    store.forget_ambassador(alice.id).unwrap();

    assert_eq!(store.ambassador(alice.id).unwrap(), None);
    assert_eq!(store.ambassador_by_identity(&matrix("alice")).unwrap(), None);
    assert_eq!(store.reshares_of(alice.id).unwrap(), vec![]);
    assert_eq!(store.reshare_by_key(&quick.dedup_key).unwrap(), None);
    assert_eq!(store.reshare_by_key(&url).unwrap(), None);
    assert_eq!(store.stats(alice.id).unwrap(), AmbassadorStats::default());
    assert_eq!(total_of(store, by_url.week, alice.id), None);
    assert_eq!(store.take_link_code("482913").unwrap(), None);
    assert!(store.link_failures(alice.id, monday_plus(0)).unwrap().is_empty());
    assert_eq!(
        store.link_failures(bruno.id, monday_plus(0)).unwrap(),
        vec![monday_plus(1)]
    );
    assert_eq!(
        store.reshares_between(monday_plus(0), monday_plus(10)).unwrap(),
        vec![kept.clone()]
    );
    // Bruno is untouched, and the URL can be claimed again.
    assert_eq!(store.ambassador(bruno.id).unwrap(), Some(bruno.clone()));
    assert_eq!(store.reshares_of(bruno.id).unwrap(), vec![kept.clone()]);
    assert_eq!(store.stats(bruno.id).unwrap(), bruno_stats);
    assert_eq!(total_of(store, kept.week, bruno.id).map(|t| t.points), Some(10));
    assert_eq!(
        store.take_link_code("771234").unwrap().map(|l| l.ambassador),
        Some(bruno.id)
    );
    let again = record(store, url_reshare(bruno.id, 4, &url, monday_plus(5), 10));
    assert_eq!(store.reshare_by_key(&url).unwrap(), Some(again));
    // Forgetting someone unknown (or twice) is not an error.
    store.forget_ambassador(alice.id).unwrap();
}

pub fn merge_moves_everything_into_the_survivor(store: &dyn Store) {
    let keeper = add_ambassador(store, "Alice");
    let mut twin = ambassador(store.next_ambassador_id().unwrap(), "alice-discord", vec![]);
    twin.identities = vec![Identity::new(Platform::Discord, "3003")];
    store.put_ambassador(&twin).unwrap();
    let week = week_of(monday_plus(0));
    // Alice: Monday and Tuesday (streak 2). Her twin: Monday to Wednesday (best 3), then a gap
    // to next Monday (streak 1).
    let a1 = record(store, url_reshare(keeper.id, 1, &linkedin(1), monday_plus(0), 10));
    let a2 = record(store, url_reshare(keeper.id, 2, &linkedin(2), monday_plus(24), 10));
    let t1 = record(store, url_reshare(twin.id, 2, &linkedin(3), monday_plus(2), 15));
    let t2 = record(store, url_reshare(twin.id, 3, &linkedin(4), monday_plus(25), 13));
    let t3 = record(store, url_reshare(twin.id, 3, &linkedin(5), monday_plus(49), 13));
    let t4 = record(store, url_reshare(twin.id, 4, &linkedin(6), monday_plus(24 * 7), 10));
    store
        .put_link_code(
            "118822",
            &LinkCode {
                ambassador: twin.id,
                expires: monday_plus(5),
                secret: "EFGHJKLM".into(),
                failures: 1,
            },
        )
        .unwrap();
    let (keeper_stats, twin_stats) = (store.stats(keeper.id).unwrap(), store.stats(twin.id).unwrap());
    let fixture = (
        keeper_stats.streak,
        keeper_stats.best_streak,
        twin_stats.streak,
        twin_stats.best_streak,
    );
    assert_eq!(fixture, (2, 2, 1, 3), "fixture streaks");

    store.merge_ambassadors(twin.id, keeper.id).unwrap();

    assert_eq!(store.ambassador(twin.id).unwrap(), None);
    let merged = store.ambassador(keeper.id).unwrap().expect("survivor");
    assert_eq!(
        merged.identities,
        vec![matrix("alice"), Identity::new(Platform::Discord, "3003")]
    );
    assert_eq!(
        store
            .ambassador_by_identity(&Identity::new(Platform::Discord, "3003"))
            .unwrap(),
        Some(merged)
    );
    let ids: Vec<u64> = store.reshares_of(keeper.id).unwrap().iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![a1.id, t1.id, a2.id, t2.id, t3.id, t4.id]);
    assert_eq!(store.reshares_of(twin.id).unwrap(), vec![]);
    assert_eq!(
        store.reshare_by_key(&linkedin(3)).unwrap().map(|r| r.ambassador),
        Some(keeper.id)
    );
    let want = AmbassadorStats {
        points: 71,
        reshares: 6,
        streak: 2,
        best_streak: 3,
        last_day: twin_stats.last_day,
    };
    assert_eq!(store.stats(keeper.id).unwrap(), want);
    assert_eq!(store.stats(twin.id).unwrap(), AmbassadorStats::default());
    let this_week = WeekTotal {
        points: 61,
        reshares: 5,
        reached_at: Some(t3.at),
    };
    assert_eq!(store.week_totals(week).unwrap(), vec![(keeper.id, this_week)]);
    let next_week = WeekTotal {
        points: 10,
        reshares: 1,
        reached_at: Some(t4.at),
    };
    assert_eq!(store.week_totals(week.next()).unwrap(), vec![(keeper.id, next_week)]);
    assert_eq!(
        store.take_link_code("118822").unwrap(),
        None,
        "link codes of the merged record are dropped"
    );
}

pub fn a_failed_merge_writes_nothing(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let reshare = record(store, url_reshare(alice.id, 1, &linkedin(1), monday_plus(1), 10));
    let stats = store.stats(alice.id).unwrap();
    let unknown = AmbassadorId(alice.id.0 + 100);
    for (from, into) in [(alice.id, unknown), (unknown, alice.id)] {
        assert!(
            matches!(store.merge_ambassadors(from, into), Err(StoreError::NotFound(_))),
            "{from} into {into}"
        );
    }
    store.merge_ambassadors(alice.id, alice.id).unwrap();
    assert_eq!(store.ambassador(alice.id).unwrap(), Some(alice.clone()));
    assert_eq!(store.reshares_of(alice.id).unwrap(), vec![reshare]);
    assert_eq!(store.stats(alice.id).unwrap(), stats);
}

pub fn the_schema_version_is_current(store: &dyn Store) {
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
}

/// Regression: a quick claim (reaction) made by a profile that is merged away must still block
/// a second quick claim of the same item by the surviving profile.
pub fn quick_claims_follow_the_merged_person(store: &dyn Store) {
    let keeper = add_ambassador(store, "Alice");
    let mut twin = ambassador(store.next_ambassador_id().unwrap(), "alice-discord", vec![]);
    twin.identities = vec![Identity::new(Platform::Discord, "3004")];
    store.put_ambassador(&twin).unwrap();
    let twin_claim = record(store, quick_reshare(twin.id, 7, monday_plus(1), 10));
    let both = record(store, quick_reshare(twin.id, 8, monday_plus(2), 10));
    record(store, quick_reshare(keeper.id, 8, monday_plus(3), 10));

    store.merge_ambassadors(twin.id, keeper.id).unwrap();

    let moved = store
        .reshare_by_key(&Reshare::quick_key(keeper.id, ItemId(7)))
        .unwrap()
        .expect("the claim moved");
    assert_eq!((moved.id, moved.ambassador), (twin_claim.id, keeper.id));
    assert_eq!(
        store.reshare_by_key(&Reshare::quick_key(twin.id, ItemId(7))).unwrap(),
        None
    );
    let again = quick_reshare(keeper.id, 7, monday_plus(4), 10);
    let stats = stats_after(store, &again);
    assert!(
        matches!(store.record_reshare(again, &stats).unwrap(), RecordOutcome::AlreadyCounted(r) if r.id == twin_claim.id)
    );
    // Both had claimed item 8: both claims stay (each was counted), under distinct keys.
    let kept = store
        .reshare_by_key(&Reshare::quick_key(twin.id, ItemId(8)))
        .unwrap()
        .expect("kept under its key");
    assert_eq!((kept.id, kept.ambassador), (both.id, keeper.id));
    assert_eq!(store.reshares_of(keeper.id).unwrap().len(), 3);
}
