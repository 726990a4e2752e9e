//! The configuration checker end to end: shipped files, one problem per bad snippet with its
//! position, many problems at once, secrets, and the conversion into the core's settings.

use chrono::{NaiveTime, Weekday};
use relais::app::{RoomSettings, ScheduleSettings, Settings};
use relais::config::{check_str, load, Config, ConfigProblem, DemoKind, LogFormat, StoreBackend};
use relais::domain::schedule::{QuietHours, WeeklyTime};
use relais::domain::scoring::PointsRules;
use relais::domain::{Identity, ItemStatus, Lang, Platform, RoomRef};
use std::path::{Path, PathBuf};

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("bot-config").join(name)
}

fn loaded(name: &str) -> Config {
    match load(&shipped(name)) {
        Ok(config) => config,
        Err(problems) => panic!("{name} has problems:\n{}", lines(&problems)),
    }
}

fn lines(problems: &[ConfigProblem]) -> String {
    problems.iter().map(|p| format!("  {p}\n")).collect()
}

fn problems_of(text: &str) -> Vec<ConfigProblem> {
    match check_str(text, "test.toml") {
        Ok(config) => panic!("accepted:\n{text}\n{config:?}"),
        Err(problems) => problems,
    }
}

fn time(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
}

#[test]
fn the_example_file_loads_with_every_section() {
    let config = loaded("relais.example.toml");
    assert_eq!(config.organisation.name, "Rivers Alliance");
    assert_eq!(config.coordinators.len(), 3);
    assert_eq!(config.rooms.len(), 2);
    let matrix = config.matrix.as_ref().expect("[matrix]");
    assert_eq!(matrix.password_env.as_deref(), Some("RELAIS_MATRIX_PASSWORD"));
    assert_eq!(matrix.allowed_inviters, ["@carla:example.org", ":example.org"]);
    assert_eq!(
        config.discord.as_ref().map(|d| d.token_env.as_str()),
        Some("RELAIS_DISCORD_TOKEN")
    );
    assert_eq!(
        config.env_names(),
        [
            "RELAIS_MATRIX_PASSWORD",
            "RELAIS_MATRIX_TOKEN",
            "RELAIS_MATRIX_STORE_PASSPHRASE",
            "RELAIS_DISCORD_TOKEN"
        ]
    );
    assert!(config.demo.is_none());
}

#[test]
fn the_demo_file_loads_with_its_seed_data() {
    let config = loaded("demo.toml");
    let settings = config.settings();
    assert_eq!(settings.org_tz, chrono_tz::Europe::Paris);
    assert_eq!(settings.default_lang, Lang::Fr);
    assert_eq!(settings.coordinators, [Identity::new(Platform::Console, "carla")]);
    let team = settings
        .room(&RoomRef::new(Platform::Console, "team"))
        .expect("team room");
    assert_eq!(
        (team.lang, team.push_time, team.coordinators_room),
        (Lang::Fr, time(9, 0), false)
    );
    let coord = settings
        .room(&RoomRef::new(Platform::Console, "coord"))
        .expect("coord room");
    assert_eq!((coord.lang, coord.coordinators_room), (Lang::En, true));
    assert_eq!(config.store.path, Path::new("demo-data"));
    assert!(config.matrix.is_none() && config.discord.is_none());

    let demo = config.demo.expect("[demo]");
    let people: Vec<(&str, Option<Lang>)> = demo.ambassadors.iter().map(|a| (a.name.as_str(), a.language)).collect();
    let langs = [
        ("carla", Lang::En),
        ("alice", Lang::Fr),
        ("bob", Lang::Es),
        ("joana", Lang::PtPt),
        ("jordi", Lang::Ca),
    ];
    assert_eq!(people, langs.map(|(n, l)| (n, Some(l))));
    assert!((4..=5).contains(&demo.items.len()));
    assert!(
        demo.items.iter().all(|item| item.texts.len() == Lang::ALL.len()),
        "every item in every language"
    );
    assert_eq!(
        demo.items
            .iter()
            .filter(|item| item.status == ItemStatus::Draft)
            .count(),
        1
    );
    assert!(demo.items.iter().any(|item| item.kind == DemoKind::Hot));
    assert!(demo.items.iter().any(|item| item.kind == DemoKind::Evergreen));
    assert!(demo
        .items
        .iter()
        .any(|item| item.captions.iter().any(|c| c.lang.is_some())));
    assert!(demo.reshares.len() >= 3);
}

/// The checker assembles sections one by one; serde reading the whole file must agree.
#[test]
fn the_checker_and_plain_serde_read_the_same_config() {
    for name in ["relais.example.toml", "demo.toml"] {
        let text = std::fs::read_to_string(shipped(name)).unwrap();
        let by_serde: Config = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(by_serde, loaded(name), "{name}");
    }
}

const ORG: &str = "[organisation]\nname = \"X\"\n";

/// (text, line, column, part of the message): each text has exactly this one problem.
const BAD_SNIPPETS: &[(&str, usize, usize, &str)] = &[
    ("[organisation]\nname = \"X\"\ntimezone = \"UTC\"\n", 3, 1, "unknown key `timezone` in [organisation]; did you mean `time-zone`?"),
    ("[organisation]\nname = \"X\"\ntime-zone = \"Europe/Pariss\"\n", 3, 13, "unknown time zone `Europe/Pariss`; did you mean `Europe/Paris`?"),
    ("[organisation]\nname = \"X\"\ndefault-language = \"de\"\n", 3, 20, "`de` is not a supported language"),
    ("[organisation]\ntime-zone = \"UTC\"\n", 1, 1, "missing required key `name` in [organisation]"),
    ("[bot]\nprefix = \"!\"\n", 1, 1, "missing required section [organisation]"),
    ("[organisation]\nname = 42\n", 2, 8, "`organisation.name`: invalid type: integer `42`, expected a string"),
    ("[organisation]\nname = \"\"\n", 2, 8, "must not be empty"),
    ("[organisaton]\nname = \"X\"\n", 1, 2, "unknown section or key `organisaton`; did you mean `organisation`?"),
    ("[organisation\nname = \"X\"\n", 1, 14, "TOML syntax error"),
    ("[organisation]\nname = \"X\"\nname = \"Y\"\n", 3, 1, "TOML syntax error: duplicate key"),
    ("[organisation]\nname = \"X\"\n[bot]\nprefix = \"\"\n", 4, 10, "is not a usable prefix"),
    ("[organisation]\nname = \"X\"\n[bot]\nprefix = \"!!!!!!!!!\"\n", 4, 10, "1 to 8 characters without spaces"),
    ("[organisation]\nname = \"X\"\n[bot]\nprefix = \"r b\"\n", 4, 10, "is not a usable prefix"),
    ("[organisation]\nname = \"X\"\n[bot]\nprefix = \"*\"\n", 4, 10, "Markdown reads some of its characters"),
    ("[organisation]\nname = \"X\"\n[bot]\nprefix = \"`r\"\n", 4, 10, "Markdown reads some of its characters"),
    ("[organisation]\nname = \"X\"\n[bot]\nmax-message-chars = 99\n", 4, 21, "99 is out of range: use a whole number from 100 to 20000"),
    ("[organisation]\nname = \"X\"\n[bot]\nmax-message-chars = 20001\n", 4, 21, "from 100 to 20000"),
    ("[organisation]\nname = \"X\"\n[bot]\nleaderboard-size = 0\n", 4, 20, "from 1 to 50"),
    ("[organisation]\nname = \"X\"\n[bot]\nleaderboard-size = 51\n", 4, 20, "from 1 to 50"),
    ("[organisation]\nname = \"X\"\n[bot]\nleaderboard-size = \"ten\"\n", 4, 20, "expected a whole number from 1 to 50"),
    ("[organisation]\nname = \"X\"\n[bot]\nlog-format = \"xml\"\n", 4, 14, "unknown variant `xml`, expected `text` or `json`"),
    ("[organisation]\nname = \"X\"\n[store]\ncache-mb = 0\n", 4, 12, "from 1 to 1024"),
    ("[organisation]\nname = \"X\"\n[store]\nbackend = \"postgres\"\n", 4, 11, "unknown variant `postgres`, expected `sled` or `sqlite`"),
    ("[organisation]\nname = \"X\"\n[store]\ncache-mb = 2048\n", 4, 12, "from 1 to 1024"),
    ("[organisation]\nname = \"X\"\n[points]\nreshare = 1001\n", 4, 11, "`points.reshare`: 1001 is out of range: use a whole number from 0 to 1000"),
    ("[organisation]\nname = \"X\"\n[points]\nstreak-bonus = -1\n", 4, 16, "from 0 to 1000"),
    ("[organisation]\nname = \"X\"\n[points]\nsame-day-bonus = 2.5\n", 4, 18, "floating point `2.5`"),
    ("[organisation]\nname = \"X\"\n[nudges]\ndefault-time = \"7pm\"\n", 4, 16, "`7pm` is not a time of day: write it as HH:MM"),
    ("coordinators = [\"carla\"]\n[organisation]\nname = \"X\"\n", 1, 17, "`carla` is not an identity: write `platform:user`"),
    ("coordinators = [\"discord:carla\"]\n[organisation]\nname = \"X\"\n", 1, 17, "a numeric Discord user id"),
    ("coordinators = [\"console:ok\", 7]\n[organisation]\nname = \"X\"\n", 1, 31, "each entry must be a string"),
    ("[organisation]\nname = \"X\"\ncoordinators = [\"console:carla\"]\n", 3, 1, "must come before the first [section] header"),
    ("[organisation]\nname = \"X\"\n[[rooms]]\nplatform = \"irc\"\nid = \"a\"\n", 4, 12, "unknown platform `irc`"),
    ("[organisation]\nname = \"X\"\n[[rooms]]\nplatform = \"console\"\nid = \"a\"\npush-time = \"24:00\"\n", 6, 13, "`rooms.push-time`: `24:00` is not a time of day"),
    ("[organisation]\nname = \"X\"\n[[rooms]]\nplatform = \"console\"\nid = \"a\"\nlanguage = \"xx\"\n", 6, 12, "`xx` is not a supported language"),
    ("[organisation]\nname = \"X\"\n[[rooms]]\nplatform = \"console\"\n", 3, 1, "missing required key `id` in [[rooms]]"),
    ("[organisation]\nname = \"X\"\n[[rooms]]\nplatform = \"console\"\nid = \"a\"\n[[rooms]]\nplatform = \"console\"\nid = \"a\"\n", 8, 6, "room `console:a` is listed twice"),
    ("[organisation]\nname = \"X\"\n[rooms]\nplatform = \"console\"\nid = \"a\"\n", 3, 1, "`rooms` must be a list of tables: write each entry as [[rooms]]"),
    ("[organisation]\nname = \"X\"\n[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\n", 3, 1, "[matrix] needs `password-env` or `access-token-env`"),
    ("[organisation]\nname = \"X\"\n[matrix]\nhomeserver = \"ftp://m.org\"\nuser-id = \"@r:m.org\"\npassword-env = \"P\"\n", 4, 14, "is not a web address"),
    ("[organisation]\nname = \"X\"\n[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"relais\"\npassword-env = \"P\"\n", 5, 11, "`relais` is not a Matrix user id"),
    ("[organisation]\nname = \"X\"\n[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\naccess-token-env = \"P\"\nallowed-inviters = [\"@a:m.org\", \"m.org\"]\n", 7, 33, "`m.org` is not a Matrix user id"),
    ("[organisation]\nname = \"X\"\n[discord]\ntoken-env = \"T\"\nguilds = [\"abc\"]\n", 5, 11, "`abc` is not a Discord id"),
    ("[organisation]\nname = \"X\"\n[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\npassword-env = \"P\"\nignored-users = [\"@a:m.org\", \"announcer\"]\n", 7, 30, "`announcer` is not a Matrix user id"),
    ("[organisation]\nname = \"X\"\n[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\npassword-env = \"P\"\nignored-users = [\":m.org\"]\n", 7, 18, "`:m.org` is not a Matrix user id"),
    ("[organisation]\nname = \"X\"\n[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\npassword-env = \"P\"\nignored-users = [\"@a:m.org\", 7]\n", 7, 30, "expected a string"),
    ("[organisation]\nname = \"X\"\n[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\npassword-env = \"P\"\nignored-users = \"@a:m.org\"\n", 7, 17, "expected a sequence"),
    ("[organisation]\nname = \"X\"\n[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\npassword-env = \"P\"\nignore-users = [\"@a:m.org\"]\n", 7, 1, "did you mean `ignored-users`?"),
    ("[organisation]\nname = \"X\"\n[discord]\ntoken-env = \"T\"\napi-base = \"localhost\"\n", 5, 12, "is not a web address"),
    ("[organisation]\nname = \"X\"\n[discord]\ntoken = \"T\"\ntoken-env = \"T\"\n", 4, 1, "name that variable with `token-env`"),
    ("[organisation]\nname = \"X\"\n[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\npassword-env = \"P\"\nstore-passphrase-env = \"hunter2\"\n", 7, 24, "must be the NAME of an environment variable"),
    ("[organisation]\nname = \"X\"\n[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\npassword-env = \"P\"\nstore-passphrase-env = 7\n", 7, 24, "expected a string"),
    ("[organisation]\nname = \"X\"\n[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\npassword-env = \"P\"\nstore-pasphrase-env = \"S\"\n", 7, 1, "did you mean `store-passphrase-env`?"),
    ("[organisation]\nname = \"X\"\n[demo]\n[[demo.items]]\ntitle = \"t\"\nlink = \"https://x.org\"\ntexts = {}\n", 7, 9, "needs a text in at least one language"),
    ("[organisation]\nname = \"X\"\n[[demo.items]]\ntitle = \"t\"\nlink = \"https://x.org\"\ntexts = { en = \"a\" }\ncaptions = { myspace = \"b\" }\n", 7, 14, "`myspace` is not a known network"),
    ("[organisation]\nname = \"X\"\n[[demo.items]]\ntitle = \"t\"\nlink = \"https://x.org\"\ntexts = { en = \"a\" }\nhashtags = [\"two words\"]\n", 7, 13, "is not a hashtag"),
    ("[organisation]\nname = \"X\"\n[[demo.items]]\ntitle = \"t\"\nlink = \"https://x.org\"\ntexts = { en = \"a\" }\nexpires-in-hours = 5\n", 7, 20, "only hot items expire"),
    ("[organisation]\nname = \"X\"\n[[demo.items]]\ntitle = \"t\"\nlink = \"https://x.org\"\ntexts = { en = \"a\" }\nkind = \"warm\"\n", 7, 8, "unknown variant `warm`"),
    ("[organisation]\nname = \"X\"\n[[demo.ambassadors]]\nname = \"a\"\n[[demo.reshares]]\nambassador = \"b\"\nurl = \"https://x.org/1\"\n", 6, 14, "no ambassador is named `b`"),
    ("[organisation]\nname = \"X\"\n[[demo.ambassadors]]\nname = \"a\"\n[[demo.reshares]]\nambassador = \"a\"\nitem = 2\nurl = \"https://x.org/1\"\n", 7, 8, "there is no item 2"),
    ("[organisation]\nname = \"X\"\n[[demo.ambassadors]]\nname = \"a\"\n[[demo.ambassadors]]\nname = \"a\"\n", 6, 8, "ambassador `a` is listed twice"),
    ("[organisation]\nname = \"X\"\n[demo]\nseed = 1\n", 4, 1, "unknown key `seed` in [demo]"),
    ("[organisation]\nname = \"X\"\n[[demo.reshares]]\nambassador = \"a\"\nurl = \"https://x.org/1\"\n", 4, 14, "no ambassador is named `a`"),
    ("[organisation]\nname = \"X\"\n[[demo.ambassadors]]\nname = \"a\"\n[[demo.reshares]]\nambassador = \"a\"\nitem = 1\nurl = \"https://x.org/1\"\n", 7, 8, "there is no item 1: there are no [[demo.items]]"),
    ("bot = 3\n[organisation]\nname = \"X\"\n", 1, 7, "`bot` must be a table ([bot])"),
    ("rooms = [1]\n[organisation]\nname = \"X\"\n", 1, 10, "each entry of `rooms` must be a table"),
    ("rooms = [{ platform = \"console\", id = \"a\", colour = \"red\" }]\n[organisation]\nname = \"X\"\n", 1, 44, "unknown key `colour` in [[rooms]]"),
    ("[organisation]\nname = \"X\"\n[bot]\nprefix = \"!\"\nperfix = \"?\"\n", 5, 1, "unknown key `perfix` in [bot]; did you mean `prefix`?"),
    ("[organisation]\nname = \"X\"\n[schedule]\ngrace-minutes = 2000\n", 4, 17, "`schedule.grace-minutes`: 2000 is out of range: use a whole number from 0 to 1440"),
    ("[organisation]\nname = \"X\"\n[schedule]\nquiet-hours = \"21:00\"\n", 4, 15, "`21:00` is not a range of hours: write it as HH:MM-HH:MM"),
    ("[organisation]\nname = \"X\"\n[schedule]\nquiet-hours = \"8:00-08:00\"\n", 4, 15, "starts and ends at the same time: write `off`"),
    ("[organisation]\nname = \"X\"\n[schedule]\nleaderboard-day = \"funday\"\n", 4, 19, "`funday` is not a day of the week: write monday, tuesday"),
    ("[organisation]\nname = \"X\"\n[schedule]\nreport-time = \"25:00\"\n", 4, 15, "`schedule.report-time`: `25:00` is not a time of day"),
    ("[organisation]\nname = \"X\"\n[schedule]\nreport-day = 1\n", 4, 14, "`schedule.report-day`: invalid type: integer `1`, expected a string"),
    ("[organisation]\nname = \"X\"\n[schedule]\ngrace = 60\n", 4, 1, "unknown key `grace` in [schedule] (known keys: grace-minutes, quiet-hours"),
    ("[organisation]\nname = \"X\"\n[schedule]\nquiet-hours = \"22:00-09:30\"\n[[rooms]]\nplatform = \"console\"\nid = \"a\"\npush-time = \"09:00\"\ncoordinators-room = true\n", 8, 13, "room `console:a`: `push-time` 09:00 is inside the quiet hours (22:00-09:30), when Relais sends nothing"),
    ("[organisation]\nname = \"X\"\n[schedule]\nquiet-hours = \"21:00-09:30\"\n[[rooms]]\nplatform = \"console\"\nid = \"a\"\ncoordinators-room = true\n", 5, 1, "room `console:a`: `push-time` 09:00 (the default) is inside the quiet hours (21:00-09:30)"),
    ("[organisation]\nname = \"X\"\n[nudges]\ndefault-time = \"22:00\"\n", 4, 16, "`nudges.default-time` 22:00 is inside the quiet hours (21:00-08:00)"),
    ("[organisation]\nname = \"X\"\n[schedule]\nquiet-hours = \"17:00-08:00\"\n", 4, 15, "`nudges.default-time` 18:00 (the default) is inside the quiet hours (17:00-08:00)"),
    ("[organisation]\nname = \"X\"\n[schedule]\nleaderboard-time = \"07:00\"\n[[rooms]]\nplatform = \"console\"\nid = \"a\"\n", 4, 20, "`schedule.leaderboard-time` 07:00 is inside the quiet hours"),
    // Issue 17: a refused time is not also checked against the quiet hours as the default it fell back to.
    ("[organisation]\nname = \"X\"\n[schedule]\nquiet-hours = \"21:00-09:30\"\nleaderboard-time = \"10:00\"\n[[rooms]]\nplatform = \"console\"\nid = \"a\"\npush-time = \"25:00\"\n", 9, 13, "`rooms.push-time`: `25:00` is not a time of day"),
    ("[organisation]\nname = \"X\"\n[schedule]\nquiet-hours = \"17:00-08:00\"\n[nudges]\ndefault-time = \"25:00\"\n", 6, 16, "`nudges.default-time`: `25:00` is not a time of day"),
];

#[test]
fn each_bad_snippet_gives_its_one_problem_at_its_position() {
    let mut failures = Vec::new();
    for (row, (text, line, column, message)) in BAD_SNIPPETS.iter().enumerate() {
        let problems = problems_of(text);
        let fits = |p: &ConfigProblem| (p.line, p.column) == (*line, *column) && p.message.contains(message);
        if problems.len() != 1 || !problems.iter().all(fits) || problems.iter().any(|p| p.file != "test.toml") {
            failures.push(format!(
                "row {row}: {text:?}
  expected {line}:{column}: {message}
{}",
                lines(&problems)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const MANY_PROBLEMS: &str = r#"coordinators = ["console:carla", "nobody"]

[organisation]
name = "Rivers"
time-zone = "Mars/Olympus"

[bot]
prefx = "?"
leaderboard-size = 0

[[rooms]]
platform = "console"
id = "team"
push-time = "9:75"

[matrix]
homeserver = "https://matrix.example.org"
user-id = "@relais:example.org"
password = "correct horse battery staple"

[store]
cache-mb = 4096
"#;

#[test]
fn one_file_reports_every_problem_in_every_section() {
    let problems = problems_of(MANY_PROBLEMS);
    let expected: [(usize, usize, &str); 8] = [
        (1, 34, "`coordinators`: `nobody` is not an identity"),
        (5, 13, "unknown time zone `Mars/Olympus`"),
        (8, 1, "unknown key `prefx` in [bot]; did you mean `prefix`?"),
        (9, 20, "`bot.leaderboard-size`: 0 is out of range"),
        (14, 13, "`rooms.push-time`: `9:75` is not a time of day"),
        (16, 1, "[matrix] needs `password-env` or `access-token-env`"),
        (19, 1, "`password` would put a secret in the configuration file"),
        (22, 12, "`store.cache-mb`: 4096 is out of range"),
    ];
    let shown = lines(&problems);
    assert_eq!(problems.len(), expected.len(), "{shown}");
    for (problem, (line, column, message)) in problems.iter().zip(expected) {
        assert_eq!((problem.line, problem.column), (line, column), "{shown}");
        assert!(problem.message.contains(message), "{shown}expected: {message}");
    }
}

#[test]
fn secrets_written_inline_are_refused_without_being_echoed() {
    let secret = "xoxb-9f8e7d-SUPER-SECRET";
    // (key as written, the `*-env` key the message must point to)
    let rows = [
        (
            "[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\npassword-env = \"P\"\npassword",
            "password-env",
        ),
        (
            "[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\npassword-env = \"P\"\naccess-token",
            "access-token-env",
        ),
        (
            "[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\npassword-env = \"P\"\ntoken",
            "access-token-env",
        ),
        ("[discord]\ntoken-env = \"T\"\ntoken", "token-env"),
        (
            "[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\npassword-env = \"P\"\nstore-passphrase",
            "store-passphrase-env",
        ),
        (
            "[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\npassword-env = \"P\"\npassphrase",
            "store-passphrase-env",
        ),
    ];
    for (section, env_key) in rows {
        let text = format!("{ORG}{section} = \"{secret}\"\n");
        let problems = problems_of(&text);
        let shown = lines(&problems);
        assert_eq!(problems.len(), 1, "{text}\n{shown}");
        assert!(problems[0].message.contains("environment variable"), "{shown}");
        assert!(problems[0].message.contains(&format!("`{env_key}`")), "{shown}");
        assert!(!shown.contains(secret), "the secret is echoed:\n{shown}");
    }
    // A secret pasted into an `*-env` key is not echoed either.
    let pasted = format!("{ORG}[discord]\ntoken-env = \"{secret}\"\n");
    let shown = lines(&problems_of(&pasted));
    assert!(
        shown.contains("NAME of an environment variable") && !shown.contains(secret),
        "{shown}"
    );
}

#[test]
fn problems_display_as_file_line_column_message() {
    let problem = ConfigProblem {
        file: "bot-config/x.toml".into(),
        line: 3,
        column: 7,
        message: "bad".into(),
    };
    assert_eq!(problem.to_string(), "bot-config/x.toml:3:7: bad");
}

#[test]
fn an_unreadable_file_is_one_problem_at_the_start() {
    let missing = Path::new(env!("CARGO_MANIFEST_DIR")).join("bot-config/no-such-file.toml");
    let problems = load(&missing).expect_err("missing file");
    assert_eq!(problems.len(), 1);
    assert_eq!((problems[0].line, problems[0].column), (1, 1));
    assert_eq!(problems[0].file, missing.display().to_string());
    assert!(
        problems[0].message.starts_with("cannot read the file"),
        "{}",
        problems[0]
    );
}

#[test]
fn a_file_with_problems_is_labelled_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("relais.toml");
    std::fs::write(&path, "[organisation]\nname = \"X\"\n[bot]\nprefix = \"\"\n").unwrap();
    let problems = load(&path).expect_err("empty prefix");
    assert_eq!(
        problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [format!(
            "{}:4:10: `bot.prefix`: `` is not a usable prefix: it must be 1 to 8 characters without spaces, like `!`",
            path.display()
        )]
    );
}

#[test]
fn a_minimal_config_gives_the_default_settings() {
    let config = check_str("[organisation]\nname = \"Relais\"\n", "minimal.toml").expect("minimal config");
    assert_eq!(config.settings(), Settings::default());
    assert_eq!(config.bot.log_format, LogFormat::Text);
    assert_eq!(config.bot.prompts_dir, Path::new("prompts"));
    assert_eq!(
        (config.store.backend, config.store.path.as_path(), config.store.cache_mb),
        (StoreBackend::Sled, Path::new("relais-data"), 8)
    );
    assert!(config.matrix.is_none() && config.discord.is_none() && config.demo.is_none());
    assert!(relais::config::missing_env(&config).is_empty());
}

const FULL: &str = r#"coordinators = ["matrix:@carla:example.org", "discord:123456789012345678", "console:carla"]
[organisation]
name = "Rivers Alliance"
time-zone = "America/Bogota"
default-language = "es"
[bot]
prefix = "?"
max-message-chars = 500
prompts-dir = "my-prompts"
leaderboard-size = 5
link-code-minutes = 15
hot-default-days = 2
log-format = "json"
[points]
reshare = 7
same-day-bonus = 4
streak-bonus = 2
streak-min-days = 3
[store]
backend = "sqlite"
path = "/var/lib/relais"
cache-mb = 64
[nudges]
default-time = "19:30"
[schedule]
grace-minutes = 30
quiet-hours = "22:00-07:00"
leaderboard-day = "friday"
leaderboard-time = "17:30"
report-day = "Sun"
report-time = "20:00"
[[rooms]]
platform = "matrix"
id = "!abc:example.org"
push-time = "08:15"
[[rooms]]
platform = "discord"
id = "223456789012345678"
language = "pt"
coordinators-room = true
"#;

#[test]
fn settings_map_every_field() {
    let config = check_str(FULL, "full.toml").unwrap_or_else(|p| panic!("{}", lines(&p)));
    let expected = Settings {
        org_name: "Rivers Alliance".into(),
        org_tz: chrono_tz::America::Bogota,
        default_lang: Lang::Es,
        prefix: "?".into(),
        max_message_chars: 500,
        points: PointsRules {
            reshare: 7,
            same_day_bonus: 4,
            streak_bonus: 2,
            streak_min_days: 3,
        },
        coordinators: vec![
            Identity::new(Platform::Matrix, "@carla:example.org"),
            Identity::new(Platform::Discord, "123456789012345678"),
            Identity::new(Platform::Console, "carla"),
        ],
        rooms: vec![
            RoomSettings {
                room: RoomRef::new(Platform::Matrix, "!abc:example.org"),
                lang: Lang::Es,
                push_time: time(8, 15),
                coordinators_room: false,
            },
            RoomSettings {
                room: RoomRef::new(Platform::Discord, "223456789012345678"),
                lang: Lang::PtBr,
                push_time: time(9, 0),
                coordinators_room: true,
            },
        ],
        default_nudge_time: time(19, 30),
        hot_default_days: 2,
        leaderboard_size: 5,
        link_code_minutes: 15,
        campaigns: Vec::new(),
        schedule: ScheduleSettings {
            grace: chrono::Duration::minutes(30),
            quiet_hours: QuietHours {
                start: time(22, 0),
                end: time(7, 0),
            },
            leaderboard: WeeklyTime {
                day: Weekday::Fri,
                time: time(17, 30),
            },
            report: WeeklyTime {
                day: Weekday::Sun,
                time: time(20, 0),
            },
        },
    };
    assert_eq!(config.settings(), expected);
    assert_eq!(config.bot.log_format, LogFormat::Json);
    assert_eq!(config.bot.prompts_dir, Path::new("my-prompts"));
    assert_eq!(
        (config.store.backend, config.store.path.as_path(), config.store.cache_mb),
        (StoreBackend::Sqlite, Path::new("/var/lib/relais"), 64)
    );
}

#[test]
fn without_quiet_hours_any_time_is_allowed() {
    let text = format!("{ORG}[schedule]\nquiet-hours = \"off\"\n[nudges]\ndefault-time = \"03:00\"\n[[rooms]]\nplatform = \"console\"\nid = \"a\"\npush-time = \"02:30\"\n");
    let config = check_str(&text, "off.toml").unwrap_or_else(|p| panic!("{}", lines(&p)));
    assert!(config.settings().schedule.quiet_hours.is_none());
    assert_eq!(config.settings().rooms[0].push_time, time(2, 30));
}

#[test]
fn matrix_ignored_users_are_read_in_order_and_default_to_none() {
    let section = "[matrix]\nhomeserver = \"https://m.org\"\nuser-id = \"@r:m.org\"\npassword-env = \"P\"\n";
    // (the `ignored-users` line, the list read)
    let rows: [(&str, &[&str]); 3] = [
        ("", &[]),
        ("ignored-users = []\n", &[]),
        (
            "ignored-users = [\"@announcer:m.org\", \"@news_feed:other.net\"]\n",
            &["@announcer:m.org", "@news_feed:other.net"],
        ),
    ];
    for (line, want) in rows {
        let text = format!("{ORG}{section}{line}");
        let config = check_str(&text, "ignored.toml").unwrap_or_else(|p| panic!("{line:?}\n{}", lines(&p)));
        let matrix = config.matrix.expect("[matrix]");
        assert_eq!(matrix.ignored_users, want, "{line:?}");
    }
}
