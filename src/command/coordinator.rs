//! Grammar of the coordinator commands: `post add|list|show|approve|cancel|push`, `report` and `role`.
//!
//! The `post add` field lines are parsed in [`super::post`].

use super::error::{echo, ParseError, ParseErrorKind};
use super::grammar::expect_end;
use super::post::post_add;
use super::tokens::Words;
use super::values::item_id;
use super::{Command, PostFilter};
use crate::domain::{ItemId, WeekKey};

const POST_ACTIONS: &str = "add|list|show|approve|cancel|push";

/// `post ACTION ...`; `more_lines` are the lines after the command line (the fields of `post add`).
pub(super) fn post(mut args: Words<'_>, more_lines: &str) -> Result<Command, ParseError> {
    let Some(action) = args.next() else {
        return Err(ParseError::general(ParseErrorKind::MissingArgument {
            what: POST_ACTIONS,
        }));
    };
    let mut buf = [0u8; 16];
    match super::tokens::ascii_lower(action, &mut buf).unwrap_or_default() {
        "add" => {
            expect_end("post add", args)?;
            post_add(more_lines).map(|new| Command::PostAdd(Box::new(new)))
        }
        "list" => post_list(args),
        "show" => post_item("post show", args).map(|id| Command::PostShow { id }),
        "approve" => post_item("post approve", args).map(|id| Command::PostApprove { id }),
        "cancel" => post_item("post cancel", args).map(|id| Command::PostCancel { id }),
        "push" => post_item("post push", args).map(|id| Command::PostPush { id }),
        _ => Err(ParseError::general(ParseErrorKind::InvalidChoice {
            text: echo(action),
            choices: POST_ACTIONS,
        })),
    }
}

/// `post list [draft|approved|cancelled|all]` (plural and US spellings accepted).
fn post_list(mut args: Words<'_>) -> Result<Command, ParseError> {
    const CHOICES: &str = "draft|approved|cancelled|all";
    let word = args.next();
    expect_end("post list", args)?;
    let Some(word) = word else {
        return Ok(Command::PostList {
            filter: PostFilter::Open,
        });
    };
    let mut buf = [0u8; 16];
    let filter = match super::tokens::ascii_lower(word, &mut buf).unwrap_or_default() {
        "draft" | "drafts" => PostFilter::Draft,
        "approved" => PostFilter::Approved,
        "cancelled" | "canceled" => PostFilter::Cancelled,
        "all" => PostFilter::All,
        "open" => PostFilter::Open,
        _ => {
            let kind = ParseErrorKind::InvalidChoice {
                text: echo(word),
                choices: CHOICES,
            };
            return Err(ParseError::new("post list", kind));
        }
    };
    Ok(Command::PostList { filter })
}

/// The single `ITEM` argument of `post show|approve|cancel|push`.
fn post_item(command: &'static str, mut args: Words<'_>) -> Result<ItemId, ParseError> {
    let word = args
        .next()
        .ok_or_else(|| ParseError::new(command, ParseErrorKind::MissingArgument { what: "ITEM" }))?;
    expect_end(command, args)?;
    item_id(word).ok_or_else(|| ParseError::new(command, ParseErrorKind::InvalidItem { text: echo(word) }))
}

/// `report [WEEK]`.
pub(super) fn report(mut args: Words<'_>) -> Result<Command, ParseError> {
    let word = args.next();
    expect_end("report", args)?;
    let week = match word {
        None => None,
        Some(word) => Some(
            word.parse::<WeekKey>()
                .map_err(|_| ParseError::new("report", ParseErrorKind::InvalidWeek { text: echo(word) }))?,
        ),
    };
    Ok(Command::Report { week })
}

/// `role grant|revoke ACCOUNT`: the account as typed (`@alice:example.org`, `<@123>`); the app
/// checks that it is an account id.
pub(super) fn role(mut args: Words<'_>) -> Result<Command, ParseError> {
    let err = |kind| ParseError::new("role", kind);
    let action = args
        .next()
        .ok_or_else(|| err(ParseErrorKind::MissingArgument { what: "grant|revoke" }))?;
    let grant = if action.eq_ignore_ascii_case("grant") {
        true
    } else if action.eq_ignore_ascii_case("revoke") {
        false
    } else {
        return Err(err(ParseErrorKind::InvalidChoice {
            text: echo(action),
            choices: "grant|revoke",
        }));
    };
    let user = args
        .next()
        .ok_or_else(|| err(ParseErrorKind::MissingArgument { what: "ACCOUNT" }))?;
    expect_end("role", args)?;
    Ok(Command::Role {
        grant,
        user: user.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ParseErrorKind as K;

    fn run(line: &str) -> Result<Command, ParseError> {
        let mut words = Words::new(line);
        match words.next() {
            Some("post") => post(words, ""),
            Some("report") => report(words),
            Some("role") => role(words),
            _ => Err(ParseError::general(K::Empty)),
        }
    }

    fn fail(command: Option<&'static str>, kind: ParseErrorKind) -> Result<Command, ParseError> {
        Err(ParseError { command, kind })
    }

    #[test]
    fn coordinator_commands_parse_their_arguments() {
        let week = WeekKey { year: 2026, week: 47 };
        let t = |s: &str| s.to_string();
        let rows: Vec<(&str, Result<Command, ParseError>)> = vec![
            (
                "post list",
                Ok(Command::PostList {
                    filter: PostFilter::Open,
                }),
            ),
            (
                "post LIST drafts",
                Ok(Command::PostList {
                    filter: PostFilter::Draft,
                }),
            ),
            (
                "post list approved",
                Ok(Command::PostList {
                    filter: PostFilter::Approved,
                }),
            ),
            (
                "post list canceled",
                Ok(Command::PostList {
                    filter: PostFilter::Cancelled,
                }),
            ),
            (
                "post list all",
                Ok(Command::PostList {
                    filter: PostFilter::All,
                }),
            ),
            (
                "post list old",
                fail(
                    Some("post list"),
                    K::InvalidChoice {
                        text: t("old"),
                        choices: "draft|approved|cancelled|all",
                    },
                ),
            ),
            (
                "post list all now",
                fail(Some("post list"), K::UnexpectedArgument { extra: t("now") }),
            ),
            ("post show c4", Ok(Command::PostShow { id: ItemId(4) })),
            ("post approve #C5", Ok(Command::PostApprove { id: ItemId(5) })),
            ("post cancel c6", Ok(Command::PostCancel { id: ItemId(6) })),
            ("post push c7", Ok(Command::PostPush { id: ItemId(7) })),
            ("post PUSH #C8", Ok(Command::PostPush { id: ItemId(8) })),
            (
                "post push",
                fail(Some("post push"), K::MissingArgument { what: "ITEM" }),
            ),
            ("post push 7", fail(Some("post push"), K::InvalidItem { text: t("7") })),
            (
                "post push c7 now",
                fail(Some("post push"), K::UnexpectedArgument { extra: t("now") }),
            ),
            (
                "post show",
                fail(Some("post show"), K::MissingArgument { what: "ITEM" }),
            ),
            (
                "post approve 5",
                fail(Some("post approve"), K::InvalidItem { text: t("5") }),
            ),
            (
                "post cancel c6 c7",
                fail(Some("post cancel"), K::UnexpectedArgument { extra: t("c7") }),
            ),
            ("post", fail(None, K::MissingArgument { what: POST_ACTIONS })),
            (
                "post frob",
                fail(
                    None,
                    K::InvalidChoice {
                        text: t("frob"),
                        choices: POST_ACTIONS,
                    },
                ),
            ),
            (
                "post add now",
                fail(Some("post add"), K::UnexpectedArgument { extra: t("now") }),
            ),
            ("report", Ok(Command::Report { week: None })),
            ("report 2026-W47", Ok(Command::Report { week: Some(week) })),
            ("report 2026w47", Ok(Command::Report { week: Some(week) })),
            (
                "report last-week",
                fail(Some("report"), K::InvalidWeek { text: t("last-week") }),
            ),
            (
                "report 2026-W47 2026-W48",
                fail(Some("report"), K::UnexpectedArgument { extra: t("2026-W48") }),
            ),
            (
                "role grant @alice:example.org",
                Ok(Command::Role {
                    grant: true,
                    user: t("@alice:example.org"),
                }),
            ),
            (
                "role REVOKE <@123>",
                Ok(Command::Role {
                    grant: false,
                    user: t("<@123>"),
                }),
            ),
            (
                "role grant alice",
                Ok(Command::Role {
                    grant: true,
                    user: t("alice"),
                }),
            ),
            ("role", fail(Some("role"), K::MissingArgument { what: "grant|revoke" })),
            (
                "role promote bob",
                fail(
                    Some("role"),
                    K::InvalidChoice {
                        text: t("promote"),
                        choices: "grant|revoke",
                    },
                ),
            ),
            ("role grant", fail(Some("role"), K::MissingArgument { what: "ACCOUNT" })),
            (
                "role grant bob carol",
                fail(Some("role"), K::UnexpectedArgument { extra: t("carol") }),
            ),
        ];
        for (line, want) in rows {
            assert_eq!(run(line), want, "{line:?}");
        }
    }
}
