//! Carries out the core's effects as Matrix messages: replies as `m.notice` (HTML and plain
//! body, `m.mentions`, in the thread of the command), reactions, direct messages, posts and
//! uploads. Transaction ids are deterministic (the cause's event id or the post's key), so a
//! message sent again after a crash or a retry is not posted twice.

use super::handlers::blocking;
use super::render::render;
use super::state::PushRecord;
use super::sync::{Adapter, Origin};
use crate::app::Effect;
use crate::domain::{AmbassadorId, Identity, Platform, RoomRef};
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::api::error::ErrorKind;
use matrix_sdk::ruma::{OwnedTransactionId, RoomId, UserId};
use matrix_sdk::{Room, RoomState};
use serde_json::{json, Value};

/// A message could not be sent for now (the homeserver is unreachable): handle the event again later.
#[derive(Debug)]
pub struct Retry;

mod upload;

/// Why a post or an upload was not sent.
#[derive(Debug, PartialEq, Eq)]
pub enum Unsent {
    /// The homeserver could not be reached (or rate-limited the bot): try again later.
    Retry,
    /// The bot is not in the room (it never got in, left or was removed) or may not post there.
    NotJoined,
}

impl From<Retry> for Unsent {
    fn from(_: Retry) -> Self {
        Unsent::Retry
    }
}

/// A post that was sent, to be remembered (its idempotency key; a daily push's items, whose
/// reactions are claims).
#[derive(Debug)]
pub struct Posted {
    pub key: String,
    pub event_id: String,
    pub push: Option<PushRecord>,
}

/// How a notice relates to the event it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relation {
    None,
    Reply { to: String },
    Thread { root: String, reply_to: String },
}

/// The content of an `m.notice` with `text` (light Markdown) rendered, mentioning `mentions`.
pub fn notice_content(text: &str, mentions: &[String], relation: &Relation) -> Value {
    let rendered = render(text);
    let mut content = json!({
        "msgtype": "m.notice",
        "body": rendered.plain,
        "format": "org.matrix.custom.html",
        "formatted_body": rendered.html,
        "m.mentions": {"user_ids": mentions},
    });
    let relates = match relation {
        Relation::None => None,
        Relation::Reply { to } => Some(json!({"m.in_reply_to": {"event_id": to}})),
        Relation::Thread { root, reply_to } => Some(json!({
            "rel_type": "m.thread", "event_id": root, "is_falling_back": true, "m.in_reply_to": {"event_id": reply_to}
        })),
    };
    if let (Some(relates), Some(object)) = (relates, content.as_object_mut()) {
        object.insert("m.relates_to".into(), relates);
    }
    content
}

/// The content field that carries a scheduled message's idempotency key, so that the message can
/// be found again after a crash (transaction ids only de-duplicate within one device's session).
pub const KEY_FIELD: &str = "io.relais.key";

/// How many of its own latest messages the bot looks through for an interrupted post.
const LOOK_BACK: u32 = 100;

/// A transaction id derived from `seed` (hex, so any key is URL-safe and distinct keys stay distinct).
pub fn transaction_id(seed: &str) -> OwnedTransactionId {
    let hex: String = seed.bytes().map(|b| format!("{b:02x}")).collect();
    OwnedTransactionId::from(format!("relais-{hex}"))
}

/// What a failed post or upload means: the bot not being in the room (or not allowed to post
/// there) is told apart from the homeserver's other answers (see [`send_failed`]).
fn post_failed(what: &str, e: &matrix_sdk::Error) -> Result<Option<Posted>, Unsent> {
    let not_joined = matches!(e, matrix_sdk::Error::WrongRoomState(_))
        || matches!(e.client_api_error_kind(), Some(ErrorKind::Forbidden));
    if not_joined {
        tracing::warn!(error = %e, "the {what} was refused: the bot is not in the room or may not post there");
        return Err(Unsent::NotJoined);
    }
    send_failed(what, e).map(|()| None).map_err(Unsent::from)
}

/// A command's post or upload for a room the bot is not in is dropped (and the room added to
/// `missed`, which the sender is told about): a command is answered now or never, and waiting
/// would hold back its sender's later commands (scheduled messages wait instead, see `schedule`).
fn for_command(
    sent: Result<Option<Posted>, Unsent>,
    room: &RoomRef,
    missed: &mut Vec<RoomRef>,
) -> Result<Option<Posted>, Retry> {
    match sent {
        Ok(posted) => Ok(posted),
        Err(Unsent::Retry) => Err(Retry),
        Err(Unsent::NotJoined) => {
            tracing::warn!(%room, "a command's post or upload is for a configured room the bot is not in: not sent");
            if !missed.contains(room) {
                missed.push(room.clone());
            }
            Ok(None)
        }
    }
}

fn send_failed(what: &str, e: &matrix_sdk::Error) -> Result<(), Retry> {
    let kind = e.client_api_error_kind();
    if matches!(kind, Some(ErrorKind::LimitExceeded(_))) {
        tracing::warn!(error = %e, "rate-limited by the homeserver while sending the {what}; will retry");
        Err(Retry)
    } else if kind.is_some() {
        tracing::error!(error = %e, "the homeserver refused the {what}: dropped");
        Ok(())
    } else {
        tracing::warn!(error = %e, "could not send the {what}; will retry");
        Err(Retry)
    }
}

impl Adapter<'_> {
    /// Carries out `effects` in order; returns the posts sent, for [`Adapter::remember_posted`].
    /// `Err(Retry)` when the homeserver could not be reached.
    pub(super) async fn apply(&self, origin: &Origin, effects: Vec<Effect>) -> Result<Vec<Posted>, Retry> {
        let mut posted = Vec::new();
        let mut missed = Vec::new();
        for (index, effect) in effects.into_iter().enumerate() {
            let txn = transaction_id(&format!("{}#{index}", origin.cause));
            match effect {
                Effect::Reply { text, mentions } => self.reply(origin, &text, &mentions, txn).await?,
                Effect::React { emoji } => self.react(origin, &emoji, txn).await?,
                Effect::Dm { to, text, key } => {
                    // A scheduled message brings its own idempotency key; a reply's comes from its cause.
                    let txn = key.as_deref().map(transaction_id).unwrap_or(txn);
                    self.direct_message(to, &text, txn, key.as_deref()).await?
                }
                Effect::Post { room, text, items, key } => posted.extend(for_command(
                    self.post(&room, &text, items, &key).await,
                    &room,
                    &mut missed,
                )?),
                Effect::Upload {
                    room,
                    file_name,
                    mime,
                    bytes,
                    key,
                } => posted.extend(for_command(
                    self.upload(&room, &file_name, &mime, bytes, &key).await,
                    &room,
                    &mut missed,
                )?),
                // Carried out on the adapter's state once the answers are sent (`carry_out`).
                Effect::Forgotten { .. } => {}
            }
        }
        if !missed.is_empty() {
            self.tell_not_posted(origin, &missed).await?;
        }
        Ok(posted)
    }

    /// Tells the sender which of their command's posts did not go out (the bot is not in the room).
    async fn tell_not_posted(&self, origin: &Origin, missed: &[RoomRef]) -> Result<(), Retry> {
        let from = Identity::new(Platform::Matrix, &origin.sender);
        let text = blocking(|| self.app.not_posted_note(&from, missed));
        let txn = transaction_id(&format!("{}#not-posted", origin.cause));
        self.reply(origin, &text, &[], txn).await
    }

    /// Remembers posts that were sent: their keys (never posted twice) and the daily pushes.
    pub(super) fn remember_posted(&mut self, posted: Vec<Posted>) {
        for post in posted {
            self.state.record_posted(&post.key, &post.event_id);
            if let Some(push) = post.push {
                self.state.record_push(push);
            }
        }
    }

    async fn reply(
        &self,
        origin: &Origin,
        text: &str,
        mentions: &[AmbassadorId],
        txn: OwnedTransactionId,
    ) -> Result<(), Retry> {
        let mut users = if origin.direct {
            Vec::new()
        } else {
            vec![origin.sender.clone()]
        };
        for id in mentions {
            if let Some(user) = self.matrix_user(*id).filter(|u| !users.contains(u)) {
                users.push(user);
            }
        }
        let relation = match (&origin.thread_root, &origin.event_id) {
            (Some(root), Some(event)) => Relation::Thread {
                root: root.clone(),
                reply_to: event.clone(),
            },
            (None, Some(event)) => Relation::Reply { to: event.clone() },
            _ => Relation::None,
        };
        let content = notice_content(text, &users, &relation);
        match origin
            .room
            .send_raw("m.room.message", content)
            .with_transaction_id(&txn)
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => send_failed("reply", &e),
        }
    }

    async fn react(&self, origin: &Origin, emoji: &str, txn: OwnedTransactionId) -> Result<(), Retry> {
        let Some(event) = &origin.event_id else { return Ok(()) };
        let content = json!({"m.relates_to": {"rel_type": "m.annotation", "event_id": event, "key": emoji}});
        match origin
            .room
            .send_raw("m.reaction", content)
            .with_transaction_id(&txn)
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => send_failed("reaction", &e),
        }
    }

    /// The Matrix user id of an ambassador, if they have a Matrix identity.
    fn matrix_user(&self, id: AmbassadorId) -> Option<String> {
        let ambassador = self.app.store.ambassador(id).ok().flatten()?;
        ambassador
            .identities
            .iter()
            .find(|i| i.platform == Platform::Matrix)
            .map(|i| i.user.clone())
    }

    pub(super) async fn direct_message(
        &self,
        to: AmbassadorId,
        text: &str,
        txn: OwnedTransactionId,
        key: Option<&str>,
    ) -> Result<(), Retry> {
        let Some(user) = self.matrix_user(to) else {
            tracing::info!(ambassador = %to, "direct message for someone without a Matrix account: not sent here");
            return Ok(());
        };
        let Ok(user_id) = <&UserId>::try_from(user.as_str()) else {
            return Ok(());
        };
        let room = match self.client.get_dm_room(user_id) {
            Some(room) => room,
            None => match self.client.create_dm(user_id).await {
                Ok(room) => room,
                Err(e) => return send_failed("direct chat creation", &e),
            },
        };
        let mut content = notice_content(text, &[], &Relation::None);
        if let Some(key) = key {
            content[KEY_FIELD] = json!(key);
        }
        match room.send_raw("m.room.message", content).with_transaction_id(&txn).await {
            Ok(_) => Ok(()),
            Err(e) => send_failed("direct message", &e),
        }
    }

    /// The direct chat with ambassador `to`, if there is one.
    pub(super) fn dm_room(&self, to: AmbassadorId) -> Option<Room> {
        let user = self.matrix_user(to)?;
        let user_id = <&UserId>::try_from(user.as_str()).ok()?;
        self.client.get_dm_room(user_id)
    }

    /// The event id of the bot's message with idempotency `key` among its latest messages in
    /// `room`, if it is there (a post sent just before a crash, by an earlier session).
    pub(super) async fn find_posted(&self, room: &Room, key: &str) -> Option<String> {
        let mut options = MessagesOptions::backward();
        options.limit = LOOK_BACK.into();
        options.filter.senders = Some(vec![<&UserId>::try_from(self.own_user.as_str()).ok()?.to_owned()]);
        let page = match room.messages(options).await {
            Ok(page) => page,
            Err(e) => {
                tracing::warn!(room = %room.room_id(), error = %e, "could not look for an interrupted post; sending it");
                return None;
            }
        };
        page.chunk.iter().find_map(|event| {
            let value: Value = serde_json::from_str(event.raw().json().get()).ok()?;
            let found = value.pointer(&format!("/content/{KEY_FIELD}")).and_then(Value::as_str) == Some(key);
            found
                .then(|| value.get("event_id").and_then(Value::as_str).map(String::from))
                .flatten()
        })
    }

    /// The joined room the configuration calls `room`, or the room of that id (set up from chat);
    /// `None` when the bot is not in it.
    pub(super) fn configured_room(&self, room: &RoomRef) -> Option<Room> {
        let configured = self.rooms.iter().find(|(_, configured)| **configured == room.room);
        let found = match configured {
            Some((id, _)) => self.client.get_room(id),
            None => <&RoomId>::try_from(room.room.as_str())
                .ok()
                .and_then(|id| self.client.get_room(id)),
        };
        found.filter(|r| r.state() == RoomState::Joined)
    }

    pub(super) async fn post(
        &self,
        room: &RoomRef,
        text: &str,
        items: Vec<crate::domain::ItemId>,
        key: &str,
    ) -> Result<Option<Posted>, Unsent> {
        if self.state.posted(key).is_some() {
            return Ok(None);
        }
        let target = self.configured_room(room).ok_or(Unsent::NotJoined)?;
        let mut content = notice_content(text, &[], &Relation::None);
        content[KEY_FIELD] = json!(key);
        let sent = match target
            .send_raw("m.room.message", content)
            .with_transaction_id(&transaction_id(key))
            .await
        {
            Ok(sent) => sent,
            Err(e) => return post_failed("post", &e),
        };
        let event_id = sent.response.event_id.to_string();
        let push = (!items.is_empty()).then(|| PushRecord {
            event_id: event_id.clone(),
            room: room.room.clone(),
            items,
        });
        Ok(Some(Posted {
            key: key.to_string(),
            event_id,
            push,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_carry_html_plain_text_mentions_and_relations() {
        let thread = Relation::Thread {
            root: "$root".into(),
            reply_to: "$cmd".into(),
        };
        let content = notice_content("**+15** points", &["@alice:example.org".into()], &thread);
        assert_eq!(content["msgtype"], "m.notice");
        assert_eq!(content["body"], "+15 points");
        assert_eq!(content["formatted_body"], "<p><strong>+15</strong> points</p>");
        assert_eq!(content["m.mentions"]["user_ids"], json!(["@alice:example.org"]));
        assert_eq!(content["m.relates_to"]["rel_type"], "m.thread");
        assert_eq!(content["m.relates_to"]["event_id"], "$root");
        assert_eq!(content["m.relates_to"]["m.in_reply_to"]["event_id"], "$cmd");

        let reply = notice_content("hi", &[], &Relation::Reply { to: "$cmd".into() });
        assert_eq!(reply["m.relates_to"], json!({"m.in_reply_to": {"event_id": "$cmd"}}));
        assert_eq!(
            reply["m.mentions"],
            json!({"user_ids": []}),
            "an empty m.mentions mentions nobody"
        );
        assert!(notice_content("hi", &[], &Relation::None).get("m.relates_to").is_none());
    }

    #[test]
    fn transaction_ids_are_deterministic_url_safe_and_distinct() {
        let rows = [
            "push:matrix:!room:example.org:2026-11-23",
            "$abc/def+ghi#0",
            "$abc/def+ghi#1",
        ];
        let ids: Vec<String> = rows.iter().map(|seed| transaction_id(seed).to_string()).collect();
        for (seed, id) in rows.iter().zip(&ids) {
            assert_eq!(transaction_id(seed).to_string(), *id, "same seed, same id: {seed}");
            assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{id}");
        }
        assert!(ids[1] != ids[2] && ids[0] != ids[1]);
    }
}
