//! Chat commands: the one pure parser from message text to a [`Command`] or a [`ParseError`].
//!
//! Matrix, Discord (slash options map into the same type) and the console all feed this.
//! One grammar per file; tests beside each grammar.

mod coordinator;
mod error;
mod grammar;
mod post;
mod reshare;
mod room;
mod settings;
mod suggest;
#[cfg(test)]
mod tests;
mod tokens;
mod values;
mod zone;

pub use error::{ParseError, ParseErrorKind};
pub use post::problem::{PostProblem, MAX_POST_PROBLEMS};
pub use post::{NewKind, NewPost};
pub use room::{RoomAction, RoomPurpose};
pub(crate) use suggest::distance as edit_distance;

use crate::domain::{ItemId, Lang, WeekKey};
use chrono::{NaiveDate, NaiveTime};

/// Every command Relais understands, after the prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `help [COMMAND]`
    Help { topic: Option<String> },
    /// `today`: today's items with share kits.
    Today,
    /// `shared URL [ITEM]`: claim a reshare. The URL as typed (`<…>`, `[label](…)` unwrapped); the
    /// app checks and normalises it.
    Shared { url: String, item: Option<ItemId> },
    /// `me`: own points, streak, rank and settings.
    Me,
    /// `top`: this week's public leaderboard.
    Top,
    /// `lang CODE`
    Lang { lang: Lang },
    /// `tz ZONE` (IANA name, validated by the parser).
    Tz { zone: String },
    /// `nudges on|off|HH:MM`
    Nudges { setting: NudgeSetting },
    /// `away until DATE` or `away off`
    Away { until: Option<NaiveDate> },
    /// `hide`: leave the public leaderboard.
    Hide,
    /// `show`: appear on the public leaderboard again.
    Show,
    /// `urgent on|off`: receive (or mute) the direct messages of urgent pushes.
    Urgent { on: bool },
    /// `mastodon HOST` or `mastodon off`: the instance for one-tap Mastodon sharing.
    Mastodon { instance: Option<String> },
    /// `link` (get a code) or `link CODE` (join this identity to the one that asked for the code).
    Link { code: Option<String> },
    /// `my-data`: everything Relais stores about the sender.
    MyData,
    /// `forget-me` (asks to confirm) or `forget-me confirm`.
    ForgetMe { confirmed: bool },
    /// Coordinator: `post add` followed by `key: value` lines.
    PostAdd(Box<NewPost>),
    /// Coordinator: `post list [draft|approved|cancelled|all]`
    PostList { filter: PostFilter },
    /// Coordinator: `post show ID`
    PostShow { id: ItemId },
    /// Coordinator: `post approve ID`
    PostApprove { id: ItemId },
    /// Coordinator: `post cancel ID`
    PostCancel { id: ItemId },
    /// Coordinator: `post push ID`: push an item now to every team room and by direct message.
    PostPush { id: ItemId },
    /// Coordinator: `report [WEEK]`
    Report { week: Option<WeekKey> },
    /// Coordinator: `ambassadors`
    Ambassadors,
    /// Coordinator: `role grant|revoke ACCOUNT` (the account as typed; checked by the app)
    Role { grant: bool, user: String },
    /// Coordinator: `room`, `room here team|coordinators [LANG] [HH:MM]`, `room off`: how Relais
    /// serves the room where it is typed.
    Room(RoomAction),
}

/// Argument of `nudges`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NudgeSetting {
    On,
    Off,
    At(NaiveTime),
}

/// Argument of `post list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostFilter {
    /// Drafts and approved items (the default).
    Open,
    Draft,
    Approved,
    Cancelled,
    All,
}

impl Command {
    /// Whether only coordinators may run this command.
    pub fn needs_coordinator(&self) -> bool {
        matches!(
            self,
            Command::PostAdd(_)
                | Command::PostList { .. }
                | Command::PostShow { .. }
                | Command::PostApprove { .. }
                | Command::PostCancel { .. }
                | Command::PostPush { .. }
                | Command::Report { .. }
                | Command::Ambassadors
                | Command::Role { .. }
                | Command::Room(_)
        )
    }

    /// The command's name as typed (`post add`), for logs and help.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Help { .. } => "help",
            Command::Today => "today",
            Command::Shared { .. } => "shared",
            Command::Me => "me",
            Command::Top => "top",
            Command::Lang { .. } => "lang",
            Command::Tz { .. } => "tz",
            Command::Nudges { .. } => "nudges",
            Command::Away { .. } => "away",
            Command::Hide => "hide",
            Command::Show => "show",
            Command::Urgent { .. } => "urgent",
            Command::Mastodon { .. } => "mastodon",
            Command::Link { .. } => "link",
            Command::MyData => "my-data",
            Command::ForgetMe { .. } => "forget-me",
            Command::PostAdd(_) => "post add",
            Command::PostList { .. } => "post list",
            Command::PostShow { .. } => "post show",
            Command::PostApprove { .. } => "post approve",
            Command::PostCancel { .. } => "post cancel",
            Command::PostPush { .. } => "post push",
            Command::Report { .. } => "report",
            Command::Ambassadors => "ambassadors",
            Command::Role { .. } => "role",
            Command::Room(_) => "room",
        }
    }
}

/// One row of the command table: the single source for help, usage and suggestions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandSpec {
    /// As typed after the prefix (`post add`).
    pub name: &'static str,
    /// Arguments as shown in usage (`URL [ITEM]`).
    pub args: &'static str,
    pub coordinator_only: bool,
}

/// The command table, in the order `help` lists it.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "help",
        args: "[COMMAND]",
        coordinator_only: false,
    },
    CommandSpec {
        name: "today",
        args: "",
        coordinator_only: false,
    },
    CommandSpec {
        name: "shared",
        args: "URL [ITEM]",
        coordinator_only: false,
    },
    CommandSpec {
        name: "me",
        args: "",
        coordinator_only: false,
    },
    CommandSpec {
        name: "top",
        args: "",
        coordinator_only: false,
    },
    CommandSpec {
        name: "lang",
        args: "en|fr|es|ca|pt-PT|pt-BR",
        coordinator_only: false,
    },
    CommandSpec {
        name: "tz",
        args: "ZONE",
        coordinator_only: false,
    },
    CommandSpec {
        name: "nudges",
        args: "on|off|HH:MM",
        coordinator_only: false,
    },
    CommandSpec {
        name: "away",
        args: "until YYYY-MM-DD | off",
        coordinator_only: false,
    },
    CommandSpec {
        name: "hide",
        args: "",
        coordinator_only: false,
    },
    CommandSpec {
        name: "show",
        args: "",
        coordinator_only: false,
    },
    CommandSpec {
        name: "urgent",
        args: "on|off",
        coordinator_only: false,
    },
    CommandSpec {
        name: "mastodon",
        args: "HOST | off",
        coordinator_only: false,
    },
    CommandSpec {
        name: "link",
        args: "[CODE]",
        coordinator_only: false,
    },
    CommandSpec {
        name: "my-data",
        args: "",
        coordinator_only: false,
    },
    CommandSpec {
        name: "forget-me",
        args: "[confirm]",
        coordinator_only: false,
    },
    CommandSpec {
        name: "post add",
        args: "",
        coordinator_only: true,
    },
    CommandSpec {
        name: "post list",
        args: "[draft|approved|cancelled|all]",
        coordinator_only: true,
    },
    CommandSpec {
        name: "post show",
        args: "ITEM",
        coordinator_only: true,
    },
    CommandSpec {
        name: "post approve",
        args: "ITEM",
        coordinator_only: true,
    },
    CommandSpec {
        name: "post cancel",
        args: "ITEM",
        coordinator_only: true,
    },
    CommandSpec {
        name: "post push",
        args: "ITEM",
        coordinator_only: true,
    },
    CommandSpec {
        name: "report",
        args: "[YYYY-Www]",
        coordinator_only: true,
    },
    CommandSpec {
        name: "ambassadors",
        args: "",
        coordinator_only: true,
    },
    CommandSpec {
        name: "role",
        args: "grant|revoke ACCOUNT",
        coordinator_only: true,
    },
    CommandSpec {
        name: "room",
        args: "here team|coordinators [LANG] [HH:MM] | off",
        coordinator_only: true,
    },
];

/// Looks a command up in [`COMMANDS`] by its typed name.
pub fn spec(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// Parses one message.
///
/// Returns `None` when the message is not addressed to Relais (it does not start with `prefix`),
/// `Some(Ok(command))` for a valid command and `Some(Err(_))` with the reason and the usage
/// otherwise. Never panics, whatever the input.
pub fn parse(text: &str, prefix: &str) -> Option<Result<Command, ParseError>> {
    grammar::parse(text, prefix)
}

/// Whether `line` opens a multi-line command (`post add` with its fields still to come), so that
/// line-based adapters (the console) know to read on until an empty line.
pub fn opens_multiline(line: &str, prefix: &str) -> bool {
    !line.contains('\n')
        && matches!(
            parse(line, prefix),
            Some(Err(ParseError {
                kind: ParseErrorKind::PostInvalid { problems, .. },
                ..
            })) if problems.iter().all(|p| matches!(p, PostProblem::MissingField { .. }))
        )
}
