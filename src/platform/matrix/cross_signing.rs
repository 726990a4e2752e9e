//! Cross-signing of the bot's own device, so that people see its encrypted messages as sent from a
//! device its owner verified. Checked after every login or restore from what the homeserver
//! publishes (`/keys/query`): nothing is done when the bot's device is already signed by the
//! account's self-signing key. Otherwise new keys are uploaded when the account has none, or
//! when the published ones are those Relais created earlier (their private half went with an
//! old device's store); keys someone else set up are left alone. The homeserver may ask for the
//! account password (user-interactive auth) to upload keys. Nothing here stops the bot: it logs.

use super::state::write_atomically;
use matrix_sdk::ruma::api::client::keys::get_keys;
use matrix_sdk::ruma::api::client::uiaa;
use matrix_sdk::ruma::{OwnedDeviceId, OwnedUserId};
use matrix_sdk::Client;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What the homeserver publishes about the account's cross-signing keys and the bot's device.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublishedKeys {
    /// The master public key (unpadded base64), if the account has one.
    pub master: Option<String>,
    /// The self-signing public key, if the account has one.
    pub self_signing: Option<String>,
    /// Whether the bot's device carries a signature by that self-signing key.
    pub device_signed: bool,
}

/// What to do about cross-signing after a login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// The device is signed by the account's self-signing key.
    AlreadySetUp,
    /// Upload new keys (or the ones this device holds) and sign the device.
    Bootstrap,
    /// The account has keys Relais did not create: not replaced.
    LeaveForeign,
}

/// The plan for `published` keys; `ours` is the master key Relais last set up for this account.
pub fn plan(published: &PublishedKeys, ours: Option<&str>) -> Plan {
    match (&published.master, published.device_signed) {
        (Some(_), true) => Plan::AlreadySetUp,
        (None, _) => Plan::Bootstrap,
        (Some(master), false) if Some(master.as_str()) == ours => Plan::Bootstrap,
        (Some(_), false) => Plan::LeaveForeign,
    }
}

/// Reads the keys of `user_id` from `/keys/query` JSON: its master and self-signing key objects
/// and the device's key object.
pub fn published_keys(
    user_id: &str,
    master: Option<&Value>,
    self_signing: Option<&Value>,
    device: Option<&Value>,
) -> PublishedKeys {
    let first_key = |key: Option<&Value>| {
        key.and_then(|k| k["keys"].as_object())
            .and_then(|keys| keys.values().next())
            .and_then(Value::as_str)
            .map(String::from)
    };
    let self_signing = first_key(self_signing);
    let device_signed = match (&self_signing, device) {
        (Some(key), Some(device)) => device["signatures"][user_id][format!("ed25519:{key}")].is_string(),
        _ => false,
    };
    PublishedKeys {
        master: first_key(master),
        self_signing,
        device_signed,
    }
}

/// The master key Relais set up, kept in `state-dir/cross-signing.json` (it outlives the SDK
/// store, which a new login starts over).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct OwnKeys {
    user_id: String,
    master_key: String,
}

fn own_keys_path(state_dir: &Path) -> PathBuf {
    state_dir.join("cross-signing.json")
}

fn load_own_master(state_dir: &Path, user_id: &str) -> Option<String> {
    let bytes = std::fs::read(own_keys_path(state_dir)).ok()?;
    match serde_json::from_slice::<OwnKeys>(&bytes) {
        Ok(own) if own.user_id == user_id => Some(own.master_key),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(error = %e, "cross-signing.json is unreadable; ignoring it");
            None
        }
    }
}

fn save_own_master(state_dir: &Path, user_id: &str, master_key: &str) {
    let own = OwnKeys {
        user_id: user_id.to_string(),
        master_key: master_key.to_string(),
    };
    let saved = serde_json::to_vec_pretty(&own)
        .map_err(|e| e.to_string())
        .and_then(|bytes| write_atomically(&own_keys_path(state_dir), &bytes).map_err(|e| e.to_string()));
    if let Err(e) = saved {
        tracing::warn!(error = %e, "could not record the bot's cross-signing key");
    }
}

/// Why cross-signing could not be set up.
#[derive(Debug, thiserror::Error)]
enum BootstrapError {
    #[error("the homeserver asks for the account password, and only an access token is configured")]
    NeedsPassword,
    #[error("{0}")]
    Failed(String),
}

/// Makes sure the bot's device is cross-signed; `password` answers the homeserver's
/// user-interactive auth. Logs what it did; never fails.
pub async fn ensure(client: &Client, password: Option<&str>, state_dir: &Path) {
    let (Some(user_id), Some(device_id)) = (client.user_id().map(ToOwned::to_owned), client.device_id()) else {
        return;
    };
    let device_id = device_id.to_owned();
    let before = match query(client, &user_id, &device_id).await {
        Ok(published) => published,
        Err(e) => {
            tracing::warn!(error = %e, "cross-signing not checked: the homeserver did not answer the key query");
            return;
        }
    };
    match plan(&before, load_own_master(state_dir, user_id.as_str()).as_deref()) {
        Plan::AlreadySetUp => {
            tracing::info!(device = %device_id, "cross-signing already set up: the bot's device is signed")
        }
        Plan::LeaveForeign => tracing::warn!(
            device = %device_id,
            "the account has cross-signing keys Relais did not create (set up from another client?): they are \
             left alone and the bot's device stays unsigned; verify it from that client"
        ),
        Plan::Bootstrap => match bootstrap(client, &user_id, password).await {
            Ok(()) => confirm(client, &user_id, &device_id, state_dir).await,
            Err(BootstrapError::NeedsPassword) => tracing::info!(
                device = %device_id,
                "cross-signing is not set up: the homeserver asks for the account password to upload \
                 cross-signing keys, and only an access token is configured (set `matrix.password-env` to \
                 have it set up); the bot runs with an unsigned device"
            ),
            Err(BootstrapError::Failed(e)) => {
                tracing::warn!(error = %e, "cross-signing could not be set up; the bot runs with an unsigned device")
            }
        },
    }
}

/// Checks that the upload took and records the new master key.
async fn confirm(client: &Client, user_id: &OwnedUserId, device_id: &OwnedDeviceId, state_dir: &Path) {
    match query(client, user_id, device_id).await {
        Ok(PublishedKeys {
            master: Some(master),
            device_signed: true,
            ..
        }) => {
            save_own_master(state_dir, user_id.as_str(), &master);
            tracing::info!(device = %device_id, master_key = %master, "cross-signing set up: the bot's device is signed by its self-signing key");
        }
        Ok(published) => {
            tracing::warn!(
                ?published,
                "cross-signing keys were uploaded but the bot's device does not show as signed"
            )
        }
        Err(e) => tracing::warn!(error = %e, "cross-signing keys were uploaded but could not be checked"),
    }
}

/// Creates (or re-uploads) the cross-signing keys and signs the device, answering the
/// homeserver's user-interactive auth with `password` when it asks.
async fn bootstrap(client: &Client, user_id: &OwnedUserId, password: Option<&str>) -> Result<(), BootstrapError> {
    let encryption = client.encryption();
    let first = encryption.bootstrap_cross_signing(None).await;
    let Err(e) = first else {
        return Ok(());
    };
    let Some(uiaa_info) = e.as_uiaa_response() else {
        return Err(BootstrapError::Failed(e.to_string()));
    };
    let password = password.ok_or(BootstrapError::NeedsPassword)?;
    let identifier = uiaa::UserIdentifier::Matrix(uiaa::MatrixUserIdentifier::new(user_id.to_string()));
    let mut auth = uiaa::Password::new(identifier, password.to_string());
    auth.session = uiaa_info.session.clone();
    encryption
        .bootstrap_cross_signing(Some(uiaa::AuthData::Password(auth)))
        .await
        .map_err(|e| BootstrapError::Failed(e.to_string()))
}

/// Asks the homeserver for the account's cross-signing keys and the bot's device keys.
async fn query(
    client: &Client,
    user_id: &OwnedUserId,
    device_id: &OwnedDeviceId,
) -> Result<PublishedKeys, matrix_sdk::HttpError> {
    let mut request = get_keys::v3::Request::new();
    request.device_keys = BTreeMap::from([(user_id.clone(), vec![device_id.clone()])]);
    let response = client.send(request).await?;
    let json = |raw: &str| serde_json::from_str::<Value>(raw).ok();
    let master = response.master_keys.get(user_id).and_then(|k| json(k.json().get()));
    let self_signing = response
        .self_signing_keys
        .get(user_id)
        .and_then(|k| json(k.json().get()));
    let device = response
        .device_keys
        .get(user_id)
        .and_then(|devices| devices.get(device_id))
        .and_then(|k| json(k.json().get()));
    Ok(published_keys(
        user_id.as_str(),
        master.as_ref(),
        self_signing.as_ref(),
        device.as_ref(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const USER: &str = "@relais:example.org";

    fn key(usage: &str, public: &str) -> Value {
        json!({"user_id": USER, "usage": [usage], "keys": {format!("ed25519:{public}"): public}})
    }

    fn device(signers: &[&str]) -> Value {
        let signatures: serde_json::Map<String, Value> =
            signers.iter().map(|s| (format!("ed25519:{s}"), json!("sig"))).collect();
        json!({"device_id": "DEV", "signatures": {USER: signatures}})
    }

    #[test]
    fn published_keys_show_whether_the_device_is_signed_by_the_self_signing_key() {
        let (master, ssk) = (key("master", "MASTER"), key("self_signing", "SSK"));
        // (master, self-signing, device, expected)
        let rows = [
            (None, None, Some(device(&["DEV"])), (None, None, false)),
            (
                Some(&master),
                Some(&ssk),
                Some(device(&["DEV"])),
                (Some("MASTER"), Some("SSK"), false),
            ),
            (
                Some(&master),
                Some(&ssk),
                Some(device(&["DEV", "SSK"])),
                (Some("MASTER"), Some("SSK"), true),
            ),
            (
                Some(&master),
                Some(&ssk),
                Some(device(&["DEV", "MASTER"])),
                (Some("MASTER"), Some("SSK"), false),
            ),
            (
                Some(&master),
                None,
                Some(device(&["DEV", "SSK"])),
                (Some("MASTER"), None, false),
            ),
            (Some(&master), Some(&ssk), None, (Some("MASTER"), Some("SSK"), false)),
        ];
        for (row, (master, ssk, device, (want_master, want_ssk, want_signed))) in rows.into_iter().enumerate() {
            let got = published_keys(USER, master, ssk, device.as_ref());
            let want = PublishedKeys {
                master: want_master.map(String::from),
                self_signing: want_ssk.map(String::from),
                device_signed: want_signed,
            };
            assert_eq!(got, want, "row {row}");
        }
    }

    #[test]
    fn the_plan_never_replaces_keys_relais_did_not_create() {
        let published = |master: Option<&str>, signed| PublishedKeys {
            master: master.map(String::from),
            self_signing: master.map(|_| "SSK".to_string()),
            device_signed: signed,
        };
        // (published master, device signed, master Relais recorded, plan)
        let rows = [
            (Some("M1"), true, None, Plan::AlreadySetUp),
            (Some("M1"), true, Some("M1"), Plan::AlreadySetUp),
            (Some("M1"), true, Some("M0"), Plan::AlreadySetUp),
            (None, false, None, Plan::Bootstrap),
            (None, false, Some("M0"), Plan::Bootstrap),
            (Some("M1"), false, Some("M1"), Plan::Bootstrap),
            (Some("M1"), false, None, Plan::LeaveForeign),
            (Some("M1"), false, Some("M0"), Plan::LeaveForeign),
        ];
        for (master, signed, ours, want) in rows {
            assert_eq!(
                plan(&published(master, signed), ours),
                want,
                "published {master:?}, signed {signed}, ours {ours:?}"
            );
        }
    }

    #[test]
    fn the_recorded_master_key_belongs_to_its_user() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(load_own_master(dir.path(), USER), None);
        save_own_master(dir.path(), USER, "MASTER");
        assert_eq!(load_own_master(dir.path(), USER).as_deref(), Some("MASTER"));
        assert_eq!(load_own_master(dir.path(), "@other:example.org"), None);
        std::fs::write(own_keys_path(dir.path()), b"{").expect("write");
        assert_eq!(load_own_master(dir.path(), USER), None, "a corrupt file is ignored");
    }
}
