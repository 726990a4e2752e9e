//! The week's reshares as CSV (RFC 4180: CRLF line ends, a header row, fields quoted when needed,
//! quotes doubled; UTF-8). No chat ids: ambassadors appear by display name.

use super::data::WeekData;
use crate::domain::{Reshare, ReshareSource};
use chrono::{Datelike, Timelike};
use std::borrow::Cow;
use std::fmt::Write as _;

/// The header row's fields.
pub const CSV_HEADER: [&str; 10] = [
    "date_time",
    "ambassador",
    "network",
    "item",
    "title",
    "campaign",
    "intent",
    "url",
    "points",
    "source",
];

impl WeekData {
    /// One row per reshare of the week, oldest first; times in the organisation's zone (RFC 3339,
    /// `2026-11-16T10:00:00+01:00`).
    pub fn csv(&self) -> Vec<u8> {
        let reshares = self.reshares();
        let mut out = String::with_capacity(96 + reshares.len() * 176);
        for (index, name) in CSV_HEADER.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            out.push_str(name);
        }
        out.push_str("\r\n");
        for reshare in reshares {
            self.push_row(&mut out, reshare);
        }
        out.into_bytes()
    }

    fn push_row(&self, out: &mut String, r: &Reshare) {
        push_time(out, r, self.tz);
        let item = r.item.and_then(|id| self.items.get(&id));
        let name: Cow<'_, str> = match self.ambassadors.get(&r.ambassador) {
            Some(who) => Cow::Borrowed(&who.display_name),
            None => Cow::Owned(format!("#{}", r.ambassador.0)),
        };
        let id = r.item.map(|id| id.to_string()).unwrap_or_default();
        let fields: [&str; 7] = [
            name.as_ref(),
            r.network.name(),
            &id,
            item.map_or("", |i| i.title.as_str()),
            item.and_then(|i| i.campaign.as_deref()).unwrap_or(""),
            item.map_or("", |i| i.intent.key()),
            r.url.as_deref().unwrap_or(""),
        ];
        for field in fields {
            out.push(',');
            push_field(out, field);
        }
        let _ = write!(out, ",{},{}\r\n", r.points, source_key(r.source));
    }
}

/// `2026-11-16T10:00:00+01:00`: the reshare's time in `tz`.
fn push_time(out: &mut String, r: &Reshare, tz: chrono_tz::Tz) {
    let local = r.at.with_timezone(&tz);
    let offset = chrono::Offset::fix(local.offset()).local_minus_utc();
    let sign = if offset < 0 { '-' } else { '+' };
    let offset = offset.unsigned_abs() / 60;
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second(),
        offset / 60,
        offset % 60
    );
}

fn source_key(source: ReshareSource) -> &'static str {
    match source {
        ReshareSource::Command => "command",
        ReshareSource::Reaction => "reaction",
        ReshareSource::Button => "button",
    }
}

/// Appends one field: quoted when it holds a comma, a quote or a line break (quotes doubled).
/// A text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first) gets a
/// leading `'`, so that a display name or a title cannot inject one.
pub(super) fn push_field(out: &mut String, field: &str) {
    let formula = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quoted = field.contains([',', '"', '\n', '\r']);
    if quoted {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    if quoted {
        for (index, part) in field.split('"').enumerate() {
            if index > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(field);
    }
}
