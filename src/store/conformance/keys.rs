//! Conformance cases for reshare keys beyond the dedup key and the URL: the further keys a claim
//! holds (its post, once per item and network, the first claim of an item), given when recorded or
//! with a URL attached later, and renamed when their owner is merged into someone else.

use super::fixtures::*;
use super::reshares::snapshot;
use crate::domain::{AmbassadorId, Identity, ItemId, Network, Platform, Reshare};
use crate::store::{RecordOutcome, Store, StoreError};

/// A reshare with the dedup key `post` and the further `keys` (see `Reshare::keys`).
fn keyed(mut reshare: Reshare, post: &str, keys: &[&str]) -> Reshare {
    reshare.dedup_key = post.to_string();
    reshare.keys = keys.iter().map(|k| k.to_string()).collect();
    reshare
}

pub fn further_keys_are_keys_until_the_reshare_is_withdrawn(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let claim = Reshare::claim_key(alice.id, ItemId(1), Network::LinkedIn);
    let quick = Reshare::quick_key(alice.id, ItemId(1));
    let first = url_reshare(alice.id, 1, &linkedin(1), monday_plus(1), 15);
    let first = record(store, keyed(first, "linkedin:activity:1", &[&claim, &quick]));
    for key in ["linkedin:activity:1", &linkedin(1), &claim, &quick] {
        assert_eq!(store.reshare_by_key(key).unwrap(), Some(first.clone()), "{key}");
    }
    let before = snapshot(store, alice.id);
    let second = keyed(
        url_reshare(alice.id, 1, &linkedin(2), monday_plus(2), 10),
        "linkedin:activity:2",
        &[&claim],
    );
    let rows = [
        ("another post of the item on the same network", second.clone()),
        ("a reaction after it", quick_reshare(alice.id, 1, monday_plus(3), 10)),
    ];
    for (case, claim) in rows {
        let stats = stats_after(store, &claim);
        let outcome = store.record_reshare(claim, &stats).unwrap();
        assert_eq!(outcome, RecordOutcome::AlreadyCounted(first.clone()), "{case}");
        assert_eq!(snapshot(store, alice.id), before, "{case}: nothing changed");
    }
    assert_eq!(store.reshare_by_key("linkedin:activity:2").unwrap(), None);
    assert_eq!(store.reshare_by_key(&linkedin(2)).unwrap(), None);

    store.withdraw_reshare(first.id).unwrap().expect("known reshare");
    for key in ["linkedin:activity:1", &linkedin(1), &claim, &quick] {
        assert_eq!(store.reshare_by_key(key).unwrap(), None, "{key} freed");
    }
    let second = record(store, second);
    assert_eq!(store.reshare_by_key(&claim).unwrap(), Some(second));
}

pub fn attach_url_indexes_the_keys_given_with_it(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let quick = record(store, quick_reshare(alice.id, 5, monday_plus(1), 10));
    let other = record(store, url_reshare(alice.id, 6, &linkedin(2), monday_plus(2), 10));
    let claim = Reshare::claim_key(alice.id, ItemId(5), Network::X);
    let url = "https://x.com/alice/status/1859";

    let keys = vec!["x:1859".to_string(), other.dedup_key.clone()];
    let taken = store.attach_url(quick.id, url, Network::X, &keys);
    assert!(
        matches!(taken, Err(StoreError::KeyTaken(ref k)) if *k == other.dedup_key),
        "{taken:?}"
    );
    assert_eq!(store.reshare_by_key(url).unwrap(), None, "nothing written");
    assert_eq!(store.reshare_by_key("x:1859").unwrap(), None, "nothing written");
    assert_eq!(store.reshare_by_key(&quick.dedup_key).unwrap(), Some(quick.clone()));

    let keys = vec!["x:1859".to_string(), claim.clone()];
    let updated = store.attach_url(quick.id, url, Network::X, &keys).unwrap();
    assert_eq!(updated.keys, keys);
    for key in [url, "x:1859", &claim, &quick.dedup_key] {
        assert_eq!(store.reshare_by_key(key).unwrap(), Some(updated.clone()), "{key}");
    }

    // A corrected link: the keys it does not give again stop being keys.
    let corrected = "https://x.com/alice/status/1860";
    let keys = vec!["x:1860".to_string(), claim.clone()];
    store.attach_url(quick.id, corrected, Network::X, &keys).unwrap();
    for (key, found) in [
        (url, false),
        ("x:1859", false),
        (corrected, true),
        ("x:1860", true),
        (&claim, true),
    ] {
        let owner = store.reshare_by_key(key).unwrap().map(|r| r.id);
        assert_eq!(owner, found.then_some(quick.id), "{key}");
    }
}

pub fn claim_keys_follow_the_merged_person(store: &dyn Store) {
    let keeper = add_ambassador(store, "Alice");
    let mut twin = ambassador(store.next_ambassador_id().unwrap(), "alice-discord", vec![]);
    twin.identities = vec![Identity::new(Platform::Discord, "3004")];
    store.put_ambassador(&twin).unwrap();
    let claimed = |who: AmbassadorId, item: u32, n: u64, hours: i64| {
        let mut reshare = url_reshare(who, item, &linkedin(n), monday_plus(hours), 10);
        reshare.dedup_key = format!("linkedin:activity:{n}");
        reshare.keys = vec![
            Reshare::claim_key(who, ItemId(item), Network::LinkedIn),
            Reshare::quick_key(who, ItemId(item)),
        ];
        record(store, reshare)
    };
    let moved = claimed(twin.id, 7, 1, 1);
    let kept = claimed(twin.id, 8, 2, 2);
    claimed(keeper.id, 8, 3, 3);

    store.merge_ambassadors(twin.id, keeper.id).unwrap();

    let claim_7 = Reshare::claim_key(keeper.id, ItemId(7), Network::LinkedIn);
    let found = store.reshare_by_key(&claim_7).unwrap().expect("the claim key moved");
    assert_eq!((found.id, found.ambassador), (moved.id, keeper.id));
    assert_eq!(
        found.keys,
        vec![claim_7.clone(), Reshare::quick_key(keeper.id, ItemId(7))]
    );
    for gone in [
        Reshare::claim_key(twin.id, ItemId(7), Network::LinkedIn),
        Reshare::quick_key(twin.id, ItemId(7)),
    ] {
        assert_eq!(store.reshare_by_key(&gone).unwrap(), None, "{gone}");
    }
    // Both had claimed item 8 on LinkedIn: both claims stay, the twin's under its old keys.
    let old_claim_8 = Reshare::claim_key(twin.id, ItemId(8), Network::LinkedIn);
    let found = store.reshare_by_key(&old_claim_8).unwrap().expect("kept under its key");
    assert_eq!((found.id, found.ambassador), (kept.id, keeper.id));

    // Withdrawing either leaves no key behind.
    for (reshare, key) in [(moved.id, claim_7), (kept.id, old_claim_8)] {
        store.withdraw_reshare(reshare).unwrap().expect("known reshare");
        assert_eq!(store.reshare_by_key(&key).unwrap(), None, "{key}");
    }
    assert_eq!(store.reshares_of(keeper.id).unwrap().len(), 1);
}
