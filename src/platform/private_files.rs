//! Files only the bot's own user may read: a folder made private (0700) when it is created, files
//! created private (0600), looser modes found on an existing folder tightened, and the process
//! umask that keeps private the files libraries create themselves (matrix-sdk's SQLite databases
//! with their `-wal` and `-shm`, the store's files).
//!
//! On systems without Unix modes these do nothing beyond creating the folder.

use std::fs::OpenOptions;
use std::io;
use std::path::{Path, PathBuf};

/// The mode bits of group and others, all cleared on private files and folders.
#[cfg(unix)]
const SHARED_BITS: u32 = 0o077;

/// A mode that was tightened: the path, and its mode before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tightened {
    pub path: PathBuf,
    pub from: u32,
    pub to: u32,
}

/// Why a folder could not be made private.
#[derive(Debug, thiserror::Error)]
#[error("cannot make {} private to the bot's user: {source}", .path.display())]
pub struct PrivacyError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Makes every file and folder the process creates from now on private to its user (umask 077,
/// keeping any stricter bits already set). The umask belongs to the whole process and covers only
/// files created after it is set: set it before the libraries open theirs.
pub fn restrict_umask() {
    #[cfg(unix)]
    // SAFETY: umask only swaps the process's file mode mask; it cannot fail.
    unsafe {
        let previous = libc::umask(0o077);
        libc::umask(previous | 0o077);
    }
}

/// Options that create a file readable and writable by its owner only (0600), whatever the umask.
pub fn private_options() -> OpenOptions {
    #[allow(unused_mut)]
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Creates `dir` (and missing parents) private from the start (0700); when it exists already,
/// tightens it and everything under it (folders to at most 0700, files to at most 0600;
/// symbolic links are left alone). Returns what was tightened, for the log.
pub fn private_folder(dir: &Path) -> Result<Vec<Tightened>, PrivacyError> {
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PrivacyError { path, source }
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(failed(dir))?;
    let mut tightened = Vec::new();
    tighten_tree(dir, &mut tightened).map_err(|(path, source)| PrivacyError { path, source })?;
    Ok(tightened)
}

/// Tightens `path` and, for a folder, what it holds.
fn tighten_tree(path: &Path, tightened: &mut Vec<Tightened>) -> Result<(), (PathBuf, io::Error)> {
    let failed = |source| (path.to_path_buf(), source);
    let metadata = std::fs::symlink_metadata(path).map_err(failed)?;
    if metadata.file_type().is_symlink() {
        return Ok(());
    }
    tighten(path, &metadata, tightened).map_err(failed)?;
    if metadata.is_dir() {
        for entry in std::fs::read_dir(path).map_err(failed)? {
            tighten_entry(&entry.map_err(failed)?.path(), tightened)?;
        }
    }
    Ok(())
}

/// Tightens an entry of a folder, unless it is gone by then: SQLite's `-wal` and `-shm` files come
/// and go while a client that is closing (an earlier run's) checkpoints its databases, and a file
/// that no longer exists needs no tightening.
fn tighten_entry(path: &Path, tightened: &mut Vec<Tightened>) -> Result<(), (PathBuf, io::Error)> {
    match tighten_tree(path, tightened) {
        Err((_, error)) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        outcome => outcome,
    }
}

#[cfg(unix)]
fn tighten(path: &Path, metadata: &std::fs::Metadata, tightened: &mut Vec<Tightened>) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let from = metadata.permissions().mode() & 0o7777;
    if from & SHARED_BITS == 0 {
        return Ok(());
    }
    let to = from & !SHARED_BITS;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(to))?;
    tightened.push(Tightened {
        path: path.to_path_buf(),
        from,
        to,
    });
    Ok(())
}

#[cfg(not(unix))]
fn tighten(_path: &Path, _metadata: &std::fs::Metadata, _tightened: &mut Vec<Tightened>) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A CI run: the bot restarted while the earlier run's SQLite removed a `-wal` file between
    /// the listing of the folder and its tightening, and the start failed on it.
    #[test]
    fn a_file_gone_before_it_is_tightened_is_no_error_but_a_missing_folder_is() {
        let root = tempfile::tempdir().expect("tempdir");
        let gone = root.path().join("matrix-sdk-media.sqlite3-wal");
        let mut tightened = Vec::new();
        assert!(tighten_entry(&gone, &mut tightened).is_ok());
        assert!(tightened.is_empty());
        let missing = tighten_tree(&gone, &mut tightened).expect_err("the folder itself must exist");
        assert_eq!(missing.1.kind(), io::ErrorKind::NotFound);
    }
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path).expect("metadata").permissions().mode() & 0o7777
    }

    fn set_mode(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }

    #[test]
    fn a_new_folder_is_private_from_the_start_and_files_are_created_private() {
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("a/state");
        assert_eq!(private_folder(&dir).expect("created"), Vec::new());
        assert_eq!(mode(&dir), 0o700);
        let file = dir.join("secret");
        private_options().write(true).create(true).open(&file).expect("create");
        assert_eq!(mode(&file), 0o600);
    }

    #[test]
    fn looser_modes_are_tightened_and_reported_and_links_left_alone() {
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("state");
        let sdk = dir.join("sdk");
        std::fs::create_dir_all(&sdk).expect("mkdir");
        let (session, crypto, outside) = (
            dir.join("session.json"),
            sdk.join("crypto.sqlite3"),
            root.path().join("outside"),
        );
        for file in [&session, &crypto, &outside] {
            std::fs::write(file, b"x").expect("write");
        }
        set_mode(&dir, 0o755);
        set_mode(&sdk, 0o775);
        set_mode(&session, 0o600);
        set_mode(&crypto, 0o644);
        set_mode(&outside, 0o644);
        std::os::unix::fs::symlink(&outside, dir.join("link")).expect("symlink");
        let mut tightened = private_folder(&dir).expect("tightened");
        tightened.sort_by(|a, b| a.path.cmp(&b.path));
        let want = vec![
            Tightened {
                path: dir.clone(),
                from: 0o755,
                to: 0o700,
            },
            Tightened {
                path: sdk.clone(),
                from: 0o775,
                to: 0o700,
            },
            Tightened {
                path: crypto.clone(),
                from: 0o644,
                to: 0o600,
            },
        ];
        assert_eq!(tightened, want);
        assert_eq!(
            (mode(&dir), mode(&sdk), mode(&session), mode(&crypto)),
            (0o700, 0o700, 0o600, 0o600)
        );
        assert_eq!(
            mode(&outside),
            0o644,
            "a link's target outside the folder is not changed"
        );
        assert_eq!(
            private_folder(&dir).expect("again"),
            Vec::new(),
            "nothing left to tighten"
        );
    }

    #[test]
    fn a_folder_that_cannot_be_created_is_an_error_naming_it() {
        let root = tempfile::tempdir().expect("tempdir");
        let file = root.path().join("file");
        std::fs::write(&file, b"x").expect("write");
        let error = private_folder(&file.join("state")).expect_err("under a file");
        assert!(
            error.to_string().contains(&file.join("state").display().to_string()),
            "{error}"
        );
    }
}
