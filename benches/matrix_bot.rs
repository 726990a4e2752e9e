//! Benchmark of the Matrix bot (`relais run`, release build) on a real Synapse on this machine:
//! command→reply latency (p50/p99) with 1, 10 and 50 ambassadors talking at once, each in a room
//! with the bot and a peer, against the homeserver's own relay latency under the same load (the
//! same ambassadors sending plain messages at once, each seen by their peer); the ratio reply p50
//! / relay p50; the bot's CPU time per command; its resident memory over a store of 1,000
//! ambassadors and 100,000 reshares. Prints Markdown tables. `cargo bench --bench matrix_bot`.
//!
//! Options (environment): `RELAIS_BENCH_BIN` (another build of the bot, e.g. `target/dist/relais`,
//! the deployment profile), `RELAIS_BENCH_SIZES` (only some sizes, e.g. `1,10`),
//! `RELAIS_BENCH_CACHE_MB` (the store's cache), `RELAIS_BENCH_STORE=sqlite` (the SQLite store
//! instead of sled), `RELAIS_BENCH_SMAPS` (memory only, with the largest
//! mappings), `RELAIS_BENCH_PERF=FILE` (`perf record` over 200 commands) and `RELAIS_BENCH_WRAP`
//! (the bot run under a tool, e.g. `heaptrack -o /tmp/bot`).

#[path = "../tests/support/synapse.rs"]
mod synapse;

use chrono::{Duration as Days, Utc};
use relais::domain::{
    Ambassador, AmbassadorId, Identity, Lang, Network, Platform, Prefs, Reshare, ReshareSource, Role, WeekKey,
};
use relais::store::{DiskOptions, Durability, ImportReport, SledStore, SqliteStore, Store, StoreError};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use synapse::Synapse;

const PASSWORD_ENV: &str = "RELAIS_BENCH_MATRIX_PASSWORD";
const BOT_PASSWORD: &str = "bench-bot-secret";
const SEEDED_AMBASSADORS: u64 = 1_000;
const RESHARES_EACH: u64 = 100;

/// A user speaking HTTP to Synapse, with its own sync position.
struct User {
    id: String,
    token: String,
    since: String,
}

fn call(server: &Synapse, method: &str, path: &str, token: &str, body: Option<&Value>) -> Value {
    let answer = server
        .request(method, path, Some(token), body)
        .expect("HTTP to Synapse");
    assert_eq!(answer.status, 200, "{method} {path}: {answer:?}");
    answer.json()
}

impl User {
    fn new(server: &Synapse, localpart: &str) -> User {
        let (id, token) = server.register(localpart, &format!("{localpart}-pw"), false);
        User {
            id,
            token,
            since: String::new(),
        }
    }

    fn send(&self, server: &Synapse, room: &str, body: &str, txn: &str) -> String {
        let path = format!("/_matrix/client/v3/rooms/{room}/send/m.room.message/{txn}");
        let sent = call(
            server,
            "PUT",
            &path,
            &self.token,
            Some(&json!({"msgtype": "m.text", "body": body})),
        );
        sent["event_id"].as_str().expect("event id").to_string()
    }

    /// Long-polls until an event of `room` satisfies `wanted`; the time it was seen.
    fn wait_for(&mut self, server: &Synapse, room: &str, wanted: impl Fn(&Value) -> bool) -> Instant {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            assert!(Instant::now() < deadline, "{} waited a minute in vain", self.id);
            let since = if self.since.is_empty() {
                String::new()
            } else {
                format!("&since={}", self.since)
            };
            let sync = call(
                server,
                "GET",
                &format!("/_matrix/client/v3/sync?timeout=10000{since}"),
                &self.token,
                None,
            );
            let seen = Instant::now();
            self.since = sync["next_batch"].as_str().unwrap_or_default().to_string();
            let events = sync["rooms"]["join"][room]["timeline"]["events"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if events.iter().any(&wanted) {
                return seen;
            }
        }
    }

    /// Skips everything so far.
    fn catch_up(&mut self, server: &Synapse) {
        let since = if self.since.is_empty() {
            String::new()
        } else {
            format!("&since={}", self.since)
        };
        let sync = call(
            server,
            "GET",
            &format!("/_matrix/client/v3/sync?timeout=0{since}"),
            &self.token,
            None,
        );
        self.since = sync["next_batch"].as_str().unwrap_or_default().to_string();
    }
}

/// The bot's (English) apology for an internal error, read from the prompts the bot uses.
fn apology() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts/en/app.toml");
        let prompts: toml::Table =
            toml::from_str(&std::fs::read_to_string(path).expect("English prompts")).expect("English prompts parse");
        prompts["error"]["internal"]
            .as_str()
            .expect("error.internal")
            .to_string()
    })
}

/// Whether `e` is the bot's reply to `event_id`. A reply that is the apology for an internal
/// error stops the benchmark: it would time a failure, not the command.
fn answers(bot: &str, event_id: &str) -> impl Fn(&Value) -> bool {
    let (bot, event_id) = (bot.to_string(), event_id.to_string());
    move |e: &Value| {
        let reply = e["sender"] == bot.as_str()
            && e["content"]["m.relates_to"]["m.in_reply_to"]["event_id"] == event_id.as_str();
        let body = e["content"]["body"].as_str().unwrap_or_default();
        assert!(
            !(reply && body.contains(apology())),
            "the bot answered with an error: {body}"
        );
        reply
    }
}

/// The store backend under test: `RELAIS_BENCH_STORE=sqlite`, else sled.
fn backend() -> &'static str {
    match std::env::var("RELAIS_BENCH_STORE").as_deref() {
        Ok("sqlite") => "sqlite",
        Ok("sled") | Err(_) => "sled",
        Ok(other) => panic!("RELAIS_BENCH_STORE={other}: expected sled or sqlite"),
    }
}

/// A store being seeded.
enum Seeded {
    Sled(SledStore),
    Sqlite(SqliteStore),
}

impl Seeded {
    fn store(&self) -> &dyn Store {
        match self {
            Seeded::Sled(store) => store,
            Seeded::Sqlite(store) => store,
        }
    }

    fn import(&self, batch: &[Reshare]) -> Result<ImportReport, StoreError> {
        match self {
            Seeded::Sled(store) => store.import(batch),
            Seeded::Sqlite(store) => store.import(batch),
        }
    }
}

/// 1,000 ambassadors with 100 reshares each, written straight into the store.
fn seed(path: &Path) {
    let deferred = DiskOptions {
        durability: Durability::Deferred,
        ..DiskOptions::default()
    };
    let seeded = match backend() {
        "sqlite" => Seeded::Sqlite(SqliteStore::open(path, deferred).expect("store")),
        _ => Seeded::Sled(SledStore::open(path, deferred).expect("store")),
    };
    let store = seeded.store();
    let now = Utc::now();
    for n in 1..=SEEDED_AMBASSADORS {
        let ambassador = Ambassador {
            id: AmbassadorId(store.next_ambassador_id().expect("id").0),
            code: format!("s{n:06}"),
            display_name: format!("Seed {n}"),
            identities: vec![Identity::new(Platform::Matrix, format!("@seed{n}:localhost"))],
            lang: Lang::En,
            tz: "Europe/Paris".into(),
            role: Role::Ambassador,
            prefs: Prefs::default(),
            joined_at: now - Days::days(200),
        };
        store.put_ambassador(&ambassador).expect("ambassador");
        let batch: Vec<Reshare> = (0..RESHARES_EACH)
            .map(|k| {
                let at = now - Days::days((RESHARES_EACH - k) as i64);
                let url = format!("https://x.com/seed{n}/status/{k}");
                Reshare {
                    id: 0,
                    ambassador: ambassador.id,
                    item: None,
                    network: Network::X,
                    url: Some(url.clone()),
                    dedup_key: url,
                    keys: Vec::new(),
                    source: ReshareSource::Command,
                    at,
                    points: 10,
                    week: WeekKey::of(at, chrono_tz::UTC),
                }
            })
            .collect();
        seeded.import(&batch).expect("import");
    }
}

/// The process running `relais`: `pid` itself, or (under a wrapping tool) its descendant.
fn bot_pid(pid: u32) -> u32 {
    let started = Instant::now();
    loop {
        let mut pending = vec![pid];
        while let Some(p) = pending.pop() {
            if std::fs::read_to_string(format!("/proc/{p}/comm")).is_ok_and(|c| c.trim() == "relais") {
                return p;
            }
            let children = std::fs::read_to_string(format!("/proc/{p}/task/{p}/children")).unwrap_or_default();
            pending.extend(children.split_whitespace().filter_map(|c| c.parse::<u32>().ok()));
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no relais process under {pid}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn proc_field(pid: u32, file: &str, name: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/{file}")).unwrap_or_default();
    text.lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The run time of each thread of `pid` in nanoseconds, from `/proc/PID/task/TID/schedstat`
/// (the clock ticks of `/proc/PID/stat` are 10 ms, too coarse for a fraction of a millisecond
/// per command).
fn thread_run_times(pid: u32) -> HashMap<u32, u64> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return HashMap::new();
    };
    tasks
        .flatten()
        .filter_map(|task| {
            let tid = task.file_name().to_str()?.parse::<u32>().ok()?;
            let stat = std::fs::read_to_string(task.path().join("schedstat")).ok()?;
            Some((tid, stat.split_whitespace().next()?.parse::<u64>().ok()?))
        })
        .collect()
}

/// CPU time of the live threads of `pid` in milliseconds.
fn cpu_ms(pid: u32) -> f64 {
    thread_run_times(pid).values().sum::<u64>() as f64 / 1e6
}

/// Measures the bot's CPU time over a stretch: samples every thread's run time every 50 ms and
/// keeps each thread's latest figure, so that threads exiting meanwhile (idle blocking-pool
/// threads) still count.
struct CpuMeter {
    before: HashMap<u32, u64>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    sampler: std::thread::JoinHandle<HashMap<u32, u64>>,
}

impl CpuMeter {
    fn start(pid: u32) -> CpuMeter {
        let before = thread_run_times(pid);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = stop.clone();
        let sampler = std::thread::spawn(move || {
            let mut latest = HashMap::new();
            loop {
                let done = stopped.load(std::sync::atomic::Ordering::SeqCst);
                latest.extend(thread_run_times(pid));
                if done {
                    return latest;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        CpuMeter { before, stop, sampler }
    }

    /// The CPU milliseconds spent since the start.
    fn stop(self) -> f64 {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let latest = self.sampler.join().expect("CPU sampler");
        let nanos: u64 = latest
            .iter()
            .map(|(tid, ns)| ns.saturating_sub(self.before.get(tid).copied().unwrap_or(0)))
            .sum();
        nanos as f64 / 1e6
    }
}

/// User plus system CPU time of `pid` in milliseconds from `/proc/PID/stat` (10 ms ticks; it
/// also counts threads that have exited, which the schedstat sum does not).
fn cpu_ms_ticks(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // After the name: state (0), …, utime (11) and stime (12), in clock ticks (100 per second).
    let tick = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    (tick(11) + tick(12)) as f64 * 10.0
}

/// Prints the ten mappings of `pid` with the most resident memory (on request, for diagnosis).
fn largest_mappings(pid: u32) {
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let mut mappings: Vec<(u64, String)> = Vec::new();
    let mut current = String::new();
    for line in smaps.lines() {
        if let Some(kb) = line.strip_prefix("Rss:") {
            let kb = kb.trim().trim_end_matches(" kB").trim().parse().unwrap_or(0);
            mappings.push((kb, current.clone()));
        } else if line
            .split_whitespace()
            .next()
            .is_some_and(|f| f.contains('-') && !f.ends_with(':'))
        {
            current = line.split_whitespace().skip(5).collect::<Vec<_>>().join(" ");
        }
    }
    mappings.sort_by_key(|m| std::cmp::Reverse(m.0));
    for (kb, name) in mappings.iter().take(10) {
        println!("| {kb} kB | {} |", if name.is_empty() { "[anonymous]" } else { name });
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn start_bot(dir: &Path, server: &Synapse, bot: &str, rooms: &[String]) -> Child {
    let prompts = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts");
    let rooms: String = rooms
        .iter()
        .map(|room| format!("[[rooms]]\nplatform = \"matrix\"\nid = \"{room}\"\n\n"))
        .collect();
    // The store's cache on request (the default otherwise): RELAIS_BENCH_CACHE_MB=2.
    let cache = std::env::var("RELAIS_BENCH_CACHE_MB")
        .map(|mb| format!("cache-mb = {mb}\n"))
        .unwrap_or_default();
    let config = format!(
        "[organisation]\nname = \"Bench\"\n\n[bot]\nprompts-dir = \"{prompts}\"\n\n[store]\nbackend = \"{backend}\"\npath = \"{store}\"\n{cache}\n\
         {rooms}[matrix]\nhomeserver = \"{hs}\"\nuser-id = \"{bot}\"\n\
         password-env = \"{PASSWORD_ENV}\"\nstate-dir = \"{state}\"\n",
        backend = backend(),
        store = dir.join("store").display(),
        hs = server.base_url(),
        state = dir.join("matrix").display(),
    );
    std::fs::write(dir.join("relais.toml"), config).expect("config");
    let log = std::fs::File::create(dir.join("relais.log")).expect("log");
    // Diagnosis on request: the bot run under a tool, e.g. RELAIS_BENCH_WRAP="heaptrack -o /tmp/bot".
    let wrap = std::env::var("RELAIS_BENCH_WRAP").unwrap_or_default();
    // Another build of the bot on request, e.g. RELAIS_BENCH_BIN=target/dist/relais.
    let bin = std::env::var("RELAIS_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_relais").to_string());
    let mut words = wrap.split_whitespace();
    let mut command = match words.next() {
        Some(tool) => {
            let mut command = Command::new(tool);
            command.args(words).arg(&bin);
            command
        }
        None => Command::new(&bin),
    };
    command
        .args(["run", "--config"])
        .arg(dir.join("relais.toml"))
        .env(PASSWORD_ENV, BOT_PASSWORD)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("relais run")
}

/// Nanoseconds since the epoch: makes transaction ids unique across bench runs.
fn unique_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

/// One ambassador and their peer, in a room with the bot.
struct Pair {
    ambassador: User,
    peer: User,
    room: String,
}

/// Each pair's ambassador sends `rounds` messages (`text`), all pairs at once; each message's
/// latency is until `seen` says the awaited event arrived (at the peer, or the ambassador).
/// Returns the latencies in ms and the bot's CPU ms over the round.
fn round(
    server: &'static Synapse,
    pairs: &mut [Pair],
    rounds: usize,
    bot: &str,
    pid: u32,
    command: bool,
) -> (Vec<f64>, f64) {
    for pair in pairs.iter_mut() {
        pair.ambassador.catch_up(server);
        pair.peer.catch_up(server);
    }
    let meter = CpuMeter::start(pid);
    let latencies = std::thread::scope(|scope| {
        let handles: Vec<_> = pairs
            .iter_mut()
            .enumerate()
            .map(|(i, pair)| {
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    for r in 0..rounds {
                        let sent_at = Instant::now();
                        let txn = format!("bench-{command}-{i}-{r}-{}", unique_nanos());
                        let text = if command {
                            "!me".to_string()
                        } else {
                            format!("hello {r}")
                        };
                        let event = pair.ambassador.send(server, &pair.room, &text, &txn);
                        let seen = if command {
                            pair.ambassador.wait_for(server, &pair.room, answers(bot, &event))
                        } else {
                            pair.peer
                                .wait_for(server, &pair.room, |e| e["event_id"] == event.as_str())
                        };
                        mine.push(seen.duration_since(sent_at).as_secs_f64() * 1000.0);
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("user thread"))
            .collect::<Vec<f64>>()
    });
    (latencies, meter.stop())
}

/// 50 rooms, each with an ambassador, their peer and (invited) the bot.
fn pairs(server: &Synapse, bot: &str) -> Vec<Pair> {
    (0..50)
        .map(|n| {
            let ambassador = User::new(server, &format!("bench_user{n}"));
            let peer = User::new(server, &format!("bench_peer{n}"));
            let created = call(
                server,
                "POST",
                "/_matrix/client/v3/createRoom",
                &ambassador.token,
                Some(&json!({"preset": "private_chat", "invite": [peer.id, bot]})),
            );
            let room = created["room_id"].as_str().expect("room").to_string();
            call(
                server,
                "POST",
                &format!("/_matrix/client/v3/join/{room}"),
                &peer.token,
                Some(&json!({})),
            );
            Pair { ambassador, peer, room }
        })
        .collect()
}

fn wait_until_joined(server: &Synapse, pairs: &[Pair], bot: &str) {
    let started = Instant::now();
    for pair in pairs {
        let path = format!("/_matrix/client/v3/rooms/{}/state/m.room.member/{bot}", pair.room);
        while server
            .request("GET", &path, Some(&pair.ambassador.token), None)
            .map(|a| a.json()["membership"] == "join")
            .ok()
            != Some(true)
        {
            assert!(started.elapsed() < Duration::from_secs(120), "the bot did not join");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn main() {
    let server: &'static Synapse = Box::leak(Box::new(Synapse::start()));
    let dir = tempfile::tempdir().expect("tempdir");
    let started = Instant::now();
    seed(&dir.path().join("store"));
    println!(
        "seeded {SEEDED_AMBASSADORS} ambassadors and {} reshares in {:.1} s",
        SEEDED_AMBASSADORS * RESHARES_EACH,
        started.elapsed().as_secs_f64()
    );
    let (bot, _) = server.register("bench_relais", BOT_PASSWORD, false);
    let mut pairs = pairs(server, &bot);
    let rooms: Vec<String> = pairs.iter().map(|p| p.room.clone()).collect();
    let mut child = start_bot(dir.path(), server, &bot, &rooms);
    let pid = bot_pid(child.id());
    wait_until_joined(server, &pairs, &bot);
    // Warm-up: every ambassador's first command (it creates their profile and gets a welcome).
    round(server, &mut pairs, 1, &bot, pid, true);
    let rss_idle = proc_field(pid, "status", "VmRSS:");

    println!(
        "\nMatrix bot on Synapse {} (2 cores; bot = `relais run` over {}, {}; each ambassador in a room with the bot and a peer)\n",
        synapse::SYNAPSE_VERSION,
        backend(),
        std::env::var("RELAIS_BENCH_BIN").unwrap_or_else(|_| "release build".into())
    );
    println!("| ambassadors at once | commands | relay p50 ms | relay p99 ms | reply p50 ms | reply p99 ms | ratio reply/relay p50 | bot CPU ms / command |");
    println!("|---|---|---|---|---|---|---|---|");
    let profiling = std::env::var("RELAIS_BENCH_PERF").is_ok();
    let quick = profiling || std::env::var("RELAIS_BENCH_SMAPS").is_ok();
    let runs: &[(usize, usize)] = if quick { &[] } else { &[(1, 40), (10, 8), (50, 4)] };
    // On request, only some sizes: RELAIS_BENCH_SIZES="50".
    let sizes = std::env::var("RELAIS_BENCH_SIZES").unwrap_or_default();
    let wanted = |n: usize| sizes.is_empty() || sizes.split(',').any(|s| s.trim() == n.to_string());
    for &(ambassadors, rounds) in runs.iter().filter(|(n, _)| wanted(*n)) {
        // Relay and command rounds alternate, so that both see the homeserver in the same state.
        let (mut relay, mut replies, mut cpu) = (Vec::new(), Vec::new(), 0.0);
        for _ in 0..rounds {
            relay.extend(round(server, &mut pairs[..ambassadors], 1, &bot, pid, false).0);
            let (answered, spent) = round(server, &mut pairs[..ambassadors], 1, &bot, pid, true);
            replies.extend(answered);
            cpu += spent;
        }
        relay.sort_by(f64::total_cmp);
        replies.sort_by(f64::total_cmp);
        let (relay50, reply50) = (percentile(&relay, 50.0), percentile(&replies, 50.0));
        println!(
            "| {ambassadors} | {} | {relay50:.1} | {:.1} | {reply50:.1} | {:.1} | {:.2} | {:.3} |",
            replies.len(),
            percentile(&relay, 99.0),
            percentile(&replies, 99.0),
            reply50 / relay50,
            cpu / replies.len() as f64
        );
    }
    if let Ok(path) = std::env::var("RELAIS_BENCH_PERF") {
        // Profiling on request: `perf record` of the bot over 200 single-ambassador commands.
        let mut perf = Command::new("perf")
            .args([
                "record",
                "-F",
                "1000",
                "--call-graph",
                "dwarf,32768",
                "-o",
                &path,
                "-p",
                &pid.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("perf (Debian package linux-perf)");
        std::thread::sleep(Duration::from_millis(500));
        let (replies, cpu) = round(server, &mut pairs[..1], 200, &bot, pid, true);
        println!(
            "profiled {} commands: {:.3} bot CPU ms / command",
            replies.len(),
            cpu / replies.len() as f64
        );
        let _ = Command::new("kill").args(["-INT", &perf.id().to_string()]).status();
        let _ = perf.wait();
    }
    println!(
        "\n(bot CPU over the whole run: {:.0} ms by thread run times, {:.0} ms by the process's clock ticks)",
        cpu_ms(pid),
        cpu_ms_ticks(pid)
    );
    let rss_after = proc_field(pid, "status", "VmRSS:");
    let peak = proc_field(pid, "status", "VmHWM:");
    let (anon, file) = (
        proc_field(pid, "status", "RssAnon:"),
        proc_field(pid, "status", "RssFile:"),
    );
    println!(
        "\n| bot memory ({SEEDED_AMBASSADORS} ambassadors, {} reshares in the store) | kB |",
        SEEDED_AMBASSADORS * RESHARES_EACH
    );
    println!("|---|---|\n| VmRSS after joining and a first command per user | {rss_idle} |\n| VmRSS after the runs | {rss_after} |\n| VmHWM (peak) | {peak} |\n| of which anonymous (heap, stacks) at the end | {anon} |\n| of which file-backed (the program's own pages) at the end | {file} |");

    if std::env::var("RELAIS_BENCH_SMAPS").is_ok() {
        largest_mappings(pid);
    }
    let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let _ = child.wait();
    server.stop();
}
