//! The host of a reshare link: refused when it is not a public site (an IP address, `localhost`,
//! a name that only works inside a network), otherwise its network and canonical spelling.

use super::UrlError;
use crate::domain::Network;
use url::{Host, Url};

/// Top-level names (and longer suffixes) that no public site uses: loopback, local networks
/// (RFC 6762 `.local`, RFC 8375 `home.arpa`, ICANN's `.internal` and the never-delegated
/// `.home`, `.corp`, `.lan`…) and the reserved names of RFC 2606 and 6761.
const LOCAL_SUFFIXES: &[&str] = &[
    "localhost",
    "localdomain",
    "local",
    "lan",
    "home",
    "corp",
    "internal",
    "intranet",
    "private",
    "arpa",
    "test",
    "example",
    "invalid",
];

/// The lower-case host of a parsed link, if it names a public site: a domain name with a dot
/// outside the local and reserved names. `text` is what was typed (for the error); without an
/// explicit scheme a text with no dotted host is not taken for a link at all.
pub(super) fn public_host(url: &Url, text: &str, explicit_scheme: bool) -> Result<String, UrlError> {
    let domain = match url.host() {
        // The URL parser has already turned `2130706433`, `0x7f.1` and `0177.0.0.1` into 127.0.0.1.
        Some(Host::Ipv4(ip)) => return Err(UrlError::IpAddress(ip.to_string())),
        Some(Host::Ipv6(ip)) => return Err(UrlError::IpAddress(format!("[{ip}]"))),
        Some(Host::Domain(domain)) => domain.strip_suffix('.').unwrap_or(domain).to_ascii_lowercase(),
        None => return Err(UrlError::NoHost(text.to_string())),
    };
    if domain.is_empty() || domain.split('.').any(str::is_empty) {
        return Err(UrlError::NoHost(text.to_string()));
    }
    // Typed without a scheme, a single word (`hello`) is not meant as a link; `localhost` is.
    if !domain.contains('.') && !explicit_scheme && domain != "localhost" {
        return Err(UrlError::NotAUrl(text.to_string()));
    }
    let tld = domain.rsplit('.').next().unwrap_or_default();
    if !domain.contains('.') || LOCAL_SUFFIXES.contains(&tld) {
        return Err(UrlError::LocalHost(domain));
    }
    Ok(domain)
}

/// The canonical host (when it differs by spelling only) and the network of a host.
pub(super) fn classify(host: &str) -> (Option<&'static str>, Network) {
    let (canonical, network) = match host {
        "x.com" | "www.x.com" | "mobile.x.com" | "twitter.com" | "www.twitter.com" | "mobile.twitter.com"
        | "m.twitter.com" => ("x.com", Network::X),
        // Embed fixers people paste instead of the post itself: the same status ids.
        "fxtwitter.com" | "vxtwitter.com" | "fixupx.com" | "fixvx.com" | "twittpr.com" | "nitter.net" => {
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
        "youtu.be" | "music.youtube.com" | "www.youtube-nocookie.com" => Network::YouTube,
        "wa.me" | "whatsapp.com" | "www.whatsapp.com" | "chat.whatsapp.com" | "api.whatsapp.com" => Network::WhatsApp,
        _ => Network::Other,
    }
}
