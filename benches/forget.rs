//! What forget-me costs on a store of 100,000 reshares (1,000 ambassadors × 100): on sled the
//! whole database is rewritten into a fresh one after the erase (sled keeps old versions of
//! records in its log), on SQLite the erased pages are overwritten (`secure_delete`) and the
//! write-ahead log emptied. Also what opening such a store costs now that it is checked
//! (high-water mark; sled's reshare trees counted; SQLite's `quick_check`).
//!
//! `cargo bench --bench forget` runs it in full; without `--bench` (as under
//! `cargo test --benches`) it runs on 1,000 reshares as a smoke test.

use chrono::{Duration, TimeZone, Utc};
use criterion::{BatchSize, Criterion};
use relais::domain::{AmbassadorId, Reshare};
use relais::store::conformance::{ambassador, matrix, url_reshare};
use relais::store::{DiskOptions, Durability, SledStore, SqliteStore, Store};
use std::path::Path;
use std::time::Instant;

const PER_AMBASSADOR: u64 = 100;

/// Reshare `n` of ambassador `who`.
fn reshare(who: u64, n: u64) -> Reshare {
    let at = Utc.with_ymd_and_hms(2026, 9, 7, 6, 0, 0).single().unwrap_or_default() + Duration::minutes(n as i64);
    let url = format!("https://www.linkedin.com/feed/update/urn:li:activity:7{who:06}{n:08}");
    url_reshare(AmbassadorId(who), 1, &url, at, 10)
}

/// Adds an ambassador with `count` reshares; returns its id.
fn add_person(store: &dyn Store, count: u64, import: &dyn Fn(&[Reshare])) -> AmbassadorId {
    let id = store.next_ambassador_id().expect("id");
    let person = ambassador(id, &format!("Person {}", id.0), vec![matrix(&format!("p{}", id.0))]);
    store.put_ambassador(&person).expect("put");
    let batch: Vec<Reshare> = (0..count).map(|n| reshare(id.0, n)).collect();
    import(&batch);
    id
}

/// The size of the files of the folder `dir`, in MiB.
fn mib(dir: &Path) -> f64 {
    let bytes: u64 = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok()?.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    bytes as f64 / (1 << 20) as f64
}

fn options(durability: Durability) -> DiskOptions {
    DiskOptions {
        durability,
        ..DiskOptions::default()
    }
}

/// Fills a store of `people` × 100 reshares, reopens it durable (timing the open), then
/// measures forgetting one more person with 10 reshares.
fn forget<S: Store>(
    c: &mut Criterion,
    name: &str,
    people: u64,
    open: impl Fn(&Path, Durability) -> S,
    import: impl Fn(&S, &[Reshare]),
) {
    let dir = tempfile::TempDir::new().expect("temp dir");
    {
        let store = open(dir.path(), Durability::Deferred);
        for _ in 0..people {
            add_person(&store, PER_AMBASSADOR, &|batch| import(&store, batch));
        }
    }
    let started = Instant::now();
    let store = open(dir.path(), Durability::Flush);
    println!(
        "{name}: {} reshares, {:.1} MiB; checked open in {:.0} ms",
        people * PER_AMBASSADOR,
        mib(dir.path()),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let mut group = c.benchmark_group(format!("forget_at_{}_reshares", people * PER_AMBASSADOR));
    group.sample_size(10);
    group.bench_function(name, |b| {
        b.iter_batched(
            || add_person(&store, 10, &|batch| import(&store, batch)),
            |id| store.forget_ambassador(id).expect("forget"),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn main() {
    let full = std::env::args().any(|arg| arg == "--bench");
    let people = if full { 1_000 } else { 10 };
    let mut c = Criterion::default().configure_from_args();
    forget(
        &mut c,
        "sled",
        people,
        |path, durability| SledStore::open(path, options(durability)).expect("open sled"),
        |store, batch| {
            store.import(batch).expect("import");
        },
    );
    forget(
        &mut c,
        "sqlite",
        people,
        |path, durability| SqliteStore::open(path, options(durability)).expect("open SQLite"),
        |store, batch| {
            store.import(batch).expect("import");
        },
    );
    c.final_summary();
}
