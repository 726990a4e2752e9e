//! The database lock. sled 0.34 takes an exclusive `flock` on `<path>/db` when it opens (a second
//! open, in this process or another, fails with an `Io` error saying "could not acquire lock"),
//! which we report as `StoreError::Locked`. sled releases that lock only when its last background
//! task lets go of the file, a moment after the `Db` is dropped; [`ReleaseWait`] waits for that,
//! so that a store that has been dropped can be opened again at once.

use crate::store::StoreError;
use fs2::FileExt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// sled reports a held file lock as an `Io` error with this text.
const SLED_LOCK_MESSAGE: &str = "could not acquire lock";

/// How long a drop waits at most for sled's background tasks to release the file.
const RELEASE_TIMEOUT: Duration = Duration::from_secs(5);

/// Maps an error of `sled::Config::open` to a store error.
pub fn map_open_error(path: &Path, error: sled::Error) -> StoreError {
    match error {
        sled::Error::Io(e) if e.to_string().contains(SLED_LOCK_MESSAGE) => StoreError::Locked {
            path: path.display().to_string(),
        },
        other => super::tx::io(other),
    }
}

/// On drop, waits (at most [`RELEASE_TIMEOUT`]) until the database file can be locked, that is
/// until sled has closed it, then unlocks it again.
pub struct ReleaseWait {
    db_file: PathBuf,
}

impl ReleaseWait {
    pub fn new(path: &Path) -> Self {
        ReleaseWait {
            db_file: path.join("db"),
        }
    }
}

impl Drop for ReleaseWait {
    fn drop(&mut self) {
        if !wait_until_released(&self.db_file, RELEASE_TIMEOUT) {
            tracing::warn!(path = %self.db_file.display(), "sled still holds the database lock after close");
        }
    }
}

/// Waits (at most `timeout`) until the sled file `db_file` (`<path>/db`) can be locked, that is
/// until every sled handle on it has been closed, then unlocks it again. Returns false on
/// timeout; true at once if the file does not exist. Also for code that opened the database
/// with raw `sled::open` (tests writing old schemas) and must let it go before `SledStore::open`.
pub fn wait_until_released(db_file: &Path, timeout: Duration) -> bool {
    let Ok(file) = File::open(db_file) else {
        return true;
    };
    let started = Instant::now();
    while file.try_lock_exclusive().is_err() {
        if started.elapsed() > timeout {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    if let Err(error) = FileExt::unlock(&file) {
        tracing::warn!(%error, "releasing the database lock failed");
    }
    true
}
