//! Rooms: joining the configured rooms, accepting invitations from allowed inviters only
//! (with retry and backoff), and mapping joined rooms to the ids the configuration uses.

use super::policy;
use super::sync::{Adapter, Backoff};
use crate::domain::Platform;
use matrix_sdk::ruma::{OwnedRoomOrAliasId, RoomId};
use matrix_sdk::RoomState;

/// How many times a join is attempted before giving up until the next invitation or restart.
const JOIN_ATTEMPTS: u32 = 5;
/// How often the bot tries to join configured rooms it is missing while posts for them wait.
const REJOIN_EVERY: std::time::Duration = std::time::Duration::from_secs(60);
/// A join whose membership event is at most this old (either way, for clock differences) is
/// one this process made.
const FRESH_JOIN_MS: i64 = 60_000;

impl Adapter<'_> {
    /// The Matrix rooms of the configuration, as written there.
    fn configured_rooms(&self) -> Vec<String> {
        self.app
            .settings
            .rooms
            .iter()
            .filter(|r| r.room.platform == Platform::Matrix)
            .map(|r| r.room.room.clone())
            .collect()
    }

    /// Joins every configured room the bot is not in yet (rooms that need an invitation are
    /// joined when it comes).
    pub(super) async fn join_configured_rooms(&mut self) {
        for configured in self.configured_rooms() {
            let Ok(target) = OwnedRoomOrAliasId::try_from(configured.as_str()) else {
                tracing::error!(room = %configured, "not a Matrix room id or alias: check [[rooms]] id");
                continue;
            };
            if let Ok(room_id) = <&RoomId>::try_from(configured.as_str()) {
                // (A room the SDK does not know yet, after a fresh login, is joined again: the
                // homeserver changes nothing and the SDK learns the room.)
                let joined = self
                    .client
                    .get_room(room_id)
                    .is_some_and(|r| r.state() == RoomState::Joined);
                if joined {
                    self.rooms.insert(room_id.to_owned(), configured.clone());
                    continue;
                }
            }
            if let Some(room_id) = self.join_with_retry(&target).await {
                self.rooms.insert(room_id, configured);
            }
        }
    }

    /// Tries once to join each configured room the bot is not in (it may have been removed, or
    /// not invited yet), at most once per [`REJOIN_EVERY`]: scheduled posts for them wait.
    pub(super) async fn rejoin_missing_rooms(&mut self) {
        let now = std::time::Instant::now();
        if self
            .last_rejoin
            .is_some_and(|last| now.duration_since(last) < REJOIN_EVERY)
        {
            return;
        }
        self.last_rejoin = Some(now);
        for configured in self.configured_rooms() {
            let inside = self.rooms.iter().any(|(id, c)| {
                *c == configured && self.client.get_room(id).is_some_and(|r| r.state() == RoomState::Joined)
            });
            let Ok(target) = OwnedRoomOrAliasId::try_from(configured.as_str()) else {
                continue;
            };
            if inside {
                continue;
            }
            match self.client.join_room_by_id_or_alias(&target, &[]).await {
                Ok(room) => {
                    tracing::info!(room = %configured, "joined a configured room the bot was not in");
                    self.joined_here.insert(room.room_id().to_owned(), chrono::Utc::now());
                    self.rooms.insert(room.room_id().to_owned(), configured);
                }
                Err(error) => {
                    tracing::warn!(room = %configured, %error, "the bot is not in this configured room and cannot join it (invite it again): its scheduled posts wait")
                }
            }
        }
    }

    async fn join_with_retry(&mut self, target: &OwnedRoomOrAliasId) -> Option<matrix_sdk::ruma::OwnedRoomId> {
        let mut backoff = Backoff::new(self.options.first_backoff, self.options.max_backoff);
        for attempt in 1..=JOIN_ATTEMPTS {
            match self.client.join_room_by_id_or_alias(target, &[]).await {
                Ok(room) => {
                    tracing::info!(room = %target, "joined room");
                    // Joining a room the bot is already in changes nothing: only a fresh join
                    // (a membership event from the last minute) makes the room new to it.
                    let now = chrono::Utc::now();
                    let fresh = matches!(self.own_membership(room.room_id()).await,
                        Some((_, Some(ts))) if (now.timestamp_millis() - ts).abs() < FRESH_JOIN_MS);
                    if fresh {
                        self.joined_here.insert(room.room_id().to_owned(), now);
                    }
                    return Some(room.room_id().to_owned());
                }
                Err(e) if attempt < JOIN_ATTEMPTS => {
                    let wait = backoff.next_wait();
                    tracing::warn!(room = %target, attempt, error = %e, retry_in_ms = wait.as_millis() as u64, "could not join room; retrying");
                    tokio::time::sleep(wait).await;
                }
                Err(e) => {
                    tracing::error!(room = %target, error = %e, "could not join room; giving up until invited again or restarted")
                }
            }
        }
        None
    }

    /// Remembers a joined room under its configured id when it is a configured room.
    pub(super) fn note_joined(&mut self, room_id: &RoomId) {
        if !self.rooms.contains_key(room_id) && self.configured_rooms().iter().any(|c| c == room_id.as_str()) {
            self.rooms.insert(room_id.to_owned(), room_id.to_string());
        }
    }

    /// Accepts an invitation from an allowed inviter or into a configured room; declines others.
    pub(super) async fn consider_invite(&mut self, room_id: &RoomId) {
        let Some(room) = self.client.get_room(room_id) else {
            return;
        };
        if room.state() != RoomState::Invited {
            return;
        }
        let inviter = match room.invite_details().await {
            Ok(invite) => invite.inviter_id.to_string(),
            Err(e) => {
                tracing::warn!(room = %room_id, error = %e, "invitation without details: ignored");
                return;
            }
        };
        let configured = self.configured_rooms().iter().any(|c| c == room_id.as_str());
        if !configured && !policy::inviter_allowed(&inviter, &self.config.allowed_inviters) {
            tracing::info!(room = %room_id, %inviter, "invitation from an inviter not in matrix.allowed-inviters: declined");
            if let Err(e) = room.leave().await {
                tracing::warn!(room = %room_id, error = %e, "could not decline the invitation");
            }
            return;
        }
        tracing::info!(room = %room_id, %inviter, "accepting invitation");
        let target = OwnedRoomOrAliasId::from(room_id.to_owned());
        if let Some(joined) = self.join_with_retry(&target).await {
            self.note_joined(&joined);
        }
    }
}
