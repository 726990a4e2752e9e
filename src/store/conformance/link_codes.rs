//! Conformance cases for `link`: pending codes, one use each, and the wrong codes counted per
//! person.

use super::fixtures::*;
use crate::domain::{Identity, Platform};
use crate::store::{LinkCode, Store};

pub fn link_codes_are_one_use(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let code = LinkCode {
        ambassador: alice.id,
        expires: monday_plus(1),
        secret: "EFGHJKLM".into(),
        failures: 1,
    };
    store.put_link_code("527194", &code).unwrap();
    assert_eq!(store.take_link_code("000000").unwrap(), None);
    assert_eq!(store.take_link_code("527194").unwrap(), Some(code));
    assert_eq!(store.take_link_code("527194").unwrap(), None, "second use");
}

pub fn wrong_link_codes_are_counted_per_person_within_their_window(store: &dyn Store) {
    let alice = add_ambassador(store, "Alice");
    let bruno = add_ambassador(store, "Bruno");
    assert!(store.link_failures(alice.id, monday_plus(0)).unwrap().is_empty());
    // (typed at, forget before, what alice has since monday_plus(0) afterwards)
    let rows = [
        (1, 0, vec![1]),
        (3, 0, vec![1, 3]),
        (2, 0, vec![1, 2, 3]),
        (5, 2, vec![2, 3, 5]),
        (9, 6, vec![9]),
    ];
    for (at, since, want) in rows {
        store
            .add_link_failure(alice.id, monday_plus(at), monday_plus(since))
            .unwrap();
        let want: Vec<_> = want.into_iter().map(monday_plus).collect();
        assert_eq!(
            store.link_failures(alice.id, monday_plus(0)).unwrap(),
            want,
            "after {at}"
        );
    }
    assert!(store.link_failures(alice.id, monday_plus(10)).unwrap().is_empty());
    assert!(
        store.link_failures(bruno.id, monday_plus(0)).unwrap().is_empty(),
        "per person"
    );

    let mut twin = ambassador(store.next_ambassador_id().unwrap(), "alice-discord", vec![]);
    twin.identities = vec![Identity::new(Platform::Discord, "3005")];
    store.put_ambassador(&twin).unwrap();
    store.add_link_failure(twin.id, monday_plus(8), monday_plus(0)).unwrap();
    store.merge_ambassadors(twin.id, alice.id).unwrap();
    assert!(
        store.link_failures(twin.id, monday_plus(0)).unwrap().is_empty(),
        "dropped"
    );
    assert_eq!(
        store.link_failures(alice.id, monday_plus(0)).unwrap(),
        vec![monday_plus(9)],
        "the survivor keeps their own"
    );
}
