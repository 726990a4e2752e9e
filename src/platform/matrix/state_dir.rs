//! The Matrix state folder (`matrix.state-dir`): private to the bot's user, and used by one Relais
//! at a time.
//!
//! It holds the bot's access token (`session.json`) and, in `sdk/`, matrix-sdk's stores with the
//! private keys of the bot's Olm account. [`StateDir::open`] makes the folder private before
//! anything is written in it: created 0700, with the process umask at 077 so that the files
//! matrix-sdk creates itself (its SQLite databases and their `-wal` and `-shm`) are 0600 from the
//! moment they exist; the files Relais writes are created 0600 whatever the umask
//! ([`private_options`]). A folder left with looser modes (by a Relais from before this rule, or
//! by hand) is tightened, with a warning in the log naming each path and its old mode: refusing
//! to start would stop every upgraded bot over something Relais can put right safely. A mode that
//! cannot be set is an error: the bot does not start.
//!
//! `relais.lock` in the folder is held with an exclusive lock for as long as the bot runs, like the
//! store's: a second Relais on the same folder, even with another store, is refused.

use crate::platform::private_files::{private_folder, private_options, restrict_umask, PrivacyError};
use fs2::FileExt;
use std::fs::File;
use std::path::Path;

/// The lock file in the state folder.
pub const LOCK_FILE: &str = "relais.lock";

/// Why the state folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StateDirError {
    #[error(
        "{path} is a file, not a folder: `matrix.state-dir` must name a folder (Relais creates it when it is missing)"
    )]
    NotAFolder { path: String },
    #[error("the Matrix state folder {path} is already in use by another Relais process; stop it first or choose another `matrix.state-dir`")]
    Locked { path: String },
    #[error(transparent)]
    Private(#[from] PrivacyError),
    #[error("cannot lock the Matrix state folder {path}: {source}")]
    Lock { path: String, source: std::io::Error },
}

/// The state folder, private and locked until this is dropped.
#[derive(Debug)]
pub struct StateDir {
    _lock: File,
}

impl StateDir {
    /// Makes `path` private (see the module docs) and takes its lock.
    pub fn open(path: &Path) -> Result<StateDir, StateDirError> {
        if path.exists() && !path.is_dir() {
            return Err(StateDirError::NotAFolder {
                path: path.display().to_string(),
            });
        }
        restrict_umask();
        for tightened in private_folder(path)? {
            tracing::warn!(
                path = %tightened.path.display(),
                "made private: mode {:04o} was {:04o} (the Matrix state folder holds the bot's keys and token)",
                tightened.to,
                tightened.from
            );
        }
        let lock_path = path.join(LOCK_FILE);
        let shown = || path.display().to_string();
        let lock = private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|source| StateDirError::Lock { path: shown(), source })?;
        match lock.try_lock_exclusive() {
            Ok(()) => Ok(StateDir { _lock: lock }),
            Err(e) if e.kind() == fs2::lock_contended_error().kind() => Err(StateDirError::Locked { path: shown() }),
            Err(source) => Err(StateDirError::Lock { path: shown(), source }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_open_is_locked_until_the_first_is_dropped() {
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("matrix");
        let first = StateDir::open(&dir).expect("first");
        let second = StateDir::open(&dir).expect_err("second");
        assert!(matches!(&second, StateDirError::Locked { path } if *path == dir.display().to_string()));
        assert!(
            second.to_string().contains("already in use by another Relais process"),
            "{second}"
        );
        drop(first);
        StateDir::open(&dir).expect("free again");
    }

    #[test]
    fn a_file_is_not_a_state_folder() {
        let root = tempfile::tempdir().expect("tempdir");
        let file = root.path().join("matrix");
        std::fs::write(&file, b"x").expect("write");
        let error = StateDir::open(&file).expect_err("a file");
        assert!(
            error.to_string().contains("`matrix.state-dir` must name a folder"),
            "{error}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_folder_and_its_lock_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("matrix");
        let _state = StateDir::open(&dir).expect("open");
        let mode = |path: &Path| std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777;
        assert_eq!((mode(&dir), mode(&dir.join(LOCK_FILE))), (0o700, 0o600));
    }
}
