//! Effects: what the core asks an adapter to do. The core never performs I/O itself.

use crate::domain::{AmbassadorId, ItemId, RoomRef};

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
    /// adapter serves).
    Dm { to: AmbassadorId, text: String },
    /// Post to a room (scheduled posts, daily push). `items` lets the adapter map reactions on
    /// this message back to items; `key` is a deterministic idempotency key.
    Post { room: RoomRef, text: String, items: Vec<ItemId>, key: String },
    /// Upload a file to a room (a report's chart or CSV). `key` is a deterministic idempotency key.
    Upload { room: RoomRef, file_name: String, mime: String, bytes: Vec<u8>, key: String },
}
