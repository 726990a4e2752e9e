//! Store benchmarks: (1) a durable `record_reshare` on sled and on SQLite (flushed before it
//! returns), with a latency table of 2,000 single calls; (2) the weekly leaderboard
//! (`week_totals` + the public top 10) over 10,000 ambassadors and 1,000,000 reshares in 10
//! weeks, on sled, on SQLite and in memory.
//!
//! `cargo bench --bench store` runs it in full (about a minute and a half); without `--bench`
//! (as under `cargo test --benches`) it runs on tiny data as a smoke test.

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::Criterion;
use relais::domain::leaderboard::public_top_fast;
use relais::domain::reshare::AmbassadorStats;
use relais::domain::{
    Ambassador, AmbassadorId, Identity, ItemId, Lang, Network, Platform, Prefs, Reshare, ReshareSource, Role, WeekKey,
};
use relais::store::{DiskOptions, Durability, ImportReport, MemoryStore, SledStore, SqliteStore, Store, StoreError};
use std::collections::HashSet;
use std::hint::black_box;
use std::time::Instant;

/// Sizes of one run.
struct Scale {
    ambassadors: u64,
    weeks: u64,
    /// Reshares per ambassador per week.
    per_week: u64,
    latency_calls: usize,
}

const FULL: Scale = Scale {
    ambassadors: 10_000,
    weeks: 10,
    per_week: 10,
    latency_calls: 2_000,
};
const SMOKE: Scale = Scale {
    ambassadors: 50,
    weeks: 2,
    per_week: 2,
    latency_calls: 20,
};

fn monday(week: u64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 7, 6, 0, 0).single().unwrap_or_default() + Duration::weeks(week as i64)
}

fn ambassador(id: u64) -> Ambassador {
    Ambassador {
        id: AmbassadorId(id),
        code: format!("b{id:06}"),
        display_name: format!("Ambassador {id}"),
        identities: vec![Identity::new(Platform::Matrix, format!("@amb{id}:example.org"))],
        lang: Lang::Fr,
        tz: "Europe/Paris".to_string(),
        role: Role::Ambassador,
        prefs: Prefs {
            hidden: id.is_multiple_of(7),
            ..Prefs::default()
        },
        joined_at: monday(0) - Duration::days(30),
    }
}

/// The `n`-th reshare of the fill: weeks in order, and inside a week ten time slots, each with
/// every ambassador once (so reshares come oldest first).
fn reshare(n: u64, scale: &Scale) -> Reshare {
    let per_slot = scale.ambassadors;
    let (week, rest) = (n / (per_slot * scale.per_week), n % (per_slot * scale.per_week));
    let (slot, who) = (rest / per_slot, rest % per_slot + 1);
    let at = monday(week) + Duration::hours(slot as i64 * 15) + Duration::seconds((who * 37 % 3600) as i64);
    let url = format!("https://www.linkedin.com/feed/update/urn:li:activity:7254{n:010}");
    Reshare {
        id: 0,
        ambassador: AmbassadorId(who),
        item: Some(ItemId((week * 10 + slot) as u32 + 1)),
        network: Network::LinkedIn,
        url: Some(url.clone()),
        dedup_key: url,
        keys: Vec::new(),
        source: ReshareSource::Command,
        at,
        points: [10, 13, 15][(n % 3) as usize],
        week: WeekKey::of(at, chrono_tz::Europe::Paris),
    }
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[std::time::Duration], p: f64) -> std::time::Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

/// Prints p50, p90, p99 and max of `samples`.
fn print_latency(title: &str, mut samples: Vec<std::time::Duration>) {
    samples.sort_unstable();
    println!("\n{title} ({} calls)", samples.len());
    println!("| p50 | p90 | p99 | max |\n|---|---|---|---|");
    println!(
        "| {:.3} ms | {:.3} ms | {:.3} ms | {:.3} ms |\n",
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.9)),
        ms(percentile(&samples, 0.99)),
        ms(samples.last().copied().unwrap_or_default())
    );
}

fn add_ambassadors(store: &dyn Store, count: u64) {
    for id in 1..=count {
        store.put_ambassador(&ambassador(id)).expect("put ambassador");
    }
}

/// (1) Durable `record_reshare` on a freshly opened store named `name`.
fn durable_record(c: &mut Criterion, scale: &Scale, name: &str, store: &dyn Store) {
    add_ambassadors(store, 100);
    let mut n = 0u64;
    let mut next = |store: &dyn Store| {
        n += 1;
        let mut claim = reshare(
            n,
            &Scale {
                ambassadors: 100,
                ..FULL
            },
        );
        claim.dedup_key = format!("{}?bench={n}", claim.dedup_key);
        claim.url = Some(claim.dedup_key.clone());
        let stats = AmbassadorStats {
            points: n * 10,
            reshares: n,
            streak: 1,
            best_streak: 1,
            last_day: None,
        };
        store.record_reshare(claim, &stats).expect("record")
    };
    let mut samples = Vec::with_capacity(scale.latency_calls);
    for _ in 0..scale.latency_calls {
        let started = Instant::now();
        black_box(next(store));
        samples.push(started.elapsed());
    }
    print_latency(&format!("{name} record_reshare, Durability::Flush"), samples);
    let mut group = c.benchmark_group(name);
    group
        .sample_size(30)
        .measurement_time(std::time::Duration::from_secs(4));
    group.bench_function("record_reshare_durable", |b| b.iter(|| black_box(next(store))));
    group.finish();
}

/// An on-disk store under benchmark, with its bulk import.
trait Bulk: Store {
    fn import_batch(&self, batch: &[Reshare]) -> Result<ImportReport, StoreError>;
}

impl Bulk for SledStore {
    fn import_batch(&self, batch: &[Reshare]) -> Result<ImportReport, StoreError> {
        self.import(batch)
    }
}

impl Bulk for SqliteStore {
    fn import_batch(&self, batch: &[Reshare]) -> Result<ImportReport, StoreError> {
        self.import(batch)
    }
}

/// (2) The weekly leaderboard on an on-disk store: filled deferred through `import` (opened by
/// `open(path, deferred)`), reopened durable.
fn disk_leaderboard<S: Bulk>(
    c: &mut Criterion,
    scale: &Scale,
    hidden: &HashSet<AmbassadorId>,
    name: &str,
    open: impl Fn(&std::path::Path, bool) -> S,
) {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let total = scale.ambassadors * scale.weeks * scale.per_week;
    let started = Instant::now();
    {
        let store = open(dir.path(), true);
        add_ambassadors(&store, scale.ambassadors);
        let batch_size = 20_000u64;
        for first in (0..total).step_by(batch_size as usize) {
            let batch: Vec<Reshare> = (first..total.min(first + batch_size))
                .map(|n| reshare(n, scale))
                .collect();
            store.import_batch(&batch).expect("import");
        }
    }
    println!(
        "filled {name} with {total} reshares in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let store = open(dir.path(), false);
    let week = reshare(total / 2, scale).week;
    bench_leaderboard(c, name, &store, week, hidden);
}

/// Filling: deferred writes and a large cache; measuring: the defaults.
fn options(deferred: bool) -> DiskOptions {
    if deferred {
        DiskOptions {
            cache_bytes: 256 << 20,
            durability: Durability::Deferred,
        }
    } else {
        DiskOptions::default()
    }
}

fn open_sled(path: &std::path::Path, deferred: bool) -> SledStore {
    SledStore::open(path, options(deferred)).expect("open sled")
}

fn open_sqlite(path: &std::path::Path, deferred: bool) -> SqliteStore {
    SqliteStore::open(path, options(deferred)).expect("open SQLite")
}

/// The leaderboard query: this week's totals, then the public top 10.
fn leaderboard(store: &dyn Store, week: WeekKey, hidden: &HashSet<AmbassadorId>) -> usize {
    let totals = store.week_totals(week).expect("week totals");
    public_top_fast(totals, 10, |id| hidden.contains(&id)).len()
}

/// Times the leaderboard query alone and under criterion.
fn bench_leaderboard(c: &mut Criterion, name: &str, store: &dyn Store, week: WeekKey, hidden: &HashSet<AmbassadorId>) {
    let started = Instant::now();
    let rows = store.week_totals(week).expect("week totals").len();
    println!(
        "{name}: first week_totals call after filling/reopening ({rows} rows, cold): {:.3} ms",
        ms(started.elapsed())
    );
    let samples: Vec<_> = (0..200)
        .map(|_| {
            let started = Instant::now();
            black_box(leaderboard(store, week, hidden));
            started.elapsed()
        })
        .collect();
    print_latency(
        &format!("{name}: week_totals ({rows} rows) + public_top_fast(10)"),
        samples,
    );
    let mut group = c.benchmark_group(name);
    group
        .sample_size(30)
        .measurement_time(std::time::Duration::from_secs(3));
    group.bench_function("weekly_leaderboard", |b| {
        b.iter(|| black_box(leaderboard(store, week, hidden)))
    });
    group.finish();
}

/// (2) The same on the memory store.
fn memory_leaderboard(c: &mut Criterion, scale: &Scale, hidden: &HashSet<AmbassadorId>) {
    let store = MemoryStore::new();
    add_ambassadors(&store, scale.ambassadors);
    let total = scale.ambassadors * scale.weeks * scale.per_week;
    let started = Instant::now();
    for n in 0..total {
        let claim = reshare(n, scale);
        let stats = AmbassadorStats {
            points: n,
            reshares: n,
            ..AmbassadorStats::default()
        };
        store.record_reshare(claim, &stats).expect("record");
    }
    println!(
        "filled memory with {total} reshares in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let week = reshare(total / 2, scale).week;
    bench_leaderboard(c, "memory", &store, week, hidden);
}

fn main() {
    let full = std::env::args().any(|arg| arg == "--bench");
    let scale = if full { &FULL } else { &SMOKE };
    let mut c = Criterion::default().configure_from_args();
    let hidden: HashSet<AmbassadorId> = (1..=scale.ambassadors)
        .filter(|id| id % 7 == 0)
        .map(AmbassadorId)
        .collect();
    let dir = tempfile::TempDir::new().expect("temp dir");
    durable_record(&mut c, scale, "sled", &open_sled(&dir.path().join("sled"), false));
    durable_record(&mut c, scale, "sqlite", &open_sqlite(&dir.path().join("sqlite"), false));
    disk_leaderboard(&mut c, scale, &hidden, "sled", open_sled);
    disk_leaderboard(&mut c, scale, &hidden, "sqlite", open_sqlite);
    memory_leaderboard(&mut c, scale, &hidden);
    c.final_summary();
}
