//! Benchmarks of the whole core and of the demo process: command handling over the in-memory
//! store, and the resident memory of an idle `relais demo` (printed as a table).

use criterion::{criterion_group, Criterion};
use relais::app::{App, Incoming, Settings};
use relais::domain::{Identity, Platform, RoomRef};
use relais::prompts::Prompts;
use relais::store::MemoryStore;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

fn handle(c: &mut Criterion) {
    let prompts = Prompts::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/prompts")))
        .expect("prompts")
        .prompts;
    let settings = Settings::default();
    let store = MemoryStore::new();
    let app = App::new(&settings, &prompts, &store);
    let now = chrono::Utc::now();
    let msg = |text: &str| Incoming {
        from: Identity::new(Platform::Console, "alice"),
        display_name: "Alice".into(),
        room: RoomRef::new(Platform::Console, "team"),
        direct: false,
        text: text.into(),
    };
    app.handle(&msg("!me"), now);
    let mut group = c.benchmark_group("app");
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("me", |b| b.iter(|| app.handle(&msg("!me"), now)));
    group.bench_function("top", |b| b.iter(|| app.handle(&msg("!top"), now)));
    let mut n = 0u64;
    group.bench_function("shared (new URL each time)", |b| {
        b.iter(|| {
            n += 1;
            app.handle(&msg(&format!("!shared https://x.com/alice/status/{n}")), now)
        })
    });
    group.finish();
}

/// Starts `relais demo` on a fresh store, lets it idle, and reads its resident memory.
fn demo_memory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_relais"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["demo", "--fresh", "--store"])
        .arg(dir.path().join("store"))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("relais demo starts");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"/as alice\n!today\n!me\n!top\n").expect("script");
    std::thread::sleep(Duration::from_secs(3));
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
    drop(stdin);
    let _ = child.wait();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_string())
            .unwrap_or("?".into())
    };
    println!("\nrelais demo, idle after a few commands (target: RSS ≤ 20 MB)");
    println!(
        "| metric | kB |\n|---|---|\n| VmRSS | {} |\n| VmHWM (peak) | {} |",
        field("VmRSS:"),
        field("VmHWM:")
    );
}

criterion_group!(benches, handle);

fn main() {
    benches();
    demo_memory();
    Criterion::default().configure_from_args().final_summary();
}
