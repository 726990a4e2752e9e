//! The feed watcher's poll round over 200 feeds served by a local HTTP server (20 items each): the
//! first round (every body read, everything marked as seen), a round where nothing changed (304s)
//! and a round where every feed has one new item. Prints, per round, the wall time against the
//! 15-minute poll interval, the CPU of the polling thread, and the latency of command parsing on
//! another thread while the round runs, against the same parsing with no round beside it (the chat
//! handling must not slow down).

#[path = "../tests/feeds_support/mod.rs"]
mod feeds_support;

use feeds_support::Server;
use relais::feeds::{poll_round, FeedState, FetchLimits, Fetcher, WatchPolicy, WatchedFeed};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const FEEDS: usize = 200;
const PARALLEL: usize = 16;

/// Run time of the calling thread, in ns (`/proc/thread-self/schedstat`).
fn thread_ns() -> u64 {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").expect("schedstat (Linux)");
    text.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("run time")
}

/// p50 and p99 in µs of parsing a command, measured on this thread until `stop`.
fn parse_latencies(stop: &AtomicBool) -> (f64, f64) {
    let mut samples = Vec::new();
    while !stop.load(Ordering::Relaxed) || samples.len() < 1000 {
        let start = Instant::now();
        std::hint::black_box(relais::command::parse(
            std::hint::black_box("!shared https://x.com/ngo/status/1790000000000000000 c12"),
            "!",
        ));
        samples.push(start.elapsed().as_nanos() as f64 / 1000.0);
    }
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
    (at(0.5), at(0.99))
}

struct Row {
    name: &'static str,
    wall: Duration,
    cpu_ms: f64,
    new_entries: usize,
    parse: (f64, f64),
}

fn round(name: &'static str, fetcher: &Fetcher, feeds: &mut [WatchedFeed], at: chrono::DateTime<chrono::Utc>) -> Row {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let stop = Arc::new(AtomicBool::new(false));
    let parser = {
        let stop = stop.clone();
        std::thread::spawn(move || parse_latencies(&stop))
    };
    let (cpu, start) = (thread_ns(), Instant::now());
    let outcomes = runtime.block_on(poll_round(fetcher, feeds, at, &WatchPolicy::default(), PARALLEL));
    let (wall, cpu_ms) = (start.elapsed(), (thread_ns() - cpu) as f64 / 1e6);
    stop.store(true, Ordering::Relaxed);
    let parse = parser.join().expect("parser thread");
    assert_eq!(outcomes.len(), FEEDS, "every feed polled");
    assert!(feeds.iter().all(|f| f.state.last_error.is_none()), "no failure");
    let new_entries = outcomes.iter().map(|(_, o)| o.new_entries.len()).sum();
    Row {
        name,
        wall,
        cpu_ms,
        new_entries,
        parse,
    }
}

fn main() {
    let server = Server::start();
    server.items.store(20, Ordering::SeqCst);
    let limits = FetchLimits {
        allow_local: true,
        ..FetchLimits::default()
    };
    let fetcher = Fetcher::new(limits).expect("fetcher");
    let mut feeds: Vec<WatchedFeed> = (0..FEEDS)
        .map(|n| WatchedFeed {
            url: server.url(&format!("/rss?feed={n}")),
            state: FeedState::default(),
        })
        .collect();
    let idle = {
        let stop = AtomicBool::new(false);
        let handle = std::thread::scope(|scope| {
            let handle = scope.spawn(|| parse_latencies(&stop));
            std::thread::sleep(Duration::from_millis(300));
            stop.store(true, Ordering::Relaxed);
            handle.join().expect("idle parser")
        });
        handle
    };
    let start = chrono::Utc::now();
    let interval = WatchPolicy::default().interval;
    let mut rows = vec![round("first poll (all bodies)", &fetcher, &mut feeds, start)];
    rows.push(round("nothing new (304)", &fetcher, &mut feeds, start + interval));
    server.items.store(21, Ordering::SeqCst);
    rows.push(round("one new item each", &fetcher, &mut feeds, start + interval * 2));
    println!("feed poll round: {FEEDS} feeds of 20 items on a local server, {PARALLEL} at once");
    println!(
        "command parse with no round beside it: p50 {:.1} µs, p99 {:.1} µs",
        idle.0, idle.1
    );
    println!("| round | wall ms | share of the 15 min interval | poll thread CPU ms | new entries | parse p50 µs | parse p99 µs |");
    println!("|---|---|---|---|---|---|---|");
    for row in rows {
        let share = row.wall.as_secs_f64() / interval.num_seconds() as f64 * 100.0;
        println!(
            "| {} | {:.0} | {:.3} % | {:.0} | {} | {:.1} | {:.1} |",
            row.name,
            row.wall.as_secs_f64() * 1000.0,
            share,
            row.cpu_ms,
            row.new_entries,
            row.parse.0,
            row.parse.1
        );
    }
}
