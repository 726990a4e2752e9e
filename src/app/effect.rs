//! Effects: what the core asks an adapter to do. The core never performs I/O itself.

use crate::domain::{AmbassadorId, Identity, ItemId, RoomRef};

/// One thing for the adapter to carry out, in order.
///
/// Texts are rendered already, in the recipient's language, as plain text with light Markdown
/// (`**bold**`, `[label](url)`, line breaks, `- ` lists): Matrix renders it to HTML, Discord shows
/// Markdown, the console prints it as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Answer in the room (and thread) where the command came from.
    Reply { text: String, mentions: Vec<AmbassadorId> },
    /// React to the command's message.
    React { emoji: String },
    /// Send a direct message to an ambassador (on the platform of their first identity that the
    /// adapter serves). `key`, when set, is a deterministic idempotency key (scheduled and urgent
    /// messages): an adapter never sends two messages with the same key.
    Dm {
        to: AmbassadorId,
        text: String,
        key: Option<String>,
    },
    /// Post to a room (scheduled posts, daily push). `items` lets the adapter map reactions on
    /// this message back to items; `key` is a deterministic idempotency key.
    Post {
        room: RoomRef,
        text: String,
        items: Vec<ItemId>,
        key: String,
    },
    /// Upload a file to a room (a report's chart or CSV). `key` is a deterministic idempotency key.
    Upload {
        room: RoomRef,
        file_name: String,
        mime: String,
        bytes: Vec<u8>,
        key: String,
    },
    /// These accounts' person was erased (`forget-me confirm`): the adapter drops whatever it
    /// keeps of them in its own files (on Matrix, the reaction claims in `relais-posts.json`).
    /// Nothing is sent.
    Forgotten { identities: Vec<Identity> },
}

impl Effect {
    /// The idempotency key, for the effects that have one.
    pub fn key(&self) -> Option<&str> {
        match self {
            Effect::Dm { key, .. } => key.as_deref(),
            Effect::Post { key, .. } | Effect::Upload { key, .. } => Some(key),
            Effect::Reply { .. } | Effect::React { .. } | Effect::Forgotten { .. } => None,
        }
    }

    /// Replaces the idempotency key (no effect on replies and reactions).
    pub fn with_key(mut self, new_key: String) -> Effect {
        match &mut self {
            Effect::Dm { key, .. } => *key = Some(new_key),
            Effect::Post { key, .. } | Effect::Upload { key, .. } => *key = new_key,
            Effect::Reply { .. } | Effect::React { .. } | Effect::Forgotten { .. } => {}
        }
        self
    }
}
