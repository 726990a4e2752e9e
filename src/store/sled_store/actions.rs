//! The sled store's scheduled-action records: `actions` (action key → JSON [`ActionRecord`]) and
//! the index `actions_by_due` (due millis ++ action key → one state byte), always written together
//! in one two-tree transaction. Callers hold the store's writer lock.
//!
//! These trees came after schema 2 without a version bump: opening an older database simply
//! creates them empty, which means "nothing scheduled has run yet".

use super::codec::{self, tree};
use super::tx::{abort, io, Trees, TxError};
use crate::store::{ActionRecord, ActionState, StoreError};
use chrono::{DateTime, Utc};
use sled::transaction::{TransactionError, TransactionalTree};
use sled::Transactional;

/// `actions_by_due`: due millis ++ the action key.
fn due_key(due: DateTime<Utc>, key: &str) -> Vec<u8> {
    let mut bytes = codec::millis_key(due).to_vec();
    bytes.extend_from_slice(key.as_bytes());
    bytes
}

fn state_byte(state: ActionState) -> u8 {
    match state {
        ActionState::Started => 0,
        ActionState::Done => 1,
        ActionState::Skipped => 2,
    }
}

/// The action key at the end of an `actions_by_due` key.
fn key_of_due_key(bytes: &[u8]) -> Result<String, StoreError> {
    let key = bytes
        .get(8..)
        .ok_or_else(|| codec::corrupt(tree::ACTIONS_BY_DUE, "key too short"))?;
    String::from_utf8(key.to_vec()).map_err(|_| codec::corrupt(tree::ACTIONS_BY_DUE, "key is not UTF-8"))
}

pub fn get(trees: &Trees, key: &str) -> Result<Option<ActionRecord>, StoreError> {
    trees.get_json(&trees.actions, tree::ACTIONS, key)
}

/// Writes every record in one transaction, replacing the index entry of an earlier state.
pub fn put_all(trees: &Trees, records: &[(String, ActionRecord)]) -> Result<(), StoreError> {
    let result = (&trees.actions, &trees.actions_by_due).transaction(|(actions, by_due)| {
        for (key, record) in records {
            put_in(actions, by_due, key, record)?;
        }
        Ok(())
    });
    result.map_err(|error| match error {
        TransactionError::Abort(error) => error,
        TransactionError::Storage(error) => io(error),
    })
}

fn put_in(
    actions: &TransactionalTree,
    by_due: &TransactionalTree,
    key: &str,
    record: &ActionRecord,
) -> Result<(), TxError> {
    if let Some(old) = actions.get(key)? {
        let old: ActionRecord = codec::from_json(tree::ACTIONS, &old).map_err(abort)?;
        by_due.remove(due_key(old.due, key))?;
    }
    actions.insert(key.as_bytes(), codec::to_json(tree::ACTIONS, record).map_err(abort)?)?;
    by_due.insert(due_key(record.due, key), &[state_byte(record.state)])?;
    Ok(())
}

/// Skipped records with `from <= due < to`, by due time then key.
pub fn skipped(
    trees: &Trees,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(String, ActionRecord)>, StoreError> {
    let mut found = Vec::new();
    let skipped = [state_byte(ActionState::Skipped)];
    // Keys hold milliseconds: take the whole last millisecond, then filter exactly.
    let end = u64::from_be_bytes(codec::millis_key(to))
        .saturating_add(1)
        .to_be_bytes();
    for entry in trees.actions_by_due.range(codec::millis_key(from)..end) {
        let (due_key, state) = entry.map_err(io)?;
        if state.as_ref() != skipped {
            continue;
        }
        let key = key_of_due_key(&due_key)?;
        let record =
            get(trees, &key)?.ok_or_else(|| codec::corrupt(tree::ACTIONS_BY_DUE, "points at a missing record"))?;
        if from <= record.due && record.due < to {
            found.push((key, record));
        }
    }
    Ok(found)
}

/// Removes every record due before `before`, in one transaction.
pub fn prune(trees: &Trees, before: DateTime<Utc>) -> Result<usize, StoreError> {
    let mut old = Vec::new();
    for entry in trees.actions_by_due.range(..codec::millis_key(before)) {
        let (due_key, _) = entry.map_err(io)?;
        old.push((key_of_due_key(&due_key)?, due_key));
    }
    let result = (&trees.actions, &trees.actions_by_due).transaction(|(actions, by_due)| {
        for (key, due_key) in &old {
            actions.remove(key.as_bytes())?;
            by_due.remove(due_key)?;
        }
        Ok::<_, TxError>(())
    });
    result.map_err(|error| match error {
        TransactionError::Abort(error) => error,
        TransactionError::Storage(error) => io(error),
    })?;
    Ok(old.len())
}
