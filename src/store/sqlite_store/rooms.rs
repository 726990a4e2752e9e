//! The SQLite store's room records: table `rooms` (the room as `platform:id`, its JSON
//! [`RoomRecord`]), one of the tables added since schema 2 (see `schema`).

use super::rows::{execute, json, record, records};
use crate::domain::RoomRef;
use crate::store::{RoomRecord, StoreError};
use rusqlite::Connection;

/// Every record, sorted by room.
pub fn all(conn: &Connection) -> Result<Vec<RoomRecord>, StoreError> {
    let mut found: Vec<RoomRecord> = records(conn, "rooms", "SELECT record FROM rooms", [])?;
    found.sort_by(|a, b| a.room.cmp(&b.room));
    Ok(found)
}

pub fn get(conn: &Connection, room: &RoomRef) -> Result<Option<RoomRecord>, StoreError> {
    record(
        conn,
        "rooms",
        "SELECT record FROM rooms WHERE room = ?1",
        [room.to_string()],
    )
}

pub fn put(conn: &Connection, room: &RoomRecord) -> Result<(), StoreError> {
    let text = json("rooms", room)?;
    execute(
        conn,
        "INSERT OR REPLACE INTO rooms (room, record) VALUES (?1, ?2)",
        [room.room.to_string(), text],
    )?;
    Ok(())
}
