//! Links to hosts that are not public sites, and home pages, are refused with their real reason.

use super::super::*;

fn ip(host: &str) -> UrlError {
    UrlError::IpAddress(host.into())
}

fn local(host: &str) -> UrlError {
    UrlError::LocalHost(host.into())
}

fn home(host: &str) -> UrlError {
    UrlError::HomePage(host.into())
}

/// Issue 14 §5: `https://127.0.0.1/8` and `https://169.254.169.254/…` scored; issue 17: a refused
/// URL was told it "should start with https://".
#[test]
fn r14_ip_addresses_local_names_and_home_pages_are_refused_with_their_reason() {
    let rows: &[(&str, UrlError)] = &[
        // IP literals, v4 and v6, in every form the URL parser reads as an address.
        ("https://127.0.0.1/8", ip("127.0.0.1")),
        ("https://169.254.169.254/latest/meta-data/", ip("169.254.169.254")),
        ("http://10.0.0.5/post/1", ip("10.0.0.5")),
        ("https://192.168.1.10/x", ip("192.168.1.10")),
        ("https://203.0.113.7/report", ip("203.0.113.7")),
        ("https://8.8.8.8/a", ip("8.8.8.8")),
        ("https://2130706433/a", ip("127.0.0.1")),
        ("https://0x7f.1/a", ip("127.0.0.1")),
        ("https://0177.0.0.1/a", ip("127.0.0.1")),
        ("https://0x7f000001/a", ip("127.0.0.1")),
        ("https://127.1/a", ip("127.0.0.1")),
        ("https://12/a", ip("0.0.0.12")),
        ("https://1.2.3/a", ip("1.2.0.3")),
        ("127.0.0.1/a", ip("127.0.0.1")),
        ("https://[::1]/a", ip("[::1]")),
        ("https://[::ffff:127.0.0.1]/a", ip("[::ffff:127.0.0.1]")),
        ("https://[fe80::1]/a", ip("[fe80::1]")),
        ("https://[2001:DB8::1]:8443/@ngo/1234", ip("[2001:db8::1]")),
        // Loopback, local-network and reserved names.
        ("https://localhost:8443/a", local("localhost")),
        ("https://LOCALHOST./a", local("localhost")),
        ("localhost:8443/a", local("localhost")),
        ("https://api.localhost/a", local("api.localhost")),
        ("https://printer.local/status/1", local("printer.local")),
        ("https://nas.home.arpa/share/1", local("nas.home.arpa")),
        ("https://wiki.internal/page", local("wiki.internal")),
        ("https://router.lan/a", local("router.lan")),
        ("https://box.localdomain/a", local("box.localdomain")),
        ("https://mail.corp/a", local("mail.corp")),
        ("https://site.test/a", local("site.test")),
        ("https://www.example/a", local("www.example")),
        ("https://nothing.invalid/a", local("nothing.invalid")),
        ("https://1.0.0.127.in-addr.arpa/a", local("1.0.0.127.in-addr.arpa")),
        // Single-label hosts: names inside a local network.
        ("https://intranet/a", local("intranet")),
        ("http://metadata/computeMetadata/v1", local("metadata")),
        // Home pages, with or without tracking parameters: not a post.
        ("ngo.org", home("ngo.org")),
        ("https://ngo.org/", home("ngo.org")),
        ("https://www.ngo.org//?utm_source=x#top", home("www.ngo.org")),
        ("https://ngo.org/?fbclid=abc", home("ngo.org")),
        ("https://x.com/", home("x.com")),
        ("https://twitter.com/?lang=en", home("x.com")),
        ("https://www.facebook.com/?ref=home", home("www.facebook.com")),
        ("https://bsky.app", home("bsky.app")),
        ("https://mastodon.social/", home("mastodon.social")),
    ];
    for (raw, want) in rows {
        assert_eq!(normalise(raw).as_ref(), Err(want), "row {raw:?}");
    }
}

#[test]
fn the_reason_names_the_host_it_is_about() {
    let rows = [
        ("https://localhost:8443/a", Some("localhost")),
        ("https://127.0.0.1/8", Some("127.0.0.1")),
        ("https://ngo.org/", Some("ngo.org")),
        ("ftp://ngo.org/a", None),
        ("hello", None),
    ];
    for (raw, want) in rows {
        let error = normalise(raw).expect_err(raw);
        assert_eq!(error.host(), want, "row {raw:?}");
    }
}

#[test]
fn public_names_that_look_local_are_accepted() {
    for raw in [
        "https://localhost.example.org/a",
        "https://local.news/a",
        "https://test.fr/a",
        "https://example.org/a",
        "https://my.home.page.org/a",
        "https://lan.party/a",
        "https://127-0-0-1.example.org/a",
        "https://ngo.org/?p=123",
    ] {
        assert!(normalise(raw).is_ok(), "{raw} was refused: {:?}", normalise(raw));
    }
}
