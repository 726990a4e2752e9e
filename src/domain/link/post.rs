//! The identity of a post: what its network uses to tell posts apart (the status id on X, the
//! activity id on LinkedIn, the story id on Facebook, the status id on a Mastodon server, the
//! record key on Bluesky…), so that every spelling of one post gives the same key.
//!
//! Keys look like `x:1859270000000000000` or `mastodon:mastodon.social:113456`. A link whose
//! shape is not recognised gets `web:` and its cleaned-up address (host without `www.`, path with
//! only the needed percent-escapes, query parameters sorted), so it still counts once.

use crate::domain::Network;
use percent_encoding::percent_decode_str;
use std::borrow::Cow;
use url::Url;

/// The key of the post a normalised link points at. `host` is its (canonical) host.
pub(super) fn key(url: &Url, network: Network, host: &str) -> String {
    let segments = segments(url);
    let segments: Vec<&str> = segments.iter().map(|s| s.as_ref()).collect();
    let found = match network {
        Network::X => x_status(&segments).map(|id| format!("x:{id}")),
        Network::LinkedIn => linkedin(&segments),
        Network::Facebook => facebook(url, &segments),
        Network::Instagram => after_any(&segments, &["p", "reel", "reels", "tv"], 1).map(|c| format!("instagram:{c}")),
        Network::Bluesky => bluesky(&segments),
        Network::Mastodon => mastodon_status(&segments).map(|id| format!("mastodon:{host}:{id}")),
        Network::TikTok => tiktok(&segments),
        Network::Threads => after_any(&segments, &["post", "t"], 1).map(|c| format!("threads:{c}")),
        Network::YouTube => youtube(url, &segments),
        Network::Telegram => telegram(&segments),
        Network::WhatsApp => whatsapp(&segments),
        Network::Other => None,
    };
    found.unwrap_or_else(|| web_key(url, host))
}

/// Whether the link has the shape of a Mastodon (or compatible) post, on any host.
pub(super) fn is_mastodon_status(url: &Url) -> bool {
    let segments = segments(url);
    let segments: Vec<&str> = segments.iter().map(|s| s.as_ref()).collect();
    mastodon_status(&segments).is_some()
}

/// The path's segments, percent-decoded, empty ones (`//`) left out.
fn segments(url: &Url) -> Vec<Cow<'_, str>> {
    url.path()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy())
        .collect()
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.len() <= 24 && text.bytes().all(|b| b.is_ascii_digit())
}

/// A number without its leading zeros (`007` and `7` are one id).
fn number(text: &str) -> Option<String> {
    is_digits(text).then(|| {
        let trimmed = text.trim_start_matches('0');
        if trimmed.is_empty() { "0" } else { trimmed }.to_string()
    })
}

/// The segment `offset` places after the first segment named one of `names` (any case), when it
/// is made of letters, digits, `-` and `_` only.
fn after_any<'a>(segments: &[&'a str], names: &[&str], offset: usize) -> Option<&'a str> {
    let at = segments
        .iter()
        .position(|s| names.iter().any(|n| s.eq_ignore_ascii_case(n)))?;
    let found = *segments.get(at + offset)?;
    let word = found
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (word && !found.is_empty()).then_some(found)
}

/// The value of a query parameter.
fn query_value(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.into_owned())
        .filter(|value| !value.is_empty())
}

/// `/USER/status/ID`, `/i/status/ID`, `/i/web/status/ID`, `/USER/statuses/ID`, with anything
/// after (`/photo/1`, `/analytics`).
fn x_status(segments: &[&str]) -> Option<String> {
    let at = segments
        .iter()
        .take(3)
        .position(|s| s.eq_ignore_ascii_case("status") || s.eq_ignore_ascii_case("statuses"))?;
    number(segments.get(at + 1)?)
}

/// `/posts/SLUG-activity-ID-XXXX` (or `ugcPost-ID`, `share-ID`) and
/// `/feed/update/urn:li:activity:ID` (or `urn:li:share:ID`, `urn:li:ugcPost:ID`, also embedded).
fn linkedin(segments: &[&str]) -> Option<String> {
    const KINDS: [&str; 3] = ["activity", "ugcpost", "share"];
    for segment in segments.iter().rev() {
        let lower = segment.to_ascii_lowercase();
        if let Some(urn) = lower.strip_prefix("urn:li:") {
            let (kind, id) = urn.split_once(':')?;
            return (KINDS.contains(&kind)).then(|| number(id).map(|id| format!("linkedin:{kind}:{id}")))?;
        }
        for kind in KINDS {
            let mut rest = lower.as_str();
            while let Some(at) = rest.find(&format!("{kind}-")) {
                rest = &rest[at + kind.len() + 1..];
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                if digits.len() >= 10 {
                    return number(&digits).map(|id| format!("linkedin:{kind}:{id}"));
                }
            }
        }
    }
    None
}

/// A Facebook object id: a number, or a `pfbid…` string as it comes.
fn facebook_id(text: &str) -> bool {
    is_digits(text) || (text.starts_with("pfbid") && text.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `story.php?story_fbid=ID&id=PAGE` (any order), `/PAGE/posts/ID`, `/groups/G/permalink/ID`,
/// `/PAGE/videos/ID`, `/watch?v=ID`, `/reel/ID`, `/photo?fbid=ID`, `/PAGE/photos/a.ALBUM/ID`,
/// `/share/p/CODE`.
fn facebook(url: &Url, segments: &[&str]) -> Option<String> {
    let from_query = ["story_fbid", "fbid", "v"]
        .into_iter()
        .find_map(|name| query_value(url, name).filter(|v| facebook_id(v)));
    let from_path = || {
        let at = segments.iter().position(|s| {
            ["posts", "permalink", "videos", "reel", "reels", "photos"].contains(&s.to_ascii_lowercase().as_str())
        })?;
        segments[at + 1..]
            .iter()
            .find(|s| facebook_id(s))
            .map(|s| s.to_string())
    };
    if let Some(id) = from_query.or_else(from_path) {
        let id = if is_digits(&id) { number(&id)? } else { id };
        return Some(format!("facebook:{id}"));
    }
    if segments.first()?.eq_ignore_ascii_case("share") {
        let code = segments.last().filter(|_| segments.len() >= 2)?;
        return Some(format!("facebook:share:{code}"));
    }
    None
}

/// `/profile/HANDLE-OR-DID/post/RKEY`: the record key (a timestamp id, unique in practice), so
/// that the handle and the DID spellings of one post are the same.
fn bluesky(segments: &[&str]) -> Option<String> {
    match segments {
        [profile, _, post, rkey, ..]
            if profile.eq_ignore_ascii_case("profile") && post.eq_ignore_ascii_case("post") =>
        {
            let valid = rkey.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~:".contains(&b));
            (valid && !rkey.is_empty()).then(|| format!("bluesky:{rkey}"))
        }
        _ => None,
    }
}

/// The status id of a Mastodon (or compatible) post: `/@USER/ID`, `/@USER@HOST/ID`,
/// `/users/USER/statuses/ID`, `/@USER/statuses/ID` (GoToSocial), `/web/statuses/ID`,
/// `/web/@USER/ID`, `/deck/@USER/ID`.
fn mastodon_status(segments: &[&str]) -> Option<String> {
    let rest = match segments.first().copied() {
        Some("web" | "deck") => &segments[1..],
        _ => segments,
    };
    let is_user = |s: &str| s.len() > 1 && s.starts_with('@');
    let is_ulid = |s: &str| s.len() >= 10 && s.bytes().all(|b| b.is_ascii_alphanumeric());
    match rest {
        [user, id, ..] if is_user(user) && is_digits(id) => number(id),
        [user, statuses, id, ..] if is_user(user) && *statuses == "statuses" && is_ulid(id) => Some(id.to_string()),
        ["users", user, "statuses", id, ..] if !user.is_empty() && is_digits(id) => number(id),
        ["statuses", id, ..] if segments.first() == Some(&"web") && is_digits(id) => number(id),
        _ => None,
    }
}

/// `/@USER/video/ID`, `/@USER/photo/ID`, `/v/ID.html`, `/embed/v2/ID`, `/embed/ID`, `/share/video/ID`.
fn tiktok(segments: &[&str]) -> Option<String> {
    let last_number = segments
        .iter()
        .rev()
        .map(|s| s.strip_suffix(".html").unwrap_or(s))
        .find(|s| is_digits(s))?;
    let known = segments.iter().any(|s| ["video", "photo", "v", "embed"].contains(s));
    known.then(|| number(last_number).map(|id| format!("tiktok:{id}")))?
}

/// `/watch?v=ID`, `/shorts/ID`, `/live/ID`, `/embed/ID`; community posts `/post/ID` and `?lb=ID`.
fn youtube(url: &Url, segments: &[&str]) -> Option<String> {
    if let Some(post) = after_any(segments, &["post"], 1)
        .map(str::to_string)
        .or_else(|| query_value(url, "lb"))
    {
        return Some(format!("youtube:post:{post}"));
    }
    let video = match segments.first() {
        Some(&"watch") => query_value(url, "v"),
        _ => after_any(segments, &["shorts", "live", "embed", "v", "e"], 1).map(str::to_string),
    }?;
    let valid = video
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then(|| format!("youtube:{video}"))
}

/// `/CHANNEL/ID`, `/s/CHANNEL/ID` (the web preview), `/c/NUMBER/ID` (private channels).
fn telegram(segments: &[&str]) -> Option<String> {
    let rest = if segments.first() == Some(&"s") {
        &segments[1..]
    } else {
        segments
    };
    match rest {
        ["c", channel, id, ..] if is_digits(channel) => Some(format!("telegram:c/{channel}:{}", number(id)?)),
        [channel, id, ..] => Some(format!("telegram:{}:{}", channel.to_ascii_lowercase(), number(id)?)),
        _ => None,
    }
}

/// `/channel/CHANNEL/MESSAGE`: one message of a WhatsApp channel.
fn whatsapp(segments: &[&str]) -> Option<String> {
    match segments {
        [channel, id, message, ..] if channel.eq_ignore_ascii_case("channel") => {
            Some(format!("whatsapp:channel:{id}:{}", number(message)?))
        }
        _ => None,
    }
}

/// `web:` and the address without scheme, `www.`, needless percent-escapes and parameter order.
fn web_key(url: &Url, host: &str) -> String {
    let host = host.strip_prefix("www.").unwrap_or(host);
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = tidy_escapes(url.path());
    let mut params: Vec<String> = url
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(tidy_escapes)
        .collect();
    params.sort();
    let query = if params.is_empty() {
        String::new()
    } else {
        format!("?{}", params.join("&"))
    };
    format!("web:{host}{port}{path}{query}")
}

/// Decodes the percent-escapes of characters that never need one (`%61` is `a`) and writes the
/// others in upper case (`%c3` is `%C3`).
fn tidy_escapes(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match escaped {
            Some(b) if b.is_ascii_alphanumeric() || b"-._~".contains(&b) => out.push(b as char),
            Some(b) => out.push_str(&format!("%{b:02X}")),
            None => {
                let c = text[i..].chars().next().unwrap_or('\u{fffd}');
                out.push(c);
                i += c.len_utf8();
                continue;
            }
        }
        i += 3;
    }
    out
}
