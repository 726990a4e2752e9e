//! Rooms: joining the configured rooms, accepting invitations from allowed inviters only
//! (with retry and backoff), and mapping joined rooms to the ids the configuration uses.

use super::policy;
use super::sync::{Adapter, Backoff};
use crate::domain::Platform;
use matrix_sdk::ruma::{OwnedRoomId, OwnedRoomOrAliasId, RoomId};
use matrix_sdk::RoomState;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// When the bot may next try to join the configured rooms it is missing: at once, then less and
/// less often (backoff up to [`REJOIN_AT_MOST_EVERY`]) while scheduled posts wait for them.
#[derive(Debug)]
pub struct RejoinPace {
    next: Option<Instant>,
    backoff: Backoff,
}

impl RejoinPace {
    pub fn new(first: Duration) -> Self {
        RejoinPace {
            next: None,
            backoff: Backoff::new(first, REJOIN_AT_MOST_EVERY.max(first)),
        }
    }

    /// Whether an attempt may be made at `now`; if so, the next one waits longer.
    fn attempt(&mut self, now: Instant) -> bool {
        if self.next.is_some_and(|next| now < next) {
            return false;
        }
        self.next = Some(now + self.backoff.next_wait());
        true
    }

    /// Nothing waits for a missing room any more: the next attempt may come at once.
    pub fn reset(&mut self) {
        self.next = None;
        self.backoff.reset();
    }
}

/// How many times a join is attempted before giving up until the next invitation or restart.
const JOIN_ATTEMPTS: u32 = 5;
/// The longest wait between attempts to join configured rooms the bot is missing while posts for
/// them wait (the first attempts come sooner, see [`RejoinPace`]).
const REJOIN_AT_MOST_EVERY: Duration = Duration::from_secs(60);
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

    /// Tries once to join again each configured room in `waiting` (scheduled posts wait for them),
    /// paced by [`RejoinPace`]. The homeserver is asked even when the SDK has the bot in the room:
    /// it may not have seen the bot leave, and joining a room the bot is in changes nothing.
    pub(super) async fn rejoin_missing_rooms(&mut self, waiting: &BTreeSet<String>) {
        if waiting.is_empty() || !self.rejoin.attempt(Instant::now()) {
            return;
        }
        for configured in waiting {
            let Ok(target) = OwnedRoomOrAliasId::try_from(configured.as_str()) else {
                continue;
            };
            match self.join_once(&target).await {
                Ok(room_id) => {
                    tracing::info!(room = %configured, "in the configured room again: its scheduled posts go out");
                    self.rooms.insert(room_id, configured.clone());
                }
                Err(error) => {
                    tracing::warn!(room = %configured, %error, "the bot is not in this configured room and cannot join it (invite it again): its scheduled posts wait")
                }
            }
        }
    }

    /// Joins `target` once. Joining a room the bot is already in changes nothing: only a fresh
    /// join (a membership event from the last minute) makes the room new to it.
    async fn join_once(&mut self, target: &OwnedRoomOrAliasId) -> Result<OwnedRoomId, matrix_sdk::Error> {
        let room = self.client.join_room_by_id_or_alias(target, &[]).await?;
        tracing::info!(room = %target, "joined room");
        let now = chrono::Utc::now();
        let fresh = matches!(self.own_membership(room.room_id()).await,
            Some((_, Some(ts))) if (now.timestamp_millis() - ts).abs() < FRESH_JOIN_MS);
        if fresh {
            self.joined_here.insert(room.room_id().to_owned(), now);
        }
        Ok(room.room_id().to_owned())
    }

    async fn join_with_retry(&mut self, target: &OwnedRoomOrAliasId) -> Option<OwnedRoomId> {
        let mut backoff = Backoff::new(self.options.first_backoff, self.options.max_backoff);
        for attempt in 1..=JOIN_ATTEMPTS {
            match self.join_once(target).await {
                Ok(room_id) => return Some(room_id),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejoin_attempts_come_at_once_then_less_and_less_often_until_reset() {
        let start = Instant::now();
        let mut pace = RejoinPace::new(Duration::from_secs(1));
        let at = |s: u64| start + Duration::from_secs(s);
        // (second, whether an attempt may be made then)
        let rows = [
            (0, true),
            (0, false),
            (1, true),
            (2, false),
            (3, true),
            (6, false),
            (7, true),
        ];
        for (second, expected) in rows {
            assert_eq!(pace.attempt(at(second)), expected, "at {second} s");
        }
        for _ in 0..10 {
            pace.backoff.next_wait();
        }
        assert!(pace.attempt(at(1000)), "at 1000 s");
        assert!(!pace.attempt(at(1059)), "at most every {REJOIN_AT_MOST_EVERY:?}");
        assert!(pace.attempt(at(1060)), "at 1060 s");
        pace.reset();
        assert!(pace.attempt(at(1061)), "at once after a reset");
    }
}
