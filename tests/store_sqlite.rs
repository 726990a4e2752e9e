//! SQLite-only store behaviour: persistence across reopen, the database lock (in this process and
//! from another one), deferred durability, concurrent writers, a newer schema refused, and the
//! two on-disk backends refusing each other's directory.

use relais::store::conformance::{add_ambassador, linkedin, monday_plus, record, url_reshare};
use relais::store::sqlite_store::schema::FILE_NAME;
use relais::store::{DiskOptions, SledStore, SqliteStore, Store, StoreError, SCHEMA_VERSION};
use std::path::Path;
use tempfile::TempDir;

#[path = "support/disk_store.rs"]
#[macro_use]
mod disk_store;

disk_store!(SqliteStore);

#[path = "support/disk_trust.rs"]
mod disk_trust;

#[test]
fn issue14_forget_me_leaves_no_byte_on_disk() {
    disk_trust::issue14_forget_me_leaves_no_byte_on_disk::<SqliteStore>();
}

#[test]
fn issue14_a_damaged_database_is_refused() {
    disk_trust::issue14_a_damaged_database_is_refused::<SqliteStore>(relais::store::sqlite_store::schema::FILE_NAME);
}

#[test]
fn issue14_a_mark_behind_the_database_is_accepted_and_ahead_refused() {
    disk_trust::issue14_a_mark_behind_the_database_is_accepted_and_ahead_refused::<SqliteStore>();
}

#[test]
fn issue14_a_backup_taken_while_open_restores_the_same_data() {
    disk_trust::issue14_a_backup_taken_while_open_restores_the_same_data::<SqliteStore>();
}

fn open(path: &Path) -> Result<SqliteStore, StoreError> {
    SqliteStore::open(path, DiskOptions::default())
}

#[test]
fn data_survives_drop_and_reopen() {
    disk_store::data_survives_drop_and_reopen::<SqliteStore>();
}

#[test]
fn deferred_writes_reach_the_disk_when_the_store_is_dropped() {
    disk_store::deferred_writes_reach_the_disk_when_the_store_is_dropped::<SqliteStore>();
}

#[test]
fn a_second_open_in_this_process_is_locked() {
    disk_store::a_second_open_in_this_process_is_locked::<SqliteStore>();
}

#[test]
fn a_second_open_from_another_process_is_locked() {
    disk_store::a_second_open_from_another_process_is_locked::<SqliteStore>(
        "a_second_open_from_another_process_is_locked",
        "RELAIS_TEST_LOCKED_SQLITE_PATH",
    );
}

#[test]
fn concurrent_writers_all_land() {
    disk_store::concurrent_writers_all_land::<SqliteStore>();
}

#[test]
fn r14_the_link_guessing_limit_survives_a_restart() {
    disk_store::the_link_guessing_limit_survives_a_restart::<SqliteStore>();
}

#[test]
fn r17_rooms_set_up_from_chat_survive_a_restart() {
    disk_store::rooms_set_up_from_chat_survive_a_restart::<SqliteStore>();
}

#[test]
fn issue14_a_store_path_that_is_a_file_is_refused_clearly() {
    disk_store::issue14_a_store_path_that_is_a_file_is_refused_clearly::<SqliteStore>();
}

/// A database from before rooms could be set up from chat (schema 2 without the `rooms` table)
/// gets the table when opened: no room set up from chat yet.
#[test]
fn r17_a_database_from_before_rooms_gets_the_rooms_table() {
    use relais::domain::{Platform, RoomRef};
    use relais::store::RoomRecord;
    let dir = TempDir::new().unwrap();
    drop(open(dir.path()).unwrap());
    let raw = rusqlite::Connection::open(dir.path().join(FILE_NAME)).unwrap();
    raw.execute_batch("DROP TABLE rooms;").unwrap();
    drop(raw);
    let store = open(dir.path()).unwrap();
    assert!(store.rooms().unwrap().is_empty());
    let record = RoomRecord {
        room: RoomRef::new(Platform::Matrix, "!team:example.org"),
        from_chat: false,
        setup: None,
        told_unserved: true,
    };
    store.put_room(&record).unwrap();
    assert_eq!(store.rooms().unwrap(), [record]);
}

#[test]
fn a_newer_schema_is_refused_and_left_alone() {
    let dir = TempDir::new().unwrap();
    drop(open(dir.path()).unwrap());
    let file = dir.path().join(FILE_NAME);
    let raw = rusqlite::Connection::open(&file).unwrap();
    raw.execute_batch(&format!("PRAGMA user_version = {};", SCHEMA_VERSION + 1))
        .unwrap();
    drop(raw);
    match open(dir.path()) {
        Err(StoreError::TooNew { found, supported }) => {
            assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION))
        }
        Err(other) => panic!("expected TooNew, got {other:?}"),
        Ok(_) => panic!("a newer schema was opened"),
    }
    let raw = rusqlite::Connection::open(&file).unwrap();
    let version: u32 = raw.query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
    assert_eq!(version, SCHEMA_VERSION + 1, "the refused database is unchanged");
}

#[test]
fn a_sled_directory_is_not_given_an_empty_sqlite_database() {
    let dir = TempDir::new().unwrap();
    let sled = SledStore::open(dir.path(), DiskOptions::default()).unwrap();
    add_ambassador(&sled, "Alice");
    drop(sled);
    relais::store::sled_store::lock::wait_until_released(&dir.path().join("db"), std::time::Duration::from_secs(10));
    let error = open(dir.path()).err().expect("refused");
    assert!(
        matches!(
            error,
            StoreError::OtherBackend {
                found: "sled",
                wanted: "sqlite",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("set `store.backend = \"sled\"`"), "{error}");
    assert!(!dir.path().join(FILE_NAME).exists(), "no SQLite file was created");
}

#[test]
fn a_sqlite_directory_is_not_given_an_empty_sled_database() {
    let dir = TempDir::new().unwrap();
    let store = open(dir.path()).unwrap();
    add_ambassador(&store, "Alice");
    drop(store);
    let error = SledStore::open(dir.path(), DiskOptions::default())
        .err()
        .expect("refused");
    assert!(
        matches!(
            error,
            StoreError::OtherBackend {
                found: "sqlite",
                wanted: "sled",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!dir.path().join("conf").exists(), "no sled database was created");
}

/// Whether any file of the store directory contains `needle`.
fn files_contain(dir: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
            found.push(path.display().to_string());
        }
    }
    found
}

#[test]
fn forget_me_leaves_no_copy_of_the_person_in_the_database_files() {
    let dir = TempDir::new().unwrap();
    let store = open(dir.path()).unwrap();
    let zoe = add_ambassador(&store, "Zoeforgotten");
    let kept = add_ambassador(&store, "Keptperson");
    let secret_url = "https://x.com/zoeforgotten/status/424242";
    for n in 0..30 {
        record(
            &store,
            url_reshare(zoe.id, 1, &format!("{secret_url}{n}"), monday_plus(n), 10),
        );
        record(&store, url_reshare(kept.id, 1, &linkedin(n as u64), monday_plus(n), 10));
    }
    assert!(
        !files_contain(dir.path(), "Zoeforgotten").is_empty(),
        "the test looks for what is really written"
    );
    store.forget_ambassador(zoe.id).unwrap();
    for needle in ["Zoeforgotten", "zoeforgotten", secret_url] {
        assert_eq!(
            files_contain(dir.path(), needle),
            Vec::<String>::new(),
            "{needle} is still on disk"
        );
    }
    assert_eq!(store.reshares_of(kept.id).unwrap().len(), 30, "the others are kept");
    drop(store);
    let store = open(dir.path()).unwrap();
    assert_eq!(store.ambassador(zoe.id).unwrap(), None);
    assert!(!files_contain(dir.path(), "Keptperson").is_empty());
}
