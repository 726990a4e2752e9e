//! Trend detector benchmark: the ingest rate (term observations per second) over a week of
//! simulated mentions, and the memory the detector holds for 100,000 distinct terms, measured by a
//! counting allocator (and bounded by the cap when a million distinct terms stream by).
//!
//! `cargo bench --bench trends` runs it in full; without `--bench` (as under `cargo test --benches`)
//! it runs on tiny data as a smoke test.

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{black_box, Criterion, Throughput};
use relais::domain::trends::{Detector, Params};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, counting the bytes currently allocated.
struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call forwards to the system allocator with the same arguments; the counter is
// only bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        ALLOCATED.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATED.fetch_add(new_size, Ordering::Relaxed);
        ALLOCATED.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0)
        .single()
        .expect("a valid date")
}

/// `count` observations spread evenly over a week, each of one of `terms` terms, skewed so that
/// a few terms are frequent and most are rare (the square of a uniform draw).
fn workload(count: usize, terms: usize) -> (Vec<String>, Vec<(usize, DateTime<Utc>)>) {
    let names = (0..terms).map(|i| format!("term-{i}")).collect();
    let step = Duration::weeks(1).num_milliseconds() / count as i64;
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let observations = (0..count)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            (
                (u * u * terms as f64) as usize,
                start() + Duration::milliseconds(step * i as i64),
            )
        })
        .collect();
    (names, observations)
}

fn ingest(detector: &mut Detector, names: &[String], observations: &[(usize, DateTime<Utc>)]) -> usize {
    let mut alerts = 0;
    for &(term, at) in observations {
        alerts += usize::from(detector.observe(&names[term], at, 1).is_some());
    }
    alerts
}

fn bench_ingest(c: &mut Criterion, count: usize) {
    let mut group = c.benchmark_group("trends");
    for terms in [100, 10_000] {
        let (names, observations) = workload(count, terms);
        group.throughput(Throughput::Elements(count as u64));
        group.bench_function(format!("ingest a week, {terms} terms"), |b| {
            b.iter(|| {
                let mut detector = Detector::new(Params::default(), 100_000);
                black_box(ingest(&mut detector, &names, black_box(&observations)))
            })
        });
    }
    group.finish();
}

/// One timed pass per workload, to print observations per second.
fn print_rates(count: usize) {
    for terms in [100, 10_000, 100_000] {
        let (names, observations) = workload(count, terms);
        let mut detector = Detector::new(Params::default(), 100_000);
        let began = Instant::now();
        let alerts = ingest(&mut detector, &names, &observations);
        let elapsed = began.elapsed().as_secs_f64();
        println!(
            "trends ingest: {:.0} observations/second ({count} observations of {terms} terms over a week in {elapsed:.3} s, {alerts} alerts)",
            count as f64 / elapsed
        );
    }
}

/// The bytes held for `terms` distinct terms, by the allocator's count and by `state_bytes`; then
/// the same with ten times as many distinct terms streaming through a cap of `terms`.
fn print_memory(terms: usize) {
    let before = ALLOCATED.load(Ordering::Relaxed);
    let mut detector = Detector::new(Params::default(), terms);
    for i in 0..terms {
        detector.observe(&format!("term-{i}"), start() + Duration::seconds(i as i64), 1);
    }
    let held = ALLOCATED.load(Ordering::Relaxed) - before;
    println!(
        "trends memory: {terms} terms hold {held} bytes ({} per term; state_bytes says {})",
        held / terms,
        detector.state_bytes()
    );
    for i in terms..10 * terms {
        detector.observe(&format!("term-{i}"), start() + Duration::seconds(i as i64), 1);
    }
    let held = ALLOCATED.load(Ordering::Relaxed) - before;
    println!(
        "trends memory: {} distinct terms through a cap of {terms}: {} kept, {held} bytes",
        10 * terms,
        detector.len()
    );
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (count, terms) = if full { (1_000_000, 100_000) } else { (2_000, 100) };
    let mut criterion = Criterion::default().configure_from_args();
    bench_ingest(&mut criterion, count);
    criterion.final_summary();
    print_rates(count);
    print_memory(terms);
}
