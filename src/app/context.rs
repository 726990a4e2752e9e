//! What a command handler works with: the app, the message, the sender, the time, and helpers
//! to render replies in the sender's language.

use super::{App, Effect};
use crate::domain::{Ambassador, Identity, Lang, RoomRef};
use crate::store::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

/// A chat message as every adapter hands it to the core.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    pub from: Identity,
    /// The sender's display name on the platform (used only when creating a profile).
    pub display_name: String,
    pub room: RoomRef,
    /// A direct (one-to-one) conversation with the bot.
    pub direct: bool,
    /// The plain text body.
    pub text: String,
}

/// Shorthands for reply effects.
pub struct Reply;

impl Reply {
    pub fn text(text: String) -> Effect {
        Effect::Reply {
            text,
            mentions: Vec::new(),
        }
    }
}

/// Why a handler did not complete: a user error (rendered from `key`) or an internal one (logged;
/// the user sees a short apology).
#[derive(Debug)]
pub enum Failure {
    User { key: &'static str, vars: Value },
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl Failure {
    pub fn user(key: &'static str, vars: Value) -> Self {
        Failure::User { key, vars }
    }

    pub fn internal(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Failure::Internal(error.into())
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Internal(Box::new(e))
    }
}

/// The context of one command.
pub struct Ctx<'a, 'b> {
    pub app: &'b App<'a>,
    pub msg: &'b Incoming,
    pub who: Ambassador,
    pub now: DateTime<Utc>,
}

impl<'a, 'b> Ctx<'a, 'b> {
    pub fn new(app: &'b App<'a>, msg: &'b Incoming, who: Ambassador, now: DateTime<Utc>) -> Self {
        Ctx { app, msg, who, now }
    }

    pub fn lang(&self) -> Lang {
        self.who.lang
    }

    /// Renders `key` in the sender's language.
    pub fn text(&self, key: &str, vars: Value) -> String {
        self.app.prompts.render(self.who.lang, key, &vars)
    }

    /// A reply rendered in the sender's language.
    pub fn reply(&self, key: &str, vars: Value) -> Effect {
        Reply::text(self.text(key, vars))
    }

    /// Coordinator by role, or by being named in the configuration.
    pub fn is_coordinator(&self) -> bool {
        self.who.is_coordinator()
            || self
                .who
                .identities
                .iter()
                .any(|i| self.app.settings.coordinators.contains(i))
    }

    /// Today's date in the organisation's time zone.
    pub fn today_org(&self) -> NaiveDate {
        self.now.with_timezone(&self.app.settings.org_tz).date_naive()
    }

    /// Today's date in the sender's time zone.
    pub fn today_local(&self) -> NaiveDate {
        self.now.with_timezone(&self.who.time_zone()).date_naive()
    }

    /// Saves the sender's profile.
    pub fn save(&self) -> Result<(), Failure> {
        self.app.store.put_ambassador(&self.who)?;
        Ok(())
    }

    /// Formats a UTC instant as a local date-time in the sender's zone (`2026-11-23 18:00`).
    pub fn local_time(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.who.time_zone())
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }
}
