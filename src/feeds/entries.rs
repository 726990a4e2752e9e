//! A feed's body read as entries (RSS 2.0 and 1.0, Atom, JSON Feed), in plain text, or the reason
//! it is not a feed. Pure: bytes in, entries out.

use crate::html_text::{decode_entities, strip_tags};
use chrono::{DateTime, Utc};

/// One entry of a feed, as the watchlist and the alerts see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The feed's id for it (its link or a hash of its content when the feed gives none): what
    /// tells a new entry from one already seen.
    pub id: String,
    /// The title in plain text; an entry without one is titled by its summary's start or its link.
    pub title: String,
    pub link: Option<String>,
    /// The summary (or the content) in plain text, without markup.
    pub summary: String,
    pub published: Option<DateTime<Utc>>,
}

/// Why a body is not a feed: shown in `feeds` as the feed's status.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NotAFeed {
    #[error("the address serves an HTML page, not a feed (look for the page's RSS or Atom link)")]
    Html,
    #[error("the address served an empty body")]
    Empty,
    #[error("not a valid RSS, Atom or JSON feed: {0}")]
    Malformed(String),
}

/// How long a title made from a summary may be, in characters.
const TITLE_FROM_SUMMARY: usize = 80;

/// The entries of `body`, in the feed's order; entries with neither title, link nor summary are
/// left out (nothing could be shown of them).
pub fn read_entries(body: &[u8]) -> Result<Vec<Entry>, NotAFeed> {
    let start = body.trim_ascii_start();
    let start = start.strip_prefix(b"\xef\xbb\xbf").unwrap_or(start);
    if start.is_empty() {
        return Err(NotAFeed::Empty);
    }
    if looks_like_html(start) {
        return Err(NotAFeed::Html);
    }
    let feed = feed_rs::parser::parse(body).map_err(|e| NotAFeed::Malformed(e.to_string()))?;
    Ok(feed.entries.into_iter().filter_map(entry).collect())
}

fn looks_like_html(start: &[u8]) -> bool {
    let head: Vec<u8> = start.iter().take(64).map(u8::to_ascii_lowercase).collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
}

fn entry(raw: feed_rs::model::Entry) -> Option<Entry> {
    let link = raw
        .links
        .first()
        .map(|l| l.href.trim().to_string())
        .filter(|l| !l.is_empty());
    let summary = raw
        .summary
        .map(|t| t.content)
        .or_else(|| raw.content.and_then(|c| c.body))
        .map(|text| plain_text(&text))
        .unwrap_or_default();
    let title = raw.title.map(|t| plain_text(&t.content)).unwrap_or_default();
    let title = match (title.is_empty(), summary.is_empty(), &link) {
        (false, _, _) => title,
        (true, false, _) => shortened(&summary, TITLE_FROM_SUMMARY),
        (true, true, Some(link)) => link.clone(),
        (true, true, None) => return None,
    };
    Some(Entry {
        id: raw.id,
        title,
        link,
        summary,
        published: raw.published.or(raw.updated),
    })
}

/// `text` without HTML tags, with the common entities decoded and white space collapsed.
pub fn plain_text(text: &str) -> String {
    let decoded = decode_entities(&strip_tags(text, Some(' ')));
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head).to_string();
    format!("{cut}…")
}

#[cfg(test)]
mod tests;
