//! The adapter's own persisted state in `state-dir`: the sync position after which every event
//! has been handled and the recently handled event ids (`relais-sync.log`, an append-only
//! journal), and what the bot posted (`relais-posts.json`: daily pushes, reaction claims,
//! idempotency keys of sent posts; `relais-waiting.json`, encrypted events waiting for their
//! keys, is kept by `undecrypted`, and `relais-first-sync.json` by `first_sync`).
//!
//! matrix-sdk saves its sync token before event handlers run, so a crash could skip an event.
//! The journal is appended only AFTER a batch's effects were carried out: on restart the adapter
//! syncs again from the last position and skips event ids already handled (de-duplication).
//! One append per sync batch, whatever the size of the history, followed by an `fdatasync` when
//! the batch wrote to the Relais store ([`Flush::Now`]). A batch that wrote nothing (a `me`, a
//! `help`) is appended without it ([`Flush::Later`]): a crash of the bot loses nothing (the
//! append is in the kernel's hands), and a crash of the machine at worst hands such events to
//! the core again, which answers them again with the same transaction ids. The next `fdatasync`
//! makes every earlier append durable too. The journal is compacted (rewritten atomically) when
//! it grows past a bound.
//!
//! Before its very first sync the adapter appends `S` and matrix-sdk's position at that moment
//! (`S` alone when it has none). matrix-sdk saves the position after that sync before the
//! adapter has handled it, so a journal holding `S` and no position means the first sync was
//! interrupted: if matrix-sdk's position has moved since, the next run resumes from it and
//! answers what came after (see `first_sync`). A journal that is missing (a new bot, or one moved away
//! to start over) is a fresh start: what came before it is history.

use crate::domain::ItemId;
use crate::platform::private_files::private_options;
use serde::{Deserialize, Serialize};
use std::collections::{HashSet, VecDeque};
use std::io::Write;
use std::path::{Path, PathBuf};

/// How many handled event ids are remembered (far more than one sync batch).
const HANDLED_KEPT: usize = 5000;
/// How many posted messages (pushes, reaction claims, idempotency keys) are remembered.
const POSTS_KEPT: usize = 1000;
/// Journal lines beyond which it is compacted.
const JOURNAL_MAX_LINES: usize = 4 * HANDLED_KEPT;
/// File names in the state directory.
pub const JOURNAL_FILE: &str = "relais-sync.log";
pub const POSTS_FILE: &str = "relais-posts.json";
pub const WAITING_FILE: &str = "relais-waiting.json";

/// Why the state files could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot read or write {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path} is not valid adapter state ({reason}); move it away to start over from the current sync position")]
    Corrupt { path: String, reason: String },
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

/// What the bot posted (`relais-posts.json`), rewritten only when it changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Posts {
    pub pushes: VecDeque<PushRecord>,
    pub reaction_claims: VecDeque<ReactionClaim>,
    /// Idempotency keys of posts already sent, with the event id they got.
    pub posted: VecDeque<(String, String)>,
}

/// Whether a save waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flush {
    /// Durable before `save` returns (`fdatasync`).
    Now,
    /// Handed to the kernel only: durable with the next [`Flush::Now`] (see the module docs).
    Later,
}

/// Everything the adapter keeps between runs (the Matrix session is in its own file).
#[derive(Debug, Default)]
pub struct AdapterState {
    dir: PathBuf,
    /// The sync position whose events have all been handled.
    pub next_batch: Option<String>,
    /// A first sync was started with this journal (`S`), and matrix-sdk's position then.
    started: Option<Option<String>>,
    /// The position last written to the journal.
    saved_batch: Option<String>,
    /// Recently handled event ids, oldest first, and the same as a set.
    handled: VecDeque<String>,
    handled_set: HashSet<String>,
    /// Handled since the last save (to be appended to the journal).
    unsaved: Vec<String>,
    journal_lines: usize,
    posts: Posts,
    posts_dirty: bool,
}

impl AdapterState {
    /// Reads the state from `dir`; missing files are a fresh start.
    pub fn load(dir: &Path) -> Result<Self, StateError> {
        let mut state = AdapterState {
            dir: dir.to_path_buf(),
            ..AdapterState::default()
        };
        let journal = dir.join(JOURNAL_FILE);
        if let Some(text) = read_optional(&journal)? {
            state.replay(&journal, &text)?;
        }
        let posts = dir.join(POSTS_FILE);
        if let Some(text) = read_optional(&posts)? {
            state.posts = serde_json::from_str(&text).map_err(|e| corrupt(&posts, e.to_string()))?;
        }
        Ok(state)
    }

    fn replay(&mut self, path: &Path, text: &str) -> Result<(), StateError> {
        for (n, line) in text.split_inclusive('\n').enumerate() {
            // A torn last line (a crash in the middle of an append) was never acknowledged.
            let Some(line) = line.strip_suffix('\n') else { break };
            if let Some(sdk_position) = line.strip_prefix('S').filter(|r| r.is_empty() || r.starts_with(' ')) {
                self.started = Some(sdk_position.strip_prefix(' ').map(String::from));
                self.journal_lines += 1;
                continue;
            }
            match line.split_once(' ') {
                Some(("P", token)) => self.next_batch = Some(token.to_string()),
                Some(("E", event_id)) => self.remember(event_id.to_string()),
                _ => return Err(corrupt(path, format!("line {}: {line:?}", n + 1))),
            }
            self.journal_lines += 1;
        }
        self.saved_batch = self.next_batch.clone();
        Ok(())
    }

    /// Makes what changed durable: the posts file if it changed, then the events handled and
    /// the position (one append and one `fdatasync`). Nothing is written when nothing changed.
    pub fn save(&mut self) -> Result<(), StateError> {
        self.save_with(Flush::Now)
    }

    /// Like [`save`](Self::save); with [`Flush::Later`] the journal append does not wait for the
    /// disk (the posts file, when it changed, always does).
    pub fn save_with(&mut self, flush: Flush) -> Result<(), StateError> {
        if self.posts_dirty {
            let bytes =
                serde_json::to_vec(&self.posts).map_err(|e| corrupt(&self.dir.join(POSTS_FILE), e.to_string()))?;
            write_atomically(&self.dir.join(POSTS_FILE), &bytes)?;
            self.posts_dirty = false;
        }
        if self.unsaved.is_empty() && self.saved_batch == self.next_batch {
            return Ok(());
        }
        let path = self.dir.join(JOURNAL_FILE);
        if self.journal_lines + self.unsaved.len() + 1 > JOURNAL_MAX_LINES {
            self.unsaved.clear();
            return self.compact(&path);
        }
        let mut lines = String::new();
        for id in self.unsaved.drain(..) {
            lines.push_str("E ");
            lines.push_str(&id);
            lines.push('\n');
            self.journal_lines += 1;
        }
        if let Some(token) = self
            .next_batch
            .as_ref()
            .filter(|t| Some(*t) != self.saved_batch.as_ref())
        {
            lines.push_str("P ");
            lines.push_str(token);
            lines.push('\n');
            self.journal_lines += 1;
        }
        append(&path, lines.as_bytes(), flush)?;
        self.saved_batch = self.next_batch.clone();
        Ok(())
    }

    /// When an earlier run started its first sync and stopped before handling it, matrix-sdk's
    /// position before that sync (`Some(None)`: it had none); see the module docs.
    pub fn interrupted_first_sync(&self) -> Option<Option<&str>> {
        match &self.started {
            Some(sdk_position) if self.next_batch.is_none() => Some(sdk_position.as_deref()),
            _ => None,
        }
    }

    /// Records (durably) that a first sync is about to start from matrix-sdk's `sdk_position`;
    /// nothing to do once one has.
    pub fn mark_first_sync_started(&mut self, sdk_position: Option<&str>) -> Result<(), StateError> {
        if self.started.is_some() || self.next_batch.is_some() {
            return Ok(());
        }
        let line = match sdk_position {
            Some(token) => format!("S {token}\n"),
            None => "S\n".to_string(),
        };
        append(&self.dir.join(JOURNAL_FILE), line.as_bytes(), Flush::Now)?;
        self.started = Some(sdk_position.map(String::from));
        self.journal_lines += 1;
        Ok(())
    }

    /// Rewrites the journal with only the position and the remembered event ids.
    fn compact(&mut self, path: &Path) -> Result<(), StateError> {
        let mut text = String::new();
        match self.interrupted_first_sync() {
            Some(Some(token)) => text.push_str(&format!("S {token}\n")),
            Some(None) => text.push_str("S\n"),
            None => {}
        }
        for id in &self.handled {
            text.push_str(&format!("E {id}\n"));
        }
        if let Some(token) = &self.next_batch {
            text.push_str(&format!("P {token}\n"));
        }
        write_atomically(path, text.as_bytes())?;
        self.journal_lines = self.handled.len() + 1;
        self.saved_batch = self.next_batch.clone();
        Ok(())
    }

    pub fn is_handled(&self, event_id: &str) -> bool {
        self.handled_set.contains(event_id)
    }

    pub fn mark_handled(&mut self, event_id: &str) {
        if !self.is_handled(event_id) {
            self.remember(event_id.to_string());
            self.unsaved.push(event_id.to_string());
        }
    }

    fn remember(&mut self, event_id: String) {
        if self.handled_set.insert(event_id.clone()) {
            self.handled.push_back(event_id);
        }
        while self.handled.len() > HANDLED_KEPT {
            if let Some(old) = self.handled.pop_front() {
                self.handled_set.remove(&old);
            }
        }
    }

    pub fn record_push(&mut self, push: PushRecord) {
        push_bounded(&mut self.posts.pushes, push, POSTS_KEPT);
        self.posts_dirty = true;
    }

    /// The push message `event_id`, if the bot posted it.
    pub fn push(&self, event_id: &str) -> Option<&PushRecord> {
        self.posts.pushes.iter().rev().find(|p| p.event_id == event_id)
    }

    pub fn record_reaction_claim(&mut self, claim: ReactionClaim) {
        push_bounded(&mut self.posts.reaction_claims, claim, POSTS_KEPT);
        self.posts_dirty = true;
    }

    /// Removes and returns the claim made by reaction `reaction_event_id`.
    pub fn take_reaction_claim(&mut self, reaction_event_id: &str) -> Option<ReactionClaim> {
        let at = self
            .posts
            .reaction_claims
            .iter()
            .position(|c| c.reaction_event_id == reaction_event_id)?;
        self.posts_dirty = true;
        self.posts.reaction_claims.remove(at)
    }

    /// Drops every reaction claim made by `sender` (their person was forgotten); how many.
    pub fn forget_sender(&mut self, sender: &str) -> usize {
        let before = self.posts.reaction_claims.len();
        self.posts.reaction_claims.retain(|claim| claim.sender != sender);
        let dropped = before - self.posts.reaction_claims.len();
        self.posts_dirty |= dropped > 0;
        dropped
    }

    /// The event id a post with idempotency `key` got, if it was sent already.
    pub fn posted(&self, key: &str) -> Option<&str> {
        self.posts
            .posted
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, id)| id.as_str())
    }

    pub fn record_posted(&mut self, key: &str, event_id: &str) {
        push_bounded(
            &mut self.posts.posted,
            (key.to_string(), event_id.to_string()),
            POSTS_KEPT,
        );
        self.posts_dirty = true;
    }
}

pub(super) fn corrupt(path: &Path, reason: String) -> StateError {
    StateError::Corrupt {
        path: path.display().to_string(),
        reason,
    }
}

pub(super) fn io_error(path: &Path) -> impl Fn(std::io::Error) -> StateError + '_ {
    move |source| StateError::Io {
        path: path.display().to_string(),
        source,
    }
}

pub(super) fn read_optional(path: &Path) -> Result<Option<String>, StateError> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|e| corrupt(path, e.to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(io_error(path)(source)),
    }
}

fn push_bounded<T>(queue: &mut VecDeque<T>, value: T, max: usize) {
    queue.push_back(value);
    while queue.len() > max {
        queue.pop_front();
    }
}

/// Appends `bytes` to `path` (created if missing, private: see `state_dir`) and waits until they
/// are on disk.
fn append(path: &Path, bytes: &[u8], flush: Flush) -> Result<(), StateError> {
    let io = io_error(path);
    let mut file = private_options().create(true).append(true).open(path).map_err(&io)?;
    file.write_all(bytes).map_err(&io)?;
    match flush {
        Flush::Now => file.sync_data().map_err(&io),
        Flush::Later => Ok(()),
    }
}

/// Writes `bytes` to `path` so that a crash leaves either the old file or the new one. The file
/// is private (0600) from the moment it is created (see `state_dir`).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), StateError> {
    let io = io_error(path);
    let tmp = path.with_extension("tmp");
    let mut file = private_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&tmp)
        .map_err(&io)?;
    file.write_all(bytes).map_err(&io)?;
    file.sync_all().map_err(&io)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(&io)?;
    if let Some(dir) = path.parent().and_then(|d| std::fs::File::open(d).ok()) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests;
