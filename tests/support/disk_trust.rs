//! Issue 14 §2 and §3 for every on-disk store: forget-me leaves no byte of the person in any file
//! of the store folder, a damaged or shrunk database is refused with a clear message (and one
//! merely ahead of its high-water mark, as after a crash, is not), and a backup taken while the
//! store is open gives back the same data.

#![allow(dead_code)]

use super::disk_store::DiskStore;
use relais::domain::{AmbassadorId, Reshare};
use relais::store::conformance::{
    add_ambassador, ambassador, item, matrix, monday_plus, quick_reshare, record, url_reshare,
};
use relais::store::watermark::FILE_NAME as MARK_FILE;
use relais::store::{LinkCode, Store, StoreError};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The forgotten person's distinctive values: none may be found on disk after the forget.
const MARKERS: [&str; 6] = [
    "Quirinus Markerface",
    "@quirinus-q7x:example.org",
    "Antarctica/Troll",
    "mastodon-q7x.example",
    "https://www.linkedin.com/posts/q7x-marker-activity-",
    "https://q7x-attached.example/post/",
];

/// Every file under `dir` (recursively) that holds `needle`.
pub fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_holding(&path, needle));
        } else if std::fs::read(&path)
            .unwrap()
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
        {
            found.push(path);
        }
    }
    found
}

/// Which markers are somewhere under `dir`, with the files holding them.
fn markers_on_disk(dir: &Path) -> Vec<(&'static str, Vec<PathBuf>)> {
    MARKERS
        .iter()
        .map(|m| (*m, files_holding(dir, m)))
        .filter(|(_, files)| !files.is_empty())
        .collect()
}

/// Stores the person to forget, changed several times, with claims, URLs and link codes.
fn write_quirinus(store: &dyn Store) -> AmbassadorId {
    let id = store.next_ambassador_id().unwrap();
    let mut quirinus = ambassador(id, "Quirinus Markerface", vec![matrix("quirinus-q7x")]);
    for (n, tz) in ["Europe/Paris", "Antarctica/Troll"].iter().enumerate() {
        quirinus.tz = tz.to_string();
        quirinus.prefs.mastodon_instance = Some(format!("mastodon-q7x.example{}", "/".repeat(n)));
        store.put_ambassador(&quirinus).unwrap();
    }
    for n in 0..40 {
        let url = format!("{}{n:019}", MARKERS[4]);
        record(store, url_reshare(id, 1, &url, monday_plus(n), 10));
    }
    let quick = record(store, quick_reshare(id, 2, monday_plus(50), 5));
    store
        .attach_url(
            quick.id,
            &format!("{}1", MARKERS[5]),
            relais::domain::Network::Other,
            &[],
        )
        .unwrap();
    let code = LinkCode {
        ambassador: id,
        expires: monday_plus(60),
        secret: "QSECRET7".into(),
        failures: 0,
    };
    store.put_link_code("Q7XCODE", &code).unwrap();
    store.add_link_failure(id, monday_plus(61), monday_plus(0)).unwrap();
    id
}

/// Someone who stays: their reshares must survive the forget.
fn write_bob(store: &dyn Store, from: i64, count: i64) -> AmbassadorId {
    let bob = match store
        .ambassadors()
        .unwrap()
        .into_iter()
        .find(|a| a.display_name == "Bob")
    {
        Some(bob) => bob.id,
        None => add_ambassador(store, "Bob").id,
    };
    for n in from..from + count {
        let url = format!("https://bob.example/post/{n}");
        record(store, url_reshare(bob, 1, &url, monday_plus(n), 10));
    }
    bob
}

/// §2: after `forget_ambassador`, no file under the store folder holds any of the person's
/// values: right away, and after a reopen and 300 more writes.
pub fn issue14_forget_me_leaves_no_byte_on_disk<S: DiskStore>() {
    let dir = TempDir::new().unwrap();
    let store = S::open(dir.path()).unwrap();
    store
        .put_item(&item(store.next_item_id().unwrap(), "Winter shelter"))
        .unwrap();
    store
        .put_item(&item(store.next_item_id().unwrap(), "Summer camp"))
        .unwrap();
    let bob = write_bob(&store, 0, 30);
    let quirinus = write_quirinus(&store);
    assert_eq!(
        markers_on_disk(dir.path()).len(),
        MARKERS.len(),
        "every marker is on disk before the forget (the search finds them)"
    );
    store.forget_ambassador(quirinus).unwrap();
    assert_eq!(markers_on_disk(dir.path()), Vec::new(), "right after the forget");
    drop(store);
    let store = S::open(dir.path()).unwrap();
    assert_eq!(store.ambassador(quirinus).unwrap(), None);
    assert_eq!(store.reshares_of(bob).unwrap().len(), 30, "the others' data stays");
    for n in 0..100 {
        write_bob(&store, 100 + 3 * n, 1);
        store.add_link_failure(bob, monday_plus(n), monday_plus(0)).unwrap();
        store.set_action_state(&format!("push:{n}"), &action(n)).unwrap();
    }
    drop(store);
    assert_eq!(markers_on_disk(dir.path()), Vec::new(), "after a reopen and 300 writes");
    let store = S::open(dir.path()).unwrap();
    assert_eq!(store.reshares_of(bob).unwrap().len(), 130);
}

fn action(n: i64) -> relais::store::ActionRecord {
    relais::store::ActionRecord {
        state: relais::store::ActionState::Done,
        due: monday_plus(n),
        at: monday_plus(n),
        reason: None,
    }
}

/// A closed store of 200 reshares written one by one, in `dir`.
fn two_hundred_reshares<S: DiskStore>(dir: &Path) {
    let store = S::open(dir).unwrap();
    store
        .put_item(&item(store.next_item_id().unwrap(), "Winter shelter"))
        .unwrap();
    write_bob(&store, 0, 200);
}

/// Copies the store folder `from` into a new temporary folder.
fn copy_of(from: &Path) -> TempDir {
    let to = TempDir::new().unwrap();
    copy_folder(from, to.path());
    to
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Deterministic noise (a linear congruential generator), so that failures reproduce.
fn noise(seed: u64) -> impl Iterator<Item = u64> {
    std::iter::successors(Some(seed), |x| {
        Some(
            x.wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407),
        )
    })
    .skip(1)
    .map(|x| x >> 17)
}

/// A change to a database file's bytes.
type Damage = fn(&mut Vec<u8>);

/// The damages of the issue, each as a change to the database file's bytes.
pub fn damages() -> Vec<(&'static str, Damage)> {
    vec![
        ("truncated to half", |bytes| bytes.truncate(bytes.len() / 2)),
        ("64 KiB of zeros in the middle", |bytes| {
            let start = bytes.len().saturating_sub(64 * 1024) / 2;
            let end = (start + 64 * 1024).min(bytes.len());
            bytes[start..end].fill(0);
        }),
        ("truncated to 1 KiB", |bytes| bytes.truncate(1024)),
        ("50 flipped bytes", |bytes| {
            let len = bytes.len() as u64;
            for at in noise(14).take(50) {
                bytes[(at % len) as usize] ^= 0xFF;
            }
        }),
        // Three pages' worth: 512 bytes landed in a page's unused space once the schema grew (the
        // data intact, SQLite's own integrity check content), which is no damage at all.
        ("random bytes in the middle", |bytes| {
            let middle = bytes.len() / 2;
            for (n, value) in noise(7).take(3 * 4096).enumerate() {
                bytes[middle + n] = value as u8;
            }
        }),
        ("random bytes in the tail", |bytes| {
            let tail = bytes.len() - 600;
            for (n, value) in noise(9).take(512).enumerate() {
                bytes[tail + n] = value as u8;
            }
        }),
    ]
}

/// §3: each damage of the database file `db_file` is refused with `Damaged`, whose message says
/// how to restore.
pub fn issue14_a_damaged_database_is_refused<S: DiskStore>(db_file: &str) {
    let healthy = TempDir::new().unwrap();
    two_hundred_reshares::<S>(healthy.path());
    for (damage, apply) in damages() {
        let dir = copy_of(healthy.path());
        let path = dir.path().join(db_file);
        let mut bytes = std::fs::read(&path).unwrap();
        apply(&mut bytes);
        std::fs::write(&path, &bytes).unwrap();
        match S::open(dir.path()) {
            Err(error @ StoreError::Damaged { .. }) => {
                let message = error.to_string();
                assert!(
                    message.contains("restore") && message.contains("backup"),
                    "{damage}: {message}"
                );
            }
            Err(other) => panic!("{damage}: refused, but not as damage: {other:?}"),
            Ok(store) => {
                let left = store
                    .reshares_between(monday_plus(-1), monday_plus(1000))
                    .unwrap()
                    .len();
                panic!("{damage}: opened silently with {left} of 200 reshares")
            }
        }
    }
}

/// §3: a database one write ahead of its mark (a crash after the commit, before the mark was
/// written) opens; one behind its mark (an older copy of the database under a newer mark) is
/// refused.
pub fn issue14_a_mark_behind_the_database_is_accepted_and_ahead_refused<S: DiskStore>() {
    let dir = TempDir::new().unwrap();
    two_hundred_reshares::<S>(dir.path());
    let before = copy_of(dir.path());
    let store = S::open(dir.path()).unwrap();
    write_bob(&store, 500, 1);
    drop(store);

    std::fs::copy(before.path().join(MARK_FILE), dir.path().join(MARK_FILE)).unwrap();
    let store = S::open(dir.path()).expect("a database ahead of its mark is accepted");
    assert_eq!(
        store
            .reshares_between(monday_plus(-1), monday_plus(1000))
            .unwrap()
            .len(),
        201
    );
    drop(store);

    std::fs::copy(dir.path().join(MARK_FILE), before.path().join(MARK_FILE)).unwrap();
    match S::open(before.path()) {
        Err(StoreError::Damaged { found, .. }) => assert!(found.contains("expected at least"), "{found}"),
        other => panic!("a database behind its mark must be refused, got {:?}", other.err()),
    }
    std::fs::remove_file(before.path().join(MARK_FILE)).unwrap();
    assert!(
        S::open(before.path()).is_ok(),
        "deleting the mark accepts the store as it is"
    );
}

/// All reshares, for comparing stores.
fn everything(store: &dyn Store) -> (Vec<String>, Vec<Reshare>, u64) {
    let names = store
        .ambassadors()
        .unwrap()
        .into_iter()
        .map(|a| a.display_name)
        .collect();
    let reshares = store.reshares_between(monday_plus(-1000), monday_plus(10_000)).unwrap();
    let bob = store.ambassadors().unwrap()[0].id;
    (names, reshares, store.stats(bob).unwrap().points)
}

/// §3: a backup taken while the store is open and written to holds the data as it was then, and
/// a store restored from it (the folder copied into place) opens with that data; the backup
/// folder must be new or empty.
pub fn issue14_a_backup_taken_while_open_restores_the_same_data<S: DiskStore>() {
    let dir = TempDir::new().unwrap();
    let backups = TempDir::new().unwrap();
    let store = S::open(dir.path()).unwrap();
    store
        .put_item(&item(store.next_item_id().unwrap(), "Winter shelter"))
        .unwrap();
    write_bob(&store, 0, 120);
    let then = everything(&store);
    let backup = backups.path().join("monday");
    store.backup(&backup).unwrap();
    write_bob(&store, 200, 5);
    assert!(matches!(store.backup(&backup), Err(StoreError::BackupTarget { .. })));
    drop(store);

    let restored = TempDir::new().unwrap();
    copy_folder(&backup, restored.path());
    let store = S::open(restored.path()).expect("the restored store opens");
    assert_eq!(everything(&store), then);
    write_bob(&store, 300, 1);
}
