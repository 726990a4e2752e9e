//! Tests for reshare URL normalisation: real-world share-button shapes, errors, and a no-panic property.
//! Post identities are tested in `posts`, refused hosts in `hosts`.

mod hosts;
mod posts;

use super::*;
use proptest::prelude::*;

/// `(raw as pasted, normalised, network)`, shaped like each network's share / copy-link buttons.
#[rustfmt::skip]
const SHAPES: &[(&str, &str, Network)] = &[
    // X / Twitter: iOS share sheet adds s & t, web "copy link" adds nothing, embeds add ref_src.
    ("https://x.com/ngo/status/1859270000000000000?s=46&t=AbCdEfGh12",
        "https://x.com/ngo/status/1859270000000000000", Network::X),
    ("https://twitter.com/ngo/status/1859270000000000000?s=20",
        "https://x.com/ngo/status/1859270000000000000", Network::X),
    ("https://mobile.twitter.com/ngo/status/1859270000000000000",
        "https://x.com/ngo/status/1859270000000000000", Network::X),
    ("x.com/ngo/status/1", "https://x.com/ngo/status/1", Network::X),
    ("https://www.x.com/ngo/status/1859?ref_src=twsrc%5Etfw", "https://x.com/ngo/status/1859", Network::X),
    ("https://x.com/ngo/status/1859/photo/1", "https://x.com/ngo/status/1859/photo/1", Network::X),
    ("  <https://x.com/ngo/status/1859>  ", "https://x.com/ngo/status/1859", Network::X),
    ("HTTPS://X.COM/ngo/status/1859#reply", "https://x.com/ngo/status/1859", Network::X),
    ("http://twitter.com/ngo/status/1", "https://x.com/ngo/status/1", Network::X),
    // LinkedIn: "Copy link to post" adds utm_source=share&utm_medium=member_*; country subdomains.
    ("https://www.linkedin.com/posts/ngo_activity-7263000000000000000-AbCd?utm_source=share&utm_medium=member_desktop",
        "https://www.linkedin.com/posts/ngo_activity-7263000000000000000-AbCd", Network::LinkedIn),
    ("https://www.linkedin.com/feed/update/urn:li:share:7263000000000000000/?utm_source=share&utm_medium=member_ios",
        "https://www.linkedin.com/feed/update/urn:li:share:7263000000000000000", Network::LinkedIn),
    ("https://fr.linkedin.com/posts/ngo_activity-7263-AbCd?trk=public_profile_like_view",
        "https://www.linkedin.com/posts/ngo_activity-7263-AbCd", Network::LinkedIn),
    ("https://linkedin.com/posts/ngo_activity-7263-AbCd",
        "https://www.linkedin.com/posts/ngo_activity-7263-AbCd", Network::LinkedIn),
    ("https://www.linkedin.com/posts/ngo_activity-7263-AbCd?rcm=ACoAAAbc&lipi=urn%3Ali%3Apage%3Ad_flagship3",
        "https://www.linkedin.com/posts/ngo_activity-7263-AbCd", Network::LinkedIn),
    ("https://www.linkedin.com/pulse/our-year-ngo-abc/?trackingId=Xyz%3D%3D",
        "https://www.linkedin.com/pulse/our-year-ngo-abc", Network::LinkedIn),
    ("https://lnkd.in/eAbC123x", "https://lnkd.in/eAbC123x", Network::LinkedIn),
    // Instagram: copy link adds igsh (app) or utm_source=ig_web_copy_link (web); older links igshid.
    ("https://www.instagram.com/p/DCx1AbCdEfG/?igsh=MWQ1ZGUxMzBkMA==",
        "https://instagram.com/p/DCx1AbCdEfG", Network::Instagram),
    ("https://www.instagram.com/reel/DCx1AbCdEfG/?utm_source=ig_web_copy_link&igsh=MzRlODBiNWFlZA==",
        "https://instagram.com/reel/DCx1AbCdEfG", Network::Instagram),
    ("https://instagram.com/p/DCx1AbCdEfG/?igshid=YmMyMTA2M2Y=",
        "https://instagram.com/p/DCx1AbCdEfG", Network::Instagram),
    ("https://instagr.am/p/DCx1AbCdEfG/", "https://instagr.am/p/DCx1AbCdEfG", Network::Instagram),
    // Facebook: share links with mibextid, mobile hosts, comment-tracking __cft__/__tn__, fbclid.
    ("https://www.facebook.com/share/p/1AbCdEfGhI/?mibextid=WC7FNe",
        "https://www.facebook.com/share/p/1AbCdEfGhI", Network::Facebook),
    ("https://www.facebook.com/share/r/1AbCdEfGhI/?mibextid=UalRPS",
        "https://www.facebook.com/share/r/1AbCdEfGhI", Network::Facebook),
    ("https://m.facebook.com/story.php?story_fbid=pfbid02Xy&id=100064000000000&mibextid=Nif5oz",
        "https://www.facebook.com/story.php?story_fbid=pfbid02Xy&id=100064000000000", Network::Facebook),
    ("https://web.facebook.com/ngo/posts/pfbid02Xy?__cft__[0]=AZWabc&__tn__=%2CO%2CP-R",
        "https://www.facebook.com/ngo/posts/pfbid02Xy", Network::Facebook),
    ("https://www.facebook.com/watch/?v=1234567890&fbclid=IwAR0abc",
        "https://www.facebook.com/watch?v=1234567890", Network::Facebook),
    ("https://facebook.com/ngo/videos/1234567890/",
        "https://www.facebook.com/ngo/videos/1234567890", Network::Facebook),
    ("https://mbasic.facebook.com/ngo/posts/123", "https://www.facebook.com/ngo/posts/123", Network::Facebook),
    ("https://fb.watch/vAbC12dEf/", "https://fb.watch/vAbC12dEf", Network::Facebook),
    // Bluesky: handles and DIDs.
    ("https://bsky.app/profile/ngo.bsky.social/post/3lbabcdefgh2x",
        "https://bsky.app/profile/ngo.bsky.social/post/3lbabcdefgh2x", Network::Bluesky),
    ("https://bsky.app/profile/did:plc:abc123xyz/post/3lbabc",
        "https://bsky.app/profile/did:plc:abc123xyz/post/3lbabc", Network::Bluesky),
    // Mastodon: any instance, web and ActivityPub spellings.
    ("https://mastodon.social/@ngo/113456789012345678",
        "https://mastodon.social/@ngo/113456789012345678", Network::Mastodon),
    ("https://mastodon.green/@ong/11234", "https://mastodon.green/@ong/11234", Network::Mastodon),
    ("https://framapiaf.org/users/ngo/statuses/113456789012345678",
        "https://framapiaf.org/users/ngo/statuses/113456789012345678", Network::Mastodon),
    ("https://Piaf.Example.ORG/@ngo/113456789012345678/",
        "https://piaf.example.org/@ngo/113456789012345678", Network::Mastodon),
    ("https://mastodon.social/@ngo@mastodon.green/113456",
        "https://mastodon.social/@ngo@mastodon.green/113456", Network::Mastodon),
    ("https://mastodon.social/@ngo", "https://mastodon.social/@ngo", Network::Other),
    // TikTok: app short links, web copy link with is_from_webapp/sender_device, mobile host.
    ("https://vm.tiktok.com/ZMhAbCdEf/", "https://vm.tiktok.com/ZMhAbCdEf", Network::TikTok),
    ("https://vt.tiktok.com/ZSAbCdEf/", "https://vt.tiktok.com/ZSAbCdEf", Network::TikTok),
    ("https://www.tiktok.com/@ngo/video/7437000000000000000?is_from_webapp=1&sender_device=pc&web_id=7437000001",
        "https://www.tiktok.com/@ngo/video/7437000000000000000", Network::TikTok),
    ("https://m.tiktok.com/v/7437000000000000000.html?_r=1&_t=8rZAbC",
        "https://www.tiktok.com/v/7437000000000000000.html", Network::TikTok),
    // YouTube: share button gives youtu.be with si (and t), shorts add feature=share.
    ("https://youtu.be/dQw4w9WgXcQ?si=abc", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", Network::YouTube),
    ("https://youtu.be/dQw4w9WgXcQ?si=abc&t=42", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42", Network::YouTube),
    ("https://m.youtube.com/watch?v=dQw4w9WgXcQ&feature=share",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ", Network::YouTube),
    ("https://youtube.com/shorts/AbCdEfGhIjK?feature=share",
        "https://www.youtube.com/shorts/AbCdEfGhIjK", Network::YouTube),
    ("https://www.youtube.com/live/AbCdEfGhIjK?si=Xy12", "https://www.youtube.com/live/AbCdEfGhIjK", Network::YouTube),
    // Threads: xmt tracking, threads.com moved host.
    ("https://www.threads.net/@ngo/post/DCx1AbCdEfG?xmt=AQGzAbC",
        "https://threads.net/@ngo/post/DCx1AbCdEfG", Network::Threads),
    ("https://www.threads.com/@ngo/post/DCx1AbCdEfG?hl=fr",
        "https://threads.net/@ngo/post/DCx1AbCdEfG?hl=fr", Network::Threads),
    // Telegram and WhatsApp.
    ("https://t.me/ngo_channel/1234", "https://t.me/ngo_channel/1234", Network::Telegram),
    ("https://telegram.me/ngo_channel/1234?single", "https://t.me/ngo_channel/1234?single", Network::Telegram),
    ("https://whatsapp.com/channel/0029VaAbCdEf1234",
        "https://whatsapp.com/channel/0029VaAbCdEf1234", Network::WhatsApp),
    ("https://chat.whatsapp.com/AbCdEf123", "https://chat.whatsapp.com/AbCdEf123", Network::WhatsApp),
    ("https://wa.me/33600000000", "https://wa.me/33600000000", Network::WhatsApp),
    // Any other page: other parameters kept in order, http kept, default port dropped.
    ("https://www.ngo.org/news/2024/appeal/?utm_source=newsletter&utm_medium=email&id=7#donate",
        "https://www.ngo.org/news/2024/appeal?id=7", Network::Other),
    ("http://ngo.org:80/a/?UTM_Campaign=x&b=2&gclid=1&a=1", "http://ngo.org/a?b=2&a=1", Network::Other),
    ("https://ngo.org:8443/a?x=1&&y=2&", "https://ngo.org:8443/a?x=1&y=2", Network::Other),
    ("https://news.example.org/article?s=5&t=9", "https://news.example.org/article?s=5&t=9", Network::Other),
    ("ngo.org/?p=123", "https://ngo.org/?p=123", Network::Other),
    ("https://twitter.com/#!/ngo/status/1859", "https://x.com/ngo/status/1859", Network::X),
    ("https://fxtwitter.com/ngo/status/1859", "https://x.com/ngo/status/1859", Network::X),
];

#[test]
fn real_world_share_links_normalise_and_detect_their_network() {
    assert!(SHAPES.len() >= 45, "only {} shapes", SHAPES.len());
    for &(raw, want_url, want_network) in SHAPES {
        let got = normalise(raw);
        let got = got.as_ref().map(|s| (s.url.as_str(), s.network));
        assert_eq!(got, Ok((want_url, want_network)), "row {raw:?}");
    }
}

#[test]
fn mastodon_posts_name_their_instance_and_nothing_else_does() {
    let rows = [
        (
            "https://mastodon.social/@ngo/113456789012345678",
            Some("mastodon.social"),
        ),
        (
            "https://Piaf.Example.ORG/@ngo/113456789012345678/",
            Some("piaf.example.org"),
        ),
        ("https://framapiaf.org/users/ngo/statuses/1", Some("framapiaf.org")),
        ("https://www.tiktok.com/@ngo/video/7437000000000000000", None),
        ("https://threads.net/@ngo/post/DCx1AbCdEfG", None),
        ("https://mastodon.social/@ngo", None),
        ("https://mastodon.social/@/123", None),
    ];
    for (raw, want) in rows {
        let got = normalise(raw).map(|s| s.mastodon_instance);
        assert_eq!(got, Ok(want.map(String::from)), "row {raw:?}");
    }
}

#[test]
fn bad_links_are_refused_with_a_reason() {
    let too_long = format!("https://ngo.org/{}", "a".repeat(MAX_URL_CHARS));
    let rows: &[(&str, UrlError)] = &[
        ("not a url", UrlError::NotAUrl("not a url".into())),
        ("", UrlError::NotAUrl(String::new())),
        ("<>", UrlError::NotAUrl(String::new())),
        ("hello", UrlError::NotAUrl("hello".into())),
        ("alice@ngo.org", UrlError::NotAUrl("alice@ngo.org".into())),
        ("http:/ngo.org", UrlError::NotAUrl("http:/ngo.org".into())),
        ("ftp://x.org/a", UrlError::UnsupportedScheme("ftp".into())),
        ("javascript:alert(1)", UrlError::UnsupportedScheme("javascript".into())),
        ("mailto:alice@ngo.org", UrlError::UnsupportedScheme("mailto".into())),
        ("https:///path", UrlError::NoHost("https:///path".into())),
        ("https://", UrlError::NoHost("https://".into())),
        ("https://localhost/a", UrlError::LocalHost("localhost".into())),
        ("ngo.org", UrlError::HomePage("ngo.org".into())),
        (&too_long, UrlError::TooLong(MAX_URL_CHARS + 16)),
    ];
    for (raw, want) in rows {
        assert_eq!(normalise(raw).as_ref(), Err(want), "row {raw:?}");
    }
}

#[test]
fn errors_have_translation_keys_and_english_messages() {
    let rows = [
        (UrlError::NotAUrl("x".into()), "not_a_url", "`x` is not a web link"),
        (
            UrlError::UnsupportedScheme("ftp".into()),
            "unsupported_scheme",
            "only http and https links are accepted, not `ftp:` links",
        ),
        (
            UrlError::NoHost("https://".into()),
            "no_host",
            "`https://` has no host name such as example.org",
        ),
        (
            UrlError::IpAddress("127.0.0.1".into()),
            "ip_address",
            "`127.0.0.1` is an IP address: a reshare is a post on a public site with a name such as example.org",
        ),
        (
            UrlError::LocalHost("intranet".into()),
            "local_host",
            "`intranet` is a local or reserved name, not a public site",
        ),
        (
            UrlError::HomePage("ngo.org".into()),
            "home_page",
            "the link is the home page of ngo.org, not a post: open your post and copy its link",
        ),
        (
            UrlError::TooLong(2001),
            "too_long",
            "the link is 2001 characters long, at most 2000 are accepted",
        ),
    ];
    for (error, key, message) in rows {
        assert_eq!(
            (error.key(), error.to_string().as_str()),
            (key, message),
            "row {error:?}"
        );
    }
}

#[test]
fn spellings_of_the_same_post_normalise_to_the_same_string() {
    let groups: &[&[&str]] = &[
        &[
            "https://x.com/ngo/status/1859",
            "https://twitter.com/ngo/status/1859?s=20",
            "x.com/ngo/status/1859/",
            "https://mobile.twitter.com/ngo/status/1859?t=abc#m",
            "<https://www.x.com/ngo/status/1859?s=46&t=AbC>",
        ],
        &[
            "https://youtu.be/dQw4w9WgXcQ?si=abc",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ&feature=share",
        ],
        &[
            "https://fr.linkedin.com/posts/ngo_activity-7-Ab?trk=x",
            "linkedin.com/posts/ngo_activity-7-Ab/",
        ],
        &[
            "https://www.instagram.com/p/DCx1/?igsh=MW",
            "https://instagram.com/p/DCx1?utm_source=ig_web_copy_link",
        ],
    ];
    for group in groups {
        let urls: Vec<_> = group.iter().map(|raw| normalise(raw).map(|s| s.url)).collect();
        assert!(
            urls.iter().all(|u| u.is_ok() && *u == urls[0]),
            "group {group:?} gave {urls:?}"
        );
    }
}

proptest! {
    #[test]
    fn any_text_is_handled_without_panicking_and_results_are_stable(raw in ".{0,300}") {
        check_stable(&raw)?;
    }

    #[test]
    fn url_like_text_normalises_idempotently(
        raw in concat!(
            "(https?://|//)?(www\\.|m\\.)?[a-zA-Z0-9]{1,10}\\.(org|com|net|fr|social|de)(:[0-9]{1,4})?",
            "(/[a-zA-Z0-9][a-zA-Z0-9@_%.~-]{0,7}){1,4}/?(\\?[a-zA-Z_&=0-9%]{0,24})?(#[a-z]{0,5})?"
        )
    ) {
        prop_assert!(check_stable(&raw)?, "{raw:?} was refused");
    }
}

/// A normalised URL is short enough and normalises to itself; tells whether `raw` was accepted.
fn check_stable(raw: &str) -> Result<bool, TestCaseError> {
    let Ok(shared) = normalise(raw) else { return Ok(false) };
    prop_assert!(shared.url.chars().count() <= MAX_URL_CHARS);
    let again = normalise(&shared.url);
    prop_assert_eq!(again, Ok(shared));
    Ok(true)
}
