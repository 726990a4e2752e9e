//! The `relais` command line: run the bot, check a configuration, run the console demo, print a report.

use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use relais::app::report::WeekData;
use relais::app::App;
use relais::config::{self, Config, LogFormat, StoreBackend};
use relais::domain::WeekKey;
use relais::platform::console::{print_effects, Clock, Console};
use relais::platform::ticker::Ticker;
use relais::prompts::Prompts;
use relais::store::{DiskOptions, SledStore, SqliteStore, Store, StoreError};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod cli_output;
mod matrix_bot;

use cli_output::{init_logging, is_broken_pipe, print_line, BOT_LOGS, DEMO_LOGS, QUIET_LOGS};

#[derive(Parser)]
#[command(
    name = "relais",
    version,
    about = "Relais: a digital-ambassadors chat bot for non-profits"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run Relais with a configuration file: the Matrix bot when `[matrix]` is configured, else the console
    /// adapter with the scheduler.
    Run {
        /// The configuration file.
        #[arg(short, long, default_value = "bot-config/relais.toml")]
        config: PathBuf,
    },
    /// Check a configuration file (and its prompts folder); list every problem and exit non-zero if any.
    CheckConfig {
        /// The configuration file.
        file: PathBuf,
    },
    /// The interactive console demo: play a coordinator and several ambassadors (`/as alice`).
    Demo {
        /// The demo configuration (with its `[demo]` seed data).
        #[arg(short, long, default_value = "bot-config/demo.toml")]
        config: PathBuf,
        /// Use this store folder instead of the configured one.
        #[arg(long)]
        store: Option<PathBuf>,
        /// Erase the demo store first and seed it again.
        #[arg(long)]
        fresh: bool,
        /// Pretend it is this instant (RFC 3339, e.g. 2026-11-23T09:00:00Z): for reproducible scripts.
        #[arg(long, value_parser = parse_now)]
        now: Option<DateTime<Utc>>,
        /// Start as this person.
        #[arg(long, default_value = "carla")]
        as_person: String,
        /// Start in this room.
        #[arg(long, default_value = "team")]
        room: String,
    },
    /// Write a consistent copy of the store into DIR (a new or empty folder). While the bot runs it
    /// writes the copy itself (asked through `relais-control.sock` in the store folder).
    Backup(backups::Backup),
    /// Put a backup in place of the store (stop the bot first); the store found there is renamed
    /// aside (`<store>.before-restore-<seconds>`), not deleted.
    Restore(backups::Restore),
    /// Print the coordinator report of a week (in the organisation's language) and write its CSV and chart.
    Report {
        /// The configuration file.
        #[arg(short, long, default_value = "bot-config/relais.toml")]
        config: PathBuf,
        /// The ISO week, e.g. 2026-W47 (default: the current week).
        #[arg(long, value_parser = parse_week)]
        week: Option<WeekKey>,
        /// Write the week's reshares to this CSV file.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Write the chart (reshares per day by network) to this PNG file.
        #[arg(long)]
        png: Option<PathBuf>,
        /// Use this store folder instead of the configured one.
        #[arg(long)]
        store: Option<PathBuf>,
        /// Pretend it is this instant (RFC 3339): decides which weeks are in the future.
        #[arg(long, value_parser = parse_now)]
        now: Option<DateTime<Utc>>,
    },
    /// Trend alerts: measure the burst detector.
    Trends {
        #[command(subcommand)]
        command: TrendsCmd,
    },
}

#[derive(Subcommand)]
enum TrendsCmd {
    /// Run the production detector over labelled count series in the Numenta Anomaly Benchmark
    /// layout (`timestamp,value` CSV files and a `labels.json`); print each series' score, then the
    /// overall one.
    Eval {
        /// The folder of CSV files and `labels.json`.
        dir: PathBuf,
        /// Write every alert to this CSV file (`series,timestamp`).
        #[arg(long)]
        alerts: Option<PathBuf>,
    },
}

fn parse_week(text: &str) -> Result<WeekKey, String> {
    text.parse::<WeekKey>().map_err(|e| e.to_string())
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    relais::domain::instant::parse(text).map_err(|e| e.to_string())
}

/// glibc gives each thread that allocates its own malloc arena (up to 8 per core), each keeping
/// freed memory; a bot with a few busy threads does better with two.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    // SAFETY: `mallopt` only sets an allocator parameter; it is called before any other thread
    // exists, and its failure (a zero return) merely leaves the default.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = Cli::parse();
    let outcome = match cli.command {
        Cmd::CheckConfig { file } => return check_config(&file),
        Cmd::Run { config } => run(&config),
        Cmd::Backup(args) => backups::backup(&args),
        Cmd::Restore(args) => backups::restore(&args),
        Cmd::Demo {
            config,
            store,
            fresh,
            now,
            as_person,
            room,
        } => demo(&config, store.as_deref(), fresh, now, &as_person, &room),
        Cmd::Report {
            config,
            week,
            csv,
            png,
            store,
            now,
        } => report(
            &config,
            store.as_deref(),
            week,
            &ReportFiles { csv, png },
            now.unwrap_or_else(Utc::now),
        ),
        Cmd::Trends {
            command: TrendsCmd::Eval { dir, alerts },
        } => trends_eval(&dir, alerts.as_deref()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`relais report | head`): nothing more to say, and no one to say it to.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("relais: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// `relais trends eval`: the report on standard output, the alerts to a CSV file if asked.
fn trends_eval(dir: &Path, alerts: Option<&Path>) -> Result<()> {
    let evaluation = relais::nab::evaluate_dir(dir)?;
    print!("{}", evaluation.report());
    if let Some(path) = alerts {
        std::fs::write(path, evaluation.alerts_csv()).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn check_config(file: &Path) -> ExitCode {
    init_logging(LogFormat::Text, QUIET_LOGS);
    let config = match config::load(file) {
        Ok(c) => c,
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!("{}: {} problem(s)", file.display(), problems.len());
            return ExitCode::FAILURE;
        }
    };
    match Prompts::load(&config.bot.prompts_dir) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprintln!("warning: {w}");
            }
            for missing in config::missing_env(&config) {
                eprintln!("warning: environment variable {missing} is not set");
            }
            let today = Utc::now().with_timezone(&config.organisation.time_zone).date_naive();
            for advice in config.warnings(today) {
                eprintln!("warning: {advice}");
            }
            // A closed standard output changes nothing: the exit code says it all.
            let _ = print_line(&format!("{}: OK", file.display()));
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            if let Some(hint) = prompts_dir_hint(&config) {
                eprintln!("hint: {hint}");
            }
            eprintln!("{}: {} problem(s)", file.display(), problems.len());
            ExitCode::FAILURE
        }
    }
}

/// Loads a configuration file, every problem listed in the error.
fn load_config(config_path: &Path) -> Result<Config> {
    config::load(config_path).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        anyhow::anyhow!("invalid configuration:\n{}", list.join("\n"))
    })
}

fn load_all(config_path: &Path, default_logs: &str) -> Result<(Config, Prompts)> {
    let config = load_config(config_path)?;
    init_logging(config.bot.log_format, default_logs);
    let loaded = Prompts::load(&config.bot.prompts_dir).map_err(|problems| {
        let mut list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        list.extend(prompts_dir_hint(&config).map(|hint| format!("hint: {hint}")));
        anyhow::anyhow!("invalid prompts:\n{}", list.join("\n"))
    })?;
    for w in &loaded.warnings {
        tracing::warn!("{w}");
    }
    Ok((config, loaded.prompts))
}

/// The hint for a prompts folder missing because Relais runs from another folder.
fn prompts_dir_hint(config: &Config) -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    config::relative_path_hint("bot.prompts-dir", &config.bot.prompts_dir, &cwd)
}

fn open_store(config: &Config, path: &Path) -> Result<Box<dyn Store>> {
    open_store_at(config, path).with_context(|| format!("opening the store at {}", path.display()))
}

/// Opens the configured kind of store in `path`.
fn open_store_at(config: &Config, path: &Path) -> Result<Box<dyn Store>, StoreError> {
    let options = DiskOptions {
        cache_bytes: config.store.cache_mb * 1024 * 1024,
        ..DiskOptions::default()
    };
    match config.store.backend {
        StoreBackend::Sled => SledStore::open(path, options).map(|store| Box::new(store) as Box<dyn Store>),
        StoreBackend::Sqlite => SqliteStore::open(path, options).map(|store| Box::new(store) as Box<dyn Store>),
    }
}

mod backups;

fn run(config_path: &Path) -> Result<()> {
    let (config, prompts) = load_all(config_path, BOT_LOGS)?;
    // Everything the bot creates from now on (its store, matrix-sdk's databases) is private to its
    // user; set before any other thread exists.
    relais::platform::private_files::restrict_umask();
    if config.discord.is_some() {
        bail!("this build of Relais has no Discord adapter yet; remove the [discord] section");
    }
    let store = open_store(&config, &config.store.path)?;
    backups::serving_backups(&config.store.path, &*store, || run_on(&config, &prompts, &*store))
}

/// Runs the bot on an open store.
fn run_on(config: &Config, prompts: &Prompts, store: &dyn Store) -> Result<()> {
    let settings = config.settings();
    let app = App::new(&settings, prompts, store);
    if let Some(matrix) = &config.matrix {
        return matrix_bot::run_matrix(&app, matrix);
    }
    let room = settings
        .rooms
        .first()
        .map(|r| r.room.room.clone())
        .unwrap_or_else(|| "team".into());
    let ticker = Ticker::start(&app, Clock::system()).context("starting the scheduler")?;
    // The scheduler runs beside the console, sleeping until the next due action.
    std::thread::scope(|scope| {
        scope.spawn(|| {
            ticker.run_in_background(&mut |effect| {
                print_effects(&app, std::slice::from_ref(effect), &mut std::io::stdout())
            })
        });
        let outcome = console(&app, &ticker, "me", &room);
        ticker.stop();
        outcome
    })
}

fn demo(
    config_path: &Path,
    store_dir: Option<&Path>,
    fresh: bool,
    now: Option<DateTime<Utc>>,
    person: &str,
    room: &str,
) -> Result<()> {
    let (config, prompts) = load_all(config_path, DEMO_LOGS)?;
    let path = store_dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| config.store.path.clone());
    if fresh && path.exists() {
        std::fs::remove_dir_all(&path).with_context(|| format!("erasing the demo store {}", path.display()))?;
    }
    let store = open_store(&config, &path)?;
    let settings = config.settings();
    let app = App::new(&settings, &prompts, &*store);
    let clock = now.map(Clock::fixed).unwrap_or_else(Clock::system);
    if let Some(seed) = &config.demo {
        relais::demo::seed_if_empty(&app, seed, clock.now()).context("seeding the demo")?;
    }
    // In the demo the scheduler runs only when asked (`/advance`), so that scripts are reproducible.
    let ticker = Ticker::start(&app, clock).context("starting the scheduler")?;
    console(&app, &ticker, person, room)
}

/// Where `relais report` writes its files.
struct ReportFiles {
    csv: Option<PathBuf>,
    png: Option<PathBuf>,
}

fn report(
    config_path: &Path,
    store_dir: Option<&Path>,
    week: Option<WeekKey>,
    files: &ReportFiles,
    now: DateTime<Utc>,
) -> Result<()> {
    let (config, prompts) = load_all(config_path, QUIET_LOGS)?;
    let path = store_dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| config.store.path.clone());
    if !path.exists() {
        bail!(
            "there is no store at {} (set `store.path` or pass --store)",
            path.display()
        );
    }
    let store = open_store(&config, &path)?;
    let settings = config.settings();
    let app = App::new(&settings, &prompts, &*store);
    let lang = settings.default_lang;
    let current = WeekKey::of(now, settings.org_tz);
    let week = week.unwrap_or(current);
    if week > current {
        let vars = serde_json::json!({"week": week.to_string(), "current": current.to_string()});
        bail!("{}", prompts.render(lang, "report.future", &vars));
    }
    let today = now.with_timezone(&settings.org_tz).date_naive();
    let data = WeekData::load(&app, week).context("reading the store")?.seen_on(today);
    let (from, to) = week.bounds(settings.org_tz);
    let skipped: Vec<String> = store
        .skipped_actions(from, to)
        .context("reading skipped actions")?
        .into_iter()
        .map(|(key, _)| key)
        .collect();
    print_line(&data.text(&app, lang, &skipped))?;
    if let Some(file) = &files.csv {
        write_file(file, &data.csv())?;
    }
    if let Some(file) = &files.png {
        write_file(file, &data.chart_png(&data.chart_labels(&app, lang))?)?;
    }
    Ok(())
}

fn write_file(file: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(file, bytes).with_context(|| format!("writing {}", file.display()))?;
    eprintln!("relais: wrote {} ({} bytes)", file.display(), bytes.len());
    Ok(())
}

fn console(app: &App, ticker: &Ticker, person: &str, room: &str) -> Result<()> {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    // Not locked for the whole session: the scheduler's thread prints too.
    let mut out = std::io::stdout();
    Console::new(app, ticker, person, room, interactive)
        .run(stdin.lock(), &mut out)
        .context("console I/O")
}
