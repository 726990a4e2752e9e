//! The Matrix adapter: logs in, syncs, turns room events into core calls and effects into
//! Matrix messages. No programme rules live here.
//!
//! One task syncs, hands each new event to the core in order, sends the answers (a few at a
//! time for different senders, in order for each), then records the events as handled and moves
//! the saved sync position (see [`state`]). A sync holding only messages in unencrypted rooms is
//! read directly; any other goes through matrix-sdk (see `batch`). Encrypted messages whose room
//! key has not arrived wait for it (see `undecrypted`). Between syncs it runs the core
//! scheduler (daily pushes, reminders, weekly leaderboard and report; see `schedule`): a sync
//! long-polls no longer than until the next action is due. A failed sync is retried with
//! exponential backoff and clear log lines.

mod answers;
mod backoff;
mod batch;
mod cross_signing;
mod effects;
mod events;
mod first_sync;
mod handlers;
mod mentions;
mod policy;
mod render;
mod rooms;
mod schedule;
pub mod session;
pub mod state;
mod sync;
mod undecrypted;

pub use effects::{notice_content, transaction_id, Relation, KEY_FIELD};
pub use policy::DEFAULT_CLAIM_REACTIONS;
pub use render::{render, Rendered};
pub use session::Credentials;

use crate::app::App;
use crate::config::Matrix as MatrixConfig;
use std::future::Future;
use std::time::Duration;

/// Why the Matrix adapter stopped.
#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    #[error("no Matrix credentials: set the environment variable named by `matrix.password-env` or `matrix.access-token-env`")]
    NoCredentials,
    #[error("the homeserver refused the login (wrong user id or password?): {0}")]
    LoginRejected(String),
    #[error("the homeserver refused the access token (revoked, expired or wrong?): {0}")]
    TokenRejected(String),
    #[error("cannot reach the homeserver: {0}")]
    Connect(String),
    #[error("Matrix session: {0}")]
    Session(String),
    #[error(transparent)]
    State(#[from] state::StateError),
    #[error("the scheduler could not start: {0}")]
    Scheduler(#[from] crate::store::StoreError),
}

impl MatrixError {
    /// Whether trying again later may help (the homeserver is down), as opposed to a
    /// configuration or credentials problem an operator must fix.
    pub fn is_transient(&self) -> bool {
        matches!(self, MatrixError::Connect(_))
    }
}

/// Tunables of the adapter; the defaults suit production.
#[derive(Debug, Clone)]
pub struct MatrixOptions {
    /// Reaction keys on a daily push that count as a quick claim (default ✅ 🔁 👍).
    pub claim_reactions: Vec<String>,
    /// Users whose messages are ignored, besides the bot itself and bot-named users.
    pub ignored_users: Vec<String>,
    /// Long-poll timeout of one sync request.
    pub sync_timeout: Duration,
    /// The longest wait between two attempts after failures.
    pub max_backoff: Duration,
    /// The first wait after a failure (doubled each time up to `max_backoff`).
    pub first_backoff: Duration,
    /// Events per room and sync; a longer gap is fetched with `/messages`.
    pub timeline_limit: u32,
    /// The scheduler's clock (the system clock; tests move it).
    pub clock: crate::platform::ticker::Clock,
}

impl Default for MatrixOptions {
    fn default() -> Self {
        MatrixOptions {
            claim_reactions: DEFAULT_CLAIM_REACTIONS.iter().map(|k| k.to_string()).collect(),
            ignored_users: Vec::new(),
            sync_timeout: Duration::from_secs(30),
            max_backoff: Duration::from_secs(60),
            first_backoff: Duration::from_secs(1),
            timeline_limit: 50,
            clock: crate::platform::ticker::Clock::system(),
        }
    }
}

/// Runs the Matrix bot until `shutdown` completes or a permanent error (bad credentials, a
/// corrupt state file) stops it. The homeserver being unreachable is never permanent: the
/// adapter retries with backoff.
pub async fn run(
    app: &App<'_>,
    config: &MatrixConfig,
    options: &MatrixOptions,
    credentials: Option<Credentials>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), MatrixError> {
    tokio::pin!(shutdown);
    let mut backoff = sync::Backoff::new(options.first_backoff, options.max_backoff);
    let client = loop {
        let attempt = tokio::select! {
            _ = &mut shutdown => return Ok(()),
            c = session::connect(config, credentials.as_ref()) => c,
        };
        match attempt {
            Ok(client) => break client,
            Err(e) if e.is_transient() => {
                let wait = backoff.next_wait();
                tracing::warn!(error = %e, retry_in_ms = wait.as_millis() as u64, "Matrix login failed; retrying");
                tokio::select! {
                    _ = &mut shutdown => return Ok(()),
                    _ = tokio::time::sleep(wait) => {}
                }
            }
            Err(e) => return Err(e),
        }
    };
    let token_saver = session::persist_refreshed_tokens(&client, config);
    let outcome = sync::Adapter::new(app, client, config, options)?.run(shutdown).await;
    token_saver.abort();
    outcome
}
