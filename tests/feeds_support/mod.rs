//! A local HTTP server for the feed watcher's tests and benchmark: good feeds (with ETag and
//! Last-Modified), and bad bodies, by path (see [`answer`]).

use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The local server: what it serves depends on the path (see [`answer`]); `/rss` gains an item
/// each time `items` grows.
pub struct Server {
    pub port: u16,
    pub items: Arc<AtomicUsize>,
}

impl Server {
    pub fn start() -> Server {
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

    pub fn url(&self, path: &str) -> String {
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
    // The query names one of many feeds of the same shape (`/rss?feed=3`).
    let target = first.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/").to_string();
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
pub fn gzip_bomb() -> &'static [u8] {
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
