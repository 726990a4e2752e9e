//! Fetching a feed over HTTP: conditional (ETag, Last-Modified), within a size and a time limit
//! whatever the body expands to, a few redirects at most, a charset named only by the server
//! honoured, and never into the local network unless the configuration allows it (every address a
//! name resolves to is checked, redirects included). Every failure becomes a short reason for the
//! feed's status.

use super::address::is_public;
use super::entries::{read_entries, Entry, NotAFeed};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use reqwest::StatusCode;
use std::error::Error as StdError;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use url::{Host, Url};

/// The bounds of one fetch.
#[derive(Clone, Debug)]
pub struct FetchLimits {
    /// The most bytes of body read (after decompression).
    pub max_bytes: usize,
    /// For the whole request, body included.
    pub timeout: Duration,
    pub max_redirects: usize,
    /// Whether feeds may be on loopback or private addresses (a feed of the organisation's own
    /// intranet, or tests); off by default.
    pub allow_local: bool,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            max_bytes: 4 * 1024 * 1024,
            timeout: Duration::from_secs(20),
            max_redirects: 5,
            allow_local: false,
        }
    }
}

/// What a poll fetched.
#[derive(Debug, PartialEq, Eq)]
pub enum Fetched {
    /// 304: nothing changed since the validators.
    NotModified,
    Entries {
        entries: Vec<Entry>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    /// Why not (the feed's status).
    Failed(String),
}

/// Why a feed could not be fetched.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FetchError {
    #[error("`{0}` is not an http or https address")]
    NotHttp(String),
    #[error("`{host}` is in the local network ({address}): only public addresses can be watched")]
    Local { host: String, address: String },
    #[error("`{0}` could not be resolved")]
    Unresolved(String),
    #[error("no complete answer within {0} seconds")]
    Timeout(u64),
    #[error("more than {0} redirects (a redirect loop?)")]
    Redirects(usize),
    #[error("the body is larger than {0} KiB")]
    TooLarge(usize),
    #[error("the server answered HTTP {0}")]
    Status(u16),
    #[error("cannot reach the server: {0}")]
    Network(String),
    #[error(transparent)]
    NotAFeed(#[from] NotAFeed),
}

/// The HTTP client of the feed watcher (one for every feed: it keeps connections).
pub struct Fetcher {
    client: reqwest::Client,
    limits: FetchLimits,
}

impl Fetcher {
    pub fn new(limits: FetchLimits) -> Result<Fetcher, FetchError> {
        let (allow_local, max_redirects) = (limits.allow_local, limits.max_redirects);
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > max_redirects {
                return attempt.error(FetchError::Redirects(max_redirects));
            }
            match check_url(attempt.url(), allow_local) {
                Ok(()) => attempt.follow(),
                Err(refused) => attempt.error(refused),
            }
        });
        let client = reqwest::Client::builder()
            .timeout(limits.timeout)
            .connect_timeout(limits.timeout.min(Duration::from_secs(10)))
            .redirect(redirects)
            .dns_resolver(Arc::new(Resolver { allow_local }))
            .gzip(true)
            .user_agent(concat!("Relais/", env!("CARGO_PKG_VERSION"), " feed watcher"))
            .build()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        Ok(Fetcher { client, limits })
    }

    /// Fetches `url` with the validators of the last answer; a failure is its reason.
    pub async fn fetch(&self, url: &str, etag: Option<&str>, last_modified: Option<&str>) -> Fetched {
        match self.try_fetch(url, etag, last_modified).await {
            Ok(fetched) => fetched,
            Err(error) => Fetched::Failed(error.to_string()),
        }
    }

    /// Fetches `url`, or says why it could not.
    pub async fn try_fetch(
        &self,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<Fetched, FetchError> {
        let parsed = Url::parse(url).map_err(|_| FetchError::NotHttp(url.to_string()))?;
        check_url(&parsed, self.limits.allow_local)?;
        let mut request = self.client.get(parsed);
        if let Some(etag) = etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(date) = last_modified {
            request = request.header(IF_MODIFIED_SINCE, date);
        }
        let mut response = request.send().await.map_err(|e| self.failure(e))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (etag, last_modified, content_type) = (header(ETAG), header(LAST_MODIFIED), header(CONTENT_TYPE));
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.failure(e))? {
            if body.len() + chunk.len() > self.limits.max_bytes {
                return Err(FetchError::TooLarge(self.limits.max_bytes / 1024));
            }
            body.extend_from_slice(&chunk);
        }
        let body = transcoded(body, content_type.as_deref());
        let entries = read_entries(&body)?;
        Ok(Fetched::Entries {
            entries,
            etag,
            last_modified,
        })
    }

    /// A reqwest failure as a reason: ours (a refused address, too many redirects) when it is.
    fn failure(&self, error: reqwest::Error) -> FetchError {
        let mut source: Option<&(dyn StdError + 'static)> = error.source();
        while let Some(cause) = source {
            if let Some(ours) = cause.downcast_ref::<FetchError>() {
                return ours.clone_reason();
            }
            source = cause.source();
        }
        if error.is_timeout() {
            return FetchError::Timeout(self.limits.timeout.as_secs());
        }
        let mut reason = error.to_string();
        if let Some(cause) = error.source() {
            reason = format!("{reason}: {cause}");
        }
        FetchError::Network(reason)
    }
}

impl FetchError {
    fn clone_reason(&self) -> FetchError {
        match self {
            FetchError::Local { host, address } => FetchError::Local {
                host: host.clone(),
                address: address.clone(),
            },
            FetchError::Redirects(n) => FetchError::Redirects(*n),
            FetchError::NotHttp(url) => FetchError::NotHttp(url.clone()),
            FetchError::Unresolved(host) => FetchError::Unresolved(host.clone()),
            other => FetchError::Network(other.to_string()),
        }
    }
}

/// An address a feed may be fetched from: http or https, and not an IP literal in the local
/// network unless allowed (names are checked when they are resolved, see [`Resolver`]).
pub fn check_url(url: &Url, allow_local: bool) -> Result<(), FetchError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchError::NotHttp(url.to_string()));
    }
    let ip = match url.host() {
        Some(Host::Ipv4(ip)) => std::net::IpAddr::V4(ip),
        Some(Host::Ipv6(ip)) => std::net::IpAddr::V6(ip),
        Some(Host::Domain(_)) => return Ok(()),
        None => return Err(FetchError::NotHttp(url.to_string())),
    };
    if allow_local || is_public(ip) {
        return Ok(());
    }
    Err(FetchError::Local {
        host: ip.to_string(),
        address: ip.to_string(),
    })
}

/// Resolves names with the system's resolver and keeps only the public addresses (all when the
/// local network is allowed); a name with none left is refused.
struct Resolver {
    allow_local: bool,
}

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_local = self.allow_local;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|_| FetchError::Unresolved(host.clone()))?
                .collect();
            let Some(first) = found.first().copied() else {
                return Err(FetchError::Unresolved(host).into());
            };
            let allowed: Vec<SocketAddr> = found.into_iter().filter(|a| allow_local || is_public(a.ip())).collect();
            if allowed.is_empty() {
                return Err(FetchError::Local {
                    host,
                    address: first.ip().to_string(),
                }
                .into());
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// The body in UTF-8 when the server names another charset and the body does not declare one
/// itself (an XML declaration's `encoding` wins, as in every feed reader).
fn transcoded(body: Vec<u8>, content_type: Option<&str>) -> Vec<u8> {
    let Some(label) = content_type.and_then(charset) else {
        return body;
    };
    let declares = body.trim_ascii_start().starts_with(b"<?xml")
        && body
            .iter()
            .take(200)
            .copied()
            .collect::<Vec<u8>>()
            .windows(9)
            .any(|w| w == b"encoding=");
    match encoding_rs::Encoding::for_label(label.as_bytes()) {
        Some(encoding) if encoding != encoding_rs::UTF_8 && !declares => {
            encoding.decode_without_bom_handling(&body).0.into_owned().into_bytes()
        }
        _ => body,
    }
}

fn charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (key, value) = parameter.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_addresses_outside_the_local_network_are_fetched() {
        let check = |url: &str, allow| check_url(&Url::parse(url).expect(url), allow);
        assert_eq!(check("https://feeds.example.org/rss", false), Ok(()));
        assert_eq!(check("http://93.184.215.14/rss", false), Ok(()));
        assert!(matches!(
            check("http://127.0.0.1:8080/rss", false),
            Err(FetchError::Local { .. })
        ));
        assert!(matches!(
            check("http://[::1]/rss", false),
            Err(FetchError::Local { .. })
        ));
        assert!(matches!(
            check("http://169.254.169.254/latest/meta-data", false),
            Err(FetchError::Local { .. })
        ));
        assert!(
            matches!(check("http://2130706433/", false), Err(FetchError::Local { .. })),
            "127.0.0.1 spelt as a number"
        );
        assert_eq!(check("http://127.0.0.1:8080/rss", true), Ok(()));
        assert!(matches!(check("file:///etc/passwd", true), Err(FetchError::NotHttp(_))));
        assert!(matches!(
            check("ftp://example.org/feed", true),
            Err(FetchError::NotHttp(_))
        ));
    }

    #[test]
    fn a_charset_named_by_the_server_is_honoured_unless_the_body_declares_its_own() {
        let latin1 = b"<rss>R\xe9gion</rss>".to_vec();
        let decoded = transcoded(latin1.clone(), Some("application/rss+xml; charset=ISO-8859-1"));
        assert_eq!(String::from_utf8(decoded).expect("utf-8"), "<rss>Région</rss>");
        assert_eq!(transcoded(latin1.clone(), Some("application/rss+xml")), latin1);
        let declared = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss>\xe9</rss>".to_vec();
        assert_eq!(
            transcoded(declared.clone(), Some("text/xml; charset=\"windows-1252\"")),
            declared
        );
    }
}
