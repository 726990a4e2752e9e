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

#[path = "../tests/support/synapse.rs"]
mod synapse;

use matrix_sdk::ruma::api::client::message::send_message_event;
use matrix_sdk::ruma::api::client::sync::sync_events;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{OwnedRoomId, TransactionId};
use matrix_sdk::Client;
use serde_json::json;
use std::future::IntoFuture;
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
    let room = room_id().to_string();
    let sender = std::thread::spawn(move || {
        for n in 0..SYNCS {
            let path = format!("/_matrix/client/v3/rooms/{room}/send/m.room.message/floor{n}");
            let answer = server
                .request(
                    "PUT",
                    &path,
                    Some(&sender_token),
                    Some(&json!({"msgtype": "m.text", "body": "!me"})),
                )
                .expect("send");
            assert_eq!(answer.status, 200, "{answer:?}");
            std::thread::sleep(Duration::from_millis(15));
        }
    });
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
        let (cpu, count) = syncs(&client, server, sender_token).await;
        println!("| long-poll `/sync` bringing one event | {count} | {cpu:.3} | – |");
    });
    server.stop();
}
