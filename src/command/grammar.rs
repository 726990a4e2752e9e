//! The top of the grammar: prefix, command word and dispatch, plus the commands without real arguments
//! (`help`, `today`, `me`, `top`, `my-data`, `link`, `forget-me`, `ambassadors`).
//!
//! Only the first line is the command; later lines matter to `post add` alone.

use super::error::{echo, ParseError, ParseErrorKind};
use super::suggest::{command_suggestion, ALIASES};
use super::tokens::{ascii_lower, first_line, strip_prefix, Addressed, Words};
use super::{coordinator, reshare, room, settings, Command};

/// See [`super::parse`].
pub fn parse(text: &str, prefix: &str) -> Option<Result<Command, ParseError>> {
    let body = match strip_prefix(text, prefix) {
        Addressed::NotForUs => return None,
        Addressed::Empty => return Some(Err(ParseError::general(ParseErrorKind::Empty))),
        Addressed::Body(body) => body,
    };
    let (line, more_lines) = first_line(body);
    let mut words = Words::new(line);
    let word = words.next().unwrap_or_default();
    let mut buf = [0u8; 16];
    let Some(lower) = ascii_lower(word, &mut buf) else {
        return Some(Err(unknown(word)));
    };
    Some(dispatch(lower, word, words, more_lines))
}

fn dispatch(lower: &str, word: &str, args: Words<'_>, more_lines: &str) -> Result<Command, ParseError> {
    match lower {
        "help" => help(args),
        "today" => bare("today", args, Command::Today),
        "shared" => reshare::shared(args),
        "me" => bare("me", args, Command::Me),
        "top" | "leaderboard" | "board" => bare("top", args, Command::Top),
        "lang" => settings::lang(args),
        "tz" => settings::tz(args),
        "nudges" => settings::nudges(args),
        "away" => settings::away(args),
        "hide" => bare("hide", args, Command::Hide),
        "show" => bare("show", args, Command::Show),
        "mastodon" => settings::mastodon(args),
        "urgent" => settings::urgent(args),
        "link" => link(args),
        "my-data" | "mydata" | "my_data" => bare("my-data", args, Command::MyData),
        "forget-me" | "forgetme" | "forget_me" => forget_me(args),
        "post" => coordinator::post(args, more_lines),
        "report" => coordinator::report(args),
        "ambassadors" => bare("ambassadors", args, Command::Ambassadors),
        "role" => coordinator::role(args),
        "room" => room::room(args),
        _ => Err(unknown(word)),
    }
}

fn unknown(word: &str) -> ParseError {
    ParseError::general(ParseErrorKind::UnknownCommand {
        typed: echo(word),
        suggestion: command_suggestion(word),
    })
}

/// Fails with `UnexpectedArgument` when anything is left on the command line.
pub(super) fn expect_end(command: &'static str, args: Words<'_>) -> Result<(), ParseError> {
    if args.is_empty() {
        Ok(())
    } else {
        Err(ParseError::new(
            command,
            ParseErrorKind::UnexpectedArgument {
                extra: echo(args.rest()),
            },
        ))
    }
}

/// A command that takes no argument.
fn bare(command: &'static str, args: Words<'_>, value: Command) -> Result<Command, ParseError> {
    expect_end(command, args).map(|()| value)
}

/// `help [COMMAND]`: the topic lower-cased, up to two words (`post add`), a leading `!`-like sign dropped,
/// aliases mapped to their command (`help leaderboard` → `top`).
fn help(mut args: Words<'_>) -> Result<Command, ParseError> {
    let first = args
        .next()
        .map(|w| w.trim_start_matches(|c: char| c.is_ascii_punctuation()));
    let second = args.next();
    expect_end("help", args)?;
    let Some(first) = first.filter(|w| !w.is_empty()) else {
        return Ok(Command::Help { topic: None });
    };
    let first = first.to_lowercase();
    let first = ALIASES
        .iter()
        .find(|(alias, _)| *alias == first)
        .map_or(first, |(_, target)| target.to_string());
    let topic = match second {
        Some(sub) => format!("{first} {}", sub.to_lowercase()),
        None => first,
    };
    Ok(Command::Help { topic: Some(topic) })
}

/// `link [CODE]`: the code upper-cased.
fn link(mut args: Words<'_>) -> Result<Command, ParseError> {
    let code = args.next().map(str::to_uppercase);
    expect_end("link", args)?;
    Ok(Command::Link { code })
}

/// `forget-me [confirm]`.
fn forget_me(mut args: Words<'_>) -> Result<Command, ParseError> {
    let confirmed = match args.next() {
        None => false,
        Some(word) if word.eq_ignore_ascii_case("confirm") => true,
        Some(word) => {
            let kind = ParseErrorKind::InvalidChoice {
                text: echo(word),
                choices: "confirm",
            };
            return Err(ParseError::new("forget-me", kind));
        }
    };
    expect_end("forget-me", args)?;
    Ok(Command::ForgetMe { confirmed })
}
