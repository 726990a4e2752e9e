//! The adapter's own persisted state (`state-dir/relais-sync.json`): the sync position after
//! which every event has been handled, recently handled event ids, and what the bot posted.
//!
//! matrix-sdk saves its sync token before event handlers run, so a crash could skip an event.
//! This file is written only AFTER an event's effects were carried out: on restart the adapter
//! syncs again from here (at least once) and skips event ids already handled (de-duplication).

use crate::domain::ItemId;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::io::Write;
use std::path::Path;

/// How many handled event ids are remembered (far more than one sync batch).
const HANDLED_KEPT: usize = 5000;
/// How many posted messages (pushes, reaction claims, idempotency keys) are remembered.
const POSTS_KEPT: usize = 1000;

/// Why the state file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot read or write {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path} is not valid adapter state ({source}); move it away to start over from the current sync position")]
    Corrupt { path: String, source: serde_json::Error },
}

/// A push message the bot posted, whose reactions are quick claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRecord {
    pub event_id: String,
    pub room: String,
    pub items: Vec<ItemId>,
}

/// A quick claim made by a reaction, remembered so that redacting the reaction can withdraw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionClaim {
    pub reaction_event_id: String,
    pub sender: String,
    pub room: String,
    pub items: Vec<ItemId>,
}

/// Everything the adapter keeps between runs (the Matrix session is in its own file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdapterState {
    /// The sync position whose events have all been handled.
    pub next_batch: Option<String>,
    /// Recently handled event ids, oldest first.
    pub handled: VecDeque<String>,
    pub pushes: VecDeque<PushRecord>,
    pub reaction_claims: VecDeque<ReactionClaim>,
    /// Idempotency keys of posts already sent, with the event id they got.
    pub posted: VecDeque<(String, String)>,
}

impl AdapterState {
    /// Reads the state; a missing file is a fresh start.
    pub fn load(path: &Path) -> Result<Self, StateError> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| StateError::Corrupt {
                path: path.display().to_string(),
                source,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(StateError::Io {
                path: path.display().to_string(),
                source,
            }),
        }
    }

    /// Writes the state atomically (a temporary file, flushed, then renamed over the old one).
    pub fn save(&self, path: &Path) -> Result<(), StateError> {
        let bytes = serde_json::to_vec(self).map_err(|source| StateError::Corrupt {
            path: path.display().to_string(),
            source,
        })?;
        write_atomically(path, &bytes)
    }

    pub fn is_handled(&self, event_id: &str) -> bool {
        self.handled.iter().rev().any(|id| id == event_id)
    }

    pub fn mark_handled(&mut self, event_id: &str) {
        push_bounded(&mut self.handled, event_id.to_string(), HANDLED_KEPT);
    }

    pub fn record_push(&mut self, push: PushRecord) {
        push_bounded(&mut self.pushes, push, POSTS_KEPT);
    }

    /// The push message `event_id`, if the bot posted it.
    pub fn push(&self, event_id: &str) -> Option<&PushRecord> {
        self.pushes.iter().rev().find(|p| p.event_id == event_id)
    }

    pub fn record_reaction_claim(&mut self, claim: ReactionClaim) {
        push_bounded(&mut self.reaction_claims, claim, POSTS_KEPT);
    }

    /// Removes and returns the claim made by reaction `reaction_event_id`.
    pub fn take_reaction_claim(&mut self, reaction_event_id: &str) -> Option<ReactionClaim> {
        let at = self
            .reaction_claims
            .iter()
            .position(|c| c.reaction_event_id == reaction_event_id)?;
        self.reaction_claims.remove(at)
    }

    /// The event id a post with idempotency `key` got, if it was sent already.
    pub fn posted(&self, key: &str) -> Option<&str> {
        self.posted
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, id)| id.as_str())
    }

    pub fn record_posted(&mut self, key: &str, event_id: &str) {
        push_bounded(&mut self.posted, (key.to_string(), event_id.to_string()), POSTS_KEPT);
    }
}

fn push_bounded<T>(queue: &mut VecDeque<T>, value: T, max: usize) {
    queue.push_back(value);
    while queue.len() > max {
        queue.pop_front();
    }
}

/// Writes `bytes` to `path` so that a crash leaves either the old file or the new one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), StateError> {
    let io = |source| StateError::Io {
        path: path.display().to_string(),
        source,
    };
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::File::create(&tmp).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(io)?;
    if let Some(dir) = path.parent().and_then(|d| std::fs::File::open(d).ok()) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_survives_a_round_trip_and_a_missing_file_is_a_fresh_start() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("relais-sync.json");
        assert_eq!(
            AdapterState::load(&path).expect("missing file"),
            AdapterState::default()
        );
        let mut state = AdapterState {
            next_batch: Some("s72_1".into()),
            ..AdapterState::default()
        };
        state.mark_handled("$a");
        state.record_push(PushRecord {
            event_id: "$p".into(),
            room: "!r:x".into(),
            items: vec![ItemId(3)],
        });
        state.record_posted("push:matrix:!r:x:2026-11-23", "$p");
        state.save(&path).expect("save");
        let loaded = AdapterState::load(&path).expect("load");
        assert_eq!(loaded, state);
        assert!(loaded.is_handled("$a") && !loaded.is_handled("$b"));
        assert_eq!(loaded.push("$p").map(|p| p.items.clone()), Some(vec![ItemId(3)]));
        assert_eq!(loaded.posted("push:matrix:!r:x:2026-11-23"), Some("$p"));
        assert!(
            !path.with_extension("tmp").exists(),
            "the temporary file is renamed away"
        );
    }

    #[test]
    fn a_corrupt_file_is_an_error_not_a_silent_restart() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("relais-sync.json");
        std::fs::write(&path, b"{not json").expect("write");
        assert!(matches!(AdapterState::load(&path), Err(StateError::Corrupt { .. })));
    }

    #[test]
    fn memory_is_bounded_and_keeps_the_newest() {
        let mut state = AdapterState::default();
        for i in 0..HANDLED_KEPT + 10 {
            state.mark_handled(&format!("${i}"));
        }
        assert_eq!(state.handled.len(), HANDLED_KEPT);
        assert!(!state.is_handled("$0"));
        assert!(state.is_handled(&format!("${}", HANDLED_KEPT + 9)));
    }

    #[test]
    fn reaction_claims_are_taken_once() {
        let mut state = AdapterState::default();
        let claim = ReactionClaim {
            reaction_event_id: "$r".into(),
            sender: "@a:b".into(),
            room: "!r:b".into(),
            items: vec![ItemId(1)],
        };
        state.record_reaction_claim(claim.clone());
        assert_eq!(state.take_reaction_claim("$r"), Some(claim));
        assert_eq!(state.take_reaction_claim("$r"), None);
    }
}
