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
const PASSPHRASE_ENV: &str = "RELAIS_TEST_MATRIX_STORE_PASSPHRASE";

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
    relais_run_with(config, &[(PASSWORD_ENV, password)], log)
}

/// `relais run --config CONFIG` with the environment variables `env` (and no other secret or
/// `RUST_LOG`), its log in `log`, and a permissive umask (022, common on servers): the bot must
/// make its files private itself.
fn relais_run_with(config: &Path, env: &[(&str, &str)], log: &Path) -> Child {
    use std::os::unix::process::CommandExt;
    let log_file = std::fs::File::create(log).expect("log file");
    let mut command = Command::new(env!("CARGO_BIN_EXE_relais"));
    command
        .args(["run", "--config"])
        .arg(config)
        .env_remove("RUST_LOG")
        .env_remove(PASSWORD_ENV)
        .env_remove(PASSPHRASE_ENV)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file);
    // SAFETY: umask is async-signal-safe and only changes the child's own file mode mask.
    unsafe {
        command.pre_exec(|| {
            libc::umask(0o022);
            Ok(())
        });
    }
    command.spawn().expect("start relais")
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

/// A coordinator and a bot account (localparts `{prefix}_carla`, `{prefix}_relais`) on the shared
/// Synapse, a room where she invited the bot, and a configuration for the bot in a new folder.
struct Team {
    carla: User,
    bot_id: String,
    room: String,
    dir: tempfile::TempDir,
    config: std::path::PathBuf,
}

impl Team {
    fn new(prefix: &str) -> Team {
        let server = Synapse::shared();
        let carla = User::register(server, &format!("{prefix}_carla"));
        let (bot_id, _) = server.register(&format!("{prefix}_relais"), BOT_PASSWORD, false);
        let room = carla.create_room(&[&bot_id]);
        let dir = tempfile::tempdir().expect("tempdir");
        let config = write_config(dir.path(), server, &bot_id, &room, &carla.id);
        Team {
            carla,
            bot_id,
            room,
            dir,
            config,
        }
    }

    /// Waits until the bot is in the room, then until it answers a `!help`.
    async fn answering(&self) {
        eventually(Duration::from_secs(60), "the bot to join", || {
            (self.carla.membership(&self.room, &self.bot_id).as_deref() == Some("join")).then_some(())
        })
        .await;
        let help = self.carla.say(&self.room, "!help");
        answer(&self.carla, &self.room, &self.bot_id, &help).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relais_run_serves_the_configured_matrix_room_and_stops_on_sigterm() {
    let team = Team::new("cli");
    let (dir, config) = (&team.dir, &team.config);
    let log = dir.path().join("relais.log");
    let mut child = relais_run(config, BOT_PASSWORD, &log);

    team.answering().await;

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
    // Issue 17 §3: a healthy start logged matrix-sdk's 404s as errors and the backup warning on
    // every sync.
    let errors: Vec<&str> = logs.lines().filter(|l| l.contains(" ERROR ")).collect();
    assert!(
        errors.is_empty(),
        "no ERROR line on a healthy start:\n{}",
        errors.join("\n")
    );
    assert!(logs.matches("no backup key was found").count() <= 1, "{logs}");
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

/// Stops `child` with SIGTERM and checks that it exits cleanly; its log.
fn stop(child: &mut Child, log: &Path) -> String {
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill -TERM");
    assert!(killed.success());
    let status = wait_exit(child, Duration::from_secs(30));
    let logs = std::fs::read_to_string(log).unwrap_or_default();
    assert!(status.success(), "exit {status:?}\n{logs}");
    logs
}

/// Runs `relais run` expecting a refusal: exit code 2 within a minute. Its log.
fn refused(config: &Path, env: &[(&str, &str)], log: &Path) -> String {
    let mut child = relais_run_with(config, env, log);
    let status = wait_exit(&mut child, Duration::from_secs(60));
    let logs = std::fs::read_to_string(log).unwrap_or_default();
    assert_eq!(status.code(), Some(2), "{logs}");
    logs
}

/// Asserts that `dir` and every folder under it are 0700 and every file 0600, and that
/// matrix-sdk's crypto store (the Olm account's private keys) is among them.
fn assert_private(dir: &Path, when: &str) {
    use std::os::unix::fs::PermissionsExt;
    fn walk(path: &Path, found: &mut Vec<(std::path::PathBuf, bool, u32)>) {
        let metadata = std::fs::symlink_metadata(path).expect("metadata");
        found.push((
            path.to_path_buf(),
            metadata.is_dir(),
            metadata.permissions().mode() & 0o7777,
        ));
        if metadata.is_dir() {
            for entry in std::fs::read_dir(path).expect("read_dir") {
                walk(&entry.expect("entry").path(), found);
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, &mut found);
    let shown: Vec<String> = found
        .iter()
        .map(|(path, _, mode)| format!("{mode:04o} {}", path.display()))
        .collect();
    let shown = shown.join("\n");
    for (path, is_dir, mode) in &found {
        let want = if *is_dir { 0o700 } else { 0o600 };
        assert_eq!(*mode, want, "{when}: {}\n{shown}", path.display());
    }
    assert!(
        found
            .iter()
            .any(|(path, _, _)| path.ends_with("sdk/matrix-sdk-crypto.sqlite3")),
        "{when}: no crypto store\n{shown}"
    );
    assert!(found.len() > 8, "{when}: {shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue14_a_running_bot_keeps_its_state_folder_private_and_to_itself() {
    let team = Team::new("private");
    let (dir, config) = (&team.dir, &team.config);
    // A state folder left readable by others (as an earlier Relais made it) is tightened, and said so.
    let state = dir.path().join("matrix");
    std::fs::create_dir(&state).expect("mkdir");
    std::fs::write(state.join("relais.lock"), b"").expect("write");
    for (path, mode) in [(state.clone(), 0o755), (state.join("relais.lock"), 0o644)] {
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(mode)).expect("chmod");
    }
    let log = dir.path().join("relais.log");
    let mut first = relais_run(config, BOT_PASSWORD, &log);
    team.answering().await;
    assert_private(&state, "while the bot runs");
    let logs = std::fs::read_to_string(&log).expect("log");
    for said in ["made private: mode 0700 was 0755", "made private: mode 0600 was 0644"] {
        assert!(logs.contains(said), "missing {said:?} in:\n{logs}");
    }

    // A second Relais with its own store on the same state folder is refused, naming the folder.
    let text = std::fs::read_to_string(config).expect("config");
    let store = dir.path().join("store").display().to_string();
    let other_store = dir.path().join("other-store").display().to_string();
    let other = dir.path().join("other.toml");
    std::fs::write(
        &other,
        text.replace(&format!("\"{store}\""), &format!("\"{other_store}\"")),
    )
    .expect("write");
    let logs = refused(&other, &[(PASSWORD_ENV, BOT_PASSWORD)], &dir.path().join("other.log"));
    assert!(
        logs.contains(&format!(
            "the Matrix state folder {} is already in use by another Relais process",
            state.display()
        )),
        "{logs}"
    );
    assert!(
        Path::new(&other_store).exists(),
        "the second one had opened its own store"
    );

    team.answering().await;
    stop(&mut first, &log);
    assert_private(&state, "after the bot stopped");
}

/// Whether matrix-sdk's crypto store in `state` holds a store key (is encrypted).
fn crypto_store_is_encrypted(state: &Path) -> bool {
    let path = state.join("sdk/matrix-sdk-crypto.sqlite3");
    let connection = rusqlite::Connection::open(&path).expect("crypto store");
    connection
        .query_row("SELECT EXISTS (SELECT 1 FROM kv WHERE key = 'cipher')", [], |row| {
            row.get(0)
        })
        .expect("kv")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue14_the_matrix_stores_open_only_with_their_passphrase() {
    let team = Team::new("passphrase");
    let (dir, plain) = (&team.dir, &team.config);
    let (carla, room, bot_id) = (&team.carla, &team.room, &team.bot_id);
    let text = std::fs::read_to_string(plain).expect("config");
    let encrypted = dir.path().join("encrypted.toml");
    std::fs::write(
        &encrypted,
        format!("{text}store-passphrase-env = \"{PASSPHRASE_ENV}\"\n"),
    )
    .expect("write");
    let state = dir.path().join("matrix");
    let log = dir.path().join("relais.log");
    let right = [(PASSWORD_ENV, BOT_PASSWORD), (PASSPHRASE_ENV, "correct horse battery")];

    let mut bot = relais_run_with(&encrypted, &right, &log);
    team.answering().await;
    stop(&mut bot, &log);
    assert!(crypto_store_is_encrypted(&state), "the crypto store has a store key");

    let refusal = |config: &Path, env: &[(&str, &str)], name: &str| refused(config, env, &dir.path().join(name));
    let unset = refusal(&encrypted, &[(PASSWORD_ENV, BOT_PASSWORD)], "unset.log");
    assert!(
        unset.contains(&format!(
            "names the environment variable {PASSPHRASE_ENV}, which is not set"
        )),
        "{unset}"
    );
    let wrong = [(PASSWORD_ENV, BOT_PASSWORD), (PASSPHRASE_ENV, "wrong")];
    let wrong = refusal(&encrypted, &wrong, "wrong.log");
    let sdk = state.join("sdk").display().to_string();
    assert!(
        wrong.contains(&format!(
            "the passphrase does not open matrix-sdk's stores in {sdk} (wrong passphrase?)"
        )),
        "{wrong}"
    );
    let missing = refusal(plain, &[(PASSWORD_ENV, BOT_PASSWORD)], "missing.log");
    assert!(
        missing.contains(&format!(
            "stores in {sdk} are encrypted with a passphrase and none is given"
        )),
        "{missing}"
    );
    assert!(
        ![&unset, &wrong, &missing]
            .iter()
            .any(|logs| logs.contains("correct horse")),
        "the passphrase is never logged"
    );

    // Reopened with its passphrase after the refusals: the same device, still answering.
    let mut bot = relais_run_with(&encrypted, &right, &log);
    team.answering().await;
    let logs = stop(&mut bot, &log);
    assert!(logs.contains("restored the saved Matrix session"), "{logs}");

    // Stores made without a passphrase are refused with one, saying what to do.
    let other = |name: &str, text: &str| {
        let text = text.replace(
            &format!("{}\"", state.display()),
            &format!("{}-plain\"", state.display()),
        );
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path
    };
    let plain_other = other("plain-other.toml", &text);
    let encrypted_other = other(
        "encrypted-other.toml",
        &std::fs::read_to_string(&encrypted).expect("config"),
    );
    let plain_log = dir.path().join("plain.log");
    let mut bot = relais_run_with(&plain_other, &[(PASSWORD_ENV, BOT_PASSWORD)], &plain_log);
    eventually(Duration::from_secs(60), "the unencrypted bot to log in", || {
        let logs = std::fs::read_to_string(&plain_log).unwrap_or_default();
        logs.contains("logged in to Matrix").then_some(())
    })
    .await;
    let help = carla.say(room, "!help");
    eventually(Duration::from_secs(60), "an answer from the unencrypted bot", || {
        (answers_to(&carla.events(room), bot_id, &help).len() == 1).then_some(())
    })
    .await;
    stop(&mut bot, &plain_log);
    let plain_state = dir.path().join("matrix-plain");
    assert!(!crypto_store_is_encrypted(&plain_state));
    let not_encrypted = refusal(&encrypted_other, &right, "not-encrypted.log");
    assert!(
        not_encrypted.contains(&format!(
            "matrix-sdk's stores in {} are not encrypted, but `matrix.store-passphrase-env` gives a passphrase",
            plain_state.join("sdk").display()
        )),
        "{not_encrypted}"
    );
    assert!(
        !crypto_store_is_encrypted(&plain_state),
        "the refusal added no store key"
    );
}
