//! matrix-sdk's stores in `state-dir/sdk` (SQLite databases: its state, its crypto store with the
//! private keys of the bot's Olm account, its event cache and media), encrypted with a passphrase
//! when `matrix.store-passphrase-env` names the environment variable holding one.
//!
//! matrix-sdk encrypts the values it stores with a key kept in each database (`kv` row `cipher`),
//! itself encrypted with the passphrase. It does not tell an unencrypted store from a new one:
//! given a passphrase, it would add a key to an unencrypted store and mix encrypted values with
//! plain ones; given none, it would read an encrypted store's values as garbage. So before it opens
//! existing stores, [`SdkStore::check`] looks for that key and refuses a mismatch, saying what to
//! do; a wrong passphrase is told apart from other failures to open.

use super::session::session_path;
use matrix_sdk::{ClientBuildError, SqliteStoreConfig};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// Connections per SDK database (the minimum: one writer and one reader).
const SQLITE_CONNECTIONS: usize = 2;
/// SQLite page cache per connection.
const SQLITE_CACHE_BYTES: u32 = 512 * 1024;
/// The write-ahead log is truncated back to this size after checkpoints.
const SQLITE_JOURNAL_LIMIT_BYTES: u32 = 2 * 1024 * 1024;

/// The passphrase of matrix-sdk's stores. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct StorePassphrase(String);

impl std::fmt::Debug for StorePassphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StorePassphrase(…)")
    }
}

impl StorePassphrase {
    pub fn new(passphrase: impl Into<String>) -> Self {
        StorePassphrase(passphrase.into())
    }

    /// The passphrase in the variable `matrix.store-passphrase-env` names: `None` when the key is
    /// not set, an error when the variable is unset or empty (the stores are never opened
    /// unencrypted by mistake).
    pub fn from_env(
        config: &crate::config::Matrix,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, SdkStoreError> {
        let Some(name) = &config.store_passphrase_env else {
            return Ok(None);
        };
        match env(name).filter(|value| !value.is_empty()) {
            Some(passphrase) => Ok(Some(StorePassphrase(passphrase))),
            None => Err(SdkStoreError::PassphraseUnset(name.clone())),
        }
    }
}

/// Why matrix-sdk's stores cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum SdkStoreError {
    #[error("`matrix.store-passphrase-env` names the environment variable {0}, which is not set (or is empty): set it to the passphrase of matrix-sdk's stores")]
    PassphraseUnset(String),
    #[error("matrix-sdk's stores in {path} are not encrypted, but `matrix.store-passphrase-env` gives a passphrase: remove `store-passphrase-env` to go on with them unencrypted, or, to encrypt them, stop Relais, move {path} and {session} away and start it again (it logs in as a new device)")]
    NotEncrypted { path: String, session: String },
    #[error("matrix-sdk's stores in {path} are encrypted with a passphrase and none is given: set `matrix.store-passphrase-env` to the name of the environment variable holding it")]
    NoPassphrase { path: String },
    #[error("the passphrase does not open matrix-sdk's stores in {path} (wrong passphrase?): give the one they were created with; if it is lost, stop Relais, move {path} and {session} away and start it again (it logs in as a new device)")]
    WrongPassphrase { path: String, session: String },
    #[error("cannot open matrix-sdk's stores in {path}: {reason}")]
    Open { path: String, reason: String },
}

/// What the existing databases say about encryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// No database with matrix-sdk's tables: a new store.
    Nothing,
    Unencrypted,
    Encrypted,
}

/// matrix-sdk's stores of one state folder, with their passphrase.
#[derive(Debug, Clone, Copy)]
pub(super) struct SdkStore<'a> {
    pub state_dir: &'a Path,
    pub passphrase: Option<&'a StorePassphrase>,
}

impl SdkStore<'_> {
    pub fn path(&self) -> PathBuf {
        self.state_dir.join("sdk")
    }

    /// The SQLite configuration: two connections per database (one writer, one reader) and small
    /// page caches (a bot needs little of the SDK's state at once, and every connection's cache is
    /// resident), and the passphrase.
    pub fn config(&self) -> SqliteStoreConfig {
        SqliteStoreConfig::new(self.path())
            .pool_max_size(SQLITE_CONNECTIONS)
            .cache_size(SQLITE_CACHE_BYTES)
            .journal_size_limit(SQLITE_JOURNAL_LIMIT_BYTES)
            .passphrase(self.passphrase.map(|p| p.0.as_str()))
    }

    /// Refuses existing stores that are encrypted when no passphrase is given, or unencrypted
    /// when one is (see the module docs). Reads the databases only.
    pub fn check(&self) -> Result<(), SdkStoreError> {
        match (found(&self.path()), self.passphrase) {
            (Found::Unencrypted, Some(_)) => Err(SdkStoreError::NotEncrypted {
                path: self.shown(),
                session: session_path(self.state_dir).display().to_string(),
            }),
            (Found::Encrypted, None) => Err(SdkStoreError::NoPassphrase { path: self.shown() }),
            _ => Ok(()),
        }
    }

    /// What a failure of matrix-sdk to open the stores means; `None` when it is not about them.
    pub fn open_error(&self, error: &ClientBuildError) -> Option<SdkStoreError> {
        let ClientBuildError::SqliteStore(error) = error else {
            return None;
        };
        Some(match error {
            matrix_sdk_sqlite::OpenStoreError::InitCipher(_) if self.passphrase.is_some() => {
                SdkStoreError::WrongPassphrase {
                    path: self.shown(),
                    session: session_path(self.state_dir).display().to_string(),
                }
            }
            other => SdkStoreError::Open {
                path: self.shown(),
                reason: other.to_string(),
            },
        })
    }

    fn shown(&self) -> String {
        self.path().display().to_string()
    }
}

/// Whether the databases in `dir` hold matrix-sdk's tables, and whether with a store key.
fn found(dir: &Path) -> Found {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Found::Nothing;
    };
    let databases = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "sqlite3"));
    let mut found = Found::Nothing;
    for database in databases {
        match holds_store_key(&database) {
            Some(true) => return Found::Encrypted,
            Some(false) => found = Found::Unencrypted,
            None => {}
        }
    }
    found
}

/// Whether the matrix-sdk database at `path` holds a store key; `None` when it has no `kv`
/// table (new, or not matrix-sdk's) or cannot be read (matrix-sdk will say why).
fn holds_store_key(path: &Path) -> Option<bool> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(path, flags).ok()?;
    connection
        .query_row("SELECT EXISTS (SELECT 1 FROM kv WHERE key = 'cipher')", [], |row| {
            row.get(0)
        })
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database(path: &Path, rows: &[&str]) {
        let connection = Connection::open(path).expect("open");
        connection
            .execute_batch("CREATE TABLE kv (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL);")
            .expect("table");
        for key in rows {
            connection
                .execute("INSERT INTO kv VALUES (?1, x'00')", [key])
                .expect("row");
        }
    }

    #[test]
    fn stores_are_told_apart_by_their_key_and_a_mismatch_is_refused() {
        let root = tempfile::tempdir().expect("tempdir");
        let passphrase = StorePassphrase::new("correct horse");
        let store = |passphrase| SdkStore {
            state_dir: root.path(),
            passphrase,
        };
        let sdk = store(None).path();
        assert_eq!(found(&sdk), Found::Nothing, "no folder");
        std::fs::create_dir_all(&sdk).expect("mkdir");
        std::fs::write(sdk.join("matrix-sdk-media.sqlite3"), b"").expect("empty database");
        assert_eq!(found(&sdk), Found::Nothing, "an empty database");
        assert!(store(Some(&passphrase)).check().is_ok() && store(None).check().is_ok());

        database(&sdk.join("matrix-sdk-state.sqlite3"), &["version"]);
        assert_eq!(found(&sdk), Found::Unencrypted);
        assert!(store(None).check().is_ok());
        let refused = store(Some(&passphrase))
            .check()
            .expect_err("a passphrase for a plain store");
        assert!(matches!(refused, SdkStoreError::NotEncrypted { .. }), "{refused:?}");
        assert!(
            refused.to_string().contains("remove `store-passphrase-env`"),
            "{refused}"
        );

        database(&sdk.join("matrix-sdk-crypto.sqlite3"), &["version", "cipher"]);
        assert_eq!(found(&sdk), Found::Encrypted);
        assert!(store(Some(&passphrase)).check().is_ok());
        let refused = store(None).check().expect_err("no passphrase for an encrypted store");
        assert!(refused.to_string().contains(&sdk.display().to_string()), "{refused}");
    }

    /// Opens a client on `store` the way the adapter does (no homeserver is contacted).
    async fn open(store: SdkStore<'_>) -> Result<matrix_sdk::Client, ClientBuildError> {
        matrix_sdk::Client::builder()
            .homeserver_url("http://127.0.0.1:9")
            .sqlite_store_with_config_and_cache_path(store.config(), None::<&Path>)
            .build()
            .await
    }

    #[tokio::test]
    async fn an_encrypted_store_opens_with_its_passphrase_and_a_wrong_one_is_named() {
        let root = tempfile::tempdir().expect("tempdir");
        let (right, wrong) = (StorePassphrase::new("right"), StorePassphrase::new("wrong"));
        let store = |passphrase| SdkStore {
            state_dir: root.path(),
            passphrase,
        };
        drop(open(store(Some(&right))).await.expect("a new encrypted store"));
        assert_eq!(found(&store(None).path()), Found::Encrypted);
        drop(open(store(Some(&right))).await.expect("reopened with its passphrase"));
        let error = open(store(Some(&wrong))).await.expect_err("a wrong passphrase");
        let named = store(Some(&wrong)).open_error(&error);
        assert!(
            matches!(named, Some(SdkStoreError::WrongPassphrase { .. })),
            "{error:?} read as {named:?}"
        );
    }

    #[test]
    fn the_passphrase_comes_from_the_named_variable_and_is_never_printed() {
        let mut config = crate::platform::matrix::session::tests::config(Some("PW"), None);
        let env = |name: &str| match name {
            "PASS" => Some("s3cret".to_string()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        assert_eq!(StorePassphrase::from_env(&config, env).ok(), Some(None));
        config.store_passphrase_env = Some("PASS".into());
        let read = StorePassphrase::from_env(&config, env).expect("set");
        assert_eq!(read, Some(StorePassphrase::new("s3cret")));
        assert_eq!(format!("{read:?}"), "Some(StorePassphrase(…))");
        for unset in ["EMPTY", "UNSET"] {
            config.store_passphrase_env = Some(unset.into());
            let error = StorePassphrase::from_env(&config, env).expect_err(unset);
            assert!(
                error
                    .to_string()
                    .contains(&format!("variable {unset}, which is not set")),
                "{error}"
            );
        }
    }
}
