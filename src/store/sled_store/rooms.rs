//! The sled store's room records: `rooms` (the room as `platform:id` → JSON [`RoomRecord`]).
//!
//! This tree came after schema 2 without a version bump: opening an older database simply
//! creates it empty, which means "no room set up from chat yet" (the configuration's rooms are
//! served as written).

use super::codec::{self, tree};
use super::tx::{io, Trees};
use crate::domain::RoomRef;
use crate::store::{RoomRecord, StoreError};

fn key(room: &RoomRef) -> String {
    room.to_string()
}

/// Every record, sorted by room.
pub fn all(trees: &Trees) -> Result<Vec<RoomRecord>, StoreError> {
    let mut found = Vec::new();
    for entry in trees.rooms.iter() {
        let (_, value) = entry.map_err(io)?;
        found.push(codec::from_json::<RoomRecord>(tree::ROOMS, &value)?);
    }
    found.sort_by(|a, b| a.room.cmp(&b.room));
    Ok(found)
}

pub fn get(trees: &Trees, room: &RoomRef) -> Result<Option<RoomRecord>, StoreError> {
    trees.get_json(&trees.rooms, tree::ROOMS, key(room))
}

pub fn put(trees: &Trees, record: &RoomRecord) -> Result<(), StoreError> {
    let value = codec::to_json(tree::ROOMS, record)?;
    trees.rooms.insert(key(&record.room), value).map_err(io)?;
    Ok(())
}
