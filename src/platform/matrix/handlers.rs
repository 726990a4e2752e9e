//! Turning room events into core calls: commands, claim reactions on daily pushes, and the
//! redaction of such a reaction; which rooms are served and who is listened to. Each handler
//! returns the core's effects as a [`Planned`] answer; the sync loop sends them (concurrently
//! for different senders) and only then records the event as handled.

use super::events::Message;
use super::policy;
use super::state::ReactionClaim;
use super::sync::{event_time, Adapter, Origin};
use crate::app::{Effect, Incoming};
use crate::domain::{Identity, Platform, RoomRef};
use chrono::Utc;
use matrix_sdk::ruma::UserId;
use matrix_sdk::{Room, RoomMemberships};

/// Runs a core call (it may wait for the disk: the store flushes each write) without stalling
/// the runtime's other tasks, where the runtime allows it.
pub(super) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        _ => f(),
    }
}

/// The answer to one event, decided by the core, not sent yet.
pub(super) struct Planned {
    /// The event answered.
    pub event_id: String,
    pub origin: Origin,
    pub effects: Vec<Effect>,
    /// A claim made by a reaction, remembered once the answers are out.
    pub claim: Option<ReactionClaim>,
}

impl Adapter<'_> {
    pub(super) fn listens_to(&self, sender: &str) -> bool {
        !policy::ignored_sender(sender, &self.own_user, &self.options.ignored_users)
    }

    pub(super) async fn on_message(&mut self, room: &Room, message: Message) -> Option<Planned> {
        if !self.listens_to(&message.sender)
            || !message.text.trim_start().starts_with(self.app.settings.prefix.as_str())
        {
            return None;
        }
        // In a room it does not serve, the core answers `room` commands and says once what to do.
        let (room_ref, direct) = match self.served_room(room).await {
            Some(served) => served,
            None => (self.room_ref(room), false),
        };
        let incoming = self
            .incoming(room, &message.sender, room_ref, direct, message.text)
            .await;
        let effects = blocking(|| self.app.receive(&incoming, event_time(message.origin_ts)));
        // A new ambassador, a new zone or reminder time: their reminder is queued again.
        self.schedule.refresh(self.app, &incoming.from);
        let origin = Origin {
            room: room.clone(),
            event_id: Some(message.event_id.clone()),
            thread_root: message.thread_root,
            sender: message.sender,
            direct,
            cause: message.event_id.clone(),
        };
        Some(Planned {
            event_id: message.event_id,
            origin,
            effects,
            claim: None,
        })
    }

    pub(super) async fn on_reaction(
        &mut self,
        room: &Room,
        reaction_id: &str,
        sender: &str,
        target: &str,
        key: &str,
    ) -> Option<Planned> {
        if !self.listens_to(sender) || !policy::is_claim_reaction(key, &self.options.claim_reactions) {
            return None;
        }
        let push = self.state.push(target).cloned()?;
        let (room_ref, direct) = self.served_room(room).await?;
        let incoming = self.incoming(room, sender, room_ref, direct, String::new()).await;
        let now = Utc::now();
        let mut effects = Vec::new();
        for item in &push.items {
            effects.extend(blocking(|| self.app.claim_by_reaction(&incoming, *item, now)));
        }
        self.schedule.refresh(self.app, &incoming.from);
        // A reaction cannot be reacted to: the answer is a reply in the push's thread.
        effects.retain(|e| !matches!(e, Effect::React { .. }));
        let origin = Origin {
            room: room.clone(),
            event_id: Some(push.event_id.clone()),
            thread_root: Some(push.event_id.clone()),
            sender: sender.to_string(),
            direct,
            cause: reaction_id.to_string(),
        };
        let claim = ReactionClaim {
            reaction_event_id: reaction_id.into(),
            sender: sender.into(),
            room: push.room,
            items: push.items,
        };
        Some(Planned {
            event_id: reaction_id.to_string(),
            origin,
            effects,
            claim: Some(claim),
        })
    }

    pub(super) async fn on_redaction(
        &mut self,
        room: &Room,
        redaction_id: &str,
        sender: &str,
        redacts: &str,
    ) -> Option<Planned> {
        let claim = self.state.take_reaction_claim(redacts)?;
        if claim.sender != sender {
            tracing::info!(
                reaction = redacts,
                by = sender,
                "a claim reaction was removed by a moderator: the claim stays"
            );
            return None;
        }
        let (room_ref, direct) = self.served_room(room).await?;
        let incoming = self.incoming(room, sender, room_ref, direct, String::new()).await;
        let origin = Origin {
            room: room.clone(),
            event_id: None,
            thread_root: None,
            sender: sender.to_string(),
            direct,
            cause: redacts.to_string(),
        };
        let mut effects = Vec::new();
        for item in claim.items {
            effects.extend(blocking(|| self.app.withdraw_reaction_claim(&incoming, item)));
        }
        Some(Planned {
            event_id: redaction_id.to_string(),
            origin,
            effects,
            claim: None,
        })
    }

    /// The room as the core knows it: as the configuration names it (an alias, say), else by id.
    fn room_ref(&self, room: &Room) -> RoomRef {
        let id = self.rooms.get(room.room_id()).cloned();
        RoomRef::new(Platform::Matrix, id.unwrap_or_else(|| room.room_id().to_string()))
    }

    /// The room as the core knows it, and whether it is a direct chat; `None` for rooms Relais
    /// does not serve (neither set up, in the configuration or from chat, nor a one-to-one chat).
    async fn served_room(&mut self, room: &Room) -> Option<(RoomRef, bool)> {
        let room_ref = self.room_ref(room);
        if self.app.serves(&room_ref) {
            return Some((room_ref, false));
        }
        let direct = match self.known.direct.get(room.room_id()) {
            Some(direct) => *direct,
            None => {
                let direct = room.is_direct().await.unwrap_or(false)
                    || matches!(room.members(RoomMemberships::JOIN).await, Ok(members) if members.len() <= 2);
                self.known.direct.insert(room.room_id().to_owned(), direct);
                direct
            }
        };
        direct.then(|| (RoomRef::new(Platform::Matrix, room.room_id().to_string()), true))
    }

    /// The display name of `sender` in `room`, as matrix-sdk knows it (remembered until the next
    /// sync that goes through matrix-sdk, the only ones that can change it).
    async fn display_name(&mut self, room: &Room, sender: &str) -> Option<String> {
        let key = (room.room_id().to_owned(), sender.to_string());
        if let Some(name) = self.known.names.get(&key) {
            return name.clone();
        }
        let user: &UserId = sender.try_into().ok()?;
        let name = room
            .get_member_no_sync(user)
            .await
            .ok()
            .flatten()
            .and_then(|m| m.display_name().map(String::from));
        self.known.remember_name(key, name.clone());
        name
    }

    async fn incoming(&mut self, room: &Room, sender: &str, room_ref: RoomRef, direct: bool, text: String) -> Incoming {
        let display_name = self.display_name(room, sender).await;
        let localpart = sender
            .trim_start_matches('@')
            .split(':')
            .next()
            .unwrap_or(sender)
            .to_string();
        Incoming {
            from: Identity::new(Platform::Matrix, sender),
            display_name: display_name.unwrap_or(localpart),
            room: room_ref,
            direct,
            text,
        }
    }
}
