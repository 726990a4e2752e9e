//! What every on-disk store (sled, SQLite) must do beyond the conformance suite, as cases over a
//! way to open one: data kept across reopen, deferred writes kept on drop, one process at a time
//! (in this process and from another one), concurrent writers, and a `link` guessing limit that
//! a restart does not reset.

#![allow(dead_code)]

use relais::domain::{Ambassador, Reshare, WeekKey};
use relais::store::conformance::{add_ambassador, item, linkedin, monday_plus, quick_reshare, record, url_reshare};
use relais::store::{Durability, ImportReport, LinkCode, Store, StoreError, SCHEMA_VERSION};
use std::path::Path;
use tempfile::TempDir;

/// An on-disk store under test.
pub trait DiskStore: Store + Sized {
    fn open_with(path: &Path, durability: Durability) -> Result<Self, StoreError>;
    fn import_batch(&self, batch: &[Reshare]) -> Result<ImportReport, StoreError>;

    fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_with(path, Durability::Flush)
    }
}

/// Implements [`DiskStore`] for a store type with the usual `open(path, DiskOptions)` and
/// `import(batch)` (both on-disk stores have them).
macro_rules! disk_store {
    ($store:ty) => {
        impl disk_store::DiskStore for $store {
            fn open_with(
                path: &std::path::Path,
                durability: relais::store::Durability,
            ) -> Result<Self, relais::store::StoreError> {
                let options = relais::store::DiskOptions {
                    durability,
                    ..relais::store::DiskOptions::default()
                };
                <$store>::open(path, options)
            }

            fn import_batch(
                &self,
                batch: &[relais::domain::Reshare],
            ) -> Result<relais::store::ImportReport, relais::store::StoreError> {
                self.import(batch)
            }
        }
    };
}

pub fn data_survives_drop_and_reopen<S: DiskStore>() {
    let dir = TempDir::new().unwrap();
    let store = S::open(dir.path()).unwrap();
    let alice = add_ambassador(&store, "Alice");
    let c1 = item(store.next_item_id().unwrap(), "Winter shelter");
    store.put_item(&c1).unwrap();
    let reshare = record(&store, url_reshare(alice.id, c1.id.0, &linkedin(1), monday_plus(1), 15));
    let code = LinkCode {
        ambassador: alice.id,
        expires: monday_plus(2),
        secret: "EFGHJKLM".into(),
        failures: 1,
    };
    store.put_link_code("615243", &code).unwrap();
    let failures = [monday_plus(1), monday_plus(2)];
    for at in failures {
        store.add_link_failure(alice.id, at, monday_plus(0)).unwrap();
    }
    let stats = store.stats(alice.id).unwrap();
    drop(store);

    for round in 0..3 {
        let store = S::open(dir.path()).unwrap_or_else(|e| panic!("reopen {round}: {e}"));
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
        let kept = store.link_failures(alice.id, monday_plus(0)).unwrap();
        assert_eq!(kept, failures, "round {round}: wrong link codes are remembered");
    }
    let store = S::open(dir.path()).unwrap();
    assert_eq!(store.take_link_code("615243").unwrap(), Some(code));
}

pub fn deferred_writes_reach_the_disk_when_the_store_is_dropped<S: DiskStore>() {
    let dir = TempDir::new().unwrap();
    let store = S::open_with(dir.path(), Durability::Deferred).unwrap();
    let alice = add_ambassador(&store, "Alice");
    let batch: Vec<Reshare> = (0..50)
        .map(|n| url_reshare(alice.id, 1, &linkedin(n), monday_plus(n as i64), 10))
        .collect();
    let report = store.import_batch(&batch).unwrap();
    assert_eq!((report.recorded, report.already_counted), (50, 0));
    assert_eq!(
        store.import_batch(&batch[..5]).unwrap().already_counted,
        5,
        "imported keys dedup too"
    );
    drop(store);
    let store = S::open(dir.path()).unwrap();
    assert_eq!(store.reshares_of(alice.id).unwrap().len(), 50);
    assert_eq!(store.stats(alice.id).unwrap().points, 500);
}

pub fn a_second_open_in_this_process_is_locked<S: DiskStore>() {
    let dir = TempDir::new().unwrap();
    let first = S::open(dir.path()).unwrap();
    match S::open(dir.path()) {
        Err(StoreError::Locked { path }) => assert_eq!(path, dir.path().display().to_string()),
        Err(other) => panic!("expected Locked, got {other:?}"),
        Ok(_) => panic!("expected Locked, the second open succeeded"),
    }
    drop(first);
    S::open(dir.path()).expect("free again once the first store is dropped");
}

/// Run from the test named `test_name` (in the test binary this runs in): opens a store in this
/// process and has a copy of the test binary, in a child process told by `path_var` what to
/// open, report that the store is locked. In the child, this reports and returns.
pub fn a_second_open_from_another_process_is_locked<S: DiskStore>(test_name: &str, path_var: &str) {
    if let Ok(path) = std::env::var(path_var) {
        match S::open(Path::new(&path)) {
            Err(StoreError::Locked { path }) => println!("child: locked {path}"),
            Err(other) => println!("child: other error {other:?}"),
            Ok(_) => println!("child: opened"),
        }
        return;
    }
    let dir = TempDir::new().unwrap();
    let store = S::open(dir.path()).unwrap();
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test_name, "--nocapture", "--test-threads=1"])
        .env(path_var, dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains(&format!("child: locked {}", dir.path().display())),
        "child said: {stdout}"
    );
    drop(store);
}

pub fn concurrent_writers_all_land<S: DiskStore>() {
    let dir = TempDir::new().unwrap();
    let store = S::open(dir.path()).unwrap();
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

/// Issue 14 §6: the per-person limit on wrong `link` codes is kept in the store, so a restart
/// does not reset it.
pub fn the_link_guessing_limit_survives_a_restart<S: DiskStore>() {
    use relais::app::{App, Effect, Incoming, Settings};
    use relais::domain::link_code::MAX_FAILURES_PER_PERSON;
    use relais::domain::{Identity, Platform, RoomRef};
    let prompts = relais::prompts::Prompts::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/prompts")))
        .expect("prompts")
        .prompts;
    let settings = Settings::default();
    let at = monday_plus(1);
    let say = |app: &App, from: &Identity, text: &str| {
        let msg = Incoming {
            from: from.clone(),
            display_name: from.user.clone(),
            room: RoomRef::new(from.platform, "team"),
            direct: false,
            text: text.into(),
        };
        app.handle(&msg, at)
    };
    let (alice, mallory) = (
        Identity::new(Platform::Matrix, "@alice:example.org"),
        Identity::new(Platform::Discord, "666"),
    );
    let dir = TempDir::new().unwrap();
    let code = {
        let store = S::open(dir.path()).unwrap();
        let app = App::new(&settings, &prompts, &store);
        let sent = say(&app, &alice, "!link");
        let dm = sent.iter().find_map(|e| match e {
            Effect::Dm { text, .. } => Some(text.clone()),
            _ => None,
        });
        let code = dm.expect("a code").split("**").nth(1).expect("bold").to_string();
        for n in 0..MAX_FAILURES_PER_PERSON {
            say(&app, &mallory, &format!("!link 2345-6789-ABC{n}"));
        }
        code
    };
    let store = S::open(dir.path()).unwrap();
    let app = App::new(&settings, &prompts, &store);
    let answer = say(&app, &mallory, &format!("!link {code}"));
    let text = answer.iter().rev().find_map(|e| match e {
        Effect::Reply { text, .. } => Some(text.as_str()),
        _ => None,
    });
    assert!(text.is_some_and(|t| t.contains("Too many wrong codes")), "{answer:?}");
    let profile = |i: &Identity| store.ambassador_by_identity(i).unwrap().map(|a| a.id);
    assert_ne!(profile(&mallory), profile(&alice), "nothing was linked");
}

/// Issue 14: a store path that is a file (or lies under one) is refused with what is wrong, not
/// "File exists (os error 17)" or "Not a directory (os error 20)"; the file is left alone.
pub fn issue14_a_store_path_that_is_a_file_is_refused_clearly<S: DiskStore>() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("relais-data");
    std::fs::write(&file, b"not a store").unwrap();
    for path in [file.clone(), file.join("store")] {
        let Err(error) = S::open(&path) else {
            panic!("{} opened", path.display());
        };
        assert!(
            matches!(&error, StoreError::NotAFolder { path } if *path == file.display().to_string()),
            "{}: {error:?}",
            path.display()
        );
        let message = error.to_string();
        assert!(
            message.contains("is a file, not a folder") && message.contains("`store.path`"),
            "{message}"
        );
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"not a store");
}

/// Issue 17 §2: a room set up from chat, and a room told once that it is not served, are kept
/// across a restart.
pub fn rooms_set_up_from_chat_survive_a_restart<S: DiskStore>() {
    use relais::app::{App, Effect, Incoming, Settings};
    use relais::domain::{Identity, Lang, Platform, RoomRef};
    let prompts = relais::prompts::Prompts::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/prompts")))
        .expect("prompts")
        .prompts;
    let carla = Identity::new(Platform::Console, "carla");
    let settings = Settings {
        coordinators: vec![carla.clone()],
        ..Settings::default()
    };
    let say = |app: &App, room: &str, text: &str| -> usize {
        let msg = Incoming {
            from: carla.clone(),
            display_name: "Carla".into(),
            room: RoomRef::new(Platform::Console, room),
            direct: false,
            text: text.into(),
        };
        let effects = app.receive(&msg, monday_plus(1));
        effects.iter().filter(|e| matches!(e, Effect::Reply { .. })).count()
    };
    let dir = TempDir::new().unwrap();
    {
        let store = S::open(dir.path()).unwrap();
        let app = App::new(&settings, &prompts, &store);
        assert_eq!(say(&app, "lobby", "!help"), 1, "told once");
        assert!(say(&app, "team", "!room here team fr 10:00") > 0);
    }
    let store = S::open(dir.path()).unwrap();
    let app = App::new(&settings, &prompts, &store);
    let team = app
        .rooms
        .get(&RoomRef::new(Platform::Console, "team"))
        .expect("still served");
    assert_eq!(
        (team.lang, team.push_time.to_string()),
        (Lang::Fr, "10:00:00".to_string())
    );
    assert_eq!(say(&app, "lobby", "!help"), 0, "still told once only");
}
