//! The `relais` command line: run the bot, check a configuration, run the console demo.

use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use relais::app::App;
use relais::config::{self, Config, LogFormat};
use relais::platform::console::{Clock, Console};
use relais::platform::matrix::{Credentials, MatrixOptions};
use relais::prompts::Prompts;
use relais::store::{SledOptions, SledStore};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
    /// Run Relais with a configuration file: the Matrix bot when `[matrix]` is configured, else the console.
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
        #[arg(long)]
        now: Option<DateTime<Utc>>,
        /// Start as this person.
        #[arg(long, default_value = "carla")]
        as_person: String,
        /// Start in this room.
        #[arg(long, default_value = "team")]
        room: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Cmd::CheckConfig { file } => return check_config(&file),
        Cmd::Run { config } => run(&config),
        Cmd::Demo {
            config,
            store,
            fresh,
            now,
            as_person,
            room,
        } => demo(&config, store.as_deref(), fresh, now, &as_person, &room),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("relais: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Logs go to standard error as text or JSON lines; `RUST_LOG` sets the level (default: `default_filter`).
fn init_logging(format: LogFormat, default_filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| default_filter.into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
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
            println!("{}: OK", file.display());
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Default log filter of the console and `check-config`: warnings only.
const QUIET_LOGS: &str = "warn";
/// Default log filter of the bot: what Relais does (logins, joins, retries), warnings of libraries.
const BOT_LOGS: &str = "warn,relais=info";

fn load_all(config_path: &Path, default_logs: &str) -> Result<(Config, Prompts)> {
    let config = config::load(config_path).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        anyhow::anyhow!("invalid configuration:\n{}", list.join("\n"))
    })?;
    init_logging(config.bot.log_format, default_logs);
    let loaded = Prompts::load(&config.bot.prompts_dir).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        anyhow::anyhow!("invalid prompts:\n{}", list.join("\n"))
    })?;
    for w in &loaded.warnings {
        tracing::warn!("{w}");
    }
    Ok((config, loaded.prompts))
}

fn open_store(config: &Config, path: &Path) -> Result<SledStore> {
    let options = SledOptions {
        cache_bytes: config.store.cache_mb * 1024 * 1024,
        ..SledOptions::default()
    };
    SledStore::open(path, options).with_context(|| format!("opening the store at {}", path.display()))
}

fn run(config_path: &Path) -> Result<()> {
    let (config, prompts) = load_all(config_path, BOT_LOGS)?;
    if config.discord.is_some() {
        bail!("this build of Relais has no Discord adapter yet; remove the [discord] section");
    }
    let store = open_store(&config, &config.store.path)?;
    let settings = config.settings();
    let app = App::new(&settings, &prompts, &store);
    if let Some(matrix) = &config.matrix {
        return run_matrix(&app, matrix);
    }
    let room = settings
        .rooms
        .first()
        .map(|r| r.room.room.clone())
        .unwrap_or_else(|| "team".into());
    console(&app, Clock::System, "me", &room)
}

/// Runs the Matrix bot until Ctrl-C or SIGTERM.
fn run_matrix(app: &App, matrix: &config::Matrix) -> Result<()> {
    let credentials = Credentials::from_env(matrix, |name| std::env::var(name).ok());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let options = MatrixOptions {
        claim_reactions: matrix.claim_reactions.clone(),
        ..MatrixOptions::default()
    };
    runtime.block_on(relais::platform::matrix::run(
        app,
        matrix,
        &options,
        credentials,
        shutdown_requested(),
    ))?;
    Ok(())
}

/// Completes on Ctrl-C or (on Unix) SIGTERM.
async fn shutdown_requested() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM; stop with Ctrl-C");
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("stopping");
}

fn demo(
    config_path: &Path,
    store_dir: Option<&Path>,
    fresh: bool,
    now: Option<DateTime<Utc>>,
    person: &str,
    room: &str,
) -> Result<()> {
    let (config, prompts) = load_all(config_path, QUIET_LOGS)?;
    let path = store_dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| config.store.path.clone());
    if fresh && path.exists() {
        std::fs::remove_dir_all(&path).with_context(|| format!("erasing the demo store {}", path.display()))?;
    }
    let store = open_store(&config, &path)?;
    let settings = config.settings();
    let app = App::new(&settings, &prompts, &store);
    let clock = now.map(Clock::Fixed).unwrap_or(Clock::System);
    if let Some(seed) = &config.demo {
        relais::demo::seed_if_empty(&app, seed, clock.now()).context("seeding the demo")?;
    }
    console(&app, clock, person, room)
}

fn console(app: &App, clock: Clock, person: &str, room: &str) -> Result<()> {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let mut out = std::io::stdout().lock();
    Console::new(app, clock, person, room, interactive)
        .run(stdin.lock(), &mut out)
        .context("console I/O")
}
