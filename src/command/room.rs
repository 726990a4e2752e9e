//! Grammar of `room` (coordinators): how Relais serves the room where the command is typed.
//!
//! ```text
//! room                                        this room's set-up
//! room here team [LANG] [HH:MM]               serve it as a team room (pushes, leaderboard)
//! room here coordinators [LANG] [HH:MM]       serve it as the coordinators' room (reports)
//! room off                                    stop serving it
//! ```
//!
//! `here` may be left out (`room team fr`); `coord` stands for `coordinators`; the language and
//! the push time come in either order, each at most once, and keep the room's current values (or
//! the defaults) when left out.

use super::error::{echo, ParseError, ParseErrorKind};
use super::grammar::expect_end;
use super::tokens::Words;
use super::values::time_of_day;
use super::Command;
use crate::domain::Lang;
use chrono::NaiveTime;

const NAME: &str = "room";
const ACTIONS: &str = "here|off";
const PURPOSES: &str = "team|coordinators";

/// What `room` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomAction {
    /// `room`: show how this room is served.
    Show,
    /// `room here team|coordinators [LANG] [HH:MM]`.
    Serve {
        purpose: RoomPurpose,
        lang: Option<Lang>,
        push_time: Option<NaiveTime>,
    },
    /// `room off`.
    Off,
}

/// What a served room is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomPurpose {
    /// Ambassadors: daily pushes and the weekly leaderboard.
    Team,
    /// Coordinators: the weekly report.
    Coordinators,
}

fn err(kind: ParseErrorKind) -> ParseError {
    ParseError::new(NAME, kind)
}

/// `room …` (after the command word).
pub(super) fn room(mut args: Words<'_>) -> Result<Command, ParseError> {
    let Some(mut word) = args.next() else {
        return Ok(Command::Room(RoomAction::Show));
    };
    if word.eq_ignore_ascii_case("off") {
        expect_end(NAME, args)?;
        return Ok(Command::Room(RoomAction::Off));
    }
    let here = word.eq_ignore_ascii_case("here");
    if here {
        word = args
            .next()
            .ok_or_else(|| err(ParseErrorKind::MissingArgument { what: PURPOSES }))?;
    }
    let purpose = purpose(word).ok_or_else(|| {
        err(ParseErrorKind::InvalidChoice {
            text: echo(word),
            choices: if here { PURPOSES } else { ACTIONS },
        })
    })?;
    let (lang, push_time) = lang_and_time(args)?;
    Ok(Command::Room(RoomAction::Serve {
        purpose,
        lang,
        push_time,
    }))
}

fn purpose(word: &str) -> Option<RoomPurpose> {
    let lower = word.to_ascii_lowercase();
    match lower.trim_end_matches(['\'', '’']) {
        "team" | "teams" | "ambassadors" => Some(RoomPurpose::Team),
        "coordinators" | "coordinator" | "coord" | "coords" => Some(RoomPurpose::Coordinators),
        _ => None,
    }
}

/// The optional `LANG` and `HH:MM`, in either order, each once.
fn lang_and_time(args: Words<'_>) -> Result<(Option<Lang>, Option<NaiveTime>), ParseError> {
    let (mut lang, mut push_time) = (None, None);
    for word in args {
        let unexpected = || err(ParseErrorKind::UnexpectedArgument { extra: echo(word) });
        if word.starts_with(|c: char| c.is_ascii_digit()) {
            let at = time_of_day(word).ok_or_else(|| err(ParseErrorKind::InvalidTime { text: echo(word) }))?;
            if push_time.replace(at).is_some() {
                return Err(unexpected());
            }
        } else {
            let code = word
                .parse::<Lang>()
                .map_err(|_| err(ParseErrorKind::UnsupportedLang { text: echo(word) }))?;
            if lang.replace(code).is_some() {
                return Err(unexpected());
            }
        }
    }
    Ok((lang, push_time))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ParseErrorKind as K;

    fn run(line: &str) -> Result<Command, ParseError> {
        let mut words = Words::new(line);
        assert_eq!(words.next(), Some("room"));
        room(words)
    }

    fn serve(purpose: RoomPurpose, lang: Option<Lang>, time: Option<(u32, u32)>) -> Result<Command, ParseError> {
        let push_time = time.map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap());
        Ok(Command::Room(RoomAction::Serve {
            purpose,
            lang,
            push_time,
        }))
    }

    fn fail(kind: ParseErrorKind) -> Result<Command, ParseError> {
        Err(err(kind))
    }

    #[test]
    fn room_parses_every_form_and_refuses_the_rest_with_the_reason() {
        use RoomPurpose::{Coordinators, Team};
        let t = |s: &str| s.to_string();
        let rows: Vec<(&str, Result<Command, ParseError>)> = vec![
            ("room", Ok(Command::Room(RoomAction::Show))),
            ("room off", Ok(Command::Room(RoomAction::Off))),
            ("room OFF", Ok(Command::Room(RoomAction::Off))),
            ("room here team", serve(Team, None, None)),
            ("room here team fr 09:00", serve(Team, Some(Lang::Fr), Some((9, 0)))),
            ("room here team 8h30 es", serve(Team, Some(Lang::Es), Some((8, 30)))),
            ("room team pt", serve(Team, Some(Lang::PtBr), None)),
            ("room HERE Coordinators", serve(Coordinators, None, None)),
            ("room here coordinators' en", serve(Coordinators, Some(Lang::En), None)),
            ("room here coord 07:45", serve(Coordinators, None, Some((7, 45)))),
            ("room here", fail(K::MissingArgument { what: PURPOSES })),
            (
                "room here lobby",
                fail(K::InvalidChoice {
                    text: t("lobby"),
                    choices: PURPOSES,
                }),
            ),
            (
                "room on",
                fail(K::InvalidChoice {
                    text: t("on"),
                    choices: ACTIONS,
                }),
            ),
            ("room off now", fail(K::UnexpectedArgument { extra: t("now") })),
            ("room here team de", fail(K::UnsupportedLang { text: t("de") })),
            ("room here team 25:00", fail(K::InvalidTime { text: t("25:00") })),
            ("room here team fr es", fail(K::UnexpectedArgument { extra: t("es") })),
            (
                "room here team 09:00 10:00",
                fail(K::UnexpectedArgument { extra: t("10:00") }),
            ),
        ];
        for (line, want) in rows {
            assert_eq!(run(line), want, "{line:?}");
        }
    }
}
