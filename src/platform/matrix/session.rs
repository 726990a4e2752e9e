//! Logging in and keeping the Matrix session: `state-dir/session.json` (user id, device id,
//! tokens, written atomically and private to the bot's user) is restored on restart so the bot
//! keeps its device and its encryption keys (in `state-dir/sdk`, matrix-sdk's SQLite stores, see
//! `sdk_store`); refreshed tokens are saved. After connecting, the bot's device is cross-signed
//! where the account allows it.

use super::cross_signing;
use super::sdk_store::{SdkStore, StorePassphrase};
use super::state::write_atomically;
use super::MatrixError;
use crate::config::Matrix as MatrixConfig;
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::RequestConfig;
use matrix_sdk::ruma::api::error::ErrorKind;
use matrix_sdk::{Client, HttpError, SessionChange, SessionMeta, SessionTokens};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The device name the bot gives itself when it logs in with a password.
const DEVICE_NAME: &str = "Relais";

/// How the bot proves who it is, read from the environment variables the configuration names.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    Password(String),
    AccessToken(String),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Credentials::Password(_) => "Password(…)",
            Credentials::AccessToken(_) => "AccessToken(…)",
        })
    }
}

impl Credentials {
    /// The credentials named by `[matrix]`: the access token if its variable is set, else the
    /// password. `None` when neither variable is set (a saved session may still do).
    pub fn from_env(config: &MatrixConfig, env: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let read = |name: &Option<String>| name.as_deref().and_then(&env).filter(|v| !v.is_empty());
        read(&config.access_token_env)
            .map(Credentials::AccessToken)
            .or_else(|| read(&config.password_env).map(Credentials::Password))
    }
}

/// What `session.json` holds.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSession {
    pub homeserver: String,
    pub user_id: String,
    pub device_id: String,
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
}

impl SavedSession {
    pub fn load(path: &Path) -> Result<Option<Self>, MatrixError> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| MatrixError::Session(format!("{} is unreadable: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(MatrixError::Session(format!("cannot read {}: {e}", path.display()))),
        }
    }

    pub fn save(&self, path: &Path) -> Result<(), MatrixError> {
        let bytes = serde_json::to_vec_pretty(self).map_err(|e| MatrixError::Session(e.to_string()))?;
        write_atomically(path, &bytes)?;
        Ok(())
    }

    fn matrix_session(&self) -> Result<MatrixSession, MatrixError> {
        let user_id = self
            .user_id
            .as_str()
            .try_into()
            .map_err(|e| MatrixError::Session(format!("bad user id in session: {e}")))?;
        Ok(MatrixSession {
            meta: SessionMeta {
                user_id,
                device_id: self.device_id.as_str().into(),
            },
            tokens: SessionTokens {
                access_token: self.access_token.clone(),
                refresh_token: self.refresh_token.clone(),
            },
        })
    }
}

pub fn session_path(state_dir: &Path) -> PathBuf {
    state_dir.join("session.json")
}

/// How the bot's requests are retried: matrix-sdk retries a failed request a little (rate limits,
/// `M_LIMIT_EXCEEDED`, waiting for their `retry_after`); longer outages surface to the sync loop,
/// which logs and backs off. Every request the adapter makes itself must start from this.
pub(super) fn request_config() -> RequestConfig {
    RequestConfig::new()
        .retry_limit(3)
        .max_retry_time(Duration::from_secs(30))
}

/// A client on `store` (matrix-sdk's stores in the state folder), or on memory only (`None`).
async fn build_client(config: &MatrixConfig, store: Option<SdkStore<'_>>) -> Result<Client, MatrixError> {
    let mut builder = Client::builder()
        .homeserver_url(&config.homeserver)
        .request_config(request_config())
        .handle_refresh_tokens();
    if let Some(store) = &store {
        builder = builder.sqlite_store_with_config_and_cache_path(store.config(), None::<&Path>);
    }
    builder
        .build()
        .await
        .map_err(|e| match store.and_then(|store| store.open_error(&e)) {
            Some(store_error) => MatrixError::SdkStore(store_error),
            None => MatrixError::Connect(e.to_string()),
        })
}

/// A logged-in client: the saved session if there is one for this user and homeserver, else a
/// fresh login with `credentials` (a new device, so the SDK store starts over, encrypted with
/// `passphrase` if there is one). Either way the bot's device is then cross-signed where the
/// account allows it (see [`cross_signing`]). The state folder must have been opened already
/// (`state_dir`: private and locked).
pub async fn connect(
    config: &MatrixConfig,
    credentials: Option<&Credentials>,
    passphrase: Option<&StorePassphrase>,
) -> Result<Client, MatrixError> {
    let state_dir = &config.state_dir;
    let store = SdkStore { state_dir, passphrase };
    let client = match restore_saved(config, store).await? {
        Some(client) => client,
        None => log_in(config, credentials.ok_or(MatrixError::NoCredentials)?, store).await?,
    };
    let password = match credentials {
        Some(Credentials::Password(password)) => Some(password.as_str()),
        _ => None,
    };
    cross_signing::ensure(&client, password, state_dir).await;
    Ok(client)
}

/// The saved session's client, if there is a saved session for this user and homeserver and the
/// homeserver still accepts its token. Its SDK store must agree with the passphrase (see
/// `sdk_store`).
async fn restore_saved(config: &MatrixConfig, store: SdkStore<'_>) -> Result<Option<Client>, MatrixError> {
    let state_dir = &config.state_dir;
    let Some(saved) = SavedSession::load(&session_path(state_dir))?
        .filter(|s| s.user_id == config.user_id && s.homeserver == config.homeserver)
    else {
        return Ok(None);
    };
    store.check()?;
    let client = build_client(config, Some(store)).await?;
    client
        .restore_session(saved.matrix_session()?)
        .await
        .map_err(|e| MatrixError::Session(e.to_string()))?;
    match client.whoami().await {
        Ok(_) => {
            tracing::info!(user = %saved.user_id, device = %saved.device_id, "restored the saved Matrix session");
            Ok(Some(client))
        }
        Err(e) if token_rejected(&e) => {
            tracing::warn!(device = %saved.device_id, "the saved Matrix session was rejected (token revoked or expired); logging in again as a new device");
            Ok(None)
        }
        Err(e) => Err(MatrixError::Connect(format!("checking the saved session: {e}"))),
    }
}

/// A fresh login with `credentials`, in a new SDK store; the session is saved.
async fn log_in(config: &MatrixConfig, credentials: &Credentials, store: SdkStore<'_>) -> Result<Client, MatrixError> {
    let fresh = fresh_session(config, credentials).await?;
    let path = store.path();
    if path.exists() {
        std::fs::remove_dir_all(&path)
            .map_err(|e| MatrixError::Session(format!("cannot reset {}: {e}", path.display())))?;
    }
    let client = build_client(config, Some(store)).await?;
    client
        .restore_session(fresh.matrix_session()?)
        .await
        .map_err(|e| MatrixError::Session(e.to_string()))?;
    fresh.save(&session_path(&config.state_dir))?;
    tracing::info!(user = %fresh.user_id, device = %fresh.device_id, "logged in to Matrix; session saved");
    Ok(client)
}

/// Whether the homeserver rejected the session's token (revoked, or expired and not refreshable).
fn token_rejected(e: &HttpError) -> bool {
    matches!(e, HttpError::RefreshToken(_)) || matches!(e.client_api_error_kind(), Some(ErrorKind::UnknownToken(_)))
}

async fn fresh_session(config: &MatrixConfig, credentials: &Credentials) -> Result<SavedSession, MatrixError> {
    let probe = build_client(config, None).await?;
    match credentials {
        Credentials::Password(password) => {
            let response = probe
                .matrix_auth()
                .login_username(&config.user_id, password)
                .initial_device_display_name(DEVICE_NAME)
                .request_refresh_token()
                .send()
                .await
                .map_err(|e| match e.client_api_error_kind() {
                    Some(ErrorKind::Forbidden | ErrorKind::UserDeactivated) => {
                        MatrixError::LoginRejected(e.to_string())
                    }
                    _ => MatrixError::Connect(format!("logging in: {e}")),
                })?;
            Ok(SavedSession {
                homeserver: config.homeserver.clone(),
                user_id: response.user_id.to_string(),
                device_id: response.device_id.to_string(),
                access_token: response.access_token,
                refresh_token: response.refresh_token,
            })
        }
        Credentials::AccessToken(token) => {
            // Ask the homeserver which device the token belongs to, with a throw-away client.
            let placeholder = MatrixSession {
                meta: SessionMeta {
                    user_id: config
                        .user_id
                        .as_str()
                        .try_into()
                        .map_err(|e| MatrixError::Session(format!("bad user id: {e}")))?,
                    device_id: "RELAISPROBE".into(),
                },
                tokens: SessionTokens {
                    access_token: token.clone(),
                    refresh_token: None,
                },
            };
            probe
                .restore_session(placeholder)
                .await
                .map_err(|e| MatrixError::Session(e.to_string()))?;
            let who = probe.whoami().await.map_err(|e| match e.client_api_error_kind() {
                Some(ErrorKind::UnknownToken(_) | ErrorKind::Forbidden) => MatrixError::TokenRejected(e.to_string()),
                _ => MatrixError::Connect(format!("checking the access token: {e}")),
            })?;
            if who.user_id.as_str() != config.user_id {
                return Err(MatrixError::TokenRejected(format!(
                    "the token belongs to {}, not {}",
                    who.user_id, config.user_id
                )));
            }
            let device_id = who
                .device_id
                .ok_or_else(|| MatrixError::TokenRejected("the token has no device".into()))?;
            Ok(SavedSession {
                homeserver: config.homeserver.clone(),
                user_id: who.user_id.to_string(),
                device_id: device_id.to_string(),
                access_token: token.clone(),
                refresh_token: None,
            })
        }
    }
}

/// Saves the tokens every time matrix-sdk refreshes them; logs when the homeserver rejects them.
pub fn persist_refreshed_tokens(client: &Client, config: &MatrixConfig) -> tokio::task::JoinHandle<()> {
    let client = client.clone();
    let path = session_path(&config.state_dir);
    let homeserver = config.homeserver.clone();
    let mut changes = client.subscribe_to_session_changes();
    tokio::spawn(async move {
        loop {
            match changes.recv().await {
                Ok(SessionChange::TokensRefreshed) => {
                    let (Some(meta), Some(tokens)) = (client.session_meta(), client.session_tokens()) else {
                        continue;
                    };
                    let saved = SavedSession {
                        homeserver: homeserver.clone(),
                        user_id: meta.user_id.to_string(),
                        device_id: meta.device_id.to_string(),
                        access_token: tokens.access_token,
                        refresh_token: tokens.refresh_token,
                    };
                    match saved.save(&path) {
                        Ok(()) => tracing::info!("Matrix access token refreshed and saved"),
                        Err(e) => tracing::error!(error = %e, "could not save the refreshed Matrix token"),
                    }
                }
                Ok(SessionChange::UnknownToken(data)) => {
                    tracing::error!(
                        soft_logout = data.soft_logout,
                        "the homeserver rejected the bot's access token"
                    )
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::platform::matrix) fn config(password_env: Option<&str>, token_env: Option<&str>) -> MatrixConfig {
        MatrixConfig {
            homeserver: "https://matrix.example.org".into(),
            user_id: "@relais:example.org".into(),
            password_env: password_env.map(String::from),
            access_token_env: token_env.map(String::from),
            allowed_inviters: Vec::new(),
            ignored_users: Vec::new(),
            state_dir: PathBuf::from("unused"),
            store_passphrase_env: None,
            claim_reactions: Vec::new(),
        }
    }

    #[test]
    fn credentials_come_from_the_named_variables() {
        let env = |name: &str| match name {
            "PW" => Some("secret".to_string()),
            "TOKEN" => Some("syt_abc".to_string()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        let rows = [
            (Some("PW"), None, Some(Credentials::Password("secret".into()))),
            (None, Some("TOKEN"), Some(Credentials::AccessToken("syt_abc".into()))),
            (
                Some("PW"),
                Some("TOKEN"),
                Some(Credentials::AccessToken("syt_abc".into())),
            ),
            (Some("PW"), Some("UNSET"), Some(Credentials::Password("secret".into()))),
            (Some("EMPTY"), None, None),
            (Some("UNSET"), None, None),
            (None, None, None),
        ];
        for (pw, token, want) in rows {
            assert_eq!(
                Credentials::from_env(&config(pw, token), env),
                want,
                "password-env {pw:?}, access-token-env {token:?}"
            );
        }
    }

    #[test]
    fn secrets_are_not_printed_in_debug_output() {
        assert_eq!(format!("{:?}", Credentials::Password("hunter2".into())), "Password(…)");
    }

    #[test]
    fn the_saved_session_round_trips_atomically() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = session_path(dir.path());
        assert!(SavedSession::load(&path).expect("missing is fine").is_none());
        let saved = SavedSession {
            homeserver: "https://m.example.org".into(),
            user_id: "@relais:example.org".into(),
            device_id: "ABCDEF".into(),
            access_token: "syt_1".into(),
            refresh_token: Some("syr_1".into()),
        };
        saved.save(&path).expect("save");
        assert!(SavedSession::load(&path).expect("load") == Some(saved));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("metadata").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "the token is private from the moment the file exists");
        }
        std::fs::write(&path, b"[]").expect("write");
        assert!(SavedSession::load(&path).is_err(), "a corrupt session file is reported");
    }
}
