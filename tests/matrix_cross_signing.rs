//! Cross-signing of the bot's device on a real Synapse: set up after a password login, kept across
//! restarts, replaced (its own keys only) when a lost session forces a new device, left alone when
//! another client set it up, and never in the way of an access-token login without a password.

#[path = "matrix_support/mod.rs"]
mod matrix_support;

use matrix_sdk::ruma::{OwnedDeviceId, OwnedUserId};
use matrix_support::synapse::Synapse;
use matrix_support::*;
use relais::platform::matrix::session::{session_path, SavedSession};
use relais::platform::matrix::Credentials;
use serde_json::{json, Value};

/// What `/keys/query` shows a second user about the bot's keys.
#[derive(Debug, Clone, PartialEq, Eq)]
struct BotKeys {
    master: Option<String>,
    self_signing: Option<String>,
    /// Whether the device carries a signature by the self-signing key.
    device_signed: bool,
}

fn first_key(key: &Value) -> Option<String> {
    key["keys"].as_object()?.values().next()?.as_str().map(String::from)
}

/// The bot's keys as `viewer` sees them (plain client-server HTTP).
fn keys_seen_by(viewer: &User, bot: &str, device: &str) -> BotKeys {
    let body = json!({"device_keys": {bot: [device]}});
    let answer = viewer.call("POST", "/_matrix/client/v3/keys/query", Some(&body));
    let self_signing = first_key(&answer["self_signing_keys"][bot]);
    let signatures = &answer["device_keys"][bot][device]["signatures"][bot];
    assert!(
        signatures.is_object(),
        "the device {device} has no published keys: {answer}"
    );
    BotKeys {
        master: first_key(&answer["master_keys"][bot]),
        device_signed: self_signing
            .as_ref()
            .is_some_and(|key| signatures[format!("ed25519:{key}")].is_string()),
        self_signing,
    }
}

fn saved_device(bot: &TestBot) -> String {
    SavedSession::load(&session_path(&bot.state_dir))
        .expect("session file")
        .expect("a saved session")
        .device_id
}

fn saved_token(bot: &TestBot) -> String {
    SavedSession::load(&session_path(&bot.state_dir))
        .expect("session file")
        .expect("a saved session")
        .access_token
}

/// Checked with matrix-sdk's own signature verification: whether the device is cross-signed by
/// its owner, and the owner's master key, as `viewer` (a user with a password) sees them.
async fn verified_by_matrix_sdk(server: &Synapse, viewer: &User, bot: &str, device: &str) -> (bool, String) {
    let client = sdk_client(server, &viewer.id, &format!("{}-secret", localpart(&viewer.id))).await;
    let user_id = OwnedUserId::try_from(bot).expect("user id");
    let identity = client
        .encryption()
        .request_user_identity(&user_id)
        .await
        .expect("keys query")
        .expect("the bot has a cross-signing identity");
    let master = identity.master_key().get_first_key().expect("master key").to_base64();
    let device_id = OwnedDeviceId::from(device);
    let device = client
        .encryption()
        .get_device(&user_id, &device_id)
        .await
        .expect("crypto store")
        .expect("the bot's device is known");
    (device.is_cross_signed_by_owner(), master)
}

fn localpart(user_id: &str) -> &str {
    user_id
        .strip_prefix('@')
        .and_then(|rest| rest.split_once(':'))
        .map_or(user_id, |(local, _)| local)
}

/// A room of `prefix_alice` with the bot `prefix_relais` (not started); the bot may be invited by her.
fn room_with_bot(server: &'static Synapse, prefix: &str) -> (TestBot, User, String) {
    let alice = User::register(server, &format!("{prefix}_alice"));
    let room = alice.create_room(&[]);
    let bot = TestBot::new(
        server,
        &format!("{prefix}_relais"),
        settings(&[&room], &[], never_today()),
        &[&alice.id],
    );
    (bot, alice, room)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_login_cross_signs_the_device_and_restarts_keep_the_keys() {
    let server = Synapse::shared();
    let (bot, alice, room) = room_with_bot(server, "xs");
    let running = bot.start();
    alice.invite(&room, &bot.user_id);
    bot.joined(&alice, &room).await;
    sentinel(&bot, &alice, &room).await;
    let device = saved_device(&bot);
    let keys = keys_seen_by(&alice, &bot.user_id, &device);
    assert!(keys.master.is_some() && keys.self_signing.is_some(), "{keys:?}");
    assert!(
        keys.device_signed,
        "the device is signed by the self-signing key: {keys:?}"
    );
    let (cross_signed, master) = verified_by_matrix_sdk(server, &alice, &bot.user_id, &device).await;
    assert!(cross_signed, "matrix-sdk verifies the device's cross-signature");
    assert_eq!(Some(master), keys.master, "one master key");
    running.stop().await.expect("orderly stop");

    // A restart with the saved session, and with the password at hand: nothing is set up again.
    let running = bot.start();
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    assert_eq!(saved_device(&bot), device, "the session was restored");
    assert_eq!(keys_seen_by(&alice, &bot.user_id, &device), keys, "the same keys");
    // The same without credentials.
    let running = bot.start_with(TestBot::options(), None);
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    assert_eq!(keys_seen_by(&alice, &bot.user_id, &device), keys, "still the same keys");

    // The session is revoked: the bot logs in again as a new device, whose store lost the private
    // keys; the keys it set up itself are replaced and the new device is signed.
    let token = saved_token(&bot);
    server
        .request("POST", "/_matrix/client/v3/logout", Some(&token), Some(&json!({})))
        .expect("logout");
    let running = bot.start();
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    let new_device = saved_device(&bot);
    assert_ne!(new_device, device, "a new device");
    let new_keys = keys_seen_by(&alice, &bot.user_id, &new_device);
    assert!(new_keys.device_signed, "the new device is signed: {new_keys:?}");
    assert!(
        new_keys.master.is_some() && new_keys.master != keys.master,
        "new keys: {new_keys:?} after {keys:?}"
    );
    let (cross_signed, _) = verified_by_matrix_sdk(server, &alice, &bot.user_id, &new_device).await;
    assert!(cross_signed, "matrix-sdk verifies the new device's cross-signature");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_another_client_set_up_are_left_alone() {
    let server = Synapse::shared();
    let (bot, alice, room) = room_with_bot(server, "xsother");
    let other = sdk_client(server, &bot.user_id, BOT_PASSWORD).await;
    other
        .encryption()
        .bootstrap_cross_signing_if_needed(None)
        .await
        .expect("the other client sets up cross-signing (first upload, no password asked)");
    let own_id = other.user_id().expect("user id").to_owned();
    let other_master = other
        .encryption()
        .request_user_identity(&own_id)
        .await
        .expect("keys query")
        .expect("identity")
        .master_key()
        .get_first_key()
        .expect("master key")
        .to_base64();

    let running = bot.start();
    alice.invite(&room, &bot.user_id);
    bot.joined(&alice, &room).await;
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    let keys = keys_seen_by(&alice, &bot.user_id, &saved_device(&bot));
    assert_eq!(keys.master, Some(other_master), "the other client's keys stay");
    assert!(
        !keys.device_signed,
        "the bot cannot sign its device with keys it does not hold"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_access_token_login_without_a_password_runs_and_answers() {
    let server = Synapse::shared();
    let (bot, alice, room) = room_with_bot(server, "xstoken");
    let token = server.login(&bot.user_id, BOT_PASSWORD).expect("token");
    let running = bot.start_with(TestBot::options(), Some(Credentials::AccessToken(token)));
    alice.invite(&room, &bot.user_id);
    bot.joined(&alice, &room).await;
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    // Synapse lets an account upload its first cross-signing keys without a password (MSC3967).
    let device = saved_device(&bot);
    let keys = keys_seen_by(&alice, &bot.user_id, &device);
    assert!(keys.device_signed, "first keys need no password: {keys:?}");

    // A new token, a new device: replacing the keys needs the password, which the bot does not
    // have. It says so, leaves the keys and answers all the same.
    std::fs::remove_file(session_path(&bot.state_dir)).expect("forget the session");
    let token = server.login(&bot.user_id, BOT_PASSWORD).expect("token");
    let running = bot.start_with(TestBot::options(), Some(Credentials::AccessToken(token)));
    sentinel(&bot, &alice, &room).await;
    running.stop().await.expect("orderly stop");
    let new_device = saved_device(&bot);
    assert_ne!(new_device, device, "a new device");
    let new_keys = keys_seen_by(&alice, &bot.user_id, &new_device);
    assert_eq!(
        new_keys.master, keys.master,
        "the keys were not replaced without a password"
    );
    assert!(!new_keys.device_signed, "{new_keys:?}");
}
