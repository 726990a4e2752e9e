//! Feeds of every kind, and bodies that are not feeds.

use super::*;

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Rivers</title>
<item><title>Élection &amp; rivières</title><link>https://news.example.org/a</link><guid>a1</guid>
<description>&lt;p&gt;The &lt;b&gt;Loire&lt;/b&gt; plan&lt;/p&gt;</description><pubDate>Mon, 07 Dec 2026 09:00:00 GMT</pubDate></item>
<item><link>https://news.example.org/b</link><guid>b1</guid></item>
<item><description>Only a summary, long enough to be cut somewhere after the eightieth character of its text, which it is.</description><guid>c1</guid></item>
<item><guid>d1</guid></item>
</channel></rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><id>urn:f</id><updated>2026-12-07T09:00:00Z</updated>
<entry><title>Water week</title><id>urn:e1</id><link href="https://atom.example.org/1"/><updated>2026-12-07T08:00:00Z</updated><summary>Dams and fish</summary></entry>
</feed>"#;

const JSON_FEED: &str = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "J",
 "items": [{"id": "j1", "url": "https://json.example.org/1", "title": "Floods", "content_text": "Rain again"}]}"#;

#[test]
fn rss_items_are_read_in_plain_text_with_fallback_titles() {
    let entries = read_entries(RSS.as_bytes()).expect("RSS");
    assert_eq!(
        entries.len(),
        3,
        "the item with nothing to show is left out: {entries:?}"
    );
    assert_eq!(entries[0].id, "a1");
    assert_eq!(entries[0].title, "Élection & rivières");
    assert_eq!(entries[0].summary, "The Loire plan");
    assert_eq!(entries[0].link.as_deref(), Some("https://news.example.org/a"));
    assert_eq!(
        entries[0].published.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-12-07T09:00:00+00:00")
    );
    assert_eq!(entries[1].title, "https://news.example.org/b", "no title: its link");
    assert!(
        entries[2].title.starts_with("Only a summary") && entries[2].title.ends_with('…'),
        "{:?}",
        entries[2].title
    );
    assert!(entries[2].title.chars().count() <= TITLE_FROM_SUMMARY + 1);
}

#[test]
fn atom_and_json_feeds_are_read() {
    let atom = read_entries(ATOM.as_bytes()).expect("Atom");
    assert_eq!(
        (atom[0].id.as_str(), atom[0].title.as_str(), atom[0].summary.as_str()),
        ("urn:e1", "Water week", "Dams and fish")
    );
    let json = read_entries(JSON_FEED.as_bytes()).expect("JSON Feed");
    assert_eq!(
        (json[0].id.as_str(), json[0].title.as_str(), json[0].summary.as_str()),
        ("j1", "Floods", "Rain again")
    );
    assert_eq!(json[0].link.as_deref(), Some("https://json.example.org/1"));
}

#[test]
fn a_declared_charset_is_honoured() {
    let mut body = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>L</title><item><guid>l1</guid><title>".to_vec();
    body.extend_from_slice(b"R\xe9gion \xe0 l'\xe9coute"); // Latin-1 bytes
    body.extend_from_slice(b"</title></item></channel></rss>");
    let entries = read_entries(&body).expect("a Latin-1 feed");
    assert_eq!(entries[0].title, "Région à l'écoute");
}

/// A body, and what its error must be.
type Case = (&'static [u8], fn(&NotAFeed) -> bool);

#[test]
fn bodies_that_are_not_feeds_say_why() {
    let cases: &[Case] = &[
        (b"", |e| *e == NotAFeed::Empty),
        (b"  \n ", |e| *e == NotAFeed::Empty),
        (b"<!DOCTYPE html><html><head><title>Home</title></head></html>", |e| {
            *e == NotAFeed::Html
        }),
        (b"\xef\xbb\xbf<html lang=\"fr\"><body>Bonjour</body></html>", |e| {
            *e == NotAFeed::Html
        }),
        (b"<rss version=\"2.0\"><channel><item><title>unclosed", |e| {
            matches!(e, NotAFeed::Malformed(_))
        }),
        (b"<rss><channel><item><title>a</wrong></item></channel></rss>", |e| {
            matches!(e, NotAFeed::Malformed(_))
        }),
        (b"{\"not\": \"a feed\"", |e| matches!(e, NotAFeed::Malformed(_))),
        (b"plain text, no markup", |e| matches!(e, NotAFeed::Malformed(_))),
        (b"\x00\x01\x02\xff\xfe", |e| matches!(e, NotAFeed::Malformed(_))),
    ];
    for (body, expected) in cases {
        let outcome = read_entries(body);
        match &outcome {
            Err(error) => assert!(expected(error), "{:?}: {error:?}", String::from_utf8_lossy(body)),
            Ok(entries) => panic!("{:?} read as a feed: {entries:?}", String::from_utf8_lossy(body)),
        }
        assert!(!outcome.unwrap_err().to_string().is_empty());
    }
}

#[test]
fn plain_text_drops_markup_and_decodes_entities() {
    let cases = [
        ("<p>Hello <b>world</b></p>", "Hello world"),
        ("a &amp; b &lt;c&gt; &#233;t&#xE9; &quot;q&quot;", "a & b <c> été \"q\""),
        ("broken & lone &unknown; &#xZZ;", "broken & lone &unknown; &#xZZ;"),
        ("line\n\n  breaks\t", "line breaks"),
    ];
    for (input, expected) in cases {
        assert_eq!(plain_text(input), expected, "{input}");
    }
}
