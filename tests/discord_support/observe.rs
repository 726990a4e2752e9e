//! What a test reads from the local Discord server: recorded requests (and waiting for them),
//! gateway frames the bot sent, messages, interactions, registered commands, violations.

use super::gateway::ClientFrame;
use super::{DiscordServer, Interaction, Request};
use serde_json::Value;

impl DiscordServer {
    /// Every REST request so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.lock().requests.clone()
    }

    /// The REST requests of one operation (`create_message`), in order.
    pub fn requests_for(&self, operation: &str) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.operation == operation)
            .collect()
    }

    /// Waits for the next request of `operation` (a spec operation id, `create_message`) that no
    /// earlier call returned, and returns it with its response.
    pub async fn next_request(&self, operation: &str) -> Request {
        self.next_request_where(operation, |r| r.operation == operation).await
    }

    /// Waits for the next request matching `wanted` that no earlier call returned; `what` names
    /// it in the failure message.
    pub async fn next_request_where(&self, what: &str, wanted: impl Fn(&Request) -> bool) -> Request {
        self.wait(what, |inner| {
            let index = (0..inner.requests.len()).find(|i| !inner.taken[*i] && wanted(&inner.requests[*i]))?;
            inner.taken[index] = true;
            Some(inner.requests[index].clone())
        })
        .await
    }

    /// Every gateway frame the bot sent, in order.
    pub fn client_frames(&self) -> Vec<ClientFrame> {
        self.lock().gateway.frames.clone()
    }

    /// Waits for the `nth` (1-based) gateway frame with opcode `op` (2 IDENTIFY, 6 RESUME, 1 heartbeat).
    pub async fn client_frame(&self, op: u64, nth: usize) -> ClientFrame {
        let what = format!("gateway frame #{nth} with opcode {op}");
        self.wait(&what, |inner| {
            inner.gateway.frames.iter().filter(|f| f.op == op).nth(nth - 1).cloned()
        })
        .await
    }

    /// The request line of each gateway WebSocket handshake (`/?v=10`).
    pub fn gateway_handshakes(&self) -> Vec<String> {
        self.lock().gateway.handshakes.clone()
    }

    /// The close codes the gateway sent (4004 for a wrong token, 4014 for a refused intent, …).
    pub fn gateway_closes(&self) -> Vec<u16> {
        self.lock().gateway.closes.clone()
    }

    /// How many sessions the bot opened with IDENTIFY.
    pub fn gateway_sessions(&self) -> usize {
        self.lock().gateway.sessions()
    }

    /// Waits until a bot is connected and identified (or resumed) on the gateway.
    pub async fn gateway_live(&self) {
        self.wait("a live gateway session", |inner| inner.gateway.is_live().then_some(()))
            .await;
    }

    /// Waits until no bot is connected to the gateway.
    pub async fn gateway_down(&self) {
        self.wait("the gateway connection to close", |inner| {
            (!inner.gateway.is_live()).then_some(())
        })
        .await;
    }

    /// The messages of a channel as served (oldest first), ephemeral ones excepted.
    pub fn messages(&self, channel_id: u64) -> Vec<Value> {
        let inner = self.lock();
        let Some(channel) = inner.world.channels.get(&channel_id) else {
            return Vec::new();
        };
        channel
            .messages
            .keys()
            .filter_map(|id| inner.world.render(channel_id, *id))
            .collect()
    }

    /// An interaction by token, with the callback, original response and follow-ups it got.
    ///
    /// # Panics
    /// If no interaction has this token.
    pub fn interaction(&self, token: &str) -> Interaction {
        let found = self.lock().world.interactions.get(token).cloned();
        found.unwrap_or_else(|| panic!("no interaction has the token {token}"))
    }

    /// The guild's registered commands, as `GET …/commands?with_localizations=true` serves them.
    pub fn guild_commands(&self) -> Vec<Value> {
        let inner = self.lock();
        inner
            .world
            .commands
            .get(&Some(inner.world.guild.id))
            .cloned()
            .unwrap_or_default()
    }

    /// Takes the violations seen so far (so that a test of the checks themselves can assert them
    /// without failing when the server is dropped).
    pub fn take_violations(&self) -> Vec<String> {
        let mut inner = self.lock();
        let mut all = std::mem::take(&mut inner.violations);
        all.append(&mut inner.gateway.problems);
        all
    }
}
