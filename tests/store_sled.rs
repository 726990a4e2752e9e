//! Sled-only store behaviour: persistence across reopen, the database lock (in this process and
//! from another one), deferred durability, concurrent writers, and the schema: migration 1 → 2
//! from a hand-written schema-1 database, and refusal of a newer schema.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use relais::domain::reshare::{AmbassadorStats, WeekTotal};
use relais::domain::{
    Ambassador, AmbassadorId, Identity, ItemId, Lang, Network, Platform, Prefs, Reshare, ReshareSource, Role, WeekKey,
};
use relais::store::conformance::{linkedin, record, url_reshare};
use relais::store::sled_store::lock::wait_until_released;
use relais::store::{DiskOptions, SledStore, Store, StoreError, SCHEMA_VERSION};
use std::path::Path;
use tempfile::TempDir;

#[path = "support/disk_store.rs"]
#[macro_use]
mod disk_store;

disk_store!(SledStore);

#[path = "support/disk_trust.rs"]
mod disk_trust;

#[test]
fn issue14_forget_me_leaves_no_byte_on_disk() {
    disk_trust::issue14_forget_me_leaves_no_byte_on_disk::<SledStore>();
}

#[test]
fn issue14_a_damaged_database_is_refused() {
    disk_trust::issue14_a_damaged_database_is_refused::<SledStore>("db");
}

#[test]
fn issue14_a_mark_behind_the_database_is_accepted_and_ahead_refused() {
    disk_trust::issue14_a_mark_behind_the_database_is_accepted_and_ahead_refused::<SledStore>();
}

#[test]
fn issue14_a_backup_taken_while_open_restores_the_same_data() {
    disk_trust::issue14_a_backup_taken_while_open_restores_the_same_data::<SledStore>();
}

fn open(path: &Path) -> Result<SledStore, StoreError> {
    SledStore::open(path, DiskOptions::default())
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
    disk_store::data_survives_drop_and_reopen::<SledStore>();
}

#[test]
fn deferred_writes_reach_the_disk_when_the_store_is_dropped() {
    disk_store::deferred_writes_reach_the_disk_when_the_store_is_dropped::<SledStore>();
}

#[test]
fn a_second_open_in_this_process_is_locked() {
    disk_store::a_second_open_in_this_process_is_locked::<SledStore>();
}

#[test]
fn a_second_open_from_another_process_is_locked() {
    disk_store::a_second_open_from_another_process_is_locked::<SledStore>(
        "a_second_open_from_another_process_is_locked",
        "RELAIS_TEST_LOCKED_DB_PATH",
    );
}

#[test]
fn concurrent_writers_all_land() {
    disk_store::concurrent_writers_all_land::<SledStore>();
}

#[test]
fn r14_the_link_guessing_limit_survives_a_restart() {
    disk_store::the_link_guessing_limit_survives_a_restart::<SledStore>();
}

#[test]
fn r17_rooms_set_up_from_chat_survive_a_restart() {
    disk_store::rooms_set_up_from_chat_survive_a_restart::<SledStore>();
}

#[test]
fn issue14_a_store_path_that_is_a_file_is_refused_clearly() {
    disk_store::issue14_a_store_path_that_is_a_file_is_refused_clearly::<SledStore>();
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

/// Issue 17: a person stored with `"lang": "pt"` (before Portuguese came as pt-PT and pt-BR)
/// still opens, as Brazilian Portuguese (what `pt` held), and is written back as `pt-BR`.
#[test]
fn issue17_a_stored_pt_language_reads_as_brazilian_portuguese() {
    let dir = TempDir::new().unwrap();
    let mut joana = person(1, "Joana", "Europe/Lisbon");
    joana.lang = Lang::PtBr;
    write_schema_1(dir.path(), std::slice::from_ref(&joana), &[]);
    let db = sled::open(dir.path()).unwrap();
    let people = db.open_tree("ambassadors").unwrap();
    let stored = String::from_utf8(people.get(1u64.to_be_bytes()).unwrap().unwrap().to_vec()).unwrap();
    assert!(stored.contains(r#""lang":"pt-BR""#), "{stored}");
    let old = stored.replace(r#""lang":"pt-BR""#, r#""lang":"pt""#);
    people.insert(1u64.to_be_bytes(), old.as_bytes()).unwrap();
    drop(people);
    close_raw(db, dir.path());

    let store = open(dir.path()).expect("opens");
    let read = store.ambassador(AmbassadorId(1)).unwrap().expect("Joana");
    assert_eq!(read.lang, Lang::PtBr);
    store.put_ambassador(&read).unwrap();
    drop(store);
    let reopened = open(dir.path()).unwrap();
    assert_eq!(
        reopened.ambassador(AmbassadorId(1)).unwrap().map(|a| a.lang),
        Some(Lang::PtBr)
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
        keys: Vec::new(),
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

/// A store whose log still holds a withdrawn reshare's URL (a withdrawal does not rewrite the
/// database), with Bob's 20 reshares; returns the URL.
fn store_with_a_withdrawn_url(path: &Path) -> String {
    let store = open(path).unwrap();
    let bob = relais::store::conformance::add_ambassador(&store, "Bob");
    for n in 0..20 {
        record(&store, url_reshare(bob.id, 1, &linkedin(n), at(n as i64), 10));
    }
    let url = "https://q7x-withdrawn.example/post/1".to_string();
    let gone = record(&store, url_reshare(bob.id, 1, &url, at(30), 10));
    store.withdraw_reshare(gone.id).unwrap();
    drop(store);
    assert!(!disk_trust::files_holding(path, &url).is_empty(), "sled's log keeps it");
    url
}

fn at(hours: i64) -> DateTime<Utc> {
    relais::store::conformance::monday_plus(hours)
}

/// Opens the store at `path`: the rewrite is done (the URL is nowhere, no rewrite folder is
/// left) and Bob's 20 reshares are all there.
fn opens_rewritten(path: &Path, url: &str) {
    let store = open(path).unwrap();
    assert_eq!(disk_trust::files_holding(path, url), Vec::<std::path::PathBuf>::new());
    assert!(!path.join("compacting").exists());
    let bob = store.ambassadors().unwrap()[0].id;
    assert_eq!(store.reshares_of(bob).unwrap().len(), 20);
}

#[test]
fn issue14_a_rewrite_interrupted_before_its_copy_is_made_again_on_open() {
    let dir = TempDir::new().unwrap();
    let url = store_with_a_withdrawn_url(dir.path());
    // A crash after the forget's commit, before the copy was complete: an unfinished folder.
    std::fs::create_dir(dir.path().join("compacting")).unwrap();
    std::fs::write(dir.path().join("compacting").join("db"), b"half a copy").unwrap();
    opens_rewritten(dir.path(), &url);
}

#[test]
fn issue14_a_rewrite_interrupted_after_its_copy_is_swapped_in_on_open() {
    let dir = TempDir::new().unwrap();
    let url = store_with_a_withdrawn_url(dir.path());
    // A crash after the copy was complete (`READY`), before the swap.
    let store = open(dir.path()).unwrap();
    store.backup(&dir.path().join("compacting")).unwrap();
    drop(store);
    std::fs::write(dir.path().join("compacting").join("READY"), b"").unwrap();
    opens_rewritten(dir.path(), &url);
}
