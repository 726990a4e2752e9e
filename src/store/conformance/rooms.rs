//! Conformance case of the room records: set up from chat, stopped, told they are not served.

use crate::domain::{Lang, Platform, RoomRef};
use crate::store::{RoomRecord, RoomSetup, Store};
use chrono::NaiveTime;

fn setup(lang: Lang, hour: u32, coordinators_room: bool) -> Option<RoomSetup> {
    Some(RoomSetup {
        lang,
        push_time: NaiveTime::from_hms_opt(hour, 30, 0).expect("a time"),
        coordinators_room,
    })
}

pub fn room_records_are_stored_replaced_and_listed_by_room(store: &dyn Store) {
    assert!(store.rooms().unwrap().is_empty());
    let team = RoomRef::new(Platform::Matrix, "!team:example.org");
    let records = [
        RoomRecord {
            room: RoomRef::new(Platform::Matrix, "!zeta:example.org"),
            from_chat: false,
            setup: None,
            told_unserved: true,
        },
        RoomRecord {
            room: team.clone(),
            from_chat: true,
            setup: setup(Lang::Fr, 9, false),
            told_unserved: false,
        },
        RoomRecord {
            room: RoomRef::new(Platform::Console, "coord"),
            from_chat: true,
            setup: setup(Lang::En, 8, true),
            told_unserved: false,
        },
    ];
    for record in &records {
        store.put_room(record).unwrap();
    }
    let mut sorted = records.to_vec();
    sorted.sort_by(|a, b| a.room.cmp(&b.room));
    assert_eq!(store.rooms().unwrap(), sorted, "every record, by room");
    assert_eq!(store.room(&team).unwrap().as_ref(), Some(&records[1]));
    assert_eq!(store.room(&RoomRef::new(Platform::Console, "team")).unwrap(), None);
    // Stopped from chat: the record stays, without a set-up, and replaces the old one.
    let stopped = RoomRecord {
        setup: None,
        ..records[1].clone()
    };
    store.put_room(&stopped).unwrap();
    assert_eq!(store.room(&team).unwrap(), Some(stopped));
    assert_eq!(store.rooms().unwrap().len(), 3);
}
