//! The `relais` binary end to end: a scripted demo session, `check-config`, and the store lock.

use std::process::{Command, Stdio};

#[path = "support/cli.rs"]
mod cli;

use cli::{relais, BIN, ROOT};

fn demo(store: &std::path::Path, script: &str) -> (String, String, bool) {
    let (stdout, stderr, code) = demo_at(store, "2026-11-23T09:00:00Z", script);
    (stdout, stderr, code == Some(0))
}

/// The demo on a fresh `store` at `now`, given `script`: its standard output, standard error and
/// exit code.
fn demo_at(store: &std::path::Path, now: &str, script: impl AsRef<[u8]>) -> (String, String, Option<i32>) {
    let store = store.to_string_lossy();
    let out = relais(&["demo", "--fresh", "--now", now, "--store", &store], script);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
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

#[test]
fn issue14_advance_overflow_in_the_demo_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let script = "/advance 100000000000d100000000000d\n/advance 400d\n/now\n";
    let (stdout, stderr, code) = demo_at(&dir.path().join("store"), "9999-12-01T00:00:00Z", script);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for expected in [
        "`100000000000d100000000000d` is too long: at most 400 days at a time",
        "(the clock reads 9999-12-01 00:00 UTC and cannot move past 9999-12-31 23:59 UTC)",
        "It is 9999-12-01 00:00 (UTC).",
    ] {
        assert!(stdout.contains(expected), "missing {expected:?} in:\n{stdout}");
    }
}

#[test]
fn issue14_now_out_of_range_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    for now in [
        "+262142-12-31T23:00:00Z",
        "1969-12-31T23:59:59Z",
        "10000-01-01T00:00:00Z",
    ] {
        let (_, stderr, code) = demo_at(&dir.path().join("store"), now, "/now\n");
        assert_eq!(code, Some(2), "{now}: {stderr}");
        assert!(
            stderr.contains("out of range: Relais works with instants from 1970-01-01 to 9999-12-31")
                || stderr.contains("is not a date and time"),
            "{now}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{now}: {stderr}");
        let out = relais(&["report", "--now", now, "--config", "bot-config/demo.toml"], "");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "report --now {now}: {stderr}");
        assert!(!stderr.contains("panicked"), "report --now {now}: {stderr}");
    }
    let (stdout, stderr, code) = demo_at(&dir.path().join("store"), "9999-12-31T23:59:59Z", "!today\n/now\n");
    assert_eq!(code, Some(0), "the last second is fine: {stderr}");
    assert!(stdout.contains("It is 9999-12-31 23:59 (UTC)."), "{stdout}");
}

#[test]
fn issue14_invalid_utf8_on_stdin_is_named_and_the_demo_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let script: &[u8] = b"/whoami\nhello \xff there\n!post add\ntitle: \xc3\x28\n\n/as alice\n/whoami\n";
    let (stdout, stderr, code) = demo_at(&dir.path().join("store"), "2026-11-23T09:00:00Z", script);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        stdout
            .matches("(that line is not valid UTF-8 text; it was ignored)")
            .count(),
        2,
        "{stdout}"
    );
    assert!(
        stdout.contains("You are alice in room team."),
        "the demo went on:\n{stdout}"
    );
}

/// Runs the demo (an empty script, `RUST_LOG=info` so that it logs "demo seeded") with standard
/// error going to `stderr` and `NO_COLOR` set to `no_color`, if any.
fn demo_logging_to(dir: &std::path::Path, stderr: Stdio, no_color: Option<&str>) -> std::process::ExitStatus {
    let mut command = Command::new(BIN);
    command
        .current_dir(ROOT)
        .args(["demo", "--fresh", "--now", "2026-11-23T09:00:00Z", "--store"])
        .arg(dir.join("store"))
        .env("RUST_LOG", "info")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr);
    if let Some(value) = no_color {
        command.env("NO_COLOR", value);
    }
    command.status().expect("relais runs")
}

/// What the demo logs on a terminal: its standard error is a pseudo-terminal read to the end.
fn demo_logs_on_a_terminal(dir: &std::path::Path, no_color: Option<&str>) -> String {
    use std::io::Read;
    use std::os::fd::FromRawFd;
    let (mut leader, mut follower) = (-1, -1);
    // SAFETY: openpty writes two new descriptors into the integers given; the null pointers ask
    // for no name and default terminal settings.
    let opened = unsafe {
        libc::openpty(
            &mut leader,
            &mut follower,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened by openpty and are owned by nobody else.
    let (mut leader, follower) = unsafe { (std::fs::File::from_raw_fd(leader), std::fs::File::from_raw_fd(follower)) };
    let status = demo_logging_to(dir, Stdio::from(follower), no_color);
    assert!(status.success(), "{status:?}");
    let mut logs = Vec::new();
    // Reading past what was written ends with EIO once no process holds the terminal.
    let _ = leader.read_to_end(&mut logs);
    String::from_utf8_lossy(&logs).into_owned()
}

#[test]
fn issue14_log_lines_are_coloured_only_on_a_terminal_and_without_no_color() {
    const ESCAPE: char = '\u{1b}';
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("relais.log");
    let status = demo_logging_to(dir.path(), Stdio::from(std::fs::File::create(&file).unwrap()), None);
    assert!(status.success());
    let logs = std::fs::read_to_string(&file).unwrap();
    assert!(logs.contains("demo seeded"), "{logs}");
    assert!(!logs.contains(ESCAPE), "no colour codes in a file: {logs:?}");

    let on_terminal = demo_logs_on_a_terminal(dir.path(), None);
    assert!(on_terminal.contains("demo seeded"), "{on_terminal:?}");
    assert!(on_terminal.contains(ESCAPE), "colours on a terminal: {on_terminal:?}");
    for no_color in ["1", "yes"] {
        let plain = demo_logs_on_a_terminal(dir.path(), Some(no_color));
        assert!(
            plain.contains("demo seeded") && !plain.contains(ESCAPE),
            "NO_COLOR={no_color}: {plain:?}"
        );
    }
    let empty = demo_logs_on_a_terminal(dir.path(), Some(""));
    assert!(empty.contains(ESCAPE), "an empty NO_COLOR is not set: {empty:?}");
}

/// Issue 17: WARN lines (a refused coordinator command) interleaved with the demo's transcript.
#[test]
fn r17_the_demo_transcript_has_no_log_lines_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let script = "/as alice\n!lang en\n!post list\n";
    let (out, err, ok) = demo(&dir.path().join("store"), script);
    assert!(ok, "{err}");
    assert!(out.contains("Only coordinators can use `post list`"), "{out}");
    assert!(!err.contains("WARN") && !out.contains("WARN"), "stderr: {err}");
}

/// Issue 17 §2: in a room it does not serve, the demo answers the first command once with how to
/// set it up; a coordinator's `!room here team` serves it at once, the scheduler included.
#[test]
fn r17_a_room_not_served_says_so_once_and_a_coordinator_sets_it_up_from_chat() {
    let dir = tempfile::tempdir().unwrap();
    let script = "/room lobby\n!help\n!me\n!room here team en 10:00\n/as alice\n!lang en\n/advance 4h\n";
    let (out, err, code) = demo_at(&dir.path().join("store"), "2026-11-23T06:00:00Z", script);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.matches("I don't serve this room yet").count(), 1, "{out}");
    for expected in [
        "Done: this room is now a team room: the daily push comes at 10:00",
        "I'll write to you in",
        "relais (in lobby)>",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
}

/// A folder in the NAB layout: `flat.csv` (20 per five minutes for four days, 400 at noon on the
/// third) labelled around that noon.
fn nab_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("timestamp,value\n");
    for i in 0..4 * 288 {
        let (day, minute) = (1 + i / 288, (i % 288) * 5);
        let value = if day == 3 && minute == 12 * 60 { 400 } else { 20 };
        csv.push_str(&format!(
            "2015-03-0{day} {:02}:{:02}:00,{value}\n",
            minute / 60,
            minute % 60
        ));
    }
    std::fs::write(dir.path().join("flat.csv"), csv).unwrap();
    let labels = r#"{"flat.csv": [["2015-03-03 06:00:00.000000", "2015-03-03 18:00:00.000000"]]}"#;
    std::fs::write(dir.path().join("labels.json"), labels).unwrap();
    dir
}

#[test]
fn trends_eval_prints_each_series_and_the_overall_line_and_writes_the_alerts() {
    let dir = nab_folder();
    let alerts = dir.path().join("alerts.csv");
    let folder = dir.path().to_string_lossy();
    let out = relais(&["trends", "eval", &folder, "--alerts", &alerts.to_string_lossy()], "");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with("flat.csv: windows 1/1, false alarms 0 (0.00/week), alerts 1"),
        "{stdout}"
    );
    assert_eq!(
        lines[1],
        "overall: windows 1/1, false alarms/week 0.00, median delay 0.0 h"
    );
    assert_eq!(
        std::fs::read_to_string(alerts).unwrap(),
        "series,timestamp\nflat.csv,2015-03-03 12:00:00\n"
    );
}

#[test]
fn trends_eval_names_the_file_and_line_of_bad_input() {
    let dir = nab_folder();
    std::fs::write(
        dir.path().join("flat.csv"),
        "timestamp,value\n2015-03-01 00:00:00,1\n2015-03-01 00:05:00,x\n",
    )
    .unwrap();
    let out = relais(&["trends", "eval", &dir.path().to_string_lossy()], "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("flat.csv:3: `x` is not a count"), "{stderr}");
    assert!(out.stdout.is_empty());
}
