//! Reshare links: checking, normalising and identifying the post they point at.
//!
//! Ambassadors paste the link of their reshare as the network's share or copy-link button gave it.
//! `normalise` refuses what is not a post on a public site (IP addresses, local names, home
//! pages: [`host`]), turns every spelling into one clean URL (canonical host, no tracking
//! parameters, no fragment), says which network it is on, and gives the post's identity on that
//! network ([`post`]), so that every spelling of one post counts once.

mod host;
mod post;

use super::Network;
use percent_encoding::percent_decode_str;
use url::Url;

/// The longest link accepted, in characters (before and after normalisation).
pub const MAX_URL_CHARS: usize = 2000;

/// A claimed reshare's link, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedUrl {
    /// The normalised URL.
    pub url: String,
    pub network: Network,
    /// The post's identity on its network (`x:1859…`, `linkedin:activity:7263…`,
    /// `mastodon:mastodon.social:1134…`, `web:ngo.org/news/a`): the same for every spelling of
    /// one post. A reshare is counted once per post key.
    pub post: String,
    /// The host of a Mastodon-style post (`mastodon.social`), for `Network::Mastodon` only.
    pub mastodon_instance: Option<String>,
}

/// Why a text is not an acceptable reshare link. `Display` is English; `key()` names a translated
/// message and `host()` gives the host it is about, if any.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    #[error("`{0}` is not a web link")]
    NotAUrl(String),
    #[error("only http and https links are accepted, not `{0}:` links")]
    UnsupportedScheme(String),
    #[error("`{0}` has no host name such as example.org")]
    NoHost(String),
    #[error("`{0}` is an IP address: a reshare is a post on a public site with a name such as example.org")]
    IpAddress(String),
    #[error("`{0}` is a local or reserved name, not a public site")]
    LocalHost(String),
    #[error("the link is the home page of {0}, not a post: open your post and copy its link")]
    HomePage(String),
    #[error("the link is {0} characters long, at most {max} are accepted", max = MAX_URL_CHARS)]
    TooLong(usize),
}

impl UrlError {
    /// A stable key for translated messages (`not_a_url`, `unsupported_scheme`, `no_host`,
    /// `ip_address`, `local_host`, `home_page`, `too_long`).
    pub fn key(&self) -> &'static str {
        match self {
            UrlError::NotAUrl(_) => "not_a_url",
            UrlError::UnsupportedScheme(_) => "unsupported_scheme",
            UrlError::NoHost(_) => "no_host",
            UrlError::IpAddress(_) => "ip_address",
            UrlError::LocalHost(_) => "local_host",
            UrlError::HomePage(_) => "home_page",
            UrlError::TooLong(_) => "too_long",
        }
    }

    /// The host the refusal is about (`127.0.0.1`, `localhost`, `ngo.org`), if it is about one.
    pub fn host(&self) -> Option<&str> {
        match self {
            UrlError::IpAddress(host) | UrlError::LocalHost(host) | UrlError::HomePage(host) => Some(host),
            _ => None,
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

/// Normalises a pasted reshare link, detects its network and identifies its post.
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
    let host = host::public_host(&url, text, explicit_scheme)?;
    let (canonical, network) = host::classify(&host);
    let host = canonical.map(str::to_string).unwrap_or(host);
    clean(&mut url, &host, network).map_err(|_| UrlError::NotAUrl(text.to_string()))?;
    let is_mastodon = network == Network::Other && post::is_mastodon_status(&url);
    let network = if is_mastodon { Network::Mastodon } else { network };
    let home_page = url.path().bytes().all(|b| b == b'/');
    if home_page && (url.query().is_none() || network != Network::Other) {
        return Err(UrlError::HomePage(host));
    }
    let post = post::key(&url, network, &host);
    let normalised = String::from(url);
    if normalised.chars().count() > MAX_URL_CHARS {
        return Err(UrlError::TooLong(normalised.chars().count()));
    }
    Ok(SharedUrl {
        url: normalised,
        network,
        post,
        mastodon_instance: is_mastodon.then_some(host),
    })
}

/// Gives `url` its canonical `host`, drops what does not name the post (credentials, fragment,
/// tracking parameters, a trailing slash; for known networks the scheme and port too) and turns
/// the network's alternative spellings into the usual one.
fn clean(url: &mut Url, host: &str, network: Network) -> Result<(), url::ParseError> {
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if network == Network::X {
        hashbang_to_path(url);
    }
    url.set_fragment(None);
    url.set_host(Some(host))?;
    if network != Network::Other {
        let _ = url.set_scheme("https");
        let _ = url.set_port(None);
    }
    retain_query_params(url, |key| !is_tracking_param(key, network));
    if host == "youtu.be" {
        youtu_be_to_watch(url);
    }
    drop_trailing_slashes(url);
    Ok(())
}

/// `twitter.com/#!/ngo/status/1` (links from before 2012) becomes `twitter.com/ngo/status/1`.
fn hashbang_to_path(url: &mut Url) {
    let Some(path) = url.fragment().and_then(|f| f.strip_prefix('!')).map(str::to_string) else {
        return;
    };
    if url.path() == "/" && path.starts_with('/') {
        url.set_path(&path);
    }
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

#[cfg(test)]
mod tests;
