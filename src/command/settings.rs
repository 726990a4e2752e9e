//! Grammar of the personal settings: `lang`, `tz`, `nudges`, `away`, `urgent` and `mastodon`.

use super::error::{echo, ParseError, ParseErrorKind};
use super::grammar::expect_end;
use super::tokens::Words;
use super::values::{date, server_host, time_of_day};
use super::{zone, Command, NudgeSetting};
use crate::domain::Lang;

/// `lang CODE`: any spelling `Lang::from_str` accepts (`fr`, `pt-BR`, `français`).
pub(super) fn lang(mut args: Words<'_>) -> Result<Command, ParseError> {
    let err = |kind| ParseError::new("lang", kind);
    let code = args.next().ok_or_else(|| {
        err(ParseErrorKind::MissingArgument {
            what: "en|fr|es|ca|pt-PT|pt-BR",
        })
    })?;
    expect_end("lang", args)?;
    let lang = code
        .parse::<Lang>()
        .map_err(|_| err(ParseErrorKind::UnsupportedLang { text: echo(code) }))?;
    Ok(Command::Lang { lang })
}

/// `tz ZONE`: an IANA name in any case; several words are read as one name with underscores
/// (`tz America/New York`), else the words after a valid zone are unexpected.
pub(super) fn tz(mut args: Words<'_>) -> Result<Command, ParseError> {
    let err = |kind| ParseError::new("tz", kind);
    let all = args.rest();
    let first = args
        .next()
        .ok_or_else(|| err(ParseErrorKind::MissingArgument { what: "ZONE" }))?;
    let typed = if args.is_empty() { first } else { all };
    match zone::resolve(typed) {
        Ok(name) => Ok(Command::Tz { zone: name.to_string() }),
        Err(_) if !args.is_empty() && zone::resolve(first).is_ok() => Err(err(ParseErrorKind::UnexpectedArgument {
            extra: echo(args.rest()),
        })),
        Err(suggestion) => Err(err(ParseErrorKind::UnknownTimeZone {
            text: echo(typed),
            suggestion,
        })),
    }
}

/// `nudges on|off|HH:MM`.
pub(super) fn nudges(mut args: Words<'_>) -> Result<Command, ParseError> {
    let err = |kind| ParseError::new("nudges", kind);
    let word = args
        .next()
        .ok_or_else(|| err(ParseErrorKind::MissingArgument { what: "on|off|HH:MM" }))?;
    expect_end("nudges", args)?;
    let setting = if word.eq_ignore_ascii_case("on") {
        NudgeSetting::On
    } else if word.eq_ignore_ascii_case("off") {
        NudgeSetting::Off
    } else if let Some(at) = time_of_day(word) {
        NudgeSetting::At(at)
    } else if word.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(err(ParseErrorKind::InvalidTime { text: echo(word) }));
    } else {
        return Err(err(ParseErrorKind::InvalidChoice {
            text: echo(word),
            choices: "on|off|HH:MM",
        }));
    };
    Ok(Command::Nudges { setting })
}

/// `away until YYYY-MM-DD`, `away YYYY-MM-DD` or `away off`.
pub(super) fn away(mut args: Words<'_>) -> Result<Command, ParseError> {
    let err = |kind| ParseError::new("away", kind);
    let missing = || err(ParseErrorKind::MissingArgument { what: "DATE" });
    let mut word = args.next().ok_or_else(missing)?;
    if word.eq_ignore_ascii_case("off") {
        expect_end("away", args)?;
        return Ok(Command::Away { until: None });
    }
    if word.eq_ignore_ascii_case("until") {
        word = args.next().ok_or_else(missing)?;
    }
    expect_end("away", args)?;
    let until = date(word).ok_or_else(|| err(ParseErrorKind::InvalidDate { text: echo(word) }))?;
    Ok(Command::Away { until: Some(until) })
}

/// `urgent on|off`: `off` mutes the direct messages of urgent pushes.
pub(super) fn urgent(mut args: Words<'_>) -> Result<Command, ParseError> {
    let err = |kind| ParseError::new("urgent", kind);
    let word = args
        .next()
        .ok_or_else(|| err(ParseErrorKind::MissingArgument { what: "on|off" }))?;
    expect_end("urgent", args)?;
    if word.eq_ignore_ascii_case("on") {
        Ok(Command::Urgent { on: true })
    } else if word.eq_ignore_ascii_case("off") {
        Ok(Command::Urgent { on: false })
    } else {
        Err(err(ParseErrorKind::InvalidChoice {
            text: echo(word),
            choices: "on|off",
        }))
    }
}

/// `mastodon HOST` or `mastodon off`.
pub(super) fn mastodon(mut args: Words<'_>) -> Result<Command, ParseError> {
    let err = |kind| ParseError::new("mastodon", kind);
    let word = args
        .next()
        .ok_or_else(|| err(ParseErrorKind::MissingArgument { what: "HOST" }))?;
    expect_end("mastodon", args)?;
    if word.eq_ignore_ascii_case("off") {
        return Ok(Command::Mastodon { instance: None });
    }
    let host = server_host(word).ok_or_else(|| err(ParseErrorKind::InvalidHost { text: echo(word) }))?;
    Ok(Command::Mastodon { instance: Some(host) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};
    use ParseErrorKind as K;

    type Grammar = fn(Words<'_>) -> Result<Command, ParseError>;

    fn check(name: &str, grammar: Grammar, rows: &[(&str, Result<Command, ParseErrorKind>)]) {
        for (args, want) in rows {
            let got = grammar(Words::new(args)).map_err(|e| {
                assert_eq!(e.command, Some(name), "{args:?}");
                e.kind
            });
            assert_eq!(&got, want, "{name} {args:?}");
        }
    }

    fn text(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn lang_accepts_codes_and_names() {
        check(
            "lang",
            lang,
            &[
                ("fr", Ok(Command::Lang { lang: Lang::Fr })),
                ("PT-br", Ok(Command::Lang { lang: Lang::PtBr })),
                ("català", Ok(Command::Lang { lang: Lang::Ca })),
                ("de", Err(K::UnsupportedLang { text: text("de") })),
                (
                    "",
                    Err(K::MissingArgument {
                        what: "en|fr|es|ca|pt-PT|pt-BR",
                    }),
                ),
                ("fr en", Err(K::UnexpectedArgument { extra: text("en") })),
            ],
        );
    }

    #[test]
    fn tz_validates_and_suggests_zones() {
        let zone = |z: &str| Ok(Command::Tz { zone: z.to_string() });
        check(
            "tz",
            tz,
            &[
                ("Europe/Paris", zone("Europe/Paris")),
                ("europe/paris", zone("Europe/Paris")),
                ("America/New York", zone("America/New_York")),
                (
                    "Europe/Pari",
                    Err(K::UnknownTimeZone {
                        text: text("Europe/Pari"),
                        suggestion: Some(text("Europe/Paris")),
                    }),
                ),
                (
                    "Paris",
                    Err(K::UnknownTimeZone {
                        text: text("Paris"),
                        suggestion: Some(text("Europe/Paris")),
                    }),
                ),
                (
                    "Mars/Olympus",
                    Err(K::UnknownTimeZone {
                        text: text("Mars/Olympus"),
                        suggestion: None,
                    }),
                ),
                ("Europe/Paris now", Err(K::UnexpectedArgument { extra: text("now") })),
                ("", Err(K::MissingArgument { what: "ZONE" })),
            ],
        );
    }

    #[test]
    fn nudges_take_on_off_or_a_time() {
        let at = |h, m| {
            Ok(Command::Nudges {
                setting: NudgeSetting::At(NaiveTime::from_hms_opt(h, m, 0).unwrap()),
            })
        };
        check(
            "nudges",
            nudges,
            &[
                (
                    "on",
                    Ok(Command::Nudges {
                        setting: NudgeSetting::On,
                    }),
                ),
                (
                    "OFF",
                    Ok(Command::Nudges {
                        setting: NudgeSetting::Off,
                    }),
                ),
                ("18:00", at(18, 0)),
                ("8:30", at(8, 30)),
                ("18h30", at(18, 30)),
                ("18h", at(18, 0)),
                ("24:00", Err(K::InvalidTime { text: text("24:00") })),
                ("18:60", Err(K::InvalidTime { text: text("18:60") })),
                (
                    "maybe",
                    Err(K::InvalidChoice {
                        text: text("maybe"),
                        choices: "on|off|HH:MM",
                    }),
                ),
                ("", Err(K::MissingArgument { what: "on|off|HH:MM" })),
                ("on please", Err(K::UnexpectedArgument { extra: text("please") })),
            ],
        );
    }

    #[test]
    fn away_takes_a_date_or_off() {
        let until = |y, m, d| {
            Ok(Command::Away {
                until: NaiveDate::from_ymd_opt(y, m, d),
            })
        };
        check(
            "away",
            away,
            &[
                ("until 2026-12-24", until(2026, 12, 24)),
                ("UNTIL 2026-12-24", until(2026, 12, 24)),
                ("2026-12-24", until(2026, 12, 24)),
                ("off", Ok(Command::Away { until: None })),
                ("", Err(K::MissingArgument { what: "DATE" })),
                ("until", Err(K::MissingArgument { what: "DATE" })),
                (
                    "until 2026-02-30",
                    Err(K::InvalidDate {
                        text: text("2026-02-30"),
                    }),
                ),
                ("tomorrow", Err(K::InvalidDate { text: text("tomorrow") })),
                (
                    "until 2026-12-24 noon",
                    Err(K::UnexpectedArgument { extra: text("noon") }),
                ),
                ("off now", Err(K::UnexpectedArgument { extra: text("now") })),
            ],
        );
    }

    #[test]
    fn urgent_takes_on_or_off() {
        check(
            "urgent",
            urgent,
            &[
                ("on", Ok(Command::Urgent { on: true })),
                ("OFF", Ok(Command::Urgent { on: false })),
                (
                    "mute",
                    Err(K::InvalidChoice {
                        text: text("mute"),
                        choices: "on|off",
                    }),
                ),
                ("", Err(K::MissingArgument { what: "on|off" })),
                ("off now", Err(K::UnexpectedArgument { extra: text("now") })),
            ],
        );
    }

    #[test]
    fn mastodon_takes_a_host_or_off() {
        let host = |h: &str| {
            Ok(Command::Mastodon {
                instance: Some(h.to_string()),
            })
        };
        check(
            "mastodon",
            mastodon,
            &[
                ("mastodon.social", host("mastodon.social")),
                ("https://Mastodon.Social/", host("mastodon.social")),
                ("@alice@mastodon.social", host("mastodon.social")),
                ("off", Ok(Command::Mastodon { instance: None })),
                ("mastodon", Err(K::InvalidHost { text: text("mastodon") })),
                ("", Err(K::MissingArgument { what: "HOST" })),
                (
                    "a.social b.social",
                    Err(K::UnexpectedArgument {
                        extra: text("b.social"),
                    }),
                ),
            ],
        );
    }
}
