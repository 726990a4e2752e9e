//! The reminder text, rendered once per shape and personalised by substitution.
//!
//! A reminder differs between two ambassadors only through their name, their pseudonymous code
//! (inside every share link) and their *shape*: language, zone (expiry times), Mastodon server,
//! code length (texts are shortened to fit a link) and streak. So the text of a shape is rendered
//! once with a placeholder name and code, and each ambassador's copy is that text with their code
//! and name (escaped as the template escapes it) put in. Before a shape is trusted, it is rendered
//! a second time with other placeholders: the two renderings must differ exactly by the
//! substitution, or the shape is rendered directly for everyone (a template that transforms the
//! name or puts it in a code span, a text that happens to contain a placeholder, a code that URL
//! encoding would change…). The output is the same as rendering each reminder directly, which the
//! tests check.

use crate::app::today::kit_vars;
use crate::app::App;
use crate::domain::{Ambassador, Item, Lang};
use crate::prompts::escape;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Placeholder names (private-use characters, never typed by people), with a character that
/// Markdown escaping changes: a placeholder found escaped in a text was printed as text, where the
/// name escaped the same way belongs.
const NAMES: [&str; 2] = ["\u{E000}n*\u{E001}", "\u{E002}nn*\u{E003}"];
/// Placeholder codes are made of one unreserved URL character (never percent-encoded).
const CODE_CHARS: [char; 2] = ['~', '_'];

/// At most this many shapes are kept (then the cache starts again).
const MAX_SHAPES: usize = 4096;

/// What, besides the name and code, makes two reminders of the same items differ.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Shape {
    date: NaiveDate,
    lang: Lang,
    tz: String,
    mastodon: Option<String>,
    code_len: usize,
    streak: u32,
}

/// Reminder texts of the current items, by shape (`None`: render that shape directly).
#[derive(Debug, Default)]
pub(super) struct ReminderCache {
    /// The items the texts were rendered with.
    items: Vec<Item>,
    texts: HashMap<Shape, Option<String>>,
}

/// One ambassador's reminder: who, today's items, the date, their live streak, the time now.
#[derive(Debug, Clone, Copy)]
pub(super) struct Reminder<'r> {
    pub who: &'r Ambassador,
    pub items: &'r [&'r Item],
    pub date: NaiveDate,
    pub streak: u32,
    pub now: DateTime<Utc>,
}

impl ReminderCache {
    /// The text of `reminder`.
    pub fn text(&mut self, app: &App, reminder: &Reminder) -> String {
        let who = reminder.who;
        if !self.items.iter().eq(reminder.items.iter().copied()) || self.texts.len() >= MAX_SHAPES {
            self.items = reminder.items.iter().map(|i| (*i).clone()).collect();
            self.texts.clear();
        }
        if !substitutable_code(&who.code) {
            return render(app, reminder);
        }
        let shape = Shape {
            date: reminder.date,
            lang: who.lang,
            tz: who.tz.clone(),
            mastodon: who.prefs.mastodon_instance.clone(),
            code_len: who.code.chars().count(),
            streak: reminder.streak,
        };
        let cached = self
            .texts
            .entry(shape)
            .or_insert_with(|| trusted_template(app, reminder));
        match cached {
            Some(text) => text
                .replace(&code_placeholder(0, who.code.len()), &who.code)
                .replace(&escape::text(NAMES[0]), &escape::text(&who.display_name)),
            None => render(app, reminder),
        }
    }
}

/// A code that URL encoding leaves as it is (so it can be put into finished links).
fn substitutable_code(code: &str) -> bool {
    !code.is_empty() && code.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.".contains(&b))
}

fn code_placeholder(n: usize, len: usize) -> String {
    std::iter::repeat_n(CODE_CHARS[n], len).collect()
}

/// The shape's text with placeholder 0, if rendering with placeholder 1 gives the same text up to
/// the substitution.
fn trusted_template(app: &App, reminder: &Reminder) -> Option<String> {
    let len = reminder.who.code.len();
    let with = |n: usize| {
        let stand_in = Ambassador {
            display_name: NAMES[n].to_string(),
            code: code_placeholder(n, len),
            ..reminder.who.clone()
        };
        render(
            app,
            &Reminder {
                who: &stand_in,
                ..*reminder
            },
        )
    };
    let (first, second) = (with(0), with(1));
    let substituted = first
        .replace(&code_placeholder(0, len), &code_placeholder(1, len))
        .replace(&escape::text(NAMES[0]), &escape::text(NAMES[1]));
    (substituted == second).then_some(first)
}

/// The reminder rendered directly (`nudges.reminder`).
pub(super) fn render(app: &App, reminder: &Reminder) -> String {
    let who = reminder.who;
    let cards: Vec<Value> = reminder
        .items
        .iter()
        .map(|item| kit_vars(app, item, who, reminder.now))
        .collect();
    let vars = json!({
        "name": who.display_name,
        "date": reminder.date.to_string(),
        "items": cards,
        "streak": reminder.streak,
        "prefix": app.settings.prefix,
    });
    app.prompts.render(who.lang, "nudges.reminder", &vars)
}

#[cfg(test)]
mod tests;
