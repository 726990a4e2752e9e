//! URL normalisation and network detection for claimed reshares.
//!
//! Ambassadors paste the link of their reshare as the network's share or copy-link button gave it.
//! `normalise` turns every spelling of the same post into one string (canonical host, no tracking
//! parameters, no fragment), so that a post counts once, and says which network it is on.

use super::Network;
use percent_encoding::percent_decode_str;
use url::{Host, Url};

/// The longest link accepted, in characters (before and after normalisation).
pub const MAX_URL_CHARS: usize = 2000;

/// A claimed reshare's link, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedUrl {
    /// The normalised URL.
    pub url: String,
    pub network: Network,
    /// The host of a Mastodon-style post (`mastodon.social`), for `Network::Mastodon` only.
    pub mastodon_instance: Option<String>,
}

/// Why a text is not an acceptable reshare link. `Display` is English; `key()` names a translated message.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    #[error("`{0}` is not a web link")]
    NotAUrl(String),
    #[error("only http and https links are accepted, not `{0}:` links")]
    UnsupportedScheme(String),
    #[error("`{0}` has no host name such as example.org")]
    NoHost(String),
    #[error("the link is {0} characters long, at most {max} are accepted", max = MAX_URL_CHARS)]
    TooLong(usize),
}

impl UrlError {
    /// A stable key for translated messages (`not_a_url`, `unsupported_scheme`, `no_host`, `too_long`).
    pub fn key(&self) -> &'static str {
        match self {
            UrlError::NotAUrl(_) => "not_a_url",
            UrlError::UnsupportedScheme(_) => "unsupported_scheme",
            UrlError::NoHost(_) => "no_host",
            UrlError::TooLong(_) => "too_long",
        }
    }
}

/// Query parameters that only track who shared or clicked (compared in lower case).
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "igsh",
    "si",
    "_ga",
    "_gl",
    "ref_src",
    "ref_url",
    "trk",
    "trackingid",
    "lipi",
    "rcm",
    "mibextid",
    "__tn__",
    "sender_device",
    "is_from_webapp",
    "_r",
    "_t",
    "share_id",
    // Also seen in real copy-links: Threads, TikTok web, LinkedIn country redirects, Facebook mobile.
    "xmt",
    "web_id",
    "originalsubdomain",
    "sfnsn",
];

/// Normalises a pasted reshare link and detects its network.
pub fn normalise(raw: &str) -> Result<SharedUrl, UrlError> {
    let text = unwrap_angle_brackets(raw.trim());
    let length = text.chars().count();
    if length > MAX_URL_CHARS {
        return Err(UrlError::TooLong(length));
    }
    if text.is_empty() || text.chars().any(char::is_whitespace) {
        return Err(UrlError::NotAUrl(text.to_string()));
    }
    let (absolute, explicit_scheme) = with_scheme(text)?;
    let mut url = Url::parse(&absolute).map_err(|_| UrlError::NotAUrl(text.to_string()))?;
    if !explicit_scheme && !url.username().is_empty() {
        // `alice@ngo.org` is an e-mail address, not a link to a post.
        return Err(UrlError::NotAUrl(text.to_string()));
    }
    let host = checked_host(&url, text, explicit_scheme)?;
    let (canonical, network) = classify_host(&host);
    let not_a_url = |_| UrlError::NotAUrl(text.to_string());
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_fragment(None);
    url.set_host(Some(canonical.unwrap_or(&host))).map_err(not_a_url)?;
    if network != Network::Other {
        let _ = url.set_scheme("https");
        let _ = url.set_port(None);
    }
    retain_query_params(&mut url, |key| !is_tracking_param(key, network));
    if host == "youtu.be" {
        youtu_be_to_watch(&mut url);
    }
    drop_trailing_slashes(&mut url);
    let mastodon_instance = (network == Network::Other && is_mastodon_status_path(url.path())).then_some(host);
    let network = if mastodon_instance.is_some() {
        Network::Mastodon
    } else {
        network
    };
    let normalised = String::from(url);
    if normalised.chars().count() > MAX_URL_CHARS {
        return Err(UrlError::TooLong(normalised.chars().count()));
    }
    Ok(SharedUrl {
        url: normalised,
        network,
        mastodon_instance,
    })
}

/// `<https://…>` (Markdown, Matrix and e-mail style) becomes `https://…`.
fn unwrap_angle_brackets(text: &str) -> &str {
    text.strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .map(str::trim)
        .unwrap_or(text)
}

/// The text with a scheme (`https://` added when missing) and whether the scheme was given.
fn with_scheme(text: &str) -> Result<(String, bool), UrlError> {
    if let Some(rest) = text.strip_prefix("//") {
        return Ok((format!("https://{rest}"), false));
    }
    let Some((scheme, rest)) = scheme_of(text) else {
        return Ok((format!("https://{text}"), false));
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(UrlError::UnsupportedScheme(scheme));
    }
    let Some(authority) = rest.strip_prefix("//") else {
        return Err(UrlError::NotAUrl(text.to_string()));
    };
    if authority.is_empty() || authority.starts_with(['/', '\\', '?', '#']) {
        return Err(UrlError::NoHost(text.to_string()));
    }
    Ok((text.to_string(), true))
}

/// Splits `scheme:rest`; `ngo.org:8080/a` is a host and port, not a scheme.
fn scheme_of(text: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = text.split_once(':')?;
    let starts_with_letter = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    let scheme_chars = scheme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let is_port = rest.starts_with(|c: char| c.is_ascii_digit());
    (starts_with_letter && scheme_chars && !is_port).then_some((scheme, rest))
}

/// The lower-case host: an IP address or a name with a dot.
fn checked_host(url: &Url, text: &str, explicit_scheme: bool) -> Result<String, UrlError> {
    match url.host() {
        Some(Host::Ipv4(ip)) => Ok(ip.to_string()),
        Some(Host::Ipv6(ip)) => Ok(format!("[{ip}]")),
        Some(Host::Domain(domain)) => {
            let domain = domain.strip_suffix('.').unwrap_or(domain);
            let labels_ok = domain.contains('.') && domain.split('.').all(|label| !label.is_empty());
            match (labels_ok, explicit_scheme) {
                (true, _) => Ok(domain.to_ascii_lowercase()),
                (false, true) => Err(UrlError::NoHost(text.to_string())),
                (false, false) => Err(UrlError::NotAUrl(text.to_string())),
            }
        }
        None => Err(UrlError::NoHost(text.to_string())),
    }
}

/// The canonical host (when it differs by spelling only) and the network of a host.
fn classify_host(host: &str) -> (Option<&'static str>, Network) {
    let (canonical, network) = match host {
        "x.com" | "www.x.com" | "mobile.x.com" | "twitter.com" | "www.twitter.com" | "mobile.twitter.com" => {
            ("x.com", Network::X)
        }
        "www.facebook.com"
        | "facebook.com"
        | "m.facebook.com"
        | "web.facebook.com"
        | "mbasic.facebook.com"
        | "touch.facebook.com" => ("www.facebook.com", Network::Facebook),
        "www.linkedin.com" | "linkedin.com" => ("www.linkedin.com", Network::LinkedIn),
        "instagram.com" | "www.instagram.com" | "m.instagram.com" => ("instagram.com", Network::Instagram),
        "www.tiktok.com" | "tiktok.com" | "m.tiktok.com" => ("www.tiktok.com", Network::TikTok),
        "www.youtube.com" | "youtube.com" | "m.youtube.com" => ("www.youtube.com", Network::YouTube),
        "threads.net" | "www.threads.net" | "threads.com" | "www.threads.com" => ("threads.net", Network::Threads),
        "t.me" | "telegram.me" | "www.telegram.me" => ("t.me", Network::Telegram),
        _ if is_linkedin_country_host(host) => ("www.linkedin.com", Network::LinkedIn),
        _ => return (None, network_of_other_host(host)),
    };
    (Some(canonical), network)
}

/// `fr.linkedin.com`, `uk.linkedin.com`…
fn is_linkedin_country_host(host: &str) -> bool {
    host.strip_suffix(".linkedin.com")
        .is_some_and(|country| country.len() == 2 && country.bytes().all(|b| b.is_ascii_lowercase()))
}

/// Networks of hosts kept as they are (short links and the like).
fn network_of_other_host(host: &str) -> Network {
    match host {
        "bsky.app" => Network::Bluesky,
        "vm.tiktok.com" | "vt.tiktok.com" => Network::TikTok,
        "lnkd.in" => Network::LinkedIn,
        "fb.watch" => Network::Facebook,
        "instagr.am" => Network::Instagram,
        "youtu.be" | "music.youtube.com" => Network::YouTube,
        "wa.me" | "whatsapp.com" | "www.whatsapp.com" | "chat.whatsapp.com" | "api.whatsapp.com" => Network::WhatsApp,
        _ => Network::Other,
    }
}

/// Whether a query parameter (its decoded name) only tracks the share.
fn is_tracking_param(key: &str, network: Network) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("utm_")
        || key.starts_with("__cft__")
        || TRACKING_PARAMS.contains(&key.as_str())
        || (network == Network::X && (key == "s" || key == "t"))
        || (network == Network::YouTube && key == "feature")
}

/// Keeps the query parameters whose decoded name passes `keep`, in order and as they were written;
/// drops empty pieces and a query left empty.
pub(crate) fn retain_query_params(url: &mut Url, keep: impl Fn(&str) -> bool) {
    let Some(query) = url.query() else { return };
    let kept = query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .filter(|piece| {
            let name = piece.split('=').next().unwrap_or_default();
            keep(&percent_decode_str(name).decode_utf8_lossy())
        })
        .collect::<Vec<_>>()
        .join("&");
    url.set_query((!kept.is_empty()).then_some(kept.as_str()));
}

/// `youtu.be/ID?t=42` becomes `www.youtube.com/watch?v=ID&t=42`.
fn youtu_be_to_watch(url: &mut Url) {
    let id = url
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string();
    if id.is_empty() {
        return;
    }
    let query = match url.query() {
        Some(rest) => format!("v={id}&{rest}"),
        None => format!("v={id}"),
    };
    if url.set_host(Some("www.youtube.com")).is_ok() {
        url.set_path("/watch");
        url.set_query(Some(&query));
    }
}

/// `/a/b/` becomes `/a/b`; the root path `/` stays.
fn drop_trailing_slashes(url: &mut Url) {
    let path = url.path();
    if path.len() > 1 && path.ends_with('/') {
        let trimmed = path.trim_end_matches('/').to_string();
        url.set_path(&trimmed);
    }
}

/// `/@user/123456` or `/users/user/statuses/123456`: a Mastodon (or compatible) post on any host.
fn is_mastodon_status_path(path: &str) -> bool {
    let is_id = |segment: &str| !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    let mut segments = path.trim_start_matches('/').split('/');
    match (segments.next(), segments.next(), segments.next(), segments.next()) {
        (Some(user), Some(id), _, _) if user.len() > 1 && user.starts_with('@') && is_id(id) => true,
        (Some("users"), Some(user), Some("statuses"), Some(id)) => !user.is_empty() && is_id(id),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
