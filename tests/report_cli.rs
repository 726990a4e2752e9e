//! `[[campaigns]]` in the configuration (read, checked, warned about) and `relais report` run as a
//! binary on a store seeded by `relais demo`.

use chrono::NaiveDate;
use relais::app::CampaignGoal;
use relais::config::{check_str, load, ConfigProblem};
use std::path::Path;

#[path = "support/cli.rs"]
mod cli;

use cli::{relais, ROOT};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn lines(problems: &[ConfigProblem]) -> String {
    problems.iter().map(|p| format!("  {p}\n")).collect()
}

#[test]
fn the_shipped_files_set_campaign_goals_for_the_demo_items() {
    let demo = load(&Path::new(ROOT).join("bot-config/demo.toml")).unwrap_or_else(|p| panic!("{}", lines(&p)));
    let goals = demo.settings().campaigns;
    let names: Vec<&str> = goals.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["Clean banks", "Loire water plan"]);
    let items = demo.demo.map(|d| d.items).unwrap_or_default();
    for name in names {
        assert!(
            items.iter().any(|i| i.campaign.as_deref() == Some(name)),
            "a demo item is in {name}"
        );
    }
    assert!(goals.iter().all(|g| g.start <= g.goal_date && g.goal_reshares > 0));
    let example =
        load(&Path::new(ROOT).join("bot-config/relais.example.toml")).unwrap_or_else(|p| panic!("{}", lines(&p)));
    let expected = CampaignGoal {
        name: "Clean banks".into(),
        start: date(2026, 11, 1),
        goal_reshares: 200,
        goal_date: date(2026, 12, 31),
    };
    assert_eq!(example.settings().campaigns, [expected]);
}

const ORG: &str = "[organisation]\nname = \"X\"\n";

/// (campaigns as written after `[organisation]`, line, column, part of the message)
const BAD_CAMPAIGNS: &[(&str, usize, usize, &str)] = &[
    ("[[campaigns]]\nname = \"Rivers\"\nstart = 2026-11-10\ngoal-reshares = 50\ngoal-date = 2026-11-01\n", 7, 13, "campaign `Rivers`: the goal date 2026-11-01 is before its start 2026-11-10"),
    ("[[campaigns]]\nname = \"Rivers\"\nstart = \"10/11/2026\"\ngoal-reshares = 50\ngoal-date = 2026-11-30\n", 5, 9, "`10/11/2026` is not a date: write it as YYYY-MM-DD"),
    ("[[campaigns]]\nname = \"Rivers\"\nstart = 2026-11-01\ngoal-reshares = 50\ngoal-date = 2026-11-30T18:00:00\n", 7, 13, "write only the day, as YYYY-MM-DD"),
    ("[[campaigns]]\nname = \"Rivers\"\nstart = 2026-11-01\ngoal-reshares = 0\ngoal-date = 2026-11-30\n", 6, 17, "`campaigns.goal-reshares`: 0 is out of range"),
    ("[[campaigns]]\nname = \"Rivers\"\ngoal-reshares = 5\ngoal-date = 2026-11-30\n", 3, 1, "missing required key `start` in [[campaigns]]"),
    ("[[campaigns]]\nname = \"\"\nstart = 2026-11-01\ngoal-reshares = 5\ngoal-date = 2026-11-30\n", 4, 8, "must not be empty"),
    ("[[campaigns]]\nname = \"Rivers\"\nstart = 2026-11-01\ngoal-reshares = 5\ngoal-date = 2026-11-30\ngoal = 3\n", 8, 1, "unknown key `goal` in [[campaigns]]"),
    ("[[campaigns]]\nname = \"Rivers\"\nstart = 2026-11-01\ngoal-reshares = 5\ngoal-date = 2026-11-30\n[[campaigns]]\nname = \"RIVERS\"\nstart = 2026-11-01\ngoal-reshares = 5\ngoal-date = 2026-11-30\n", 9, 8, "campaign `RIVERS` is listed twice"),
];

#[test]
fn each_bad_campaign_gives_one_clear_problem_at_its_place() {
    let mut failures = Vec::new();
    for (row, (campaigns, line, column, message)) in BAD_CAMPAIGNS.iter().enumerate() {
        let text = format!("{ORG}{campaigns}");
        let problems = match check_str(&text, "test.toml") {
            Ok(config) => {
                failures.push(format!("row {row}: accepted {:?}", config.campaigns));
                continue;
            }
            Err(problems) => problems,
        };
        let fits = |p: &ConfigProblem| (p.line, p.column) == (*line, *column) && p.message.contains(message);
        if problems.len() != 1 || !problems.iter().all(fits) {
            failures.push(format!(
                "row {row}: expected {line}:{column}: {message}\n{}",
                lines(&problems)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dates_may_be_quoted_and_past_goal_dates_are_a_warning() {
    let text = format!(
        "{ORG}[[campaigns]]\nname = \"Old\"\nstart = \"2025-01-01\"\ngoal-reshares = 5\ngoal-date = 2025-03-31\n\
         [[campaigns]]\nname = \"Now\"\nstart = 2026-11-01\ngoal-reshares = 5\ngoal-date = 2026-11-30\n"
    );
    let config = check_str(&text, "test.toml").unwrap_or_else(|p| panic!("{}", lines(&p)));
    assert_eq!(config.campaigns.first().map(|c| c.start), Some(date(2025, 1, 1)));
    // (today, campaigns warned about)
    let rows: [(NaiveDate, &[&str]); 3] = [
        (date(2025, 3, 31), &[]),
        (date(2026, 11, 30), &["Old"]),
        (date(2026, 12, 1), &["Old", "Now"]),
    ];
    for (today, warned) in rows {
        let warnings = config.warnings(today);
        assert_eq!(warnings.len(), warned.len(), "{today}: {warnings:?}");
        for (warning, name) in warnings.iter().zip(warned) {
            assert!(
                warning.contains(&format!("campaign `{name}`")) && warning.contains("has passed"),
                "{warning}"
            );
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A demo store (seeded on Monday 23 November 2026) with two more reshares by Alice and Bob.
fn seeded_store(dir: &Path) -> String {
    let store = dir.join("store").display().to_string();
    let script = "/as alice\n!shared https://x.com/alice/status/77 c3\n/as bob\n!shared https://www.linkedin.com/posts/bob_x-activity-9 c1\n";
    let out = relais(
        &["demo", "--fresh", "--now", "2026-11-23T09:00:00Z", "--store", &store],
        script,
    );
    assert!(out.status.success(), "demo: {}", text(&out.stderr));
    store
}

#[test]
fn relais_report_prints_the_week_and_writes_the_csv_and_the_chart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = seeded_store(dir.path());
    let (csv, png) = (dir.path().join("w48.csv"), dir.path().join("w48.png"));
    let (csv_arg, png_arg) = (csv.display().to_string(), png.display().to_string());
    let args = [
        "report",
        "--config",
        "bot-config/demo.toml",
        "--store",
        &store,
        "--week",
        "2026-W48",
    ];
    let out = relais(
        &[
            &args[..],
            &["--now", "2026-11-23T12:00:00Z", "--csv", &csv_arg, "--png", &png_arg],
        ]
        .concat(),
        "",
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    for part in [
        "**Bilan, semaine 2026-W48** (du 2026-11-23 au 2026-11-29)",
        "Partages : 4",
        "Par campagne : Clean banks 2, Loire water plan 1",
        "**Objectifs des campagnes**",
        "- Loire water plan : 2 sur 15 partages d'ici le 2026-11-27",
    ] {
        assert!(stdout.contains(part), "missing {part:?} in:\n{stdout}");
    }
    let csv_text = std::fs::read_to_string(&csv).expect("the CSV is written");
    assert_eq!(csv_text.lines().count(), 5, "a header and four reshares:\n{csv_text}");
    assert!(
        csv_text.contains("Bob García,LinkedIn,c1,Garonne clean-up this Saturday,Clean banks,action"),
        "{csv_text}"
    );
    let png_bytes = std::fs::read(&png).expect("the chart is written");
    assert!(png_bytes.starts_with(b"\x89PNG\r\n\x1a\n") && png_bytes.len() > 5000);
    assert!(stderr.contains("wrote") && stderr.contains("w48.png"), "{stderr}");
}

#[test]
fn relais_report_refuses_a_bad_week_a_future_week_and_a_missing_store_with_exit_code_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = seeded_store(dir.path());
    let missing = dir.path().join("nothing-here").display().to_string();
    let base = [
        "report",
        "--config",
        "bot-config/demo.toml",
        "--now",
        "2026-11-23T12:00:00Z",
    ];
    // (more arguments, part of the message on standard error)
    let rows: [(&[&str], &str); 4] = [
        (
            &["--store", &store, "--week", "2026-47"],
            "`2026-47` is not a week (write it like 2026-W47)",
        ),
        (&["--store", &store, "--week", "2026-W54"], "`2026-W54` is not a week"),
        (
            &["--store", &store, "--week", "2026-W49"],
            "La semaine 2026-W49 n'a pas encore eu lieu (nous sommes en 2026-W48).",
        ),
        (&["--store", &missing, "--week", "2026-W47"], "there is no store at"),
    ];
    for (more, message) in rows {
        let out = relais(&[&base[..], more].concat(), "");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{more:?}: {stderr}");
        assert!(stderr.contains(message), "{more:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{more:?}: no report printed");
    }
    assert!(!Path::new(&missing).exists(), "no empty store is created");
}

#[test]
fn check_config_warns_about_a_past_goal_date_and_refuses_one_before_the_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("relais.toml");
    let campaign = |start: &str, end: &str| {
        format!("{ORG}[[campaigns]]\nname = \"Rivers\"\nstart = {start}\ngoal-reshares = 5\ngoal-date = {end}\n")
    };
    std::fs::write(&file, campaign("2020-01-01", "2020-02-01")).expect("written");
    let out = relais(&["check-config", &file.display().to_string()], "");
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: campaign `Rivers`: its goal date 2020-02-01 has passed"),
        "{stderr}"
    );
    std::fs::write(&file, campaign("2020-02-01", "2020-01-01")).expect("written");
    let out = relais(&["check-config", &file.display().to_string()], "");
    let stderr = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("relais.toml:7:13: campaign `Rivers`: the goal date 2020-01-01 is before its start 2020-02-01"),
        "{stderr}"
    );
}

/// Issue 17: `relais report … | true` panicked on the closed pipe (exit code 101).
#[test]
fn r17_report_into_a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = seeded_store(dir.path());
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let out = std::process::Command::new(cli::BIN)
        .current_dir(cli::ROOT)
        .args(["report", "--config", "bot-config/demo.toml", "--store", &store])
        .args(["--week", "2026-W48", "--now", "2026-11-23T12:00:00Z"])
        .stdout(writer)
        .output()
        .expect("relais runs");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Issue 17: run from another folder, `check-config` on a valid file said only "prompts: cannot
/// read the prompts folder", with no summary and no hint about relative paths.
#[test]
fn r17_check_config_from_another_folder_explains_the_relative_prompts_dir() {
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let file = std::path::Path::new(cli::ROOT).join("bot-config/demo.toml");
    let out = std::process::Command::new(cli::BIN)
        .current_dir(elsewhere.path())
        .arg("check-config")
        .arg(&file)
        .output()
        .expect("relais runs");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for part in [
        "cannot read the prompts folder",
        "hint: `bot.prompts-dir` is `prompts`, a path relative to the current folder",
        "or set `bot.prompts-dir` to an absolute path",
        "demo.toml: 1 problem(s)",
    ] {
        assert!(stderr.contains(part), "missing {part:?} in:\n{stderr}");
    }
    let at_root = relais(&["check-config", "bot-config/demo.toml"], "");
    assert!(at_root.status.success() && !text(&at_root.stderr).contains("hint:"));
}

/// One `cargo run --release [--no-default-features] -- …` line of the README: its arguments and
/// its standard input (the `printf '…' |` before it, if any).
fn readme_command(line: &str) -> Option<(Vec<String>, String)> {
    let (before, args) = [
        "cargo run --release --no-default-features -- ",
        "cargo run --release -- ",
    ]
    .into_iter()
    .find_map(|command| line.split_once(command))?;
    let stdin = before
        .trim()
        .strip_prefix("printf '")
        .and_then(|rest| rest.strip_suffix("' |"))
        .map(|script| script.replace("\\n", "\n"))
        .unwrap_or_default();
    let args = args.trim_end_matches("< /dev/null").split_whitespace();
    Some((args.map(str::to_string).collect(), stdin))
}

/// Issue 17: the README's examples showed an empty week on any day but the one they were written
/// on, and wrote `week.csv` and `week.png` into the checkout. Runs every `cargo run` line of the
/// README in order (on a store in a temporary folder instead of `demo-data/`).
#[test]
fn r17_the_readme_examples_give_a_full_report_on_any_day_and_write_only_under_demo_data() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README");
    let dir = tempfile::tempdir().expect("temp dir");
    let tmp = dir.path().display().to_string();
    let store = format!("{tmp}/store");
    let commands: Vec<_> = readme.lines().filter_map(readme_command).collect();
    assert!(commands.len() >= 3, "the README's run, demo and report examples");
    let mut report = None;
    for (mut args, stdin) in commands {
        for arg in args.iter_mut().filter(|a| a.ends_with(".csv") || a.ends_with(".png")) {
            assert!(arg.starts_with("demo-data/"), "{arg}: written outside demo-data/");
            *arg = arg.replace("demo-data/", &format!("{tmp}/"));
        }
        args.extend(["--store".to_string(), store.clone()]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = relais(&refs, stdin);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert!(!out.stdout.is_empty(), "{args:?}: prints something");
        if args[0] == "report" {
            report = Some(text(&out.stdout));
        }
    }
    let report = report.expect("the README has a report example");
    let count = report.split_once("Partages : ").and_then(|(_, rest)| {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u32>().ok()
    });
    assert!(count.is_some_and(|n| n > 0), "reshares in the week:\n{report}");
    assert!(
        report.contains("Loire water plan") && !report.contains("manqué"),
        "{report}"
    );
    let csv = std::fs::read_to_string(dir.path().join("week.csv")).expect("week.csv");
    assert!(csv.lines().count() > 1, "{csv}");
    assert!(std::fs::read(dir.path().join("week.png"))
        .expect("week.png")
        .starts_with(b"\x89PNG"));
}
