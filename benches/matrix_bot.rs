//! Benchmark of the Matrix bot (`relais run`, release build) on a real Synapse on this machine:
//! command→reply latency (p50/p99) with 1, 10 and 50 ambassadors talking at once, against the
//! homeserver's own relay latency (a message from one user seen by another); the bot's CPU time per
//! command; its resident memory over a store of 1,000 ambassadors and 100,000 reshares.
//! Prints Markdown tables. `cargo bench --bench matrix_bot` (a few minutes).

#[path = "../tests/support/synapse.rs"]
mod synapse;

use chrono::{Duration as Days, Utc};
use relais::domain::{
    Ambassador, AmbassadorId, Identity, Lang, Network, Platform, Prefs, Reshare, ReshareSource, Role, WeekKey,
};
use relais::store::{Durability, SledOptions, SledStore, Store};
use serde_json::{json, Value};
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

fn answers(bot: &str, event_id: &str) -> impl Fn(&Value) -> bool {
    let (bot, event_id) = (bot.to_string(), event_id.to_string());
    move |e: &Value| {
        e["sender"] == bot.as_str() && e["content"]["m.relates_to"]["m.in_reply_to"]["event_id"] == event_id.as_str()
    }
}

/// 1,000 ambassadors with 100 reshares each, written straight into the sled store.
fn seed(path: &Path) {
    let store = SledStore::open(
        path,
        SledOptions {
            durability: Durability::Deferred,
            ..SledOptions::default()
        },
    )
    .expect("store");
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
                    source: ReshareSource::Command,
                    at,
                    points: 10,
                    week: WeekKey::of(at, chrono_tz::UTC),
                }
            })
            .collect();
        store.import(&batch).expect("import");
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

/// User plus system CPU time of `pid`, in milliseconds.
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // After the name: state (0), …, utime (11) and stime (12), in clock ticks (100 per second).
    let tick = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    let ticks = tick(11) + tick(12);
    ticks as f64 * 10.0
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn start_bot(dir: &Path, server: &Synapse, bot: &str, room: &str) -> Child {
    let prompts = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts");
    let config = format!(
        "[organisation]\nname = \"Bench\"\n\n[bot]\nprompts-dir = \"{prompts}\"\n\n[store]\npath = \"{store}\"\n\n\
         [[rooms]]\nplatform = \"matrix\"\nid = \"{room}\"\n\n[matrix]\nhomeserver = \"{hs}\"\nuser-id = \"{bot}\"\n\
         password-env = \"{PASSWORD_ENV}\"\nstate-dir = \"{state}\"\n",
        store = dir.join("store").display(),
        hs = server.base_url(),
        state = dir.join("matrix").display(),
    );
    std::fs::write(dir.join("relais.toml"), config).expect("config");
    let log = std::fs::File::create(dir.join("relais.log")).expect("log");
    Command::new(env!("CARGO_BIN_EXE_relais"))
        .args(["run", "--config"])
        .arg(dir.join("relais.toml"))
        .env(PASSWORD_ENV, BOT_PASSWORD)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("relais run")
}

/// `users` ambassadors each send `rounds` commands at once; latencies in ms and the bot's CPU ms.
fn command_round(
    server: &'static Synapse,
    users: &mut [User],
    room: &str,
    bot: &str,
    rounds: usize,
    pid: u32,
) -> (Vec<f64>, f64) {
    for user in users.iter_mut() {
        user.catch_up(server);
    }
    let cpu_before = cpu_ms(pid);
    let latencies = std::thread::scope(|scope| {
        let handles: Vec<_> = users
            .iter_mut()
            .enumerate()
            .map(|(i, user)| {
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    for r in 0..rounds {
                        let sent_at = Instant::now();
                        let event = user.send(
                            server,
                            room,
                            "!me",
                            &format!("bench-{i}-{r}-{}", sent_at.elapsed().as_nanos()),
                        );
                        let seen = user.wait_for(server, room, answers(bot, &event));
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
    (latencies, cpu_ms(pid) - cpu_before)
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
    let mut users: Vec<User> = (0..50).map(|n| User::new(server, &format!("bench_user{n}"))).collect();
    let mut observer = User::new(server, "bench_observer");
    let invite: Vec<&str> = users
        .iter()
        .map(|u| u.id.as_str())
        .chain([observer.id.as_str(), bot.as_str()])
        .collect();
    let created = call(
        server,
        "POST",
        "/_matrix/client/v3/createRoom",
        &users[0].token,
        Some(&json!({"preset": "private_chat", "invite": invite})),
    );
    let room = created["room_id"].as_str().expect("room").to_string();
    for user in users.iter().skip(1).chain([&observer]) {
        call(
            server,
            "POST",
            &format!("/_matrix/client/v3/join/{room}"),
            &user.token,
            Some(&json!({})),
        );
    }

    let mut child = start_bot(dir.path(), server, &bot, &room);
    let pid = child.id();
    let joined = Instant::now();
    while server
        .request(
            "GET",
            &format!("/_matrix/client/v3/rooms/{room}/state/m.room.member/{bot}"),
            Some(&users[0].token),
            None,
        )
        .map(|a| a.json()["membership"] == "join")
        .ok()
        != Some(true)
    {
        assert!(joined.elapsed() < Duration::from_secs(60), "the bot did not join");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Warm-up: every user's first command (it creates their profile and gets a welcome).
    let (_, _) = command_round(server, &mut users, &room, &bot, 1, pid);
    let rss_idle = proc_field(pid, "status", "VmRSS:");

    // The homeserver alone: a plain message from one user seen by another.
    observer.catch_up(server);
    let mut relay = Vec::new();
    for n in 0..30 {
        let sent_at = Instant::now();
        let event = users[0].send(server, &room, &format!("hello {n}"), &format!("relay-{n}"));
        let seen = observer.wait_for(server, &room, |e| e["event_id"] == event.as_str());
        relay.push(seen.duration_since(sent_at).as_secs_f64() * 1000.0);
    }
    relay.sort_by(f64::total_cmp);

    println!(
        "\nMatrix bot on Synapse {} (2 cores; bot = `relais run` release build over sled)\n",
        synapse::SYNAPSE_VERSION
    );
    println!("| scenario | commands | p50 ms | p99 ms | bot CPU ms / command |");
    println!("|---|---|---|---|---|");
    println!(
        "| homeserver relay (message seen by another user) | {} | {:.1} | {:.1} | – |",
        relay.len(),
        percentile(&relay, 50.0),
        percentile(&relay, 99.0)
    );
    for (ambassadors, rounds) in [(1usize, 30usize), (10, 5), (50, 2)] {
        let (mut latencies, cpu) = command_round(server, &mut users[..ambassadors], &room, &bot, rounds, pid);
        latencies.sort_by(f64::total_cmp);
        let count = latencies.len();
        println!(
            "| `!me` from {ambassadors} ambassador(s) at once | {count} | {:.1} | {:.1} | {:.2} |",
            percentile(&latencies, 50.0),
            percentile(&latencies, 99.0),
            cpu / count as f64
        );
    }
    let rss_after = proc_field(pid, "status", "VmRSS:");
    let peak = proc_field(pid, "status", "VmHWM:");
    println!(
        "\n| bot memory ({SEEDED_AMBASSADORS} ambassadors, {} reshares in the store) | kB |",
        SEEDED_AMBASSADORS * RESHARES_EACH
    );
    println!("|---|---|\n| VmRSS after joining and a first command per user | {rss_idle} |\n| VmRSS after the runs | {rss_after} |\n| VmHWM (peak) | {peak} |");

    let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let _ = child.wait();
    server.stop();
}
