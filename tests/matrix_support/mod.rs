//! Support for the Matrix adapter tests: a Relais bot run in-process against a real Synapse, and
//! test users speaking plain client-server HTTP through the harness.

#![allow(dead_code)]

#[path = "../support/synapse.rs"]
pub mod synapse;

pub mod e2e;
pub mod rooms;
mod user;
pub mod weekly;

pub use user::User;

use chrono::{DateTime, NaiveTime, Utc};
use relais::app::{App, RoomSettings, Settings};
use relais::config::Matrix as MatrixConfig;
use relais::domain::{Identity, Lang, Platform, RoomRef};
use relais::platform::matrix::session::{session_path, SavedSession};
use relais::platform::matrix::{self, Credentials, MatrixError, MatrixOptions};
use relais::platform::ticker::Clock;
use relais::prompts::Prompts;
use relais::store::MemoryStore;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;
use synapse::Synapse;

pub const BOT_PASSWORD: &str = "bot-secret";

/// The repository's prompts, loaded once per test binary.
pub fn prompts() -> &'static Prompts {
    static PROMPTS: std::sync::OnceLock<Prompts> = std::sync::OnceLock::new();
    PROMPTS.get_or_init(|| {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/prompts"));
        Prompts::load(dir).expect("repository prompts load").prompts
    })
}

/// Messages sent by `sender` in `events`.
pub fn messages_from<'e>(events: &'e [Value], sender: &str) -> Vec<&'e Value> {
    events
        .iter()
        .filter(|e| e["type"] == "m.room.message" && e["sender"] == sender)
        .collect()
}

/// The bot's messages answering `event_id` (as a reply, or in a thread with it as reply target).
pub fn answers_to<'e>(events: &'e [Value], bot: &str, event_id: &str) -> Vec<&'e Value> {
    messages_from(events, bot)
        .into_iter()
        .filter(|e| e["content"]["m.relates_to"]["m.in_reply_to"]["event_id"] == event_id)
        .collect()
}

/// Polls `check` every 200 ms until it gives `Some`, or panics after `limit` with `what`.
pub async fn eventually<T>(limit: Duration, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out after {limit:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The bot's answer to `event_id` in `room`, waiting up to 30 s.
pub async fn answer(user: &User, room: &str, bot: &str, event_id: &str) -> Value {
    eventually(
        Duration::from_secs(30),
        &format!("the bot's answer to {event_id}"),
        || {
            let events = user.events(room);
            answers_to(&events, bot, event_id).first().map(|e| (*e).clone())
        },
    )
    .await
}

/// The bot's answer to `event_id` in `room` that contains `expected`, waiting up to 30 s (a
/// newcomer's first command also gets a welcome).
pub async fn answer_containing(user: &User, room: &str, bot: &str, event_id: &str, expected: &str) -> Value {
    eventually(
        Duration::from_secs(30),
        &format!("the bot's answer to {event_id} containing {expected:?}"),
        || {
            let events = user.events(room);
            let answers = answers_to(&events, bot, event_id);
            answers
                .into_iter()
                .find(|e| e["content"]["body"].as_str().is_some_and(|b| b.contains(expected)))
                .cloned()
        },
    )
    .await
}

/// A Relais bot account and everything it runs with; the pieces live for the whole test.
pub struct TestBot {
    pub server: &'static Synapse,
    pub user_id: String,
    pub store: &'static MemoryStore,
    pub app: &'static App<'static>,
    pub config: &'static MatrixConfig,
    pub state_dir: PathBuf,
    _state_root: tempfile::TempDir,
}

/// A bot task; stop it (orderly) or drop it (a crash).
pub struct RunningBot {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), MatrixError>>,
}

impl RunningBot {
    /// Asks the bot to stop and waits for it.
    pub async fn stop(mut self) -> Result<(), MatrixError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        (&mut self.task).await.expect("bot task")
    }

    /// Waits for the bot to stop by itself (a permanent error).
    pub async fn outcome(mut self, limit: Duration) -> Result<(), MatrixError> {
        tokio::time::timeout(limit, &mut self.task)
            .await
            .expect("the bot stops by itself")
            .expect("bot task")
    }
}

impl Drop for RunningBot {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Settings for a Relais serving `rooms` (Matrix room ids), with `coordinators`.
pub fn settings(rooms: &[&str], coordinators: &[&str], push_time: NaiveTime) -> Settings {
    Settings {
        org_name: "Living Rivers".into(),
        coordinators: coordinators
            .iter()
            .map(|c| Identity::new(Platform::Matrix, *c))
            .collect(),
        rooms: rooms
            .iter()
            .map(|r| RoomSettings {
                room: RoomRef::new(Platform::Matrix, *r),
                lang: Lang::En,
                push_time,
                coordinators_room: false,
            })
            .collect(),
        ..Settings::default()
    }
}

/// A push time that has always passed (the push is due at once).
pub fn midnight() -> NaiveTime {
    NaiveTime::MIN
}

/// A push time that never comes today (no push during the test).
pub fn never_today() -> NaiveTime {
    NaiveTime::from_hms_opt(23, 59, 59).expect("time")
}

/// A push time at noon (organisation zone: UTC in the test settings).
pub fn noon() -> NaiveTime {
    NaiveTime::from_hms_opt(12, 0, 0).expect("time")
}

/// Tomorrow (UTC) at `time` plus `seconds`: after every item approved today.
pub fn tomorrow_at(time: NaiveTime, seconds: i64) -> DateTime<Utc> {
    let date = Utc::now().date_naive() + chrono::Duration::days(1);
    date.and_time(time).and_utc() + chrono::Duration::seconds(seconds)
}

/// The system clock moved so that it reads `at` now (and runs on from there).
pub fn clock_reading(at: DateTime<Utc>) -> Clock {
    let mut clock = Clock::system();
    clock.advance(at - Utc::now());
    clock
}

/// Test options whose scheduler clock reads `at` now.
pub fn options_at(at: DateTime<Utc>) -> MatrixOptions {
    MatrixOptions {
        clock: clock_reading(at),
        ..TestBot::options()
    }
}

/// The bot's messages in `room` (as `user` sees them) whose body contains `text`.
pub fn bot_messages_containing(user: &User, room: &str, bot: &str, text: &str) -> Vec<Value> {
    let events = user.events(room);
    messages_from(&events, bot)
        .into_iter()
        .filter(|e| e["content"]["body"].as_str().is_some_and(|b| b.contains(text)))
        .cloned()
        .collect()
}

impl TestBot {
    /// Registers the bot account `localpart` on `server` and prepares its core with `settings`.
    pub fn new(server: &'static Synapse, localpart: &str, settings: Settings, allowed_inviters: &[&str]) -> TestBot {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn,relais=info".into()),
            )
            .with_test_writer()
            .try_init();
        let (user_id, _) = server.register(localpart, BOT_PASSWORD, false);
        let root = tempfile::tempdir().expect("state dir");
        let state_dir = root.path().join("matrix");
        let config = MatrixConfig {
            homeserver: server.base_url(),
            user_id: user_id.clone(),
            password_env: Some("RELAIS_TEST_UNUSED".into()),
            access_token_env: None,
            allowed_inviters: allowed_inviters.iter().map(|s| s.to_string()).collect(),
            ignored_users: Vec::new(),
            state_dir: state_dir.clone(),
            store_passphrase_env: None,
            claim_reactions: MatrixOptions::default().claim_reactions,
        };
        let store: &'static MemoryStore = Box::leak(Box::new(MemoryStore::new()));
        let settings: &'static Settings = Box::leak(Box::new(settings));
        let app: &'static App<'static> = Box::leak(Box::new(App::new(settings, prompts(), store)));
        TestBot {
            server,
            user_id,
            store,
            app,
            config: Box::leak(Box::new(config)),
            state_dir,
            _state_root: root,
        }
    }

    /// Options for tests: short backoff.
    pub fn options() -> MatrixOptions {
        MatrixOptions {
            first_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(2),
            sync_timeout: Duration::from_secs(5),
            ..MatrixOptions::default()
        }
    }

    /// Starts the bot with its password.
    pub fn start(&self) -> RunningBot {
        self.start_with(Self::options(), Some(Credentials::Password(BOT_PASSWORD.into())))
    }

    pub fn start_with(&self, options: MatrixOptions, credentials: Option<Credentials>) -> RunningBot {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let options: &'static MatrixOptions = Box::leak(Box::new(options));
        let (app, config) = (self.app, self.config);
        let task = tokio::spawn(async move {
            let outcome = matrix::run(app, config, options, credentials, async move {
                let _ = stopped.await;
            })
            .await;
            // Said at once: a test waiting for an answer would otherwise time out without saying why.
            if let Err(error) = &outcome {
                tracing::error!(%error, "the test bot stopped with an error");
            }
            outcome
        });
        RunningBot { stop: Some(stop), task }
    }

    /// Waits until the bot has joined `room`.
    pub async fn joined(&self, user: &User, room: &str) {
        eventually(Duration::from_secs(30), "the bot to join", || {
            (user.membership(room, &self.user_id).as_deref() == Some("join")).then_some(())
        })
        .await
    }

    /// The adapter's sync journal (handled event ids and sync positions, one per line).
    pub fn sync_journal(&self) -> PathBuf {
        self.state_dir.join(relais::platform::matrix::state::JOURNAL_FILE)
    }

    /// The last sync position the adapter saved.
    pub fn saved_position(&self) -> Option<String> {
        let journal = std::fs::read_to_string(self.sync_journal()).ok()?;
        journal
            .lines()
            .rev()
            .find_map(|line| line.strip_prefix("P "))
            .map(String::from)
    }

    /// Sends `method path` with `body` as the bot's own device would: with the access token of
    /// its saved session (the bot being stopped). Asserts success; the answer's JSON.
    pub fn as_saved_session(&self, method: &str, path: &str, body: &Value) -> Value {
        let session = SavedSession::load(&session_path(&self.state_dir))
            .expect("the session file")
            .expect("the bot saved its session");
        assert_eq!(session.user_id, self.user_id, "the saved session is the bot's");
        let answer = (self.server)
            .request(method, path, Some(&session.access_token), Some(body))
            .expect("HTTP to Synapse");
        assert_eq!(answer.status, 200, "{method} {path} with the bot's session: {answer:?}");
        answer.json()
    }

    /// Logs the bot's saved session out: its access token and device are gone.
    pub fn revoke_the_saved_session(&self) {
        self.as_saved_session("POST", "/_matrix/client/v3/logout", &serde_json::json!({}));
    }
}

/// A configured room with the bot (started with `options`), coordinator `carla` (also the allowed
/// inviter) and ambassador `alice`: three members, so not a direct chat.
pub async fn team_on(
    server: &'static Synapse,
    prefix: &str,
    push_time: NaiveTime,
    options: MatrixOptions,
) -> (TestBot, RunningBot, User, User, String) {
    team_with(server, prefix, push_time, options, |_| {}).await
}

/// [`team_on`] with `adjust` applied to the settings (a shorter grace window…).
pub async fn team_with(
    server: &'static Synapse,
    prefix: &str,
    push_time: NaiveTime,
    options: MatrixOptions,
    adjust: impl FnOnce(&mut Settings),
) -> (TestBot, RunningBot, User, User, String) {
    let carla = User::register(server, &format!("{prefix}_carla"));
    let alice = User::register(server, &format!("{prefix}_alice"));
    let room = carla.create_room(&[&alice.id]);
    alice.join(&room);
    let mut settings = settings(&[&room], &[&carla.id], push_time);
    adjust(&mut settings);
    let bot = TestBot::new(server, &format!("{prefix}_relais"), settings, &[&carla.id]);
    let running = bot.start_with(options, Some(Credentials::Password(BOT_PASSWORD.into())));
    carla.invite(&room, &bot.user_id);
    bot.joined(&carla, &room).await;
    (bot, running, carla, alice, room)
}

/// [`team_on`] on the shared server, with the test options and no push during the test.
pub async fn team(prefix: &str) -> (TestBot, RunningBot, User, User, String) {
    team_on(Synapse::shared(), prefix, never_today(), TestBot::options()).await
}

/// Sends `!me` and waits for its answer: everything `user` sent before it has been handled.
pub async fn sentinel(bot: &TestBot, user: &User, room: &str) {
    let event = user.say(room, "!me");
    answer(user, room, &bot.user_id, &event).await;
}

/// `who` says `text` in `room`, handed straight to the core as if the bot had read it there
/// (for setting up a scenario without waiting for a sync).
pub fn says(bot: &TestBot, who: &User, room: &str, text: &str) {
    let display_name = who.id.trim_start_matches('@').split(':').next().unwrap_or("someone");
    let msg = relais::app::Incoming {
        from: Identity::new(Platform::Matrix, who.id.clone()),
        display_name: display_name.to_string(),
        room: RoomRef::new(Platform::Matrix, room),
        direct: false,
        text: text.into(),
    };
    bot.app.handle(&msg, Utc::now());
}

/// The bot's credentials: its password.
pub fn password() -> Option<Credentials> {
    Some(Credentials::Password(BOT_PASSWORD.into()))
}

pub fn seconds(n: i64) -> chrono::Duration {
    chrono::Duration::seconds(n)
}

/// The state of the scheduled action `key` in the bot's store.
pub fn action_state(bot: &TestBot, key: &str) -> Option<relais::store::ActionState> {
    use relais::store::Store;
    bot.store.action_state(key).expect("store").map(|record| record.state)
}

/// The reshares recorded for `user` (none if they are not an ambassador yet).
pub fn reshares_of(bot: &TestBot, user: &User) -> Vec<relais::domain::Reshare> {
    use relais::store::Store;
    let identity = Identity::new(Platform::Matrix, user.id.clone());
    match bot.store.ambassador_by_identity(&identity).expect("store") {
        Some(a) => bot.store.reshares_of(a.id).expect("store"),
        None => Vec::new(),
    }
}

/// A matrix-sdk client (end-to-end encryption on, in-memory stores) logged in as `localpart`.
pub async fn sdk_client(server: &synapse::Synapse, localpart: &str, password: &str) -> matrix_sdk::Client {
    let client = matrix_sdk::Client::builder()
        .homeserver_url(server.base_url())
        .build()
        .await
        .expect("client");
    client
        .matrix_auth()
        .login_username(localpart, password)
        .initial_device_display_name("test")
        .send()
        .await
        .expect("login");
    client
}

/// Restarts the bot (password login) with its clock 30 s after tomorrow's noon, within the grace
/// window of a noon push; lets it run past two sentinels, stops it, and counts the bot's
/// messages in `room` containing `text`.
pub async fn bot_messages_after_a_restart_within_grace(bot: &TestBot, alice: &User, room: &str, text: &str) -> usize {
    let running = bot.start_with(options_at(tomorrow_at(noon(), 30)), password());
    sentinel(bot, alice, room).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    sentinel(bot, alice, room).await;
    running.stop().await.expect("orderly stop");
    bot_messages_containing(alice, room, &bot.user_id, text).len()
}
