//! SQLite-only store behaviour: persistence across reopen, the database lock (in this process and
//! from another one), deferred durability, concurrent writers, a newer schema refused, and the
//! two on-disk backends refusing each other's directory.

use relais::domain::{Ambassador, WeekKey};
use relais::store::conformance::{add_ambassador, item, linkedin, monday_plus, quick_reshare, record, url_reshare};
use relais::store::sqlite_store::schema::FILE_NAME;
use relais::store::{
    Durability, LinkCode, SledOptions, SledStore, SqliteOptions, SqliteStore, Store, StoreError, SCHEMA_VERSION,
};
use std::path::Path;
use tempfile::TempDir;

fn open(path: &Path) -> Result<SqliteStore, StoreError> {
    SqliteStore::open(path, SqliteOptions::default())
}

#[test]
fn data_survives_drop_and_reopen() {
    let dir = TempDir::new().unwrap();
    let store = open(dir.path()).unwrap();
    let alice = add_ambassador(&store, "Alice");
    let c1 = item(store.next_item_id().unwrap(), "Winter shelter");
    store.put_item(&c1).unwrap();
    let reshare = record(&store, url_reshare(alice.id, c1.id.0, &linkedin(1), monday_plus(1), 15));
    let code = LinkCode {
        ambassador: alice.id,
        expires: monday_plus(2),
    };
    store.put_link_code("615243", &code).unwrap();
    let stats = store.stats(alice.id).unwrap();
    drop(store);

    for round in 0..3 {
        let store = open(dir.path()).unwrap_or_else(|e| panic!("reopen {round}: {e}"));
        assert_eq!(
            store.ambassador_by_identity(&alice.identities[0]).unwrap(),
            Some(alice.clone()),
            "round {round}"
        );
        assert_eq!(store.items().unwrap(), vec![c1.clone()]);
        assert_eq!(store.reshare_by_key(&linkedin(1)).unwrap(), Some(reshare.clone()));
        assert_eq!(store.stats(alice.id).unwrap(), stats);
        assert_eq!(store.week_totals(reshare.week).unwrap().len(), 1);
        assert!(store.next_ambassador_id().unwrap() > alice.id, "counters persist");
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    }
    let store = open(dir.path()).unwrap();
    assert_eq!(store.take_link_code("615243").unwrap(), Some(code));
}

#[test]
fn deferred_writes_reach_the_disk_when_the_store_is_dropped() {
    let dir = TempDir::new().unwrap();
    let deferred = SqliteOptions {
        durability: Durability::Deferred,
        ..SqliteOptions::default()
    };
    let store = SqliteStore::open(dir.path(), deferred).unwrap();
    let alice = add_ambassador(&store, "Alice");
    let batch: Vec<_> = (0..50)
        .map(|n| url_reshare(alice.id, 1, &linkedin(n), monday_plus(n as i64), 10))
        .collect();
    let report = store.import(&batch).unwrap();
    assert_eq!((report.recorded, report.already_counted), (50, 0));
    assert_eq!(
        store.import(&batch[..5]).unwrap().already_counted,
        5,
        "imported keys dedup too"
    );
    drop(store);
    let store = open(dir.path()).unwrap();
    assert_eq!(store.reshares_of(alice.id).unwrap().len(), 50);
    assert_eq!(store.stats(alice.id).unwrap().points, 500);
}

#[test]
fn a_second_open_in_this_process_is_locked() {
    let dir = TempDir::new().unwrap();
    let first = open(dir.path()).unwrap();
    match open(dir.path()) {
        Err(StoreError::Locked { path }) => assert_eq!(path, dir.path().display().to_string()),
        Err(other) => panic!("expected Locked, got {other:?}"),
        Ok(_) => panic!("expected Locked, the second open succeeded"),
    }
    drop(first);
    open(dir.path()).expect("free again once the first store is dropped");
}

/// Set in the child process: the path it must try to open.
const CHILD_PATH_VAR: &str = "RELAIS_TEST_LOCKED_SQLITE_PATH";

#[test]
fn a_second_open_from_another_process_is_locked() {
    if let Ok(path) = std::env::var(CHILD_PATH_VAR) {
        match open(Path::new(&path)) {
            Err(StoreError::Locked { path }) => println!("child: locked {path}"),
            Err(other) => println!("child: other error {other:?}"),
            Ok(_) => println!("child: opened"),
        }
        return;
    }
    let dir = TempDir::new().unwrap();
    let store = open(dir.path()).unwrap();
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_second_open_from_another_process_is_locked",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_PATH_VAR, dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "child failed: {stdout}");
    assert!(
        stdout.contains(&format!("child: locked {}", dir.path().display())),
        "child said: {stdout}"
    );
    drop(store);
}

#[test]
fn concurrent_writers_all_land() {
    let dir = TempDir::new().unwrap();
    let store = open(dir.path()).unwrap();
    let people: Vec<Ambassador> = (0..4).map(|n| add_ambassador(&store, &format!("Person{n}"))).collect();
    std::thread::scope(|scope| {
        for (n, person) in people.iter().enumerate() {
            let store = &store;
            scope.spawn(move || {
                for k in 0..20u64 {
                    let url = linkedin(n as u64 * 1000 + k);
                    record(store, url_reshare(person.id, 1, &url, monday_plus(k as i64), 10));
                    record(store, quick_reshare(person.id, k as u32 + 10, monday_plus(k as i64), 5));
                }
            });
        }
    });
    let week = WeekKey::of(monday_plus(0), chrono_tz::Europe::Paris);
    for person in &people {
        assert_eq!(
            store.reshares_of(person.id).unwrap().len(),
            40,
            "{}",
            person.display_name
        );
        assert_eq!(store.stats(person.id).unwrap().points, 300);
    }
    let week_points: u64 = store.week_totals(week).unwrap().iter().map(|(_, t)| t.points).sum();
    let all = store.reshares_between(monday_plus(0), monday_plus(24 * 7)).unwrap();
    let in_week: u64 = all.iter().filter(|r| r.week == week).map(|r| u64::from(r.points)).sum();
    assert_eq!(week_points, in_week);
    let mut ids: Vec<u64> = all.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 160, "unique reshare ids");
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
    let sled = SledStore::open(dir.path(), SledOptions::default()).unwrap();
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
    let error = SledStore::open(dir.path(), SledOptions::default())
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
