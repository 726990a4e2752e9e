//! Library log lines that would make an operator distrust the log: matrix-sdk logs an ERROR for
//! every request answered 404 (account data never set, an event looked up that is not there),
//! though the caller expects and handles "not found"; its crypto crate warns "no backup key was
//! found" after every sync of an account that keeps no key backup, as a bot does. [`BenignEvents`]
//! drops the first and lets the second through once, so that ERROR means something is wrong.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

/// Where matrix-sdk logs a failed request (the caller gets the error too).
const HTTP_CLIENT: &str = "matrix_sdk::http_client";
/// Where matrix-sdk's crypto crate logs its key backups.
const BACKUPS: &str = "matrix_sdk_crypto::backups";
/// The backup warning repeated after every sync.
const NO_BACKUP_KEY: &str = "no backup key was found";

/// What to do with one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Keep,
    /// Expected and handled: not written.
    Drop,
    /// Written the first time only.
    Once,
}

/// The verdict on an event of `target` at `level` whose message is `message`.
pub fn verdict(target: &str, level: Level, message: &str) -> Verdict {
    if level == Level::ERROR && target.starts_with(HTTP_CLIENT) && message.contains("status_code: 404") {
        Verdict::Drop
    } else if target.starts_with(BACKUPS) && message.contains(NO_BACKUP_KEY) {
        Verdict::Once
    } else {
        Verdict::Keep
    }
}

/// A layer that disables the known-benign events (see the module documentation); every other
/// event, including every other error of the same libraries, goes through.
#[derive(Debug, Default)]
pub struct BenignEvents {
    backup_warned: AtomicBool,
}

impl<S: Subscriber> Layer<S> for BenignEvents {
    fn event_enabled(&self, event: &Event<'_>, _cx: Context<'_, S>) -> bool {
        let meta = event.metadata();
        let target = meta.target();
        if !target.starts_with(HTTP_CLIENT) && !target.starts_with(BACKUPS) {
            return true;
        }
        let mut message = MessageText::default();
        event.record(&mut message);
        match verdict(target, *meta.level(), &message.0) {
            Verdict::Keep => true,
            Verdict::Drop => false,
            Verdict::Once => !self.backup_warned.swap(true, Ordering::Relaxed),
        }
    }
}

/// The `message` field of an event, as text.
#[derive(Default)]
struct MessageText(String);

impl Visit for MessageText {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0 = value.to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use tracing_subscriber::layer::SubscriberExt;

    const ACCOUNT_DATA_404: &str = r#"Error while sending request: Api(Server(MatrixError(Error { status_code: 404, body: Standard(StandardErrorBody { kind: NotFound, message: "Account data not found" }) })))"#;
    const EVENT_404: &str = r#"Error while sending request: Api(Server(MatrixError(Error { status_code: 404, body: Standard(StandardErrorBody { kind: NotFound, message: "Event not found." }) })))"#;
    const FORBIDDEN: &str = r#"Error while sending request: Api(Server(MatrixError(Error { status_code: 403, body: Standard(StandardErrorBody { kind: Forbidden, message: "You are not in the room" }) })))"#;

    /// The samples are the lines a healthy start logged (matrix-sdk 0.18 against Synapse).
    #[test]
    fn only_the_known_benign_events_are_dropped_or_limited() {
        let rows = [
            ("matrix_sdk::http_client", Level::ERROR, ACCOUNT_DATA_404, Verdict::Drop),
            ("matrix_sdk::http_client", Level::ERROR, EVENT_404, Verdict::Drop),
            ("matrix_sdk::http_client", Level::ERROR, FORBIDDEN, Verdict::Keep),
            (
                "matrix_sdk::http_client",
                Level::ERROR,
                "Error while sending request: Reqwest(connection refused)",
                Verdict::Keep,
            ),
            (
                "relais::platform::matrix",
                Level::ERROR,
                ACCOUNT_DATA_404,
                Verdict::Keep,
            ),
            (
                "matrix_sdk_crypto::backups",
                Level::WARN,
                "Trying to backup room keys but no backup key was found",
                Verdict::Once,
            ),
            (
                "matrix_sdk_crypto::backups",
                Level::WARN,
                "Trying to backup room keys but the backup key wasn't uploaded",
                Verdict::Keep,
            ),
        ];
        for (target, level, message, want) in rows {
            assert_eq!(verdict(target, level, message), want, "{target} {level} {message}");
        }
    }

    /// Collects the messages of the events that reach it.
    #[derive(Clone, Default)]
    struct Written(Arc<Mutex<Vec<String>>>);

    impl<S: Subscriber> Layer<S> for Written {
        fn on_event(&self, event: &Event<'_>, _cx: Context<'_, S>) {
            let mut message = MessageText::default();
            event.record(&mut message);
            self.0.lock().unwrap().push(message.0);
        }
    }

    #[test]
    fn the_layer_drops_the_404s_and_writes_the_backup_warning_once() {
        let written = Written::default();
        let subscriber = tracing_subscriber::registry()
            .with(BenignEvents::default())
            .with(written.clone());
        tracing::subscriber::with_default(subscriber, || {
            for _ in 0..3 {
                tracing::error!(target: "matrix_sdk::http_client", "{ACCOUNT_DATA_404}");
                tracing::warn!(target: "matrix_sdk_crypto::backups", "Trying to backup room keys but no backup key was found");
            }
            tracing::error!(target: "matrix_sdk::http_client", "{FORBIDDEN}");
            tracing::error!("a real error");
        });
        let written = written.0.lock().unwrap().clone();
        assert_eq!(
            written,
            [
                "Trying to backup room keys but no backup key was found",
                FORBIDDEN,
                "a real error"
            ]
        );
    }
}
