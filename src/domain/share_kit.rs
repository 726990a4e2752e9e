//! Share kits: per-network one-tap share links with UTM parameters.
//!
//! Privacy: the only thing that identifies the ambassador in any link is `Ambassador::code`, a
//! pseudonymous code (in `utm_content`). Chat ids and display names never go into a link.

use super::link::retain_query_params;
use super::{Ambassador, Item, ItemId, Lang, Network};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::fmt;
use url::Url;

/// Characters encoded in a query component: everything but RFC 3986 unreserved characters
/// (so a space is `%20`, never `+`, and `&`, `=`, `#`, `?`, `+` are encoded).
const QUERY_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// X's limit in characters, and what a link counts for (23) plus the space before it.
pub const X_MAX_CHARS: usize = 280;
pub const X_LINK_CHARS: usize = 24;
/// Bluesky's limit in characters, text, space and link included.
pub const BLUESKY_MAX_CHARS: usize = 300;
/// `utm_source` of the kit's plain tracked link, for copying by hand.
pub const COPY_SOURCE: &str = "copy";
/// `utm_campaign` when the item has no campaign.
pub const DEFAULT_CAMPAIGN: &str = "relais";

/// Where a one-tap share link posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ShareTarget {
    X,
    LinkedIn,
    Facebook,
    Bluesky,
    Mastodon,
    WhatsApp,
    Telegram,
    Email,
}

impl ShareTarget {
    /// Every target, in display order.
    pub const ALL: [ShareTarget; 8] = [
        ShareTarget::X,
        ShareTarget::LinkedIn,
        ShareTarget::Facebook,
        ShareTarget::Bluesky,
        ShareTarget::Mastodon,
        ShareTarget::WhatsApp,
        ShareTarget::Telegram,
        ShareTarget::Email,
    ];

    /// Lower-case key, also the link's `utm_source` (the network's key; `email`).
    pub fn key(self) -> &'static str {
        match self.network() {
            Some(network) => network.key(),
            None => "email",
        }
    }

    /// Human name (`LinkedIn`, `E-mail`).
    pub fn name(self) -> &'static str {
        match self.network() {
            Some(network) => network.name(),
            None => "E-mail",
        }
    }

    /// The network whose captions apply (`None` for e-mail).
    pub fn network(self) -> Option<Network> {
        match self {
            ShareTarget::X => Some(Network::X),
            ShareTarget::LinkedIn => Some(Network::LinkedIn),
            ShareTarget::Facebook => Some(Network::Facebook),
            ShareTarget::Bluesky => Some(Network::Bluesky),
            ShareTarget::Mastodon => Some(Network::Mastodon),
            ShareTarget::WhatsApp => Some(Network::WhatsApp),
            ShareTarget::Telegram => Some(Network::Telegram),
            ShareTarget::Email => None,
        }
    }
}

impl fmt::Display for ShareTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A one-tap link that opens the target's composer with the text and the tracked link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareLink {
    pub target: ShareTarget,
    pub url: String,
}

/// Everything an ambassador needs to share one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareKit {
    pub item: ItemId,
    /// The language of `text`: the ambassador's, else its sibling (pt-PT, pt-BR), else the fallback,
    /// else English, else the item's first.
    pub lang: Lang,
    /// The text in the ambassador's language, hashtags included, for copying by hand.
    pub text: String,
    /// The item's link tracked with `utm_source=copy`, for copying by hand.
    pub tracked_link: String,
    /// One link per target, in `ShareTarget::ALL` order (Mastodon only with an instance).
    pub links: Vec<ShareLink>,
}

/// Builds the share kit of `item` for `ambassador`; `fallback` is the organisation's language.
pub fn share_kit(item: &Item, ambassador: &Ambassador, fallback: Lang) -> ShareKit {
    let campaign = item.campaign.as_deref();
    ShareKit {
        item: item.id,
        lang: text_lang(item, ambassador.lang, fallback),
        text: with_hashtags(item.text_for(ambassador.lang, fallback), &item.hashtags),
        tracked_link: tracked_link(&item.link, COPY_SOURCE, campaign, &ambassador.code),
        links: ShareTarget::ALL
            .into_iter()
            .filter_map(|target| share_link(target, item, ambassador, fallback))
            .collect(),
    }
}

/// The link with `utm_source`, `utm_medium=ambassador`, `utm_campaign` (or `relais`) and
/// `utm_content=<code>`, replacing any `utm_*` already there and keeping other parameters and
/// the fragment. A link that does not parse as an http(s) URL is returned unchanged.
pub fn tracked_link(link: &str, source: &str, campaign: Option<&str>, code: &str) -> String {
    let Ok(mut url) = Url::parse(link.trim()) else {
        return link.to_string();
    };
    if !matches!(url.scheme(), "http" | "https") {
        return link.to_string();
    }
    retain_query_params(&mut url, |name| !name.to_ascii_lowercase().starts_with("utm_"));
    let campaign = campaign
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .unwrap_or(DEFAULT_CAMPAIGN);
    let utm = format!(
        "utm_source={}&utm_medium=ambassador&utm_campaign={}&utm_content={}",
        encode(source),
        encode(campaign),
        encode(code)
    );
    let query = match url.query() {
        Some(kept) => format!("{kept}&{utm}"),
        None => utm,
    };
    url.set_query(Some(&query));
    url.into()
}

/// The one-tap link for `target`, or `None` (Mastodon without a usable instance).
fn share_link(target: ShareTarget, item: &Item, ambassador: &Ambassador, fallback: Lang) -> Option<ShareLink> {
    let link = tracked_link(&item.link, target.key(), item.campaign.as_deref(), &ambassador.code);
    let text = target_text(target, item, ambassador.lang, fallback);
    let url = match target {
        ShareTarget::X => format!(
            "https://x.com/intent/tweet?text={}&url={}",
            encode(&shorten(&text, X_MAX_CHARS - X_LINK_CHARS)),
            encode(&link)
        ),
        ShareTarget::LinkedIn => format!("https://www.linkedin.com/sharing/share-offsite/?url={}", encode(&link)),
        ShareTarget::Facebook => format!("https://www.facebook.com/sharer/sharer.php?u={}", encode(&link)),
        ShareTarget::Bluesky => format!(
            "https://bsky.app/intent/compose?text={}",
            encode(&bluesky_post(&text, &link))
        ),
        ShareTarget::Mastodon => {
            let instance = mastodon_host(ambassador.prefs.mastodon_instance.as_deref()?)?;
            format!(
                "https://{instance}/share?text={}",
                encode(&text_then_link(&text, &link))
            )
        }
        ShareTarget::WhatsApp => format!("https://wa.me/?text={}", encode(&text_then_link(&text, &link))),
        ShareTarget::Telegram => format!("https://t.me/share/url?url={}&text={}", encode(&link), encode(&text)),
        ShareTarget::Email => {
            let body = if text.is_empty() {
                link
            } else {
                format!("{text}\r\n\r\n{link}")
            };
            format!("mailto:?subject={}&body={}", encode(&item.title), encode(&body))
        }
    };
    Some(ShareLink { target, url })
}

/// The network's caption in `lang` if any, else the item's text; hashtags appended.
fn target_text(target: ShareTarget, item: &Item, lang: Lang, fallback: Lang) -> String {
    let caption = target.network().and_then(|network| item.caption_for(network, lang));
    with_hashtags(caption.unwrap_or_else(|| item.text_for(lang, fallback)), &item.hashtags)
}

/// The language `Item::text_for` picks.
fn text_lang(item: &Item, lang: Lang, fallback: Lang) -> Lang {
    lang.preferences(fallback)
        .find(|l| item.texts.contains_key(l))
        .or_else(|| item.texts.keys().next().copied())
        .unwrap_or(lang)
}

/// Appends ` #tag` for every hashtag not already in the text (case-insensitive, whole tag).
fn with_hashtags(text: &str, hashtags: &[String]) -> String {
    let mut out = text.to_string();
    for tag in hashtags {
        let tag = tag.trim().trim_start_matches('#');
        if tag.is_empty() || contains_hashtag(&out.to_lowercase(), &tag.to_lowercase()) {
            continue;
        }
        out.truncate(out.trim_end().len());
        if !out.is_empty() {
            out.push(' ');
        }
        out.push('#');
        out.push_str(tag);
    }
    out
}

/// Whether `#tag` occurs in `text` as a whole tag (not followed by a letter, digit or `_`).
fn contains_hashtag(text: &str, tag: &str) -> bool {
    let needle = format!("#{tag}");
    text.match_indices(&needle).any(|(start, found)| {
        let next = text.get(start + found.len()..).and_then(|rest| rest.chars().next());
        next.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
    })
}

/// At most `max_chars` characters: cut at a character boundary (at a space when one is near the
/// end), with `…` added when anything was cut.
fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    if max_chars == 0 {
        return String::new();
    }
    let kept: String = text.chars().take(max_chars - 1).collect();
    let near_end = |i: &usize| kept.get(*i..).is_some_and(|tail| tail.chars().count() <= 20);
    let at_space = kept
        .rfind(char::is_whitespace)
        .filter(near_end)
        .and_then(|i| kept.get(..i));
    let at_space = at_space.filter(|head| !head.trim().is_empty());
    let kept = at_space.unwrap_or(&kept).trim_end();
    format!("{kept}…")
}

/// Bluesky: text, a space and the link, the text shortened to fit `BLUESKY_MAX_CHARS`.
fn bluesky_post(text: &str, link: &str) -> String {
    let room = BLUESKY_MAX_CHARS.saturating_sub(link.chars().count() + 1);
    text_then_link(&shorten(text, room), link)
}

/// `text link`, or just the link when there is no text.
fn text_then_link(text: &str, link: &str) -> String {
    if text.is_empty() {
        link.to_string()
    } else {
        format!("{text} {link}")
    }
}

/// The host of a Mastodon instance as stored (`mastodon.social`, `https://Mastodon.Social/`,
/// `@me@mastodon.social`), or `None` when it is not a plain host name.
fn mastodon_host(stored: &str) -> Option<String> {
    let trimmed = stored.trim();
    let lower = trimmed.to_ascii_lowercase();
    let without_scheme = ["https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))
        .unwrap_or(&lower)
        .trim_end_matches('/');
    let host = without_scheme.rsplit('@').next().unwrap_or_default();
    let plain = host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'));
    let labelled = host.contains('.') && host.split('.').all(|label| !label.is_empty());
    (plain && labelled).then(|| host.to_string())
}

fn encode(component: &str) -> String {
    utf8_percent_encode(component, QUERY_COMPONENT).to_string()
}

#[cfg(test)]
mod tests;
