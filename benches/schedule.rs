//! Scheduler benchmark: a simulated week with 10,000 ambassadors spread over 24 time zones (each
//! with their own reminder time), on the in-memory store. The adapter sleeps until the next due
//! action, runs the scheduler, "sends" every effect (a sent-keys set) and confirms. Prints the
//! CPU time to decide and hand out every reminder (total and per reminder), then the cost of
//! `next_due` and of a tick with nothing due at n = 1k, 10k and 100k queued ambassadors.
//!
//! `cargo bench --bench schedule` runs it in full; without `--bench` (as under
//! `cargo test --benches`) it runs on tiny data as a smoke test.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use relais::app::scheduler::Scheduler;
use relais::app::{App, Effect, RoomSettings, Settings};
use relais::domain::{
    Ambassador, AmbassadorId, Identity, Intent, Item, ItemId, ItemKind, ItemStatus, Lang, NudgePref, Platform, Prefs,
    Role, RoomRef,
};
use relais::prompts::Prompts;
use relais::store::{MemoryStore, Store};
use std::collections::{BTreeMap, HashSet};
use std::hint::black_box;
use std::time::Instant;

const ZONES: [&str; 24] = [
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Bogota",
    "America/Sao_Paulo",
    "Atlantic/Azores",
    "Europe/London",
    "Africa/Lagos",
    "Europe/Paris",
    "Europe/Athens",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Noumea",
    "Pacific/Auckland",
];

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 16, 0, 0, 0).single().unwrap_or_default()
}

/// Ambassador `id`: zone, language, reminder time (30% the default 18:00, the others 08:00 to
/// 20:59), 5% with reminders off, 5% away all week.
fn ambassador(id: u64) -> Ambassador {
    let zone = ZONES[(id % 24) as usize];
    let nudges = match id % 20 {
        0 => NudgePref::Off,
        1..=6 => NudgePref::On,
        _ => NudgePref::At(
            NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default() + Duration::minutes(((id * 37) % 780) as i64),
        ),
    };
    let away_until = (id % 20 == 7).then(|| (start() + Duration::days(10)).date_naive());
    Ambassador {
        id: AmbassadorId(id),
        code: relais::app::pseudonym_code(AmbassadorId(id), start()),
        display_name: format!("Ambassador {id}"),
        identities: vec![Identity::new(Platform::Matrix, format!("@amb{id}:example.org"))],
        lang: Lang::ALL[(id % 5) as usize],
        tz: zone.to_string(),
        role: Role::Ambassador,
        prefs: Prefs {
            nudges,
            away_until,
            ..Prefs::default()
        },
        joined_at: start() - Duration::days(30),
    }
}

/// Two hot items for the whole week, in five languages.
fn item(id: u32) -> Item {
    let texts: BTreeMap<Lang, String> = Lang::ALL
        .iter()
        .map(|l| (*l, format!("Text {id} in {l}: share it, please! #rivers")))
        .collect();
    Item {
        id: ItemId(id),
        title: format!("Post {id}"),
        link: format!("https://example.org/post/{id}"),
        texts,
        captions: Vec::new(),
        hashtags: vec!["rivers".into()],
        campaign: Some("rivers-2026".into()),
        intent: Intent::Action,
        kind: ItemKind::Hot {
            expires: start() + Duration::days(9),
        },
        publish: (start() - Duration::days(1)).date_naive(),
        status: ItemStatus::Approved,
        created_by: AmbassadorId(1),
        created_at: start() - Duration::days(2),
    }
}

fn filled(ambassadors: u64) -> MemoryStore {
    let store = MemoryStore::new();
    for id in 1..=ambassadors {
        store.put_ambassador(&ambassador(id)).expect("put ambassador");
    }
    for id in 1..=2 {
        store.put_item(&item(id)).expect("put item");
    }
    store
}

/// This process's CPU time (user + system) from /proc, when there is one.
fn cpu_time() -> Option<std::time::Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(std::time::Duration::from_millis(ticks * 10))
}

struct Week {
    reminders: usize,
    other: usize,
    ticks: usize,
    wall: std::time::Duration,
    cpu: Option<std::time::Duration>,
}

/// Runs a simulated week, waking only when something is due.
fn week(app: &App) -> Week {
    let mut scheduler = Scheduler::start(app, start()).expect("start");
    let mut sent: HashSet<String> = HashSet::new();
    let (mut reminders, mut other, mut ticks) = (0, 0, 0);
    let end = start() + Duration::days(7);
    let (wall, cpu) = (Instant::now(), cpu_time());
    while let Some(due) = scheduler.next_due().filter(|due| *due < end) {
        ticks += 1;
        let handouts = scheduler.run_due(app, due).expect("run due");
        for handout in &handouts {
            for effect in &handout.effects {
                if let Some(key) = effect.key().filter(|key| !sent.contains(*key)) {
                    sent.insert(key.to_string());
                    match effect {
                        Effect::Dm { .. } => reminders += 1,
                        _ => other += 1,
                    }
                }
            }
        }
        let keys: Vec<&str> = handouts.iter().map(|h| h.key.as_str()).collect();
        scheduler.confirm_all(app, &keys, due).expect("confirm");
    }
    let cpu = cpu.zip(cpu_time()).map(|(before, after)| after - before);
    Week {
        reminders,
        other,
        ticks,
        wall: wall.elapsed(),
        cpu,
    }
}

/// Queue size, milliseconds to start, nanoseconds per `next_due` and per tick with nothing due,
/// at `n` ambassadors.
fn queue_costs(settings: &Settings, prompts: &Prompts, n: u64, calls: u32) -> (usize, f64, f64, f64) {
    let store = filled(n);
    let app = App::new(settings, prompts, &store);
    let timer = Instant::now();
    let mut scheduler = Scheduler::start(&app, start()).expect("start");
    let started = timer.elapsed().as_secs_f64() * 1e3;
    let queued = scheduler.len();
    let timer = Instant::now();
    for _ in 0..calls {
        black_box(black_box(&scheduler).next_due());
    }
    let next_due = timer.elapsed().as_nanos() as f64 / f64::from(calls);
    let before_first = scheduler.next_due().unwrap_or_default() - Duration::seconds(1);
    scheduler.run_due(&app, before_first).expect("first tick");
    let ticks = calls / 100;
    let timer = Instant::now();
    for _ in 0..ticks {
        black_box(scheduler.run_due(&app, before_first).expect("idle tick"));
    }
    let idle = timer.elapsed().as_nanos() as f64 / f64::from(ticks.max(1));
    (queued, started, next_due, idle)
}

fn main() {
    let full = std::env::args().any(|arg| arg == "--bench");
    let prompts = Prompts::for_tests();
    let room = |id: &str, coordinators_room| RoomSettings {
        room: RoomRef::new(Platform::Matrix, id),
        lang: Lang::Fr,
        push_time: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
        coordinators_room,
    };
    let rooms = vec![room("!team:example.org", false), room("!coord:example.org", true)];
    let settings = Settings {
        org_tz: chrono_tz::Europe::Paris,
        rooms,
        ..Settings::default()
    };
    let ambassadors = if full { 10_000 } else { 200 };
    let store = filled(ambassadors);
    let app = App::new(&settings, &prompts, &store);
    let result = week(&app);
    let per = |d: std::time::Duration| d.as_secs_f64() * 1e6 / result.reminders.max(1) as f64;
    println!(
        "scheduler: a simulated week, {ambassadors} ambassadors over {} zones (memory store)",
        ZONES.len()
    );
    println!("  reminders sent            {:>12}", result.reminders);
    println!("  pushes, boards, reports   {:>12}", result.other);
    println!("  wake-ups (distinct times) {:>12}", result.ticks);
    match result.cpu {
        Some(cpu) => println!(
            "  CPU time, total           {:>10.3} s   ({:.1} µs per reminder)",
            cpu.as_secs_f64(),
            per(cpu)
        ),
        None => println!("  CPU time, total                  n/a   (no /proc/self/stat)"),
    }
    println!(
        "  wall time, total          {:>10.3} s   ({:.1} µs per reminder)",
        result.wall.as_secs_f64(),
        per(result.wall)
    );
    println!();
    println!(
        "  {:>8} {:>10} {:>12} {:>16} {:>20}",
        "n", "queued", "start (ms)", "next_due (ns)", "idle run_due (ns)"
    );
    let sizes: &[u64] = if full { &[1_000, 10_000, 100_000] } else { &[100, 1_000] };
    for &n in sizes {
        let (queued, started, next_due, idle) =
            queue_costs(&settings, &prompts, n, if full { 10_000_000 } else { 10_000 });
        println!("  {n:>8} {queued:>10} {started:>12.1} {next_due:>16.1} {idle:>20.1}");
    }
    if full {
        let cpu = result.cpu.unwrap_or(result.wall);
        assert!(
            cpu.as_secs_f64() <= 2.0,
            "budget: every reminder of the week in at most 2 s of CPU, took {cpu:?}"
        );
    }
}
