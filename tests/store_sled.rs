//! Sled-only store behaviour: persistence across reopen, the database lock (in this process and
//! from another one), deferred durability, concurrent writers, and the schema: migration 1 → 2
//! from a hand-written schema-1 database, and refusal of a newer schema.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use relais::domain::reshare::{AmbassadorStats, WeekTotal};
use relais::domain::{
    Ambassador, AmbassadorId, Identity, ItemId, Lang, Network, Platform, Prefs, Reshare, ReshareSource, Role, WeekKey,
};
use relais::store::conformance::{add_ambassador, item, linkedin, monday_plus, quick_reshare, record, url_reshare};
use relais::store::sled_store::lock::wait_until_released;
use relais::store::{Durability, LinkCode, SledOptions, SledStore, Store, StoreError, SCHEMA_VERSION};
use std::path::Path;
use tempfile::TempDir;

fn open(path: &Path) -> Result<SledStore, StoreError> {
    SledStore::open(path, SledOptions::default())
}

/// Closes a database opened with raw `sled::open` and waits until sled's background threads
/// have let go of its file lock, so that `SledStore::open` does not see it as in use.
fn close_raw(db: sled::Db, path: &Path) {
    db.flush().unwrap();
    drop(db);
    assert!(
        wait_until_released(&path.join("db"), std::time::Duration::from_secs(10)),
        "sled kept the lock of {} after close",
        path.display()
    );
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
    let deferred = SledOptions {
        durability: Durability::Deferred,
        ..SledOptions::default()
    };
    let store = SledStore::open(dir.path(), deferred).unwrap();
    let alice = add_ambassador(&store, "Alice");
    let batch: Vec<Reshare> = (0..50)
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
const CHILD_PATH_VAR: &str = "RELAIS_TEST_LOCKED_DB_PATH";

#[test]
fn a_second_open_from_another_process_is_locked() {
    if let Ok(path) = std::env::var(CHILD_PATH_VAR) {
        // The child: report what opening the path gives.
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

/// Writes a schema-1 database by hand: raw sled trees, no `stats`, no `week_totals`.
fn write_schema_1(path: &Path, ambassadors: &[Ambassador], reshares: &[Reshare]) {
    let db = sled::open(path).unwrap();
    let tree = |name: &str| db.open_tree(name).unwrap();
    let meta = tree("meta");
    meta.insert("schema_version", &1u32.to_be_bytes()).unwrap();
    meta.insert("last_ambassador_id", &(ambassadors.len() as u64).to_be_bytes())
        .unwrap();
    meta.insert("last_reshare_id", &(reshares.len() as u64).to_be_bytes())
        .unwrap();
    for a in ambassadors {
        tree("ambassadors")
            .insert(a.id.0.to_be_bytes(), serde_json::to_vec(a).unwrap())
            .unwrap();
        for identity in &a.identities {
            let key = format!("{}:{}", identity.platform.as_str(), identity.user);
            tree("identities")
                .insert(key.as_bytes(), &a.id.0.to_be_bytes())
                .unwrap();
        }
    }
    for r in reshares {
        let id = r.id.to_be_bytes();
        tree("reshares").insert(id, serde_json::to_vec(r).unwrap()).unwrap();
        tree("reshare_keys").insert(r.dedup_key.as_bytes(), &id).unwrap();
        let millis = (r.at.timestamp_millis() as u64 ^ (1 << 63)).to_be_bytes();
        tree("reshares_by_time").insert([millis, id].concat(), &[]).unwrap();
        tree("reshares_by_ambassador")
            .insert([r.ambassador.0.to_be_bytes(), id].concat(), &[])
            .unwrap();
    }
    drop(meta);
    close_raw(db, path);
}

#[test]
fn a_schema_1_database_is_migrated() {
    let (ana, kai, idle) = (AmbassadorId(1), AmbassadorId(2), AmbassadorId(3));
    let ambassadors = [
        person(1, "Ana", "Europe/Paris"),
        person(2, "Kai", "Pacific/Auckland"),
        person(3, "Idle", "UTC"),
    ];
    let monday = Utc.with_ymd_and_hms(2026, 11, 16, 8, 0, 0).unwrap();
    let reshares = [
        reshare_at(1, ana, monday, 10, false),
        reshare_at(2, ana, plus_hours(monday, 24), 15, false),
        reshare_at(3, ana, plus_hours(monday, 36), 0, true),
        reshare_at(4, ana, plus_hours(monday, 24 * 7 + 1), 10, false),
        // Auckland is UTC+13: local days 17, 17, 18 (UTC days 16, 17, 17).
        reshare_at(5, kai, plus_hours(monday, 3), 10, false),
        reshare_at(6, kai, plus_hours(monday, 26) + Duration::minutes(30), 10, true),
        reshare_at(7, kai, plus_hours(monday, 27) + Duration::minutes(30), 10, false),
    ];
    let dir = TempDir::new().unwrap();
    write_schema_1(dir.path(), &ambassadors, &reshares);

    let store = open(dir.path()).expect("migrating open");
    assert_eq!(store.schema_version().unwrap(), 2);
    let rows = [
        (ana, stats(35, 4, 1, 2, (2026, 11, 23))),
        (kai, stats(30, 3, 2, 2, (2026, 11, 18))),
        (idle, AmbassadorStats::default()),
    ];
    for (who, want) in rows {
        assert_eq!(store.stats(who).unwrap(), want, "{who}");
    }
    let w47 = reshares[0].week;
    let mut this_week = store.week_totals(w47).unwrap();
    this_week.sort_by_key(|(id, _)| *id);
    let want = vec![
        (ana, total(25, 3, Some(reshares[1].at))),
        (kai, total(30, 3, Some(reshares[6].at))),
    ];
    assert_eq!(this_week, want, "reached_at is the last reshare with points");
    assert_eq!(
        store.week_totals(w47.next()).unwrap(),
        vec![(ana, total(10, 1, Some(reshares[3].at)))]
    );
    // The rest of the database is intact and usable.
    assert_eq!(
        store
            .reshares_between(monday, plus_hours(monday, 24 * 8))
            .unwrap()
            .len(),
        7
    );
    let next = record(&store, url_reshare(kai, 1, &linkedin(1), plus_hours(monday, 48), 10));
    assert_eq!(next.id, 8);
    drop(store);
    let reopened = open(dir.path()).unwrap();
    assert_eq!(
        reopened.stats(kai).unwrap().points,
        40,
        "migrated once, then kept running"
    );
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = TempDir::new().unwrap();
    let db = sled::open(dir.path()).unwrap();
    db.open_tree("meta")
        .unwrap()
        .insert("schema_version", &(SCHEMA_VERSION + 1).to_be_bytes())
        .unwrap();
    close_raw(db, dir.path());
    match open(dir.path()) {
        Err(StoreError::TooNew { found, supported }) => {
            assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION))
        }
        Err(other) => panic!("expected TooNew, got {other:?}"),
        Ok(_) => panic!("expected TooNew, the database opened"),
    }
}

/// A reshare of the migration fixture (weeks in Paris time).
pub fn reshare_at(id: u64, who: AmbassadorId, at: DateTime<Utc>, points: u32, quick: bool) -> Reshare {
    let url = format!("https://bsky.app/profile/amb{}/post/3lb{id:05}", who.0);
    Reshare {
        id,
        ambassador: who,
        item: Some(ItemId(1)),
        network: if quick { Network::Other } else { Network::Bluesky },
        url: (!quick).then(|| url.clone()),
        dedup_key: if quick {
            Reshare::quick_key(who, ItemId(id as u32))
        } else {
            url
        },
        source: if quick {
            ReshareSource::Reaction
        } else {
            ReshareSource::Command
        },
        at,
        points,
        week: WeekKey::of(at, chrono_tz::Europe::Paris),
    }
}

/// An ambassador of the migration fixture, in time zone `tz`.
pub fn person(id: u64, name: &str, tz: &str) -> Ambassador {
    Ambassador {
        id: AmbassadorId(id),
        code: format!("m{id:03}"),
        display_name: name.to_string(),
        identities: vec![Identity::new(Platform::Discord, format!("90{id}"))],
        lang: Lang::En,
        tz: tz.to_string(),
        role: Role::Ambassador,
        prefs: Prefs::default(),
        joined_at: Utc.with_ymd_and_hms(2026, 10, 1, 12, 0, 0).unwrap(),
    }
}

/// Expected stats, spelled out.
pub fn stats(points: u64, reshares: u64, streak: u32, best: u32, last_day: (i32, u32, u32)) -> AmbassadorStats {
    let (y, m, d) = last_day;
    AmbassadorStats {
        points,
        reshares,
        streak,
        best_streak: best,
        last_day: NaiveDate::from_ymd_opt(y, m, d),
    }
}

/// Expected week total.
pub fn total(points: u64, reshares: u64, reached_at: Option<DateTime<Utc>>) -> WeekTotal {
    WeekTotal {
        points,
        reshares,
        reached_at,
    }
}

/// `base` plus hours.
pub fn plus_hours(base: DateTime<Utc>, hours: i64) -> DateTime<Utc> {
    base + Duration::hours(hours)
}
