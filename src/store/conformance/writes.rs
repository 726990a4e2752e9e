//! Conformance case of the write count: every write moves it, no read does.

use super::fixtures::*;
use crate::domain::{ItemId, Network, Platform, RoomRef};
use crate::store::{ActionRecord, ActionState, LinkCode, RoomRecord, Store};

/// Every read of the trait, on whatever the store holds: none may move the write count.
fn read_everything(store: &dyn Store) {
    let alice = store.ambassador_by_identity(&matrix("alice")).unwrap();
    if let Some(alice) = alice {
        store.ambassador(alice.id).unwrap();
        store.stats(alice.id).unwrap();
        store.reshares_of(alice.id).unwrap();
        store.link_failures(alice.id, monday_plus(0)).unwrap();
    }
    store.ambassadors().unwrap();
    store.items().unwrap();
    store.item(ItemId(1)).unwrap();
    store.reshare_by_key(&linkedin(1)).unwrap();
    store.reshares_between(monday_plus(-24), monday_plus(48)).unwrap();
    store.week_totals(week_of(monday_plus(0))).unwrap();
    store.action_state("push:console:team:2026-11-16").unwrap();
    store.skipped_actions(monday_plus(-24), monday_plus(48)).unwrap();
    store.schema_version().unwrap();
    store.rooms().unwrap();
    store.room(&RoomRef::new(Platform::Console, "team")).unwrap();
}

pub fn every_write_moves_the_write_count_and_no_read_does(store: &dyn Store) {
    let skipped = ActionRecord {
        state: ActionState::Skipped,
        due: monday_plus(1),
        at: monday_plus(2),
        reason: Some("missed".into()),
    };
    type Write<'a> = Box<dyn Fn(&dyn Store) + 'a>;
    let writes: Vec<(&str, Write)> = vec![
        ("add an ambassador", Box::new(|s| drop(add_ambassador(s, "Alice")))),
        (
            "put an item",
            Box::new(|s| s.put_item(&item(s.next_item_id().unwrap(), "Post")).unwrap()),
        ),
        (
            "record a reshare",
            Box::new(|s| drop(record(s, url_reshare(alice(s), 1, &linkedin(1), monday_plus(1), 10)))),
        ),
        (
            "record a quick claim",
            Box::new(|s| drop(record(s, quick_reshare(alice(s), 1, monday_plus(2), 5)))),
        ),
        (
            "attach a URL",
            Box::new(|s| drop(s.attach_url(quick_id(s), &linkedin(2), Network::LinkedIn, &[]).unwrap())),
        ),
        (
            "withdraw a reshare",
            Box::new(|s| drop(s.withdraw_reshare(quick_id(s)).unwrap())),
        ),
        (
            "put a link code",
            Box::new(|s| {
                let code = LinkCode {
                    ambassador: alice(s),
                    expires: monday_plus(1),
                    secret: "EFGHJKLM".into(),
                    failures: 1,
                };
                s.put_link_code("527194", &code).unwrap()
            }),
        ),
        (
            "take a link code",
            Box::new(|s| assert!(s.take_link_code("527194").unwrap().is_some())),
        ),
        (
            "add a wrong link code",
            Box::new(|s| s.add_link_failure(alice(s), monday_plus(1), monday_plus(0)).unwrap()),
        ),
        (
            "set an action state",
            Box::new(|s| s.set_action_state("push:console:team:2026-11-16", &skipped).unwrap()),
        ),
        (
            "set action states",
            Box::new(|s| s.set_action_states(&[("nudge:a1".into(), skipped.clone())]).unwrap()),
        ),
        (
            "prune actions",
            Box::new(|s| assert!(s.prune_actions(monday_plus(48)).unwrap() > 0)),
        ),
        (
            "put a room",
            Box::new(|s| {
                let room = RoomRef::new(Platform::Console, "team");
                let record = RoomRecord {
                    room,
                    from_chat: false,
                    setup: None,
                    told_unserved: true,
                };
                s.put_room(&record).unwrap()
            }),
        ),
        (
            "merge ambassadors",
            Box::new(|s| {
                let twin = add_ambassador(s, "Twin");
                s.merge_ambassadors(twin.id, alice(s)).unwrap()
            }),
        ),
        (
            "forget an ambassador",
            Box::new(|s| s.forget_ambassador(alice(s)).unwrap()),
        ),
    ];
    for (what, write) in writes {
        let before = store.write_count();
        write(store);
        let after = store.write_count();
        assert!(after > before, "{what}: the write count stayed at {before}");
        read_everything(store);
        assert_eq!(store.write_count(), after, "reads after {what} moved the write count");
    }
}

fn alice(store: &dyn Store) -> crate::domain::AmbassadorId {
    let found = store.ambassador_by_identity(&matrix("alice")).unwrap();
    found.expect("Alice is stored").id
}

/// The id of Alice's quick claim of item 1.
fn quick_id(store: &dyn Store) -> u64 {
    let key = crate::domain::Reshare::quick_key(alice(store), ItemId(1));
    store.reshare_by_key(&key).unwrap().expect("the quick claim").id
}
