//! `relais run --config FILE` with a `[matrix]` section starts the Matrix bot (on a real Synapse),
//! stops cleanly on SIGTERM, and exits with the reason when the homeserver refuses the login.

#[path = "matrix_support/mod.rs"]
mod matrix_support;

use matrix_support::synapse::Synapse;
use matrix_support::*;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const PASSWORD_ENV: &str = "RELAIS_TEST_MATRIX_PASSWORD";

fn write_config(dir: &Path, server: &Synapse, bot: &str, room: &str, inviter: &str) -> std::path::PathBuf {
    let prompts = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts");
    let config = format!(
        "[organisation]\nname = \"Living Rivers\"\n\n[bot]\nprompts-dir = \"{prompts}\"\n\n[store]\npath = \"{store}\"\n\n\
         [[rooms]]\nplatform = \"matrix\"\nid = \"{room}\"\n\n[matrix]\nhomeserver = \"{hs}\"\nuser-id = \"{bot}\"\n\
         password-env = \"{PASSWORD_ENV}\"\nallowed-inviters = [\"{inviter}\"]\nstate-dir = \"{state}\"\n",
        store = dir.join("store").display(),
        hs = server.base_url(),
        state = dir.join("matrix").display(),
    );
    let path = dir.join("relais.toml");
    std::fs::write(&path, config).expect("write config");
    path
}

fn relais_run(config: &Path, password: &str, log: &Path) -> Child {
    let log_file = std::fs::File::create(log).expect("log file");
    Command::new(env!("CARGO_BIN_EXE_relais"))
        .args(["run", "--config"])
        .arg(config)
        .env(PASSWORD_ENV, password)
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .expect("start relais")
}

fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("relais did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relais_run_serves_the_configured_matrix_room_and_stops_on_sigterm() {
    let server = Synapse::shared();
    let carla = User::register(server, "cli_carla");
    let (bot_id, _) = server.register("cli_relais", BOT_PASSWORD, false);
    let room = carla.create_room(&[&bot_id]);
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), server, &bot_id, &room, &carla.id);
    let log = dir.path().join("relais.log");
    let mut child = relais_run(&config, BOT_PASSWORD, &log);

    eventually(Duration::from_secs(60), "the bot to join", || {
        (carla.membership(&room, &bot_id).as_deref() == Some("join")).then_some(())
    })
    .await;
    let help = carla.say(&room, "!help");
    answer(&carla, &room, &bot_id, &help).await;

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill -TERM");
    assert!(killed.success());
    let status = wait_exit(&mut child, Duration::from_secs(30));
    let logs = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(status.success(), "exit {status:?}\n{logs}");
    assert!(logs.contains("logged in to Matrix"), "{logs}");
    assert!(!logs.contains(BOT_PASSWORD), "the password never appears in the logs");
    assert!(dir.path().join("matrix/session.json").exists() && dir.path().join("store").exists());
}

#[test]
fn relais_run_with_a_wrong_password_exits_with_the_reason() {
    let server = Synapse::shared();
    let (bot_id, _) = server.register("cli_wrong_relais", BOT_PASSWORD, false);
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), server, &bot_id, "!nowhere:localhost", "@nobody:localhost");
    let log = dir.path().join("relais.log");
    let mut child = relais_run(&config, "not-the-password", &log);
    let status = wait_exit(&mut child, Duration::from_secs(60));
    let logs = std::fs::read_to_string(&log).unwrap_or_default();
    assert_eq!(status.code(), Some(2), "{logs}");
    assert!(logs.contains("refused the login"), "{logs}");
}

#[test]
fn claim_reactions_come_from_the_matrix_section_with_a_default() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = "[organisation]\nname = \"X\"\n\n[matrix]\nhomeserver = \"https://m.example.org\"\nuser-id = \"@r:example.org\"\npassword-env = \"P\"\n";
    let rows: [(&str, Vec<&str>); 2] = [
        ("", vec!["✅", "🔁", "👍"]),
        ("claim-reactions = [\"🎉\"]\n", vec!["🎉"]),
    ];
    for (extra, want) in rows {
        let path = dir.path().join("relais.toml");
        std::fs::write(&path, format!("{base}{extra}")).expect("write");
        let config = relais::config::load(&path).unwrap_or_else(|p| panic!("row {extra:?}: {p:?}"));
        assert_eq!(config.matrix.expect("[matrix]").claim_reactions, want, "row {extra:?}");
    }
}
