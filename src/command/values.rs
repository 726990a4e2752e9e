//! Argument values shared by several grammars: web links, server names, times and dates.

use super::tokens::unwrap_link;
use crate::domain::ItemId;
use chrono::{NaiveDate, NaiveTime};
use std::borrow::Cow;
use url::{Host, Url};

/// A web link as typed, cleaned: `<…>` and `[label](…)` unwrapped, `https://` added when there is no scheme.
/// It must be http(s), without user name, with a host that has a dot or is an IP address.
/// The text is not normalised otherwise (that is the link module's job).
pub(super) fn web_url(token: &str) -> Option<String> {
    let inner = unwrap_link(token);
    if inner.is_empty() || inner.contains(char::is_whitespace) {
        return None;
    }
    let text = with_scheme(inner)?;
    let url = Url::parse(&text).ok()?;
    let web = matches!(url.scheme(), "http" | "https") && url.username().is_empty() && url.password().is_none();
    (web && public_host(&url, &text)).then(|| text.into_owned())
}

/// `text` if it starts with `scheme://`, else `https://text` (refusing `user@host` without a scheme).
fn with_scheme(text: &str) -> Option<Cow<'_, str>> {
    if let Some((scheme, _)) = text.split_once("://") {
        if !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Some(Cow::Borrowed(text));
        }
    }
    let authority = text.split(['/', '?', '#']).next().unwrap_or(text);
    if authority.contains('@') || text.starts_with('/') {
        return None;
    }
    Some(Cow::Owned(format!("https://{text}")))
}

/// Whether the URL's host is a dotted domain name or an IP address written out in `text`
/// (so that `https://12` is not taken for 0.0.0.12).
fn public_host(url: &Url, text: &str) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => dotted_domain(domain),
        Some(Host::Ipv4(ip)) => text.contains(&ip.to_string()),
        Some(Host::Ipv6(_)) => true,
        None => false,
    }
}

/// At least two non-empty labels, the last one not all digits.
fn dotted_domain(domain: &str) -> bool {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    let mut labels = domain.split('.');
    let last = labels.next_back().unwrap_or_default();
    domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty())
        && !last.bytes().all(|b| b.is_ascii_digit())
}

/// The lower-cased host of a Mastodon server given as `mastodon.social`, `https://mastodon.social/`,
/// `@user@mastodon.social` or `user@mastodon.social`.
pub(super) fn server_host(token: &str) -> Option<String> {
    let inner = unwrap_link(token);
    if inner.is_empty() || inner.contains(char::is_whitespace) {
        return None;
    }
    let has_scheme = inner
        .split_once("://")
        .is_some_and(|(s, _)| s.bytes().all(|b| b.is_ascii_alphabetic()));
    let text = if has_scheme {
        Cow::Borrowed(inner)
    } else {
        let account = inner.split(['/', '?', '#']).next().unwrap_or(inner);
        let host = account.rsplit('@').next().unwrap_or(account);
        Cow::Owned(format!("https://{host}"))
    };
    let url = Url::parse(&text).ok()?;
    match url.host() {
        Some(Host::Domain(domain)) if matches!(url.scheme(), "http" | "https") && dotted_domain(domain) => {
            Some(domain.trim_end_matches('.').to_ascii_lowercase())
        }
        _ => None,
    }
}

/// A time of day: `18:00`, `8:30`, `18h30`, `18h` (hours 0-23, minutes 00-59).
pub(super) fn time_of_day(text: &str) -> Option<NaiveTime> {
    let split = text.find([':', 'h', 'H'])?;
    let (hours, rest) = text.split_at(split);
    let sep = rest.chars().next()?;
    let minutes = rest.get(sep.len_utf8()..)?;
    let minutes_ok = minutes.len() == 2 || (minutes.is_empty() && sep != ':');
    if hours.is_empty() || hours.len() > 2 || !minutes_ok {
        return None;
    }
    let h = digits(hours)?;
    let m = if minutes.is_empty() { 0 } else { digits(minutes)? };
    NaiveTime::from_hms_opt(h, m, 0)
}

/// A calendar date `YYYY-MM-DD` (month and day may have one digit).
pub(super) fn date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let sizes_ok = year.len() == 4 && (1..=2).contains(&month.len()) && (1..=2).contains(&day.len());
    if parts.next().is_some() || !sizes_ok {
        return None;
    }
    let year = i32::try_from(digits(year)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(month)?, digits(day)?)
}

/// An item id (`c12`, `C12`, `#c12`), checked for its shape before `ItemId::from_str` (which allocates
/// its error) is asked.
pub(super) fn item_id(text: &str) -> Option<ItemId> {
    let rest = text.strip_prefix('#').unwrap_or(text);
    let digits = rest.strip_prefix(['c', 'C'])?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A short run of ASCII digits as a number (no sign, no spaces).
fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_urls_are_cleaned_but_not_normalised() {
        let rows: &[(&str, Option<&str>)] = &[
            ("https://x.com/ngo/status/1", Some("https://x.com/ngo/status/1")),
            ("HTTP://Example.org/A?b=1#c", Some("HTTP://Example.org/A?b=1#c")),
            ("x.com/ngo/status/1", Some("https://x.com/ngo/status/1")),
            ("<https://x.com/a>", Some("https://x.com/a")),
            ("[post](https://x.com/a_(b))", Some("https://x.com/a_(b)")),
            ("[post](<https://x.com/a>)", Some("https://x.com/a")),
            ("www.example.org", Some("https://www.example.org")),
            ("http://192.168.1.10/x", Some("http://192.168.1.10/x")),
            ("https://[::1]/x", Some("https://[::1]/x")),
            ("x.com/r?u=https://y.org", Some("https://x.com/r?u=https://y.org")),
            ("https://bücher.de/", Some("https://bücher.de/")),
            ("https://12", None),
            ("https://localhost/a", None),
            ("ftp://x.org/a", None),
            ("javascript:alert(1)", None),
            ("mailto:a@b.org", None),
            ("https://user:pw@x.org/", None),
            ("https://x..org/", None),
            ("https://1.2.3/", None),
            ("c12", None),
            ("", None),
            ("<>", None),
            ("/relative/path", None),
            ("https://x.org/a b", None),
        ];
        for (token, want) in rows {
            assert_eq!(web_url(token).as_deref(), *want, "{token:?}");
        }
    }

    #[test]
    fn server_hosts_come_from_names_urls_and_handles() {
        let rows: &[(&str, Option<&str>)] = &[
            ("mastodon.social", Some("mastodon.social")),
            ("Mastodon.Social", Some("mastodon.social")),
            ("https://mastodon.social/", Some("mastodon.social")),
            ("https://mastodon.social/@alice", Some("mastodon.social")),
            ("@alice@mastodon.social", Some("mastodon.social")),
            ("alice@eldritch.cafe", Some("eldritch.cafe")),
            ("<https://fosstodon.org>", Some("fosstodon.org")),
            ("mastodon", None),
            ("@alice", None),
            ("ftp://mastodon.social", None),
            ("10.0.0.1", None),
            ("", None),
        ];
        for (token, want) in rows {
            assert_eq!(server_host(token).as_deref(), *want, "{token:?}");
        }
    }

    #[test]
    fn times_accept_colon_and_h_forms() {
        let rows: &[(&str, Option<(u32, u32)>)] = &[
            ("18:00", Some((18, 0))),
            ("8:30", Some((8, 30))),
            ("08:30", Some((8, 30))),
            ("18h30", Some((18, 30))),
            ("18H", Some((18, 0))),
            ("0h", Some((0, 0))),
            ("23:59", Some((23, 59))),
            ("24:00", None),
            ("18:60", None),
            ("18:", None),
            ("18:5", None),
            ("18", None),
            ("h30", None),
            ("123:00", None),
            ("+1:00", None),
            ("18:00:00", None),
            ("１８:00", None),
        ];
        for (text, want) in rows {
            let want = want.and_then(|(h, m)| NaiveTime::from_hms_opt(h, m, 0));
            assert_eq!(time_of_day(text), want, "{text:?}");
        }
    }

    #[test]
    fn item_ids_take_their_usual_spellings() {
        let rows = [
            ("c12", Some(12)),
            ("C7", Some(7)),
            ("#c3", Some(3)),
            ("12", None),
            ("c", None),
            ("c-1", None),
        ];
        for (text, want) in rows {
            assert_eq!(item_id(text), want.map(ItemId), "{text:?}");
        }
        assert_eq!(item_id("c99999999999"), None);
        assert_eq!(item_id("https://x.com/a"), None);
    }

    type Ymd = (i32, u32, u32);

    #[test]
    fn dates_are_year_month_day() {
        let rows: &[(&str, Option<Ymd>)] = &[
            ("2026-11-30", Some((2026, 11, 30))),
            ("2026-1-5", Some((2026, 1, 5))),
            ("2028-02-29", Some((2028, 2, 29))),
            ("2026-02-29", None),
            ("2026-13-01", None),
            ("26-11-30", None),
            ("2026/11/30", None),
            ("2026-11-30-1", None),
            ("2026-11", None),
            ("", None),
        ];
        for (text, want) in rows {
            let want = want.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
            assert_eq!(date(text), want, "{text:?}");
        }
    }
}
