//! The REST side of the local Discord server (axum, on 127.0.0.1): every request under `/api/v10`
//! is routed to its operation in Discord's spec, its token, query and body are checked, an injected
//! fault answers it if one is due, else [`routes`] does; the response is checked against the spec,
//! and request and response are recorded. Anything that breaks the spec is a violation, which fails
//! the test (see `DiscordServer`).

use super::faults::Fault;
use super::routes::{self, Call, Reply};
use super::spec::Spec;
use super::world::ApiError;
use super::{Inner, Request, Shared};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::Value;
use std::sync::Arc;

/// The API prefix serenity puts before every route.
const API_PREFIX: &str = "/api/v10";

/// Serves the REST API on `listener` until the task is aborted.
pub async fn serve(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    let app = axum::Router::new().fallback(handle).with_state(shared);
    if let Err(error) = axum::serve(listener, app).await {
        eprintln!("the local Discord REST server stopped: {error}");
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut request = Request {
        method: method.to_string(),
        path: uri.path().to_string(),
        query: parse_query(uri.query()),
        headers: headers
            .iter()
            .map(|(name, value)| (name.to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect(),
        body: None,
        files: Vec::new(),
        operation: String::new(),
        status: 0,
        response: None,
    };
    let reply = respond(&shared, &mut request, &body);
    request.status = reply.status;
    request.response = reply.body.clone();
    shared.record(request);
    into_response(reply)
}

/// Everything between receiving a request and answering it.
fn respond(shared: &Shared, request: &mut Request, raw: &[u8]) -> Reply {
    let spec = Spec::shared();
    let what = format!("{} {}", request.method, request.path);
    let body = match read_body(request, raw) {
        Ok(body) => body,
        Err(problem) => {
            shared.violation(format!("{what}: {problem}"));
            return Reply::error(&ApiError::new(400, 50109, "The request body contains invalid JSON."));
        }
    };
    request.body = body.clone();
    let Some(op) = request
        .path
        .strip_prefix(API_PREFIX)
        .and_then(|path| spec.operation(&request.method, path))
    else {
        shared.violation(format!("{what}: no such route in Discord's API (v10)"));
        return Reply::error(&ApiError::new(404, 0, "404: Not Found"));
    };
    request.operation = op.id.clone();
    let what = format!("{what} ({})", op.id);
    let mut inner = shared.lock();
    let expected = format!("Bot {}", inner.world.token);
    if spec.needs_token(&op) && request.header("authorization") != Some(expected.as_str()) {
        return Reply::error(&ApiError::new(401, 0, "401: Unauthorized"));
    }
    let problems = spec.check_request(&op, &request.query, body.as_ref());
    if !problems.is_empty() {
        inner.violations.push(format!(
            "{what}: the request breaks Discord's spec:\n  {}",
            problems.join("\n  ")
        ));
        return invalid_form_body();
    }
    let call = Call {
        op: &op,
        query: &request.query,
        body: body.as_ref(),
        gateway_url: &shared.gateway_url,
    };
    let reply = answer(&mut inner, &call, &what);
    if reply.checked {
        let problems = spec.check_response(&op, reply.status, reply.body.as_ref());
        if !problems.is_empty() {
            inner.violations.push(format!(
                "{what}: the local server's {} response breaks Discord's spec:\n  {}",
                reply.status,
                problems.join("\n  ")
            ));
        }
    }
    reply
}

/// The fault due for this operation, else the route's answer (a route the local server does not
/// implement is a violation).
fn answer(inner: &mut Inner, call: &Call<'_>, what: &str) -> Reply {
    if let Some(fault) = inner.faults.take(&call.op.id) {
        return fault.reply();
    }
    routes::route(&mut inner.world, call).unwrap_or_else(|missing| {
        inner.violations.push(format!("{what}: {missing}"));
        Reply::error(&ApiError::new(404, 0, "404: Not Found"))
    })
}

/// The JSON body: a JSON request's body, or the `payload_json` part of a multipart one (its files
/// are listed in `request.files`). `None` when there is no body.
fn read_body(request: &mut Request, raw: &[u8]) -> Result<Option<Value>, String> {
    if raw.is_empty() {
        return Ok(None);
    }
    let content_type = request.header("content-type").unwrap_or_default().to_string();
    if content_type.starts_with("application/json") {
        return serde_json::from_slice(raw)
            .map(Some)
            .map_err(|e| format!("the body is not JSON: {e}"));
    }
    if let Some(boundary) = content_type.split("boundary=").nth(1) {
        let parts = multipart_parts(raw, boundary.trim_matches('"'));
        let mut payload = None;
        for (name, data) in parts {
            if name == "payload_json" {
                payload = Some(serde_json::from_slice(&data).map_err(|e| format!("payload_json is not JSON: {e}"))?);
            } else {
                request.files.push((name, data.len()));
            }
        }
        return Ok(payload);
    }
    Err(format!(
        "a body of type {content_type:?}: Discord takes JSON or multipart/form-data"
    ))
}

/// The named parts of a multipart/form-data body.
fn multipart_parts(raw: &[u8], boundary: &str) -> Vec<(String, Vec<u8>)> {
    let delimiter = format!("--{boundary}");
    let text = raw;
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = &rest[start + delimiter.len()..];
        let Some(end) = find(rest, delimiter.as_bytes()) else {
            break;
        };
        let part = &rest[..end];
        if let Some(split) = find(part, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&part[..split]);
            let name = head
                .split("name=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or_default()
                .to_string();
            let data = part[split + 4..].strip_suffix(b"\r\n").unwrap_or(&part[split + 4..]);
            parts.push((name, data.to_vec()));
        }
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `a=1&b=2` (serenity writes `?&a=1`) as pairs, percent-decoded.
fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(name), decode(value))
        })
        .collect()
}

/// Discord's answer to a body that breaks its schema (`50035 Invalid Form Body`). Discord adds an
/// `errors` tree whose codes are strings, which its own spec types as integers: left out, the
/// problems are in the violation.
fn invalid_form_body() -> Reply {
    Reply::error(&ApiError::invalid_form("Invalid Form Body"))
}

fn into_response(reply: Reply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match &reply.body {
        Some(body) => Response::new(Body::from(body.to_string())),
        None => Response::new(Body::empty()),
    };
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if reply.body.is_some() {
        headers.insert("content-type", HeaderValue::from_static("application/json"));
    }
    let mut all = Fault::bucket_headers();
    all.extend(reply.headers);
    for (name, value) in all {
        if let (Ok(name), Ok(value)) = (
            axum::http::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            headers.insert(name, value);
        }
    }
    response
}
