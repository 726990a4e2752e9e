//! The console adapter: an interactive terminal chat in the manner of Hubot's shell adapter.
//!
//! One person plays several people (`/as alice`) in several rooms (`/room coord`). Lines that
//! do not start with `/` are chat messages from the current person in the current room. When
//! standard input is not a terminal the session is scripted: no prompts, input lines echoed,
//! exit at end of input.
//!
//! The clock and the scheduler live in a [`Ticker`]: `/advance 2h` moves the clock and runs every
//! scheduled action on the way (pushes, reminders, the weekly board), printing what would be sent.

use super::duration::parse_duration;
pub use super::ticker::Clock;
use super::ticker::Ticker;
use crate::app::{App, Effect, Incoming};
use crate::domain::{ItemId, Platform, RoomRef};
use std::io::{BufRead, Write};

/// The state of one console session: who is typing, in which room.
pub struct Console<'a> {
    app: &'a App<'a>,
    ticker: &'a Ticker<'a>,
    person: String,
    room: String,
    interactive: bool,
}

const CONTROLS: &str =
    "Console commands: /as NAME (speak as NAME), /room NAME (move to room NAME), /dm (talk to the bot \
privately), /push (today's push in this room), /react ITEM (react ✅ to the push of ITEM), /advance DURATION (move the \
clock, e.g. 2h or 1d, running what is scheduled on the way), /now, /whoami, /help, /quit. Anything else is a chat \
message; bot commands start with the prefix (try !help).";

impl<'a> Console<'a> {
    pub fn new(app: &'a App<'a>, ticker: &'a Ticker<'a>, person: &str, room: &str, interactive: bool) -> Self {
        Console {
            app,
            ticker,
            person: person.to_string(),
            room: room.to_string(),
            interactive,
        }
    }

    /// Runs until `/quit` or end of input. A line that is not UTF-8 is named and skipped.
    pub fn run(&mut self, mut input: impl BufRead, out: &mut impl Write) -> std::io::Result<()> {
        writeln!(out, "Relais console — {}. {CONTROLS}", self.app.settings.org_name)?;
        self.prompt(out)?;
        while let Some(line) = read_line(&mut input)? {
            let Some(mut message) = self.text(line, out)? else {
                self.prompt(out)?;
                continue;
            };
            if crate::command::opens_multiline(&message, &self.app.settings.prefix) {
                if self.interactive {
                    writeln!(out, "(one `key: value` line per field; an empty line sends)")?;
                }
                while let Some(more) = read_line(&mut input)? {
                    let Some(more) = self.text(more, out)? else { continue };
                    if more.trim().is_empty() {
                        break;
                    }
                    message.push('\n');
                    message.push_str(&more);
                }
            }
            if !self.step(message.trim_end(), out)? {
                break;
            }
            self.prompt(out)?;
        }
        Ok(())
    }

    /// Echoes a line read; `None` (after saying so) for one that is not UTF-8.
    fn text(&self, line: Result<String, Vec<u8>>, out: &mut impl Write) -> std::io::Result<Option<String>> {
        match line {
            Ok(text) => {
                self.echo(&text, out)?;
                Ok(Some(text))
            }
            Err(bytes) => {
                self.echo(&String::from_utf8_lossy(&bytes), out)?;
                writeln!(out, "(that line is not valid UTF-8 text; it was ignored)")?;
                Ok(None)
            }
        }
    }

    /// In a scripted session, shows each input line as if typed.
    fn echo(&self, line: &str, out: &mut impl Write) -> std::io::Result<()> {
        if !self.interactive {
            writeln!(out, "{}@{}> {}", self.person, self.room, line)?;
        }
        Ok(())
    }

    fn prompt(&self, out: &mut impl Write) -> std::io::Result<()> {
        if self.interactive {
            write!(out, "{}@{}> ", self.person, self.room)?;
            out.flush()?;
        }
        Ok(())
    }

    /// Handles one input line; returns `false` to stop.
    fn step(&mut self, line: &str, out: &mut impl Write) -> std::io::Result<bool> {
        let (control, arg) = match line.strip_prefix('/') {
            Some(rest) => {
                let mut parts = rest.splitn(2, char::is_whitespace);
                (parts.next().unwrap_or(""), parts.next().unwrap_or("").trim())
            }
            None => {
                let message = self.message(line);
                let effects = self.app.receive(&message, self.ticker.now());
                self.show(&effects, out)?;
                self.ticker.refresh(&message.from);
                return Ok(true);
            }
        };
        match (control, arg) {
            ("quit" | "exit", _) => return Ok(false),
            ("as", name) if is_name(name) => self.person = name.to_string(),
            ("room", name) if is_name(name) => self.room = name.to_string(),
            ("dm", _) => self.room = format!("dm-{}", self.person),
            ("whoami", _) => writeln!(out, "You are {} in room {}.", self.person, self.room)?,
            ("push", _) => self.push(out)?,
            ("now", _) => writeln!(out, "It is {} (UTC).", self.ticker.now().format("%Y-%m-%d %H:%M"))?,
            ("advance", text) => match parse_duration(text) {
                Ok(by) => self.advance(by, out)?,
                Err(e) => writeln!(out, "{e}. Usage: /advance 90m, /advance 2h, /advance 1d")?,
            },
            ("react", "") => writeln!(
                out,
                "Which item? /react needs the item whose push you react ✅ to, e.g. /react c1 (/push shows today's items)."
            )?,
            ("react", item) => match item.parse::<ItemId>() {
                Ok(id) => {
                    let effects = self.app.claim_by_reaction(&self.message(""), id, self.ticker.now());
                    self.show(&effects, out)?;
                }
                Err(e) => writeln!(out, "{e}. Usage: /react ITEM")?,
            },
            ("help", _) => writeln!(out, "{CONTROLS}")?,
            _ => writeln!(out, "Unknown console command `/{control}` or bad argument. {CONTROLS}")?,
        }
        Ok(true)
    }

    fn message(&self, text: &str) -> Incoming {
        Incoming {
            from: crate::domain::Identity::new(Platform::Console, self.person.clone()),
            display_name: capitalised(&self.person),
            room: RoomRef::new(Platform::Console, self.room.clone()),
            direct: self.room.starts_with("dm-"),
            text: text.to_string(),
        }
    }

    /// `/advance`: moves the clock, printing every scheduled message sent on the way.
    fn advance(&self, by: chrono::Duration, out: &mut impl Write) -> std::io::Result<()> {
        let advanced = self.ticker.advance(by, &mut |effect| {
            print_effects(self.app, std::slice::from_ref(effect), out)
        });
        let sent = match advanced {
            Ok(sent) => sent,
            Err(too_far) => return writeln!(out, "({too_far})"),
        };
        let now = self.ticker.now().format("%Y-%m-%d %H:%M");
        writeln!(
            out,
            "(the clock is now {now} UTC; {sent} scheduled message{} sent)",
            if sent == 1 { "" } else { "s" }
        )
    }

    fn push(&self, out: &mut impl Write) -> std::io::Result<()> {
        let room = RoomRef::new(Platform::Console, self.room.clone());
        match crate::app::daily_push(self.app, &room, self.ticker.now()) {
            // A preview: printed without marking the scheduled push of the day as sent.
            Ok(Some(effect)) => print_effects(self.app, &[effect], out),
            Ok(None) => writeln!(out, "(nothing to push today)"),
            Err(e) => {
                tracing::error!(error = %e, "daily push failed");
                writeln!(out, "(the push failed: {e})")
            }
        }
    }

    /// Prints a command's effects; keyed ones (urgent pushes) only once.
    fn show(&self, effects: &[Effect], out: &mut impl Write) -> std::io::Result<()> {
        self.ticker
            .send(effects, &mut |effect| {
                print_effects(self.app, std::slice::from_ref(effect), out)
            })
            .map(|_| ())
    }
}

/// Prints effects the way the console shows them (DMs name their recipient, posts their room).
pub fn print_effects(app: &App, effects: &[Effect], out: &mut impl Write) -> std::io::Result<()> {
    for effect in effects {
        match effect {
            Effect::Reply { text, .. } => writeln!(out, "relais> {}", indent(text))?,
            Effect::React { emoji } => writeln!(out, "relais reacts {emoji}")?,
            Effect::Dm { to, text, .. } => {
                let name = app
                    .store
                    .ambassador(*to)
                    .ok()
                    .flatten()
                    .map(|a| a.display_name)
                    .unwrap_or_default();
                writeln!(out, "relais (DM to {name})> {}", indent(text))?
            }
            Effect::Post { room, text, .. } => writeln!(out, "relais (in {})> {}", room.room, indent(text))?,
            Effect::Upload {
                room, file_name, bytes, ..
            } => writeln!(
                out,
                "relais (in {}) uploads {file_name} ({} bytes)",
                room.room,
                bytes.len()
            )?,
            // The console keeps nothing of anyone outside the store.
            Effect::Forgotten { .. } => {}
        }
    }
    Ok(())
}

/// The next line of `input` without its line end (`\n` or `\r\n`): `None` at the end of input,
/// `Err` with its bytes for a line that is not UTF-8 (read past all the same).
fn read_line(input: &mut impl BufRead) -> std::io::Result<Option<Result<String, Vec<u8>>>> {
    let mut bytes = Vec::new();
    if input.read_until(b'\n', &mut bytes)? == 0 {
        return Ok(None);
    }
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
    Ok(Some(String::from_utf8(bytes).map_err(|e| e.into_bytes())))
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 32 && s.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn indent(text: &str) -> String {
    text.replace('\n', "\n        ")
}
