//! A local Discord-compatible server for the Discord tests, kept honest by Discord's own OpenAPI
//! spec and by serenity's model types.
//!
//! ```ignore
//! let server = DiscordServer::start().await;        // REST on http://127.0.0.1:P, gateway on ws://…
//! let bot = SerenityBot::start(&server).await;       // or the Relais adapter, given server.http()
//! server.send_message(server.channel("general"), server.user("alice"), "!today");
//! let reply = server.next_request("create_message").await;   // the spec's operation ids
//! ```
//!
//! - REST (`rest`, `routes`): the routes under `/api/v10` a bot uses. Every request is matched to
//!   its operation in `tests/fixtures/discord-api-spec/openapi.json`; its query and JSON body, and
//!   every JSON body served, are validated against the spec's schemas (`spec`). A body that does
//!   not validate is a *violation*: the request gets Discord's 400 and the test fails when the
//!   server is dropped, with the schema error and the path (`take_violations` for negative tests).
//! - Gateway (`gateway`): HELLO, heartbeat ACK, IDENTIFY → READY + GUILD_CREATE, RESUME → missed
//!   dispatches + RESUMED, and dispatches on the test's command; each payload is first read with
//!   serenity's models (`models`), and a payload serenity cannot read panics the test.
//! - Faults on demand: 429 with `retry_after`, 5xx (`fail`), expired interaction tokens
//!   (`expire_interaction`), gateway disconnects (`disconnect_gateway`, `drop_gateway`,
//!   `request_reconnect`), the MESSAGE_CONTENT intent refused (`refuse_message_content`).
//! - The world (`world`, `messages`, `interactions`, `commands`): one guild with channels `general` and `team`,
//!   people `alice`, `bob` and `carla` (role `Coordinators`), messages with nonces
//!   (`enforce_nonce` as Discord does), reactions, DM channels, interactions and their answers, and
//!   registered commands.
//!
//! serenity must be pointed at it with its ratelimiter disabled: [`DiscordServer::http`].

#![allow(dead_code)]

pub mod bot;
pub mod commands;
mod events;
mod faults;
pub mod fixtures;
pub mod gateway;
pub mod interactions;
mod messages;
pub mod models;
mod observe;
pub mod raw;
mod rest;
mod routes;
pub mod spec;
pub mod world;

pub use faults::Fault;
pub use interactions::Interaction;

use serde_json::Value;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use world::World;

/// How long the waiting helpers wait before failing the test.
pub const WAIT: Duration = Duration::from_secs(15);

/// The gateway's heartbeat interval: short, so that tests see heartbeats and ACKs.
const HEARTBEAT_MS: u64 = 2_000;

/// One recorded REST request and the answer it got.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// With the `/api/v10` prefix.
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    /// The JSON body (of a multipart request: its `payload_json`).
    pub body: Option<Value>,
    /// The files of a multipart request: part name and size.
    pub files: Vec<(String, usize)>,
    /// The spec's operation id (`create_message`); empty for a route Discord does not have.
    pub operation: String,
    pub status: u16,
    pub response: Option<Value>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body, or null.
    pub fn json(&self) -> &Value {
        self.body.as_ref().unwrap_or(&Value::Null)
    }
}

/// State shared by the server's tasks and the test.
pub struct Shared {
    inner: Mutex<Inner>,
    notify: Notify,
    pub rest_url: String,
    pub gateway_url: String,
}

pub struct Inner {
    pub world: World,
    pub gateway: gateway::Gateway,
    pub gateway_url: String,
    requests: Vec<Request>,
    /// Which requests `next_request` already returned.
    taken: Vec<bool>,
    faults: faults::Faults,
    violations: Vec<String>,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Wakes every waiting helper.
    pub fn changed(&self) {
        self.notify.notify_waiters();
    }

    fn record(&self, request: Request) {
        let mut inner = self.lock();
        inner.requests.push(request);
        inner.taken.push(false);
        drop(inner);
        self.changed();
    }

    fn violation(&self, problem: String) {
        self.lock().violations.push(problem);
    }
}

/// The running server. Dropping it stops it, and fails the test if it saw violations.
pub struct DiscordServer {
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

/// A dispatched interaction: its id and token (to expire it, or to find its answers).
#[derive(Debug, Clone)]
pub struct Dispatched {
    pub id: u64,
    pub token: String,
    pub payload: Value,
}

impl DiscordServer {
    /// Starts REST and gateway listeners on 127.0.0.1 (free ports) on the current tokio runtime.
    pub async fn start() -> DiscordServer {
        let bind = || async {
            tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("a free port on 127.0.0.1")
        };
        let (rest, gateway) = (bind().await, bind().await);
        let port = |l: &tokio::net::TcpListener| l.local_addr().expect("a bound listener").port();
        let rest_url = format!("http://127.0.0.1:{}", port(&rest));
        let gateway_url = format!("ws://127.0.0.1:{}", port(&gateway));
        let token = format!("{}.relais-test.{}", "MTIzNDU2Nzg5MDEyMzQ1Njc4", std::process::id());
        let shared = Arc::new(Shared {
            inner: Mutex::new(Inner {
                world: World::new(&token),
                gateway: gateway::Gateway::new(HEARTBEAT_MS),
                gateway_url: gateway_url.clone(),
                requests: Vec::new(),
                taken: Vec::new(),
                faults: faults::Faults::default(),
                violations: Vec::new(),
            }),
            notify: Notify::new(),
            rest_url,
            gateway_url,
        });
        let tasks = vec![
            tokio::spawn(rest::serve(rest, Arc::clone(&shared))),
            tokio::spawn(gateway::serve(gateway, Arc::clone(&shared))),
        ];
        DiscordServer { shared, tasks }
    }

    /// The REST base URL (`http://127.0.0.1:PORT`), for serenity's `HttpBuilder::proxy`.
    pub fn url(&self) -> &str {
        &self.shared.rest_url
    }

    /// The gateway URL `GET /gateway` gives (`ws://127.0.0.1:PORT`).
    pub fn gateway_url(&self) -> &str {
        &self.shared.gateway_url
    }

    /// The bot token the server accepts (without `Bot `).
    pub fn token(&self) -> String {
        self.lock().world.token.clone()
    }

    /// serenity's HTTP client pointed at this server: proxy set, ratelimiter off (serenity ignores
    /// the proxy while its ratelimiter is on, serenity issue #1739), application id known.
    pub fn http(&self) -> serenity::http::Http {
        serenity::http::HttpBuilder::new(self.token())
            .proxy(self.url())
            .ratelimiter_disabled(true)
            .application_id(self.app_id().into())
            .build()
    }

    pub fn app_id(&self) -> u64 {
        self.lock().world.app_id
    }

    /// The bot's user id (the application id, as for every modern bot).
    pub fn bot_id(&self) -> u64 {
        self.lock().world.bot_id
    }

    pub fn guild_id(&self) -> u64 {
        self.lock().world.guild.id
    }

    /// A channel's id by name (`general`, `team`, or one added).
    ///
    /// # Panics
    /// If there is no such channel.
    pub fn channel(&self, name: &str) -> u64 {
        let found = self.lock().world.channel_named(name);
        found.unwrap_or_else(|| panic!("no channel named {name}"))
    }

    /// A user's id by user name (`alice`, `bob`, `carla`, `relais`, or one added).
    ///
    /// # Panics
    /// If there is no such user.
    pub fn user(&self, name: &str) -> u64 {
        let found = self.lock().world.user_named(name);
        found.unwrap_or_else(|| panic!("no user named {name}"))
    }

    /// A role's id by name (`Coordinators`).
    ///
    /// # Panics
    /// If there is no such role.
    pub fn role(&self, name: &str) -> u64 {
        let inner = self.lock();
        let role = inner.world.guild.roles.iter().find(|r| r["name"] == name);
        let id = role.and_then(|r| r["id"].as_str()).and_then(|s| s.parse().ok());
        id.unwrap_or_else(|| panic!("no role named {name}"))
    }

    /// Adds a person to the guild (before the bot connects, or followed by your own
    /// GUILD_MEMBER_ADD dispatch); returns the user id.
    pub fn add_member(&self, name: &str, roles: &[u64]) -> u64 {
        self.lock().world.add_member(name, roles)
    }

    /// Adds a text channel to the guild; returns its id.
    pub fn add_channel(&self, name: &str) -> u64 {
        self.lock().world.add_channel(name)
    }

    /// Refuses the privileged MESSAGE_CONTENT intent, as Discord does when the portal's switch is
    /// off: an IDENTIFY asking for it is closed with 4014.
    pub fn refuse_message_content(&self) {
        self.lock().gateway.message_content_allowed = false;
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.shared.lock()
    }

    /// Waits until `check` returns something, or fails the test after [`WAIT`] saying `what`.
    pub async fn wait<T>(&self, what: &str, mut check: impl FnMut(&mut Inner) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let notified = self.shared.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(found) = check(&mut self.lock()) {
                return found;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let seen: Vec<String> = self
                    .requests()
                    .iter()
                    .map(|r| format!("{} {} ({}) → {}", r.method, r.path, r.operation, r.status))
                    .collect();
                panic!(
                    "timed out waiting for {what}; requests so far:\n  {}",
                    seen.join("\n  ")
                );
            }
        }
    }
}

impl Drop for DiscordServer {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
        let mut inner = self.lock();
        let mut problems = std::mem::take(&mut inner.violations);
        problems.append(&mut inner.gateway.problems);
        drop(inner);
        if problems.is_empty() {
            return;
        }
        let report = format!(
            "the local Discord server saw what Discord would refuse or never send:\n{}",
            problems.join("\n")
        );
        if std::thread::panicking() {
            eprintln!("{report}");
        } else {
            panic!("{report}");
        }
    }
}
