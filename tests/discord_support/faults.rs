//! Faults the local Discord server injects on demand: a 429 with `retry_after` and Discord's
//! rate-limit headers, or a 5xx from Discord's infrastructure, for the next calls of one operation.

use super::routes::Reply;
use chrono::Utc;
use serde_json::json;

/// The bucket every route reports in its rate-limit headers.
const BUCKET: &str = "d7c3b1e0f4a5";

/// A fault to answer a request with instead of handling it.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// `429 Too Many Requests`: retry after this many seconds; `global` for the global limit.
    RateLimited { retry_after: f64, global: bool },
    /// A 5xx (500, 502, 503, 504) from Discord's servers or its proxy, outside the API's spec.
    ServerError(u16),
}

/// Faults waiting for their operation.
#[derive(Debug, Default)]
pub struct Faults {
    due: Vec<(String, Fault, usize)>,
}

impl Faults {
    /// Answers the next `times` calls of `operation` (a spec operation id) with `fault`.
    pub fn add(&mut self, operation: &str, fault: Fault, times: usize) {
        self.due.push((operation.to_string(), fault, times));
    }

    /// The fault due for a call of `operation`, if any (counting it as used).
    pub fn take(&mut self, operation: &str) -> Option<Fault> {
        let index = self.due.iter().position(|(op, _, left)| op == operation && *left > 0)?;
        let entry = &mut self.due[index];
        entry.2 -= 1;
        let fault = entry.1.clone();
        if entry.2 == 0 {
            self.due.remove(index);
        }
        Some(fault)
    }
}

impl Fault {
    /// The response Discord gives for this fault.
    pub fn reply(&self) -> Reply {
        match self {
            Fault::RateLimited { retry_after, global } => {
                let mut reply = Reply::json(json!({
                    "code": 0,
                    "message": "You are being rate limited.",
                    "retry_after": retry_after,
                    "global": global,
                }));
                reply.status = 429;
                let reset = Utc::now().timestamp_millis() as f64 / 1000.0 + retry_after;
                reply.headers = vec![
                    ("retry-after".into(), format!("{}", retry_after.ceil() as u64)),
                    ("x-ratelimit-remaining".into(), "0".into()),
                    ("x-ratelimit-reset".into(), format!("{reset:.3}")),
                    ("x-ratelimit-reset-after".into(), format!("{retry_after:.3}")),
                    (
                        "x-ratelimit-scope".into(),
                        if *global { "global" } else { "user" }.into(),
                    ),
                ];
                if *global {
                    reply.headers.push(("x-ratelimit-global".into(), "true".into()));
                }
                reply
            }
            Fault::ServerError(status) => {
                let mut reply = Reply::json(json!({"code": 0, "message": format!("{status}: Server Error")}));
                reply.status = *status;
                reply.checked = false;
                reply
            }
        }
    }

    /// The rate-limit headers Discord puts on every response (a bucket of 5 with 4 left).
    pub fn bucket_headers() -> Vec<(String, String)> {
        let reset = Utc::now().timestamp_millis() as f64 / 1000.0 + 1.0;
        vec![
            ("x-ratelimit-limit".into(), "5".into()),
            ("x-ratelimit-remaining".into(), "4".into()),
            ("x-ratelimit-reset".into(), format!("{reset:.3}")),
            ("x-ratelimit-reset-after".into(), "1.000".into()),
            ("x-ratelimit-bucket".into(), BUCKET.into()),
        ]
    }
}
