//! The feed watcher against a local HTTP server that serves good feeds and bad bodies: conditional
//! requests, new entries only, and for every bad input (HTML, malformed XML, huge, endless and slow
//! bodies, a gzip bomb, a redirect loop, a charset named only by the server, untitled items, an
//! error status, a local address) a clear reason and no crash.

use flate2::write::GzEncoder;
use flate2::Compression;
use relais::feeds::{FeedState, FetchError, FetchLimits, Fetched, Fetcher, WatchPolicy};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The local server: what it serves depends on the path (see [`answer`]); `/rss` gains an item
/// each time `items` grows.
struct Server {
    port: u16,
    items: Arc<AtomicUsize>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let items = Arc::new(AtomicUsize::new(2));
        let shared = items.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let items = shared.clone();
                std::thread::spawn(move || serve(stream, &items));
            }
        });
        Server { port, items }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

/// Reads one request (path and headers) and writes the answer; errors (the client went away) end it.
fn serve(stream: TcpStream, items: &AtomicUsize) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        headers.push(line.trim_end().to_ascii_lowercase());
    }
    let _ = answer(stream, &path, &headers, items.load(Ordering::SeqCst));
}

fn rss(items: usize) -> String {
    let mut body = String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>");
    for n in 1..=items {
        body.push_str(&format!(
            "<item><guid>i{n}</guid><title>Item {n}</title><link>https://news.example.org/{n}</link></item>"
        ));
    }
    body + "</channel></rss>"
}

fn write_head(stream: &mut TcpStream, status: &str, headers: &[&str]) -> std::io::Result<()> {
    write!(stream, "HTTP/1.1 {status}\r\nConnection: close\r\n")?;
    for header in headers {
        write!(stream, "{header}\r\n")?;
    }
    write!(stream, "\r\n")
}

fn answer(mut stream: TcpStream, path: &str, headers: &[String], items: usize) -> std::io::Result<()> {
    let xml = "Content-Type: application/rss+xml";
    let simple = |stream: &mut TcpStream, status: &str, extra: &[&str], body: &[u8]| -> std::io::Result<()> {
        let length = format!("Content-Length: {}", body.len());
        let mut all = extra.to_vec();
        all.push(&length);
        write_head(stream, status, &all)?;
        stream.write_all(body)
    };
    match path {
        "/rss" => {
            let etag = format!("\"v{items}\"");
            if headers.iter().any(|h| *h == format!("if-none-match: {etag}")) {
                return write_head(&mut stream, "304 Not Modified", &[]);
            }
            simple(
                &mut stream,
                "200 OK",
                &[xml, &format!("ETag: {etag}")],
                rss(items).as_bytes(),
            )
        }
        "/dated" => {
            let date = "Mon, 07 Dec 2026 09:00:00 GMT";
            if headers
                .iter()
                .any(|h| *h == format!("if-modified-since: {}", date.to_ascii_lowercase()))
            {
                return write_head(&mut stream, "304 Not Modified", &[]);
            }
            simple(
                &mut stream,
                "200 OK",
                &[xml, &format!("Last-Modified: {date}")],
                rss(1).as_bytes(),
            )
        }
        "/html" => simple(
            &mut stream,
            "200 OK",
            &["Content-Type: text/html"],
            b"<!DOCTYPE html><html><body>News</body></html>",
        ),
        "/malformed" => simple(
            &mut stream,
            "200 OK",
            &[xml],
            b"<rss version=\"2.0\"><channel><item><title>Broken</channel>",
        ),
        "/huge" => {
            let body = format!(
                "<rss version=\"2.0\"><channel>{}</channel></rss>",
                " ".repeat(3 * 1024 * 1024)
            );
            simple(&mut stream, "200 OK", &[xml], body.as_bytes())
        }
        "/endless" => {
            write_head(&mut stream, "200 OK", &[xml])?;
            stream.write_all(b"<rss version=\"2.0\"><channel>")?;
            let chunk = "<item><title>again</title></item>".repeat(1000);
            loop {
                stream.write_all(chunk.as_bytes())?;
            }
        }
        "/slow" => {
            write_head(&mut stream, "200 OK", &[xml, "Content-Length: 100000"])?;
            loop {
                stream.write_all(b" ")?;
                std::thread::sleep(Duration::from_millis(500));
            }
        }
        "/bomb" => simple(&mut stream, "200 OK", &[xml, "Content-Encoding: gzip"], gzip_bomb()),
        "/loop" => simple(&mut stream, "302 Found", &["Location: /loop"], b""),
        "/moved" => simple(&mut stream, "301 Moved Permanently", &["Location: /rss"], b""),
        "/latin1" => {
            let mut body = b"<rss version=\"2.0\"><channel><title>L</title><item><guid>l1</guid><title>".to_vec();
            body.extend_from_slice(b"R\xe9gion \xe0 l'\xe9coute</title></item></channel></rss>");
            simple(
                &mut stream,
                "200 OK",
                &["Content-Type: application/rss+xml; charset=ISO-8859-1"],
                &body,
            )
        }
        "/untitled" => {
            let body = "<rss version=\"2.0\"><channel><item><guid>u1</guid></item><item><guid>u2</guid><description>Only words</description></item></channel></rss>";
            simple(&mut stream, "200 OK", &[xml], body.as_bytes())
        }
        _ => simple(&mut stream, "404 Not Found", &[], b"not here"),
    }
}

/// 64 MiB of spaces in a feed, gzipped to about 64 KiB; made once, before the test's fetches
/// (compressing it takes seconds unoptimised, which the fetch's time limit would count).
fn gzip_bomb() -> &'static [u8] {
    static BOMB: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BOMB.get_or_init(|| {
        let mut gzip = GzEncoder::new(Vec::new(), Compression::fast());
        gzip.write_all(b"<rss version=\"2.0\"><channel>").expect("gzip");
        let spaces = vec![b' '; 1024 * 1024];
        for _ in 0..64 {
            gzip.write_all(&spaces).expect("gzip");
        }
        gzip.finish().expect("gzip")
    })
}

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
