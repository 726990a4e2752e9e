//! The very first sync of a bot (no saved position yet): where it starts, and a copy of it kept
//! in `state-dir` while its answers could not all be sent.
//!
//! That sync cannot be asked for again: the adapter has no earlier position to sync from, and
//! matrix-sdk has already saved the position after it. Before it starts, the journal records
//! matrix-sdk's position (see `state`), so that a run interrupted before handling it is resumed
//! from where matrix-sdk got to. Until its answers are sent, a copy of it
//! (`relais-first-sync.json`) is what a restart handles first, so a stop or a crash in between
//! loses none of its commands (those already handled are skipped by their event ids).

use super::batch::Batch;
use super::handlers::blocking;
use super::state::{corrupt, io_error, read_optional, write_atomically, StateError};
use super::sync::Adapter;
use super::MatrixError;
use std::path::{Path, PathBuf};

/// File name in the state directory.
pub const FIRST_SYNC_FILE: &str = "relais-first-sync.json";

fn path(dir: &Path) -> PathBuf {
    dir.join(FIRST_SYNC_FILE)
}

/// The kept first sync, if one is waiting for its answers.
pub fn load(dir: &Path) -> Result<Option<Batch>, StateError> {
    let path = path(dir);
    match read_optional(&path)? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| corrupt(&path, e.to_string())),
    }
}

/// Keeps `batch` (durably) until [`clear`] is called.
pub fn keep(dir: &Path, batch: &Batch) -> Result<(), StateError> {
    let path = path(dir);
    let json = serde_json::to_vec(batch).map_err(|e| corrupt(&path, e.to_string()))?;
    write_atomically(&path, &json)
}

/// Forgets the kept first sync (its answers are sent); nothing to do when none is kept.
pub fn clear(dir: &Path) -> Result<(), StateError> {
    let path = path(dir);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_error(&path)(e)),
        _ => Ok(()),
    }
}

impl Adapter<'_> {
    /// Before the very first sync: where it starts, recorded before it starts (see `state`).
    pub(super) async fn prepare_first_sync(&mut self) -> Result<(), MatrixError> {
        if self.state.next_batch.is_some() {
            return Ok(());
        }
        let sdk_position = self.sdk_position().await;
        self.resume_first = match self.state.interrupted_first_sync() {
            // matrix-sdk handled that sync and the adapter did not: what came after it is news.
            Some(before) if before != sdk_position.as_deref() => sdk_position.clone(),
            _ => None,
        };
        if self.resume_first.is_some() {
            tracing::info!("the first sync of an earlier run was interrupted: answering what came after it");
        }
        Ok(blocking(|| {
            self.state.mark_first_sync_started(sdk_position.as_deref())
        })?)
    }

    /// matrix-sdk's own sync position (saved with each sync it processes).
    async fn sdk_position(&self) -> Option<String> {
        use matrix_sdk::store::{StateStoreDataKey, StateStoreDataValue};
        let stored = self
            .client
            .state_store()
            .get_kv_data(StateStoreDataKey::SyncToken)
            .await;
        stored.ok().flatten().and_then(StateStoreDataValue::into_sync_token)
    }

    /// The first sync kept by an earlier run whose answers were not all sent.
    pub(super) fn kept_first_sync(&self) -> Result<Option<Batch>, MatrixError> {
        let dir = &self.config.state_dir;
        if self.state.next_batch.is_some() {
            // Its answers were sent: the run stopped before it could forget it.
            blocking(|| clear(dir))?;
            return Ok(None);
        }
        let kept = blocking(|| load(dir))?;
        if kept.is_some() {
            tracing::info!("handling again the first sync of an earlier run, whose answers were not all sent");
        }
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::super::batch::JoinedUpdate;
    use super::*;
    use serde_json::json;

    fn first_sync() -> Batch {
        Batch {
            since: None,
            next_batch: "s72_1".into(),
            invited: vec!["!invite:example.org".try_into().expect("room id")],
            left: Vec::new(),
            joined: vec![JoinedUpdate {
                room_id: "!team:example.org".try_into().expect("room id"),
                limited: false,
                prev_batch: Some("t1".into()),
                events: vec![(
                    "$cmd".into(),
                    json!({"type": "m.room.message", "content": {"body": "!me"}}),
                )],
                undecrypted: Vec::new(),
            }],
            through_sdk: true,
        }
    }

    #[test]
    fn a_kept_first_sync_is_read_back_the_same_until_cleared() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(load(dir.path()).expect("load").is_none(), "nothing kept: a fresh start");
        clear(dir.path()).expect("clearing nothing is fine");
        keep(dir.path(), &first_sync()).expect("keep");
        let back = load(dir.path()).expect("load").expect("kept");
        assert_eq!(format!("{back:?}"), format!("{:?}", first_sync()));
        clear(dir.path()).expect("clear");
        assert!(load(dir.path()).expect("load").is_none());
    }

    #[test]
    fn a_garbled_copy_is_an_error_that_names_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(FIRST_SYNC_FILE), "{not json").expect("write");
        let error = load(dir.path()).expect_err("garbled").to_string();
        assert!(error.contains(FIRST_SYNC_FILE), "{error}");
    }
}
