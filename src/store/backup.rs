//! Restoring a store folder from a backup ([`Store::backup`](super::Store::backup) writes them):
//! the backup is copied next to the store, opened once to check it, then renamed into place; the
//! store found there is renamed aside, not deleted.

use super::StoreError;
use std::path::{Path, PathBuf};

/// Puts a copy of the backup folder `backup` in place of the store folder `store` (which must not
/// be in use: the caller checks), after `check` opened the copy without error. Returns where the
/// store found there was moved (`<store>.before-restore-<seconds since 1970>`), if there was one.
pub fn restore(
    backup: &Path,
    store: &Path,
    check: impl FnOnce(&Path) -> Result<(), StoreError>,
) -> Result<Option<PathBuf>, StoreError> {
    let sibling = |suffix: &str| {
        let mut name = store.file_name().unwrap_or_default().to_os_string();
        name.push(suffix);
        store.with_file_name(name)
    };
    let staging = sibling(".restoring");
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(failed("removing", &staging))?;
    }
    copy_folder(backup, &staging)?;
    check(&staging)?;
    let aside = if store.exists() {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let aside = sibling(&format!(".before-restore-{seconds}"));
        std::fs::rename(store, &aside).map_err(failed("moving aside", store))?;
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&staging, store).map_err(failed("renaming into place", &staging))?;
    Ok(aside)
}

fn failed<'a>(what: &'a str, path: &'a Path) -> impl Fn(std::io::Error) -> StoreError + 'a {
    move |e| StoreError::Io(format!("{what} {}: {e}", path.display()))
}

/// Copies the folder `from` into the new folder `to` (private), recursively; sockets and other
/// special files are left out.
fn copy_folder(from: &Path, to: &Path) -> Result<(), StoreError> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(to).map_err(failed("creating", to))?;
    for entry in std::fs::read_dir(from).map_err(failed("reading", from))? {
        let entry = entry.map_err(failed("reading", from))?;
        let kind = entry.file_type().map_err(failed("reading", from))?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_folder(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).map_err(failed("copying into", &target))?;
        }
    }
    Ok(())
}
