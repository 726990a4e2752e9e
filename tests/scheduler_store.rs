//! The scheduler's records on an existing database: a database written before the scheduler
//! existed (no action trees) opens without a migration and starts scheduling from then on.

mod sim;

use chrono::Duration;
use chrono_tz::Europe::Paris;
use relais::app::scheduler::{Scheduler, SINCE_KEY};
use relais::app::App;
use relais::domain::NudgePref;
use relais::store::sled_store::lock::wait_until_released;
use relais::store::{DiskOptions, SledStore, Store, StoreError, SCHEMA_VERSION};
use sim::{add, evergreen_post, run, settings, utc, FakePlatform};
use std::path::Path;

/// Opens the store, waiting for a raw sled handle's background threads to let go of the lock.
fn open(path: &Path) -> SledStore {
    let started = std::time::Instant::now();
    loop {
        match SledStore::open(path, DiskOptions::default()) {
            Err(StoreError::Locked { .. }) if started.elapsed() < std::time::Duration::from_secs(10) => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other.expect("open"),
        }
    }
}

#[test]
fn a_database_from_before_the_scheduler_opens_and_schedules_from_then_on() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let settings = settings();
    {
        let store = open(dir.path());
        let app = App::new(&settings, sim::prompts(), &store);
        evergreen_post(&app, utc("2026-03-10T10:00:00Z"));
        add(&store, "alice", Paris, NudgePref::On);
    }
    {
        // As it was before this version: no action trees at all.
        let db = sled::open(dir.path()).expect("raw sled");
        for tree in ["actions", "actions_by_due"] {
            db.drop_tree(tree).expect("drop tree");
        }
        db.flush().expect("flush");
        drop(db);
        let released = wait_until_released(&dir.path().join("db"), std::time::Duration::from_secs(10));
        assert!(released, "sled kept the lock after close");
    }
    let store = open(dir.path());
    assert_eq!(
        store.schema_version().expect("version"),
        SCHEMA_VERSION,
        "no version bump"
    );
    assert_eq!(store.action_state(SINCE_KEY).expect("read"), None);
    let app = App::new(&settings, sim::prompts(), &store);
    let now = utc("2026-03-18T12:00:00Z");
    let mut scheduler = Scheduler::start(&app, now).expect("start");
    let mut platform = FakePlatform::default();
    run(
        &app,
        &mut scheduler,
        &mut platform,
        now,
        now + Duration::days(1),
        Duration::minutes(1),
        |_, _, _| {},
    );
    assert!(
        store
            .skipped_actions(now - Duration::days(30), now + Duration::days(2))
            .expect("skipped")
            .is_empty(),
        "nothing from before counts as missed"
    );
    assert_eq!(
        platform.with_prefix("push:console:team:").len(),
        1,
        "the next morning's push"
    );
    assert_eq!(platform.with_prefix("nudge:").len(), 2, "alice and carla this evening");
    assert_eq!(store.action_state(SINCE_KEY).expect("read").map(|r| r.at), Some(now));
}
