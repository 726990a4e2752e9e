//! The running bot's control socket (`relais-control.sock` in the store folder), through which
//! `relais backup` asks the bot for a backup: the store is locked by the bot, so no other process
//! can read it, and the bot itself writes a consistent copy ([`Store::backup`]) while it keeps
//! running. One request per connection, one line each way: `backup <absolute folder>`, answered
//! `ok` or `error <message>`. The socket is created under the bot's private umask (0600 in a
//! private folder): only the bot's own user can connect.

use crate::store::Store;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The socket's file name, in the store folder.
pub const SOCKET: &str = "relais-control.sock";

/// How often the serving thread looks whether it should stop.
const POLL: Duration = Duration::from_millis(100);

/// Why a request to the running bot failed.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    #[error("cannot reach the running bot through {path}: {source}")]
    Unreachable { path: String, source: std::io::Error },
    #[error("the running bot could not write the backup: {0}")]
    Refused(String),
}

/// The listening socket of a running bot.
pub struct Control {
    listener: UnixListener,
    path: PathBuf,
    stop: AtomicBool,
}

impl Control {
    /// Listens in `store_dir` (the caller holds the store's lock, so a socket found there is
    /// stale: it is replaced).
    pub fn bind(store_dir: &Path) -> std::io::Result<Control> {
        let path = store_dir.join(SOCKET);
        if path.exists() {
            std::fs::remove_file(&path)?;
        }
        let listener = UnixListener::bind(&path)?;
        listener.set_nonblocking(true)?;
        Ok(Control {
            listener,
            path,
            stop: AtomicBool::new(false),
        })
    }

    /// Answers requests until [`stop`](Self::stop) is called.
    pub fn serve(&self, store: &dyn Store) {
        while !self.stop.load(Ordering::Relaxed) {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if let Err(error) = answer(stream, store) {
                        tracing::warn!(%error, "a control request could not be answered");
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(POLL),
                Err(error) => {
                    tracing::warn!(%error, "the control socket failed; `relais backup` cannot reach this bot");
                    return;
                }
            }
        }
    }

    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Drop for Control {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Reads one request and answers it.
fn answer(stream: UnixStream, store: &dyn Store) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    let reply = match line.trim_end().strip_prefix("backup ") {
        Some(dir) if Path::new(dir).is_absolute() => match store.backup(Path::new(dir)) {
            Ok(()) => {
                tracing::info!(dir, "backup written on request");
                "ok".to_string()
            }
            Err(error) => format!("error {error}"),
        },
        _ => "error expected `backup <absolute folder>`".to_string(),
    };
    (&stream).write_all(format!("{reply}\n").as_bytes())
}

/// Asks the bot running on `store_dir` to write a backup into `dir` (made absolute here).
pub fn request_backup(store_dir: &Path, dir: &Path) -> Result<(), ControlError> {
    let path = store_dir.join(SOCKET);
    let unreachable = |source| ControlError::Unreachable {
        path: path.display().to_string(),
        source,
    };
    let dir = std::path::absolute(dir).map_err(unreachable)?;
    let mut stream = UnixStream::connect(&path).map_err(unreachable)?;
    stream
        .write_all(format!("backup {}\n", dir.display()).as_bytes())
        .map_err(unreachable)?;
    let mut reply = String::new();
    BufReader::new(&stream).read_line(&mut reply).map_err(unreachable)?;
    match reply.trim_end() {
        "ok" => Ok(()),
        other => Err(ControlError::Refused(
            other.strip_prefix("error ").unwrap_or(other).to_string(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::conformance::add_ambassador;
    use crate::store::{DiskOptions, SqliteStore};

    #[test]
    fn a_backup_is_written_by_the_bot_that_holds_the_store() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SqliteStore::open(dir.path(), DiskOptions::default()).expect("open");
        add_ambassador(&store, "Alice");
        let control = Control::bind(dir.path()).expect("bind");
        let backups = tempfile::tempdir().expect("tempdir");
        std::thread::scope(|scope| {
            scope.spawn(|| control.serve(&store));
            request_backup(dir.path(), &backups.path().join("one")).expect("backup");
            let again = request_backup(dir.path(), &backups.path().join("one"));
            assert!(
                matches!(&again, Err(ControlError::Refused(m)) if m.contains("not empty")),
                "{again:?}"
            );
            control.stop();
        });
        drop(control);
        assert!(!dir.path().join(SOCKET).exists(), "the socket goes with the bot");
        drop(store);
        let copy = SqliteStore::open(&backups.path().join("one"), DiskOptions::default()).expect("open copy");
        assert_eq!(copy.ambassadors().expect("read").len(), 1);
    }
}
