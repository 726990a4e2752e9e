//! The application core: turns incoming messages into effects, using the domain rules and a store.
//!
//! `App::receive` is the one entry point for chat messages from every platform. In a room Relais
//! does not serve it runs a coordinator's `room` command only (see [`rooms`]); elsewhere
//! `App::handle` parses, checks permissions, runs the command against the
//! [`Store`](crate::store::Store) and returns [`Effect`]s for the adapter to carry out. Time is a
//! parameter; nothing here does I/O besides calling the store.

mod accounts;
mod admin;
mod context;
pub mod effect;
mod help;
mod people;
mod posts;
mod privacy;
mod profile;
pub mod report;
mod reshare;
pub mod rooms;
pub mod scheduler;
pub mod settings;
mod today;
mod urgent;

pub use context::{Incoming, Reply};
pub use effect::Effect;
pub use people::pseudonym_code;
pub use rooms::RoomBook;
pub use settings::{CampaignGoal, RoomSettings, ScheduleSettings, Settings};
pub use today::daily_push;

use crate::command::{self, Command};
use crate::domain::{Ambassador, Identity, ItemId, RoomRef};
use crate::prompts::Prompts;
use crate::store::Store;
use chrono::{DateTime, Utc};
use context::{Ctx, Failure};
use serde_json::json;

/// The core of one Relais instance: settings, prompts, a store and the rooms it serves.
pub struct App<'a> {
    pub settings: &'a Settings,
    pub prompts: &'a Prompts,
    pub store: &'a dyn Store,
    /// The rooms served: `settings.rooms` as changed from chat (see [`rooms`]).
    pub rooms: RoomBook,
}

impl<'a> App<'a> {
    /// The core over `store`, serving the configuration's rooms as changed from chat.
    pub fn new(settings: &'a Settings, prompts: &'a Prompts, store: &'a dyn Store) -> Self {
        App {
            settings,
            prompts,
            store,
            rooms: RoomBook::load(settings, store),
        }
    }

    /// Whether Relais serves `room` (set up in the configuration or from chat, and not stopped).
    pub fn serves(&self, room: &RoomRef) -> bool {
        self.rooms.get(room).is_some()
    }

    /// A message as an adapter hands it over: [`App::handle`] in a direct chat or a room Relais
    /// serves, else [`App::handle_unserved`].
    pub fn receive(&self, msg: &Incoming, now: DateTime<Utc>) -> Vec<Effect> {
        if msg.direct || self.serves(&msg.room) {
            self.handle(msg, now)
        } else {
            self.handle_unserved(msg, now)
        }
    }

    /// A message in a room Relais does not serve (neither set up nor a direct chat): a
    /// coordinator's `room` command runs as usual (it sets the room up); any other command gets one line
    /// saying the room is not served and how to set it up, the first time in that room only.
    pub fn handle_unserved(&self, msg: &Incoming, now: DateTime<Utc>) -> Vec<Effect> {
        match command::parse(&msg.text, &self.settings.prefix) {
            None => Vec::new(),
            Some(Ok(Command::Room(_))) if self.is_coordinator(&msg.from) => self.handle(msg, now),
            Some(_) => rooms::tell_unserved_once(self, msg, self.guest_lang(msg)),
        }
    }

    /// Whether `from` is a coordinator, by the configuration or by role (without making a profile).
    fn is_coordinator(&self, from: &Identity) -> bool {
        let named = |id: &Identity| self.settings.coordinators.contains(id);
        named(from)
            || matches!(self.store.ambassador_by_identity(from),
                Ok(Some(who)) if who.is_coordinator() || who.identities.iter().any(named))
    }

    /// Handles one chat message: returns nothing when it is not addressed to Relais.
    pub fn handle(&self, msg: &Incoming, now: DateTime<Utc>) -> Vec<Effect> {
        let prefix = self.settings.prefix.as_str();
        if !msg.text.trim_start().starts_with(prefix) {
            return Vec::new();
        }
        let length = msg.text.chars().count();
        if length > self.settings.max_message_chars {
            let lang = self.guest_lang(msg);
            let max = self.settings.max_message_chars;
            return vec![Reply::text(self.prompts.render(
                lang,
                "error.too_long",
                &json!({"max": max, "length": length}),
            ))];
        }
        match command::parse(&msg.text, prefix) {
            None => Vec::new(),
            Some(Err(e)) => {
                let lang = self.guest_lang(msg);
                vec![Reply::text(help::render_parse_error(self, lang, &e))]
            }
            Some(Ok(cmd)) => self.run(msg, cmd, now),
        }
    }

    /// Records a quick claim: the ambassador reacted to a push message about `item`.
    pub fn claim_by_reaction(&self, msg: &Incoming, item: ItemId, now: DateTime<Utc>) -> Vec<Effect> {
        self.with_ctx(msg, now, |ctx| reshare::quick_claim(ctx, item))
    }

    /// A reaction that made a quick claim on `item` was taken back (redacted): withdraws the claim
    /// unless a URL was given for it since. Silent; never creates a profile.
    pub fn withdraw_reaction_claim(&self, msg: &Incoming, item: ItemId) -> Vec<Effect> {
        let who = match self.store.ambassador_by_identity(&msg.from) {
            Ok(Some(who)) => who,
            Ok(None) => return Vec::new(),
            Err(e) => return vec![self.internal_error(msg, &e)],
        };
        match reshare::withdraw_quick_claim(self.store, who.id, item) {
            Ok(_) => Vec::new(),
            Err(e) => vec![self.internal_error(msg, &e)],
        }
    }

    fn run(&self, msg: &Incoming, cmd: Command, now: DateTime<Utc>) -> Vec<Effect> {
        // Commands that must not create a profile for a stranger.
        if matches!(
            cmd,
            Command::Help { .. } | Command::ForgetMe { .. } | Command::MyData | Command::Link { code: Some(_) }
        ) {
            match self.store.ambassador_by_identity(&msg.from) {
                Ok(None) => return self.run_as_guest(msg, &cmd, now),
                Ok(Some(_)) => {}
                Err(e) => return vec![self.internal_error(msg, &e)],
            }
        }
        self.with_ctx(msg, now, |ctx| {
            if cmd.needs_coordinator() && !ctx.is_coordinator() {
                tracing::warn!(who = %ctx.msg.from, command = cmd.name(), "coordinator command refused");
                return Err(Failure::user("error.coordinators_only", json!({"command": cmd.name()})));
            }
            dispatch(ctx, cmd)
        })
    }

    fn run_as_guest(&self, msg: &Incoming, cmd: &Command, now: DateTime<Utc>) -> Vec<Effect> {
        let lang = self.guest_lang(msg);
        let text = match cmd {
            Command::Help { topic } => {
                let coordinator = self.settings.coordinators.contains(&msg.from);
                help::help_text(self, lang, topic.as_deref(), coordinator)
            }
            Command::Link { code: Some(code) } => {
                return self.with_ctx(msg, now, |ctx| accounts::link_with_code(ctx, code));
            }
            _ => self.prompts.render(lang, "privacy.nothing_stored", &json!({})),
        };
        vec![Reply::text(text)]
    }

    /// Runs `f` with a context for the sender (registering them on first contact) and turns its
    /// result into effects: user failures become a reply, internal ones are logged.
    fn with_ctx(
        &self,
        msg: &Incoming,
        now: DateTime<Utc>,
        f: impl FnOnce(&mut Ctx) -> Result<Vec<Effect>, Failure>,
    ) -> Vec<Effect> {
        let (who, is_new) = match self.sender(msg, now) {
            Ok(found) => found,
            Err(e) => return vec![self.internal_error(msg, &e)],
        };
        let mut ctx = Ctx::new(self, msg, who, now);
        let mut effects = Vec::new();
        if is_new {
            effects.push(ctx.reply(
                "welcome",
                json!({"name": ctx.who.display_name, "prefix": self.settings.prefix, "org": self.settings.org_name, "coordinator": ctx.is_coordinator()}),
            ));
        }
        match f(&mut ctx) {
            Ok(more) => effects.extend(more),
            Err(Failure::User { key, vars }) => effects.push(ctx.reply(key, vars)),
            Err(Failure::Internal(e)) => effects.push(self.internal_error(msg, &e)),
        }
        effects
    }

    /// The sender's profile, created on first contact. Returns whether it was created.
    fn sender(&self, msg: &Incoming, now: DateTime<Utc>) -> Result<(Ambassador, bool), crate::store::StoreError> {
        if let Some(found) = self.store.ambassador_by_identity(&msg.from)? {
            return Ok((found, false));
        }
        let id = self.store.next_ambassador_id()?;
        let who = people::new_ambassador(self, id, msg, now);
        self.store.put_ambassador(&who)?;
        tracing::info!(ambassador = %who.id, "new ambassador");
        Ok((who, true))
    }

    /// The language for someone who may have no profile: theirs, else the room's, else the default.
    fn guest_lang(&self, msg: &Incoming) -> crate::domain::Lang {
        self.lang_of(&msg.from, Some(&msg.room))
    }

    /// `from`'s language, else `room`'s, else the default.
    fn lang_of(&self, from: &Identity, room: Option<&RoomRef>) -> crate::domain::Lang {
        if let Ok(Some(a)) = self.store.ambassador_by_identity(from) {
            return a.lang;
        }
        room.and_then(|room| self.rooms.get(room))
            .map(|r| r.lang)
            .unwrap_or(self.settings.default_lang)
    }

    /// The note telling the sender of a command that its posts in `rooms` were not sent: the
    /// adapter found the bot is not in those rooms (never invited, removed or left) when it sent them.
    pub fn not_posted_note(&self, from: &Identity, rooms: &[RoomRef]) -> String {
        let names: Vec<&str> = rooms.iter().map(|r| r.room.as_str()).collect();
        let lang = self.lang_of(from, None);
        self.prompts.render(lang, "error.not_posted", &json!({"rooms": names}))
    }

    fn internal_error(&self, msg: &Incoming, e: &dyn std::fmt::Display) -> Effect {
        tracing::error!(error = %e, from = %msg.from, "internal error while handling a message");
        Reply::text(self.prompts.render(self.guest_lang(msg), "error.internal", &json!({})))
    }
}

fn dispatch(ctx: &mut Ctx, cmd: Command) -> Result<Vec<Effect>, Failure> {
    match cmd {
        Command::Help { topic } => Ok(vec![help::help(ctx, topic.as_deref())]),
        Command::Today => today::today(ctx),
        Command::Shared { url, item } => reshare::shared(ctx, &url, item),
        Command::Me => profile::me(ctx),
        Command::Top => people::top(ctx),
        Command::Lang { lang } => profile::set_lang(ctx, lang),
        Command::Tz { zone } => profile::set_tz(ctx, &zone),
        Command::Nudges { setting } => profile::set_nudges(ctx, setting),
        Command::Away { until } => profile::set_away(ctx, until),
        Command::Hide => profile::set_hidden(ctx, true),
        Command::Show => profile::set_hidden(ctx, false),
        Command::Urgent { on } => urgent::set_urgent(ctx, on),
        Command::Mastodon { instance } => profile::set_mastodon(ctx, instance),
        Command::Link { code: None } => accounts::link_code(ctx),
        Command::Link { code: Some(code) } => accounts::link_with_code(ctx, &code),
        Command::MyData => privacy::my_data(ctx),
        Command::ForgetMe { confirmed } => privacy::forget_me(ctx, confirmed),
        Command::PostAdd(post) => posts::add(ctx, *post),
        Command::PostList { filter } => posts::list(ctx, filter),
        Command::PostShow { id } => posts::show(ctx, id),
        Command::PostApprove { id } => posts::approve(ctx, id),
        Command::PostCancel { id } => posts::cancel(ctx, id),
        Command::PostPush { id } => urgent::post_push(ctx, id),
        Command::Report { week } => report::report(ctx, week),
        Command::Ambassadors => admin::ambassadors(ctx),
        Command::Role { grant, user } => admin::role(ctx, grant, &user),
        Command::Room(action) => rooms::room(ctx, action),
    }
}
