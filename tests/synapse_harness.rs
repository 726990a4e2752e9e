//! The Synapse test harness itself: a real homeserver starts, answers, registers users, logs them in, and comes back
//! on the same port with the same data after a stop.

#[path = "support/synapse.rs"]
mod synapse;

use synapse::{http_request, Synapse, SYNAPSE_VERSION};

#[test]
fn the_shared_server_lists_client_versions() {
    let server = Synapse::shared();
    let answer = server
        .request("GET", "/_matrix/client/versions", None, None)
        .expect("GET /versions");
    assert_eq!(answer.status, 200, "{answer:?}");
    let versions = answer.json()["versions"].as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = versions.iter().filter_map(|v| v.as_str()).collect();
    assert!(names.contains(&"v1.1"), "versions: {names:?}");
    assert_eq!(server.server_name(), "localhost");
    assert_eq!(server.base_url(), format!("http://127.0.0.1:{}", server.port()));
}

#[test]
fn registered_users_log_in_with_their_password_only() {
    let server = Synapse::shared();
    let (alice_id, alice_token) = server.register("harness_alice", "alice-secret", false);
    let (carla_id, _) = server.register("harness_carla", "carla-secret", true);
    assert_eq!(alice_id, "@harness_alice:localhost");
    assert_eq!(carla_id, server.user_id("harness_carla"));

    let whoami = server
        .request("GET", "/_matrix/client/v3/account/whoami", Some(&alice_token), None)
        .expect("whoami");
    assert_eq!(whoami.json()["user_id"].as_str(), Some(alice_id.as_str()), "{whoami:?}");

    let rows = [
        ("harness_alice", "alice-secret", true),
        ("harness_alice", "wrong", false),
        ("harness_carla", "carla-secret", true),
        ("harness_carla", "alice-secret", false),
        ("nobody", "alice-secret", false),
    ];
    for (user, password, accepted) in rows {
        let login = server.login(user, password);
        assert_eq!(
            login.is_ok(),
            accepted,
            "row {:?}: {login:?}",
            (user, password, accepted)
        );
        if let Err(refusal) = login {
            assert_eq!(refusal.status, 403, "row {:?}: {refusal:?}", (user, password));
        }
    }
}

#[test]
fn only_the_admin_account_reaches_the_admin_api() {
    let server = Synapse::shared();
    let (_, admin_token) = server.register("harness_admin", "admin-secret", true);
    let (_, user_token) = server.register("harness_user", "user-secret", false);
    let version = server
        .request("GET", "/_synapse/admin/v1/server_version", None, None)
        .expect("server_version");
    assert_eq!(
        version.json()["server_version"].as_str(),
        Some(SYNAPSE_VERSION),
        "{version:?}"
    );
    let path = "/_synapse/admin/v2/users/@harness_user:localhost";
    for (token, expected_status) in [(&admin_token, 200), (&user_token, 403)] {
        let answer = server.request("GET", path, Some(token), None).expect("GET admin user");
        assert_eq!(answer.status, expected_status, "{answer:?}");
    }
}

#[test]
fn a_stopped_server_comes_back_on_the_same_port_with_its_accounts() {
    let server = Synapse::start();
    let port = server.port();
    let (user_id, _) = server.register("bob", "bob-secret", false);
    server.login("bob", "bob-secret").expect("bob logs in before the stop");

    server.stop();
    assert!(!server.is_running());
    let refused = http_request(port, "GET", "/_matrix/client/versions", None, None);
    assert!(refused.is_err(), "a stopped server still answers: {refused:?}");

    server.start_again();
    assert!(server.is_running());
    assert_eq!(server.port(), port);
    let token = server
        .login("bob", "bob-secret")
        .expect("bob logs in after the restart");
    let whoami = server
        .request("GET", "/_matrix/client/v3/account/whoami", Some(&token), None)
        .expect("whoami");
    assert_eq!(whoami.json()["user_id"].as_str(), Some(user_id.as_str()), "{whoami:?}");
    assert!(
        server.log_tail().contains("homeserver.log"),
        "log tail: {}",
        server.log_tail()
    );
}

#[test]
fn a_dropped_server_stops_and_frees_its_port() {
    let server = Synapse::start();
    let port = server.port();
    let data_dir = server.data_dir().to_path_buf();
    assert!(
        data_dir.join("homeserver.db").exists(),
        "no database in {}",
        data_dir.display()
    );
    drop(server);
    let answer = http_request(port, "GET", "/_matrix/client/versions", None, None);
    assert!(answer.is_err(), "the dropped server still answers: {answer:?}");
    assert!(!data_dir.exists(), "{} was not removed", data_dir.display());
}
