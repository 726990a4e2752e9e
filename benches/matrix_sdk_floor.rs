//! What matrix-sdk itself spends, with no Relais code: the CPU of one message sent with
//! `Client::send` (one at a time, and four at a time as the bot sends its answers) and of one
//! long-poll `/sync` that brings one new event, against the same local Synapse as `matrix_bot`.
//! A bot answering a command does at least one of each, so these figures are the floor under
//! `matrix_bot`'s "bot CPU ms / command".
//!
//! Everything runs on one current-thread runtime in this process; the CPU is this process's
//! (every thread's run time, so the kernel's work for the loopback TCP counts too), measured
//! around the loops only. The events the syncs bring are sent from another thread, whose CPU is
//! not counted.
//!
//! The same requests are then made with matrix-sdk's own HTTP client (`Client::http_client`, a
//! `reqwest::Client`) without the SDK's request machinery, and by the barest client there can be (`Bare`: blocking HTTP/1.1
//! on one kept-alive connection, the request written by hand, the sync body parsed into a
//! `serde_json::Value`): the floor under any Matrix client on this homeserver and machine.

#[path = "../tests/support/synapse.rs"]
mod synapse;

use matrix_sdk::ruma::api::client::message::send_message_event;
use matrix_sdk::ruma::api::client::sync::sync_events;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{OwnedRoomId, TransactionId};
use matrix_sdk::Client;
use serde_json::json;
use std::future::IntoFuture;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use synapse::Synapse;

const SENDS: usize = 1000;
const SYNCS: usize = 300;

/// Run time of the calling thread, in ns (`/proc/thread-self/schedstat`).
fn thread_ns() -> u64 {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").expect("schedstat (Linux)");
    text.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("run time in schedstat")
}

/// Run time of every thread of this process, in ns.
fn process_ns() -> u64 {
    let tasks = std::fs::read_dir("/proc/self/task").expect("/proc/self/task (Linux)");
    tasks
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok())
        .filter_map(|text| text.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

fn notice(n: usize) -> send_message_event::v3::Request {
    let content = Raw::new(&json!({"msgtype": "m.notice", "body": format!("floor {n}")}))
        .expect("JSON")
        .cast_unchecked();
    send_message_event::v3::Request::new_raw(room_id(), TransactionId::new(), "m.room.message".into(), content)
}

static ROOM: std::sync::OnceLock<OwnedRoomId> = std::sync::OnceLock::new();

fn room_id() -> OwnedRoomId {
    ROOM.get().expect("room created").clone()
}

/// CPU ms per message, sending `SENDS` messages `at_once` at a time.
async fn sends(client: &Client, at_once: usize) -> (f64, f64) {
    let (cpu, wall) = (process_ns(), Instant::now());
    for step in 0..SENDS / at_once {
        let batch = (0..at_once).map(|i| client.send(notice(step * at_once + i)).into_future());
        for answer in futures_util::future::join_all(batch).await {
            answer.expect("send");
        }
    }
    let per = |total: f64| total / SENDS as f64;
    (
        per((process_ns() - cpu) as f64 / 1e6),
        per(wall.elapsed().as_secs_f64() * 1000.0),
    )
}

/// CPU ms per long-poll sync, while another thread sends a message every 15 ms (one per sync).
async fn syncs(client: &Client, server: &'static Synapse, sender_token: String) -> (f64, usize) {
    let mut since = client
        .send(sync_events::v3::Request::new())
        .await
        .expect("first sync")
        .next_batch;
    let sender = send_every_15_ms(server, sender_token, "floor");
    // The runtime is current-thread: all of the client's work is on this thread.
    let cpu = thread_ns();
    let (mut seen, mut count) = (0, 0);
    while seen < SYNCS {
        let mut request = sync_events::v3::Request::new();
        request.since = Some(since);
        request.timeout = Some(Duration::from_secs(10));
        let response = client.send(request).await.expect("sync");
        count += 1;
        seen += response
            .rooms
            .join
            .values()
            .map(|room| room.timeline.events.len())
            .sum::<usize>();
        since = response.next_batch;
    }
    let spent = (thread_ns() - cpu) as f64 / 1e6;
    sender.join().expect("sender thread");
    (spent / count as f64, count)
}

/// CPU ms per message sent with matrix-sdk's `reqwest::Client` directly, `at_once` at a time.
async fn reqwest_sends(client: &Client, base: &str, at_once: usize) -> f64 {
    let (http, token, room) = (client.http_client(), client.access_token().expect("token"), room_id());
    let cpu = process_ns();
    for step in 0..SENDS / at_once {
        let batch = (0..at_once).map(|i| {
            let n = step * at_once + i;
            let url = format!("{base}/_matrix/client/v3/rooms/{room}/send/m.room.message/reqwest{at_once}_{n}");
            let body = json!({"msgtype": "m.notice", "body": format!("floor {n}")}).to_string();
            let request = http
                .put(url)
                .bearer_auth(&token)
                .header("content-type", "application/json");
            async move {
                let answer = request.body(body).send().await.expect("send");
                assert!(answer.status().is_success(), "{answer:?}");
                answer.bytes().await.expect("answer body")
            }
        });
        futures_util::future::join_all(batch).await;
    }
    (process_ns() - cpu) as f64 / 1e6 / SENDS as f64
}

/// CPU ms per long-poll sync made with matrix-sdk's `reqwest::Client` directly (the body parsed
/// into a `serde_json::Value`), while another thread sends one message every 15 ms.
async fn reqwest_syncs(client: &Client, base: &str, server: &'static Synapse, sender_token: String) -> (f64, usize) {
    let (http, token) = (client.http_client(), client.access_token().expect("token"));
    let sync = |since: Option<String>| {
        let query = match since {
            Some(since) => format!("timeout=10000&since={since}"),
            None => "timeout=0".into(),
        };
        let request = http
            .get(format!("{base}/_matrix/client/v3/sync?{query}"))
            .bearer_auth(&token);
        async move {
            let body = request.send().await.expect("sync").bytes().await.expect("sync body");
            timeline_events(&body)
        }
    };
    let (mut since, _) = sync(None).await;
    let sender = send_every_15_ms(server, sender_token, "reqwest");
    let cpu = thread_ns();
    let (mut seen, mut count) = (0, 0);
    while seen < SYNCS {
        let (token, events) = sync(Some(since)).await;
        (since, seen, count) = (token, seen + events, count + 1);
    }
    let spent = (thread_ns() - cpu) as f64 / 1e6;
    sender.join().expect("sender thread");
    (spent / count as f64, count)
}

/// A sync body's `next_batch` and how many timeline events its joined rooms hold.
fn timeline_events(body: &[u8]) -> (String, usize) {
    let value: serde_json::Value = serde_json::from_slice(body).expect("sync JSON");
    let events = value
        .pointer("/rooms/join")
        .and_then(|rooms| rooms.as_object())
        .map(|rooms| {
            rooms
                .values()
                .filter_map(|room| room.pointer("/timeline/events")?.as_array().map(Vec::len))
                .sum()
        })
        .unwrap_or(0);
    (value["next_batch"].as_str().expect("next_batch").to_owned(), events)
}

/// The barest HTTP/1.1 client: one kept-alive connection, blocking reads and writes.
struct Bare {
    stream: BufReader<TcpStream>,
    token: String,
}

impl Bare {
    fn connect(port: u16, token: String) -> Bare {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Bare {
            stream: BufReader::new(stream),
            token,
        }
    }

    /// One request; the status and the body of its answer.
    fn request(&mut self, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let mut out = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            self.token,
            body.len()
        )
        .into_bytes();
        out.extend_from_slice(body);
        self.stream.get_mut().write_all(&out).expect("write");
        let mut line = String::new();
        self.stream.read_line(&mut line).expect("status line");
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status");
        let (mut length, mut chunked) = (0, false);
        loop {
            line.clear();
            self.stream.read_line(&mut line).expect("header");
            let header = line.trim_end().to_ascii_lowercase();
            if header.is_empty() {
                break;
            }
            if let Some(value) = header.strip_prefix("content-length:") {
                length = value.trim().parse().expect("length");
            }
            chunked |= header.starts_with("transfer-encoding:") && header.contains("chunked");
        }
        (status, if chunked { self.chunks() } else { self.exactly(length) })
    }

    fn exactly(&mut self, length: usize) -> Vec<u8> {
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).expect("body");
        body
    }

    fn chunks(&mut self) -> Vec<u8> {
        let mut body = Vec::new();
        loop {
            let mut line = String::new();
            self.stream.read_line(&mut line).expect("chunk size");
            let size = usize::from_str_radix(line.trim(), 16).expect("chunk size");
            body.extend(self.exactly(size));
            self.exactly(2);
            if size == 0 {
                return body;
            }
        }
    }
}

/// CPU ms per message sent by [`Bare`], one at a time.
fn bare_sends(bare: &mut Bare) -> (f64, f64) {
    let room = room_id().to_string();
    let (cpu, wall) = (thread_ns(), Instant::now());
    for n in 0..SENDS {
        let path = format!("/_matrix/client/v3/rooms/{room}/send/m.room.message/bare{n}");
        let body = json!({"msgtype": "m.notice", "body": format!("floor {n}")}).to_string();
        let (status, answer) = bare.request("PUT", &path, body.as_bytes());
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    }
    let per = |total: f64| total / SENDS as f64;
    (
        per((thread_ns() - cpu) as f64 / 1e6),
        per(wall.elapsed().as_secs_f64() * 1000.0),
    )
}

/// CPU ms per long-poll sync made by [`Bare`], while another thread sends one message every 15 ms.
fn bare_syncs(bare: &mut Bare, server: &'static Synapse, sender_token: String) -> (f64, usize) {
    let next = timeline_events;
    let (status, body) = bare.request("GET", "/_matrix/client/v3/sync?timeout=0", b"");
    assert_eq!(status, 200);
    let (mut since, _) = next(&body);
    let sender = send_every_15_ms(server, sender_token, "bare");
    let cpu = thread_ns();
    let (mut seen, mut count) = (0, 0);
    while seen < SYNCS {
        let path = format!("/_matrix/client/v3/sync?timeout=10000&since={since}");
        let (status, body) = bare.request("GET", &path, b"");
        assert_eq!(status, 200);
        let (token, events) = next(&body);
        (since, seen, count) = (token, seen + events, count + 1);
    }
    let spent = (thread_ns() - cpu) as f64 / 1e6;
    sender.join().expect("sender thread");
    (spent / count as f64, count)
}

/// A thread sending `SYNCS` messages into the room, one every 15 ms.
fn send_every_15_ms(server: &'static Synapse, token: String, tag: &'static str) -> std::thread::JoinHandle<()> {
    let room = room_id().to_string();
    std::thread::spawn(move || {
        for n in 0..SYNCS {
            let path = format!("/_matrix/client/v3/rooms/{room}/send/m.room.message/{tag}{n}");
            let body = json!({"msgtype": "m.text", "body": "!me"});
            let answer = server.request("PUT", &path, Some(&token), Some(&body)).expect("send");
            assert_eq!(answer.status, 200, "{answer:?}");
            std::thread::sleep(Duration::from_millis(15));
        }
    })
}

fn main() {
    let server: &'static Synapse = Box::leak(Box::new(Synapse::start()));
    let (_, sender_token) = server.register("floor_user", "floor-user-pw", false);
    server.register("floor_client", "floor-client-pw", false);
    let created = server
        .request(
            "POST",
            "/_matrix/client/v3/createRoom",
            Some(&sender_token),
            Some(&json!({"invite": [server.user_id("floor_client")]})),
        )
        .expect("createRoom");
    let room = created.json()["room_id"].as_str().expect("room id").to_owned();
    ROOM.set(room.parse().expect("room id")).expect("set once");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let client = Client::builder()
            .homeserver_url(server.base_url())
            .build()
            .await
            .expect("client");
        client
            .matrix_auth()
            .login_username("floor_client", "floor-client-pw")
            .send()
            .await
            .expect("login");
        client.join_room_by_id(&room_id()).await.expect("join");
        println!(
            "\nmatrix-sdk alone on Synapse {} (no Relais code; CPU of this process)\n",
            synapse::SYNAPSE_VERSION
        );
        println!("| request | count | CPU ms each | wall ms each |\n|---|---|---|---|");
        for at_once in [1, 4] {
            let (cpu, wall) = sends(&client, at_once).await;
            println!("| `Client::send` of a message, {at_once} at a time | {SENDS} | {cpu:.3} | {wall:.1} |");
        }
        let (cpu, count) = syncs(&client, server, sender_token.clone()).await;
        println!("| long-poll `/sync` bringing one event | {count} | {cpu:.3} | – |");
        let base = server.base_url();
        for at_once in [1, 4] {
            let cpu = reqwest_sends(&client, &base, at_once).await;
            println!("| matrix-sdk's `reqwest::Client`: a message, {at_once} at a time | {SENDS} | {cpu:.3} | – |");
        }
        let (cpu, count) = reqwest_syncs(&client, &base, server, sender_token.clone()).await;
        println!("| matrix-sdk's `reqwest::Client`: long-poll `/sync` bringing one event | {count} | {cpu:.3} | – |");
        let token = client.access_token().expect("logged in");
        let mut bare = Bare::connect(server.port(), token);
        let (cpu, wall) = bare_sends(&mut bare);
        println!("| bare HTTP/1.1: a message, 1 at a time | {SENDS} | {cpu:.3} | {wall:.1} |");
        let (cpu, count) = bare_syncs(&mut bare, server, sender_token);
        println!("| bare HTTP/1.1: long-poll `/sync` bringing one event | {count} | {cpu:.3} | – |");
    });
    server.stop();
}
