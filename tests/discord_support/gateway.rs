//! The gateway of the local Discord server (a WebSocket on 127.0.0.1, tokio-tungstenite): HELLO,
//! heartbeat ACKs, IDENTIFY → READY and GUILD_CREATE, RESUME → the missed dispatches then RESUMED
//! (or INVALID_SESSION for an unknown session), and the dispatches a test asks for. Every frame it
//! sends is first read with serenity's own model types ([`super::models`]).
//!
//! serenity 0.12.5 connects to the URL of `GET /gateway` with `?v=10` appended (no other query, no
//! compression, no forced `wss`), so `ws://127.0.0.1:PORT` works as is; it ignores READY's
//! `resume_gateway_url` and resumes on that same URL.

use super::models::{check_dispatch, check_frame};
use super::Shared;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::handshake::server::{Request as Handshake, Response as HandshakeResponse};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

/// Gateway opcodes.
pub const DISPATCH: u64 = 0;
pub const HEARTBEAT: u64 = 1;
pub const IDENTIFY: u64 = 2;
pub const RESUME: u64 = 6;
const RECONNECT: u64 = 7;
const INVALID_SESSION: u64 = 9;
const HELLO: u64 = 10;
const HEARTBEAT_ACK: u64 = 11;

/// The privileged MESSAGE_CONTENT intent.
pub const MESSAGE_CONTENT: u64 = 1 << 15;

/// A frame the bot sent, in order, with the connection it came on (1, 2, …).
#[derive(Debug, Clone)]
pub struct ClientFrame {
    pub connection: u64,
    pub op: u64,
    pub d: Value,
}

/// What the server sends to a connection.
#[derive(Debug)]
enum Out {
    Frame(Value),
    Close(u16),
    /// Drops the TCP connection without a close frame.
    Drop,
}

struct Session {
    seq: u64,
    /// Every dispatch sent in this session, for RESUME.
    log: Vec<Value>,
    intents: u64,
}

struct Connection {
    id: u64,
    session: Option<String>,
    tx: mpsc::UnboundedSender<Out>,
}

/// The gateway's state.
pub struct Gateway {
    pub heartbeat_ms: u64,
    /// The request line of each WebSocket handshake (`/?v=10`).
    pub handshakes: Vec<String>,
    pub frames: Vec<ClientFrame>,
    /// Whether the application may use the MESSAGE_CONTENT intent (set in Discord's portal).
    pub message_content_allowed: bool,
    /// The close codes the server sent, in order.
    pub closes: Vec<u16>,
    /// Frames that serenity could not read (the test fails with them).
    pub problems: Vec<String>,
    /// Whether RESUMEs wait (in `held`, with their connection) until released.
    hold: bool,
    held: Vec<(u64, Value)>,
    sessions: HashMap<String, Session>,
    latest: Option<String>,
    current: Option<Connection>,
    connections: u64,
}

impl Gateway {
    pub fn new(heartbeat_ms: u64) -> Gateway {
        Gateway {
            heartbeat_ms,
            handshakes: Vec::new(),
            frames: Vec::new(),
            message_content_allowed: true,
            closes: Vec::new(),
            problems: Vec::new(),
            hold: false,
            held: Vec::new(),
            sessions: HashMap::new(),
            latest: None,
            current: None,
            connections: 0,
        }
    }

    /// Whether a bot is connected and identified (or resumed).
    pub fn is_live(&self) -> bool {
        self.current.as_ref().is_some_and(|c| c.session.is_some())
    }

    /// The intents of the latest session (0 before any IDENTIFY).
    pub fn intents(&self) -> u64 {
        self.latest
            .as_ref()
            .and_then(|id| self.sessions.get(id))
            .map_or(0, |s| s.intents)
    }

    /// Sends dispatch `t` with data `d` in the latest session (kept for a RESUME if no connection
    /// is live); the payload must pass serenity's models. Returns its sequence number.
    pub fn dispatch(&mut self, t: &str, d: Value) -> Result<u64, String> {
        check_dispatch(t, &d)?;
        let id = self
            .latest
            .clone()
            .ok_or_else(|| format!("no gateway session for {t}: the bot has not identified yet"))?;
        let session = self.sessions.get_mut(&id).ok_or("the latest session is gone")?;
        session.seq += 1;
        let frame = json!({"op": DISPATCH, "s": session.seq, "t": t, "d": d});
        session.log.push(frame.clone());
        let seq = session.seq;
        if let Some(connection) = self.current.as_ref().filter(|c| c.session.as_deref() == Some(&id)) {
            let _ = connection.tx.send(Out::Frame(frame));
        }
        Ok(seq)
    }

    /// How many sessions IDENTIFY opened.
    pub fn sessions(&self) -> usize {
        self.sessions.len()
    }

    /// Closes the live connection with `code` (4000 and most others let serenity resume).
    pub fn close(&mut self, code: u16) -> bool {
        self.closes.push(code);
        self.send_out(Out::Close(code))
    }

    /// Drops the live connection's TCP stream without a close frame.
    pub fn drop_connection(&mut self) -> bool {
        self.send_out(Out::Drop)
    }

    /// Asks the bot to reconnect and resume (opcode 7).
    pub fn request_reconnect(&mut self) -> bool {
        self.send_out(Out::Frame(json!({"op": RECONNECT, "d": null})))
    }

    /// Makes RESUMEs wait until [`Gateway::release_resumes`], so that what is dispatched
    /// meanwhile is surely missed by the bot and replayed by its RESUME.
    pub fn hold_resumes(&mut self) {
        self.hold = true;
    }

    /// Answers the RESUMEs held (of the live connection) and stops holding them.
    pub fn release_resumes(&mut self) {
        self.hold = false;
        for (connection, d) in std::mem::take(&mut self.held) {
            if self.current.as_ref().is_some_and(|c| c.id == connection) {
                if let Err(code) = resume(self, &d) {
                    self.close(code);
                }
            }
        }
    }

    fn send_out(&mut self, out: Out) -> bool {
        if let Out::Frame(frame) = &out {
            if let Err(problem) = check_frame(frame) {
                self.problems.push(problem);
                return false;
            }
        }
        self.current.as_ref().is_some_and(|c| c.tx.send(out).is_ok())
    }
}

/// Accepts gateway connections on `listener` until the task is aborted.
pub async fn serve(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(connection(stream, Arc::clone(&shared)));
    }
}

async fn connection(stream: tokio::net::TcpStream, shared: Arc<Shared>) {
    let mut line = String::new();
    // tungstenite's callback type returns its large error response by value.
    #[allow(clippy::result_large_err)]
    let record = |request: &Handshake, response: HandshakeResponse| {
        line = request.uri().to_string();
        Ok(response)
    };
    let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(stream, record).await else {
        return;
    };
    let (tx, mut rx) = mpsc::unbounded_channel();
    let id = {
        let mut inner = shared.lock();
        let gateway = &mut inner.gateway;
        gateway.handshakes.push(line);
        gateway.connections += 1;
        let id = gateway.connections;
        gateway.current = Some(Connection {
            id,
            session: None,
            tx: tx.clone(),
        });
        let _ = tx.send(Out::Frame(
            json!({"op": HELLO, "d": {"heartbeat_interval": gateway.heartbeat_ms}}),
        ));
        id
    };
    shared.changed();
    loop {
        tokio::select! {
            incoming = ws.next() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    let frame: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                    on_client_frame(&shared, id, &frame);
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            out = rx.recv() => match out {
                Some(Out::Frame(frame)) => {
                    if ws.send(Message::Text(frame.to_string())).await.is_err() {
                        break;
                    }
                }
                Some(Out::Close(code)) => {
                    let close = CloseFrame { code: CloseCode::from(code), reason: "closed by the test".into() };
                    let _ = ws.close(Some(close)).await;
                    break;
                }
                Some(Out::Drop) | None => break,
            },
        }
    }
    let mut inner = shared.lock();
    if inner.gateway.current.as_ref().is_some_and(|c| c.id == id) {
        inner.gateway.current = None;
    }
    drop(inner);
    shared.changed();
}

/// Handles one frame from the bot: heartbeat, IDENTIFY, RESUME (others are only recorded).
fn on_client_frame(shared: &Shared, connection: u64, frame: &Value) {
    let op = frame["op"].as_u64().unwrap_or(u64::MAX);
    let d = frame["d"].clone();
    let mut inner = shared.lock();
    inner.gateway.frames.push(ClientFrame {
        connection,
        op,
        d: d.clone(),
    });
    let token_ok = matches!(d["token"].as_str(), Some(t) if t.trim_start_matches("Bot ") == inner.world.token);
    let result = match op {
        HEARTBEAT => {
            inner.gateway.send_out(Out::Frame(json!({"op": HEARTBEAT_ACK})));
            Ok(())
        }
        IDENTIFY if !token_ok => Err(4004),
        IDENTIFY => identify(&mut inner, &d),
        RESUME if !token_ok => Err(4004),
        RESUME if inner.gateway.hold => {
            inner.gateway.held.push((connection, d.clone()));
            Ok(())
        }
        RESUME => resume(&mut inner.gateway, &d),
        3 | 4 | 8 => Ok(()),
        _ => Err(4001),
    };
    if let Err(code) = result {
        inner.gateway.close(code);
    }
    drop(inner);
    shared.changed();
}

/// IDENTIFY: a new session, READY then GUILD_CREATE.
fn identify(inner: &mut super::Inner, d: &Value) -> Result<(), u16> {
    let gateway = &mut inner.gateway;
    let intents = d["intents"].as_u64().unwrap_or(0);
    if intents & MESSAGE_CONTENT != 0 && !gateway.message_content_allowed {
        return Err(4014);
    }
    let current = gateway.current.as_mut().ok_or(4000u16)?;
    if current.session.is_some() {
        return Err(4005);
    }
    let session_id = format!("session{}", inner.world.next_id());
    current.session = Some(session_id.clone());
    gateway.sessions.insert(
        session_id.clone(),
        Session {
            seq: 0,
            log: Vec::new(),
            intents,
        },
    );
    gateway.latest = Some(session_id.clone());
    let world = &inner.world;
    let ready = super::fixtures::ready(
        &world.bot,
        world.app_id,
        &session_id,
        &inner.gateway_url,
        &[world.guild.id],
    );
    let guild = world.guild_create();
    for (t, d) in [("READY", ready), ("GUILD_CREATE", guild)] {
        if let Err(problem) = gateway.dispatch(t, d) {
            inner.violations.push(problem);
        }
    }
    Ok(())
}

/// RESUME: the dispatches after the bot's last sequence number, then RESUMED; an unknown session
/// gets INVALID_SESSION (not resumable).
fn resume(gateway: &mut Gateway, d: &Value) -> Result<(), u16> {
    let session_id = d["session_id"].as_str().unwrap_or_default().to_string();
    let after = d["seq"].as_u64().unwrap_or(0);
    let Some(session) = gateway.sessions.get(&session_id) else {
        gateway.send_out(Out::Frame(json!({"op": INVALID_SESSION, "d": false})));
        return Ok(());
    };
    let missed: Vec<Value> = session
        .log
        .iter()
        .filter(|f| f["s"].as_u64().is_some_and(|s| s > after))
        .cloned()
        .collect();
    let current = gateway.current.as_mut().ok_or(4000u16)?;
    current.session = Some(session_id.clone());
    for frame in missed {
        gateway.send_out(Out::Frame(frame));
    }
    gateway.latest = Some(session_id);
    gateway.dispatch("RESUMED", json!({})).map(|_| ()).map_err(|_| 4000)
}
