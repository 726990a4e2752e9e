//! Benchmark of the command parser over a mix of typical messages; prints commands per second.

use criterion::{black_box, Criterion, Throughput};
use relais::command::parse;
use std::time::{Duration, Instant};

/// What ambassadors and coordinators typically type, plus a typo and a message not for us.
const MIX: [&str; 12] = [
    "!today",
    "!shared https://x.com/ngo/status/1790000000000000000 c12",
    "!shared <https://www.linkedin.com/posts/ngo_rivers-activity-7200000000000000000-abcd>",
    "!me",
    "!top",
    "!lang fr",
    "!tz Europe/Paris",
    "!nudges 18:30",
    "!away until 2026-12-24",
    "!post approve c42",
    "!sahred https://x.com/ngo/status/1",
    "thanks everyone, see you on Saturday!",
];

fn bench_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Elements(MIX.len() as u64));
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("typical mix", |b| {
        b.iter(|| {
            for text in MIX {
                black_box(parse(black_box(text), "!"));
            }
        })
    });
    group.finish();
}

/// A plain timed loop over the mix, to print one commands-per-second figure.
fn print_rate() {
    let rounds = 200_000u32;
    let start = Instant::now();
    for _ in 0..rounds {
        for text in MIX {
            black_box(parse(black_box(text), "!"));
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let commands = f64::from(rounds) * MIX.len() as f64;
    println!(
        "parse: {:.0} commands/second ({commands} commands in {elapsed:.3} s)",
        commands / elapsed
    );
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    bench_parse(&mut criterion);
    criterion.final_summary();
    print_rate();
}
