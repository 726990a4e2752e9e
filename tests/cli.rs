//! The `relais` binary end to end: a scripted demo session, `check-config`, and the store lock.

use std::process::{Command, Stdio};

#[path = "support/cli.rs"]
mod cli;

use cli::{relais, BIN, ROOT};

fn demo(store: &std::path::Path, script: &str) -> (String, String, bool) {
    let store = store.to_string_lossy();
    let out = relais(
        &["demo", "--fresh", "--now", "2026-11-23T09:00:00Z", "--store", &store],
        script,
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

#[test]
fn a_scripted_demo_session_runs_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let script = "\
!help
/push
/as alice
!lang en
!today
!shared https://x.com/alice_demo/status/1859000000000000001?s=20 c1
!shared https://bsky.app/profile/alice.bsky.social/post/3lbdemo2x c1
!shared https://bsky.app/profile/did:plc:alicedemo/post/3lbdemo2x
!me
/as bob
!lang en
/react c1
!top
!sahred https://x.com/bob/status/2
/as carla
/room coord
!post add
title: Demo day
link: https://example.org/demo-day
text.en: Come to our demo day!
kind: hot

!post list
!report
/quit
";
    let (out, err, ok) = demo(&dir.path().join("store"), script);
    assert!(ok, "exit status; stderr: {err}\nstdout: {out}");
    let expect = [
        "Relais console",
        "!post add",                                           // help lists coordinator commands to carla
        "Living Rivers — à partager aujourd'hui (2026-11-23)", // the push, in the room's language
        "x.com/intent/tweet",                                  // alice's personal share kit
        "once per network",                                    // the demo data has c1 on X for alice
        "+15",                                                 // same-day reshare of c1 on Bluesky
        "already shared",                                      // the second spelling of the same post
        "relais reacts ✅",                                    // reaction claim
        "Leaderboard, week 2026-W48",                          // the board
        "Did you mean `!shared`?",                             // typo suggestion
        "as a draft",                                          // post add
        "Report, week 2026-W48",                               // coordinator report
    ];
    for e in expect {
        assert!(out.contains(e), "missing {e:?} in:\n{out}");
    }
    assert!(
        !out.contains("[") || !out.contains("[reshare."),
        "no missing prompt keys:\n{out}"
    );
    assert!(!err.contains("ERROR"), "no errors logged: {err}");
}

#[test]
fn the_demo_store_survives_a_restart_without_reseeding() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let (out, _, ok) = demo(&store, "/as zoe\n!lang en\n!shared https://x.com/zoe/status/99\n");
    assert!(ok && out.contains("+10"), "{out}");
    let store = store.to_string_lossy();
    let args = ["demo", "--now", "2026-11-23T10:00:00Z", "--store", &store];
    let out = relais(&args, "/as zoe\n!shared https://x.com/zoe/status/99\n");
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(out.contains("already shared"), "the claim was on disk: {out}");
}

#[test]
fn the_demo_runs_on_the_sqlite_store_and_keeps_its_data_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let demo_config = std::fs::read_to_string(format!("{ROOT}/bot-config/demo.toml")).unwrap();
    let config = dir.path().join("demo-sqlite.toml");
    std::fs::write(
        &config,
        demo_config.replace("[store]\n", "[store]\nbackend = \"sqlite\"\n"),
    )
    .unwrap();
    let (config, store) = (config.to_string_lossy(), dir.path().join("store"));
    let store = store.to_string_lossy();
    let run = |fresh: bool, now: &str, script: &str| {
        let mut args = vec!["demo", "--config", &config, "--now", now, "--store", &store];
        if fresh {
            args.push("--fresh");
        }
        let out = relais(&args, script);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let out = run(
        true,
        "2026-11-23T09:00:00Z",
        "/as zoe\n!lang en\n!shared https://x.com/zoe/status/99\n",
    );
    assert!(out.contains("+10"), "{out}");
    assert!(
        std::path::Path::new(&*store).join("relais.sqlite3").exists(),
        "the data is in an SQLite file"
    );
    let out = run(
        false,
        "2026-11-23T10:00:00Z",
        "/as zoe\n!shared https://x.com/zoe/status/99\n",
    );
    assert!(out.contains("already shared"), "the claim was on disk: {out}");
}

#[test]
fn a_second_process_on_the_same_store_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let mut first = Command::new(BIN)
        .current_dir(ROOT)
        .args(["demo", "--fresh", "--store"])
        .arg(&store)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the first process has opened the store (it prints its banner then).
    let mut stdout = first.stdout.take().unwrap();
    let mut banner = [0u8; 14];
    std::io::Read::read_exact(&mut stdout, &mut banner).unwrap();
    let second = Command::new(BIN)
        .current_dir(ROOT)
        .args(["demo", "--store"])
        .arg(&store)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    drop(first.stdin.take());
    first.wait().unwrap();
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("already in use by another Relais process"), "{err}");
}

#[test]
fn check_config_accepts_the_shipped_files_and_lists_every_problem_of_a_bad_one() {
    for file in ["bot-config/relais.example.toml", "bot-config/demo.toml"] {
        let out = Command::new(BIN)
            .current_dir(ROOT)
            .args(["check-config", file])
            .output()
            .unwrap();
        assert!(out.status.success(), "{file}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[organisation]\nname = \"X\"\ntime-zone = \"Mars/Base\"\n\n[bot]\nprefix = \"\"\ncolour = \"red\"\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .current_dir(ROOT)
        .arg("check-config")
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for line in ["bad.toml:3:", "bad.toml:6:", "bad.toml:7:"] {
        assert!(err.contains(line), "missing {line} in {err}");
    }
}

#[test]
fn the_demo_clock_advances_and_runs_what_is_scheduled() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store").to_string_lossy().into_owned();
    let script = "/as alice\n!nudges 23:00\n/advance 1d\n/advance 1d\n/advance soon\n";
    let out = relais(
        &["demo", "--fresh", "--now", "2026-11-23T06:00:00Z", "--store", &store],
        script,
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    for expected in [
        "23:00 tombe pendant les heures calmes (21:00-08:00)",
        "relais (in team)> ☀️ **Rivières Vivantes / Living Rivers — à partager aujourd'hui (2026-11-23)**",
        "à partager aujourd'hui (2026-11-24)",
        "classement de la semaine 2026-W47",
        "Report, week 2026-W47",
        "relais (DM to Bob García)> ¡Hola, Bob García!",
        "(the clock is now 2026-11-24 06:00 UTC;",
        "(the clock is now 2026-11-25 06:00 UTC;",
        "`soon` is not a duration",
    ] {
        assert!(stdout.contains(expected), "missing {expected:?} in:\n{stdout}");
    }
    assert_eq!(
        stdout.matches("classement de la semaine").count(),
        1,
        "the board once a week"
    );
    assert!(!stderr.contains("ERROR"), "{stderr}");
}

#[test]
fn run_starts_the_scheduler_beside_the_console_and_stops_at_the_end_of_input() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("relais.toml");
    let text = format!(
        "[organisation]\nname = \"Test\"\n[bot]\nprompts-dir = \"{ROOT}/prompts\"\n[store]\npath = \"{}\"\n[[rooms]]\nplatform = \"console\"\nid = \"team\"\n",
        dir.path().join("store").display()
    );
    std::fs::write(&config, text).unwrap();
    let config = config.to_string_lossy();
    let out = relais(&["run", "--config", &config], "!urgent off\n/now\n");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("Urgent messages muted") && stdout.contains("It is "),
        "{stdout}"
    );
}
