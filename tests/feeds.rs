//! The feed watcher against a local HTTP server that serves good feeds and bad bodies: conditional
//! requests, new entries only, and for every bad input (HTML, malformed XML, huge, endless and slow
//! bodies, a gzip bomb, a redirect loop, a charset named only by the server, untitled items, an
//! error status, a local address) a clear reason and no crash.

mod feeds_support;

use feeds_support::{gzip_bomb, Server};
use relais::feeds::{poll_round, FeedState, FetchError, FetchLimits, Fetched, Fetcher, WatchPolicy, WatchedFeed};
use std::sync::atomic::Ordering;
use std::time::Duration;

fn limits() -> FetchLimits {
    FetchLimits {
        max_bytes: 1024 * 1024,
        timeout: Duration::from_secs(5),
        max_redirects: 5,
        allow_local: true,
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn a_watched_feed_brings_only_new_entries_and_asks_conditionally() {
    let server = Server::start();
    let fetcher = Fetcher::new(limits()).expect("fetcher");
    let policy = WatchPolicy::default();
    let mut state = FeedState::default();
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-07T09:00:00Z")
        .expect("time")
        .to_utc();
    runtime().block_on(async {
        let poll = |state: &FeedState| {
            let (etag, modified) = (state.etag.clone(), state.last_modified.clone());
            let url = server.url("/rss");
            let fetcher = &fetcher;
            async move { fetcher.fetch(&url, etag.as_deref(), modified.as_deref()).await }
        };
        let first = state.record(now, poll(&state).await, &policy, 0.0);
        assert!(first.new_entries.is_empty(), "the first poll only marks: {first:?}");
        assert_eq!(state.etag.as_deref(), Some("\"v2\""));
        assert_eq!(poll(&state).await, Fetched::NotModified, "the ETag is sent back");
        server.items.store(4, Ordering::SeqCst);
        let second = state.record(now + policy.interval, poll(&state).await, &policy, 0.0);
        let titles: Vec<&str> = second.new_entries.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Item 3", "Item 4"]);
        let dated = fetcher.fetch(&server.url("/dated"), None, None).await;
        let Fetched::Entries { last_modified, .. } = dated else {
            panic!("dated feed: {dated:?}")
        };
        let again = fetcher
            .fetch(&server.url("/dated"), None, last_modified.as_deref())
            .await;
        assert_eq!(again, Fetched::NotModified, "Last-Modified is sent back");
        let moved = fetcher.fetch(&server.url("/moved"), None, None).await;
        assert!(
            matches!(moved, Fetched::Entries { ref entries, .. } if entries.len() == 4),
            "{moved:?}"
        );
    });
}

/// A path, what its error must be, and words its message must have.
type Case = (&'static str, fn(&FetchError) -> bool, &'static str);

#[test]
fn bad_bodies_get_a_clear_reason_and_never_a_crash() {
    let server = Server::start();
    let fetcher = Fetcher::new(limits()).expect("fetcher");
    assert!(gzip_bomb().len() < 1024 * 1024, "the bomb is small on the wire");
    let cases: &[Case] = &[
        ("/html", |e| matches!(e, FetchError::NotAFeed(_)), "HTML page"),
        ("/malformed", |e| matches!(e, FetchError::NotAFeed(_)), "not a valid"),
        ("/huge", |e| *e == FetchError::TooLarge(1024), "larger than 1024 KiB"),
        ("/endless", |e| *e == FetchError::TooLarge(1024), "larger than"),
        ("/bomb", |e| *e == FetchError::TooLarge(1024), "larger than"),
        ("/slow", |e| *e == FetchError::Timeout(5), "within 5 seconds"),
        ("/loop", |e| *e == FetchError::Redirects(5), "redirect loop"),
        ("/gone", |e| *e == FetchError::Status(404), "HTTP 404"),
    ];
    runtime().block_on(async {
        for (path, expected, words) in cases {
            let error = fetcher.try_fetch(&server.url(path), None, None).await.expect_err(path);
            assert!(expected(&error), "{path}: {error:?}");
            assert!(error.to_string().contains(words), "{path}: {error}");
        }
    });
}

#[test]
fn server_charsets_and_untitled_items_are_read() {
    let server = Server::start();
    let fetcher = Fetcher::new(limits()).expect("fetcher");
    runtime().block_on(async {
        let latin1 = fetcher
            .try_fetch(&server.url("/latin1"), None, None)
            .await
            .expect("latin-1 feed");
        let Fetched::Entries { entries, .. } = latin1 else {
            panic!("{latin1:?}")
        };
        assert_eq!(entries[0].title, "Région à l'écoute");
        let untitled = fetcher
            .try_fetch(&server.url("/untitled"), None, None)
            .await
            .expect("untitled items");
        let Fetched::Entries { entries, .. } = untitled else {
            panic!("{untitled:?}")
        };
        let titles: Vec<&str> = entries.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Only words"], "an item with nothing to show is left out");
    });
}

#[test]
fn the_local_network_is_refused_unless_allowed() {
    let server = Server::start();
    let fetcher = Fetcher::new(FetchLimits {
        allow_local: false,
        ..limits()
    })
    .expect("fetcher");
    runtime().block_on(async {
        for url in [server.url("/rss"), format!("http://localhost:{}/rss", server.port)] {
            let error = fetcher.try_fetch(&url, None, None).await.expect_err(&url);
            assert!(matches!(error, FetchError::Local { .. }), "{url}: {error:?}");
            assert!(error.to_string().contains("only public addresses"), "{error}");
        }
        let error = fetcher
            .try_fetch("gopher://example.org/", None, None)
            .await
            .expect_err("gopher");
        assert!(matches!(error, FetchError::NotHttp(_)), "{error:?}");
    });
}

#[test]
fn a_poll_round_fetches_the_due_feeds_and_reports_each() {
    let server = Server::start();
    let fetcher = Fetcher::new(limits()).expect("fetcher");
    let policy = WatchPolicy::default();
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-07T09:00:00Z")
        .expect("time")
        .to_utc();
    let mut feeds: Vec<WatchedFeed> = (0..30)
        .map(|n| WatchedFeed {
            url: server.url(&format!("/rss?feed={n}")),
            state: FeedState::default(),
        })
        .collect();
    feeds.push(WatchedFeed {
        url: server.url("/gone"),
        state: FeedState::default(),
    });
    feeds[0].state.next_poll = Some(now + chrono::Duration::minutes(5));
    runtime().block_on(async {
        let first = poll_round(&fetcher, &mut feeds, now, &policy, 8).await;
        let polled: Vec<usize> = first.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            polled,
            (1..=30).collect::<Vec<_>>(),
            "every due feed, the one not due left out"
        );
        assert!(
            first.iter().all(|(_, outcome)| outcome.new_entries.is_empty()),
            "first polls only mark"
        );
        assert_eq!(
            feeds[30].state.last_error.as_deref(),
            Some("the server answered HTTP 404")
        );
        server.items.store(3, Ordering::SeqCst);
        let later = now + policy.interval;
        let second = poll_round(&fetcher, &mut feeds, later, &policy, 8).await;
        let news: usize = second.iter().map(|(_, outcome)| outcome.new_entries.len()).sum();
        assert_eq!(news, 29, "one new item in each of the 29 feeds polled before");
        assert!(feeds[0].state.polled, "the feed not due the first time is polled now");
    });
}
