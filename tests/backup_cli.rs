//! `relais backup` and `relais restore` end to end (issue 14 §3): a backup taken from a running
//! bot (through its control socket), a damaged store refused by `relais run` with the way to
//! restore, and the restored store holding the claim made before the backup.

#[path = "support/cli.rs"]
mod cli;

use cli::{relais, BIN, ROOT};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn config_for(dir: &std::path::Path) -> String {
    let config = dir.join("relais.toml");
    let text = format!(
        "[organisation]\nname = \"Test\"\n[bot]\nprompts-dir = \"{ROOT}/prompts\"\n[store]\npath = \"{}\"\n[[rooms]]\nplatform = \"console\"\nid = \"team\"\n",
        dir.join("store").display()
    );
    std::fs::write(&config, text).unwrap();
    config.to_string_lossy().into_owned()
}

#[test]
fn issue14_a_backup_of_the_running_bot_restores_a_damaged_store() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(dir.path());
    let mut bot = Command::new(BIN)
        .current_dir(ROOT)
        .args(["run", "--config", &config])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = bot.stdin.take().unwrap();
    stdin.write_all(b"!shared https://x.com/zoe/status/99\n").unwrap();
    let mut lines = BufReader::new(bot.stdout.take().unwrap()).lines();
    let answer = lines.by_ref().map(Result::unwrap).find(|l| l.starts_with("relais>"));
    assert!(answer.is_some(), "the bot answered the claim");
    let socket = dir.path().join("store").join("relais-control.sock");
    let started = Instant::now();
    while !socket.exists() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let backup = dir.path().join("backups").join("monday");
    let backup = backup.to_string_lossy();
    let out = relais(&["backup", "--config", &config, &backup], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    drop(stdin);
    assert!(bot.wait().unwrap().success());

    let db = dir.path().join("store").join("db");
    let bytes = std::fs::read(&db).unwrap();
    std::fs::write(&db, &bytes[..1024]).unwrap();
    let refused = relais(&["run", "--config", &config], "/now\n");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "a damaged store is not run on");
    assert!(
        stderr.contains("damaged") && stderr.contains("restore the last backup"),
        "{stderr}"
    );

    let restored = relais(&["restore", "--config", &config, &backup], "");
    let stdout = String::from_utf8_lossy(&restored.stdout);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert!(
        stdout.contains("before-restore"),
        "the damaged store is kept aside: {stdout}"
    );
    let again = relais(&["run", "--config", &config], "!shared https://x.com/zoe/status/99\n");
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(
        stdout.contains("already"),
        "the claim made before the backup is back: {stdout}"
    );
}
