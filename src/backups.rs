//! The `relais backup` and `relais restore` commands (part of the `relais` binary), and the
//! running bot's side of a backup: its control socket, served beside the bot.

use crate::{load_config, open_store_at};
use anyhow::{bail, Context, Result};
use relais::platform::control::{request_backup, Control};
use relais::store::{Store, StoreError};
use std::path::{Path, PathBuf};

/// `relais backup`'s arguments.
#[derive(clap::Args)]
pub struct Backup {
    /// The configuration file.
    #[arg(short, long, default_value = "bot-config/relais.toml")]
    config: PathBuf,
    /// The folder to write the backup into.
    dir: PathBuf,
    /// Use this store folder instead of the configured one.
    #[arg(long)]
    store: Option<PathBuf>,
}

/// `relais restore`'s arguments.
#[derive(clap::Args)]
pub struct Restore {
    /// The configuration file.
    #[arg(short, long, default_value = "bot-config/relais.toml")]
    config: PathBuf,
    /// The backup folder (written by `relais backup`).
    backup: PathBuf,
    /// Use this store folder instead of the configured one.
    #[arg(long)]
    store: Option<PathBuf>,
}

/// `relais backup DIR`: the store is opened and copied; while a bot holds it, the bot is asked to
/// write the copy.
pub fn backup(args: &Backup) -> Result<()> {
    let config = load_config(&args.config)?;
    let path = args.store.clone().unwrap_or_else(|| config.store.path.clone());
    let dir = &args.dir;
    if !path.exists() {
        bail!(
            "there is no store at {} (set `store.path` or pass --store)",
            path.display()
        );
    }
    relais::platform::private_files::restrict_umask();
    match open_store_at(&config, &path) {
        Ok(store) => store.backup(dir).context("writing the backup")?,
        Err(StoreError::Locked { .. }) => request_backup(&path, dir)?,
        Err(error) => return Err(error).with_context(|| format!("opening the store at {}", path.display())),
    }
    println!("backup of {} written to {}", path.display(), dir.display());
    Ok(())
}

/// `relais restore BACKUP`: refused while a bot holds the store; the backup is checked by opening
/// a copy of it before it takes the store's place.
pub fn restore(args: &Restore) -> Result<()> {
    let config = load_config(&args.config)?;
    let path = args.store.clone().unwrap_or_else(|| config.store.path.clone());
    let backup = &args.backup;
    if !backup.is_dir() {
        bail!("{} is not a backup folder", backup.display());
    }
    relais::platform::private_files::restrict_umask();
    if path.exists() {
        if let Err(StoreError::Locked { .. }) = open_store_at(&config, &path) {
            bail!("a Relais bot is running on {}: stop it first", path.display());
        }
    }
    let aside = relais::store::backup::restore(backup, &path, |copy| open_store_at(&config, copy).map(drop))
        .with_context(|| format!("restoring {} from {}", path.display(), backup.display()))?;
    println!("{} restored from {}", path.display(), backup.display());
    if let Some(aside) = aside {
        println!(
            "the store found there was moved to {} (delete it once you no longer need it)",
            aside.display()
        );
    }
    Ok(())
}

/// Runs `body` while the bot answers backup requests on its control socket in the store folder
/// (without it, with a warning, when the socket cannot be made).
pub fn serving_backups(store_dir: &Path, store: &dyn Store, body: impl FnOnce() -> Result<()>) -> Result<()> {
    let control = match Control::bind(store_dir) {
        Ok(control) => control,
        Err(error) => {
            tracing::warn!(%error, "no control socket: `relais backup` cannot reach this bot; stop it to back up");
            return body();
        }
    };
    std::thread::scope(|scope| {
        scope.spawn(|| control.serve(store));
        let outcome = body();
        control.stop();
        outcome
    })
}
