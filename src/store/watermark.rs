//! The store's high-water mark, kept beside the database (`relais-store.json`, mode 0600) so that
//! a database that lost data is noticed when it is opened, instead of being run on.
//!
//! Every committed write raises the database's `generation` (a counter inside the database,
//! written in the same transaction); after the commit the store writes the generation and the
//! last ids handed out here, atomically (a temporary file, `fsync`, rename). On open the database
//! must have reached at least this mark. The order of the writes makes a crash safe: the mark is
//! written only after the database's commit is on disk, so after a crash in between the database
//! is one write AHEAD of the mark, which is accepted; a database BEHIND the mark (a lost tail, a
//! truncated or zeroed file, an empty database) is refused with [`StoreError::Damaged`].
//!
//! A store from before this file existed has no mark: it is accepted once and given one. A
//! missing mark next to an empty database is a new store.

use super::StoreError;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

/// The file name, in the store folder.
pub const FILE_NAME: &str = "relais-store.json";

/// How far a database had got: its generation and the last ids it handed out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Watermark {
    pub generation: u64,
    pub last_ambassador_id: u64,
    pub last_item_id: u64,
    pub last_reshare_id: u64,
}

impl Watermark {
    /// What in `found` falls short of `self` (the mark on disk), if anything.
    pub fn shortfall(&self, found: &Watermark) -> Option<String> {
        let checks = [
            ("write generation", self.generation, found.generation),
            ("last ambassador id", self.last_ambassador_id, found.last_ambassador_id),
            ("last item id", self.last_item_id, found.last_item_id),
            ("last reshare id", self.last_reshare_id, found.last_reshare_id),
        ];
        let short: Vec<String> = checks
            .iter()
            .filter(|(_, expected, got)| got < expected)
            .map(|(what, expected, got)| format!("{what} {got}, expected at least {expected}"))
            .collect();
        (!short.is_empty()).then(|| short.join("; "))
    }

    /// The mark kept in `dir`, if any.
    pub fn read(dir: &Path) -> Result<Option<Watermark>, StoreError> {
        let path = dir.join(FILE_NAME);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| StoreError::Damaged {
                    path: dir.display().to_string(),
                    found: format!("{FILE_NAME} is unreadable ({e})"),
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Io(format!("reading {}: {e}", path.display()))),
        }
    }

    /// Writes the mark into `dir` atomically (a crash leaves the old mark or the new one) and
    /// durably (`fsync` of the file; the rename reaches the disk with the folder, and an old mark
    /// found after a crash is one the database has passed, which is accepted).
    pub fn write(&self, dir: &Path) -> Result<(), StoreError> {
        let path = dir.join(FILE_NAME);
        let tmp = dir.join(format!("{FILE_NAME}.tmp"));
        let failed = |e: std::io::Error| StoreError::Io(format!("writing {}: {e}", path.display()));
        let bytes = serde_json::to_vec(self).map_err(|e| StoreError::Io(e.to_string()))?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp).map_err(failed)?;
        file.write_all(&bytes).map_err(failed)?;
        file.sync_data().map_err(failed)?;
        drop(file);
        std::fs::rename(&tmp, &path).map_err(failed)
    }

    /// Checks a database that has reached `found` against the mark in `dir`: refused with
    /// [`StoreError::Damaged`] if it falls short, or if it is empty while a mark exists.
    pub fn check(dir: &Path, found: &Watermark) -> Result<(), StoreError> {
        let Some(kept) = Watermark::read(dir)? else {
            return Ok(());
        };
        let shortfall = if *found == Watermark::default() && kept != Watermark::default() {
            Some("the database is empty".to_string())
        } else {
            kept.shortfall(found)
        };
        match shortfall {
            Some(found) => Err(StoreError::Damaged {
                path: dir.display().to_string(),
                found,
            }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(generation: u64, last_reshare_id: u64) -> Watermark {
        Watermark {
            generation,
            last_ambassador_id: 2,
            last_item_id: 1,
            last_reshare_id,
        }
    }

    #[test]
    fn a_database_at_or_ahead_of_the_mark_is_accepted_and_one_behind_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(
            Watermark::check(dir.path(), &Watermark::default()).is_ok(),
            "no mark yet"
        );
        mark(10, 7).write(dir.path()).expect("write");
        let cases = [
            (mark(10, 7), true, "the same"),
            (
                mark(11, 8),
                true,
                "one commit ahead (a crash before the mark was written)",
            ),
            (mark(9, 7), false, "a generation lost"),
            (mark(10, 6), false, "a reshare id lost"),
            (Watermark::default(), false, "empty"),
        ];
        for (found, accepted, why) in cases {
            let checked = Watermark::check(dir.path(), &found);
            assert_eq!(checked.is_ok(), accepted, "{why}: {checked:?}");
            if let Err(error) = checked {
                assert!(matches!(error, StoreError::Damaged { .. }), "{why}: {error}");
            }
        }
    }

    #[test]
    fn the_mark_is_private_and_a_garbled_one_is_damage() {
        let dir = tempfile::tempdir().expect("tempdir");
        mark(3, 1).write(dir.path()).expect("write");
        assert_eq!(Watermark::read(dir.path()).expect("read"), Some(mark(3, 1)));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(FILE_NAME))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(dir.path().join(FILE_NAME), "{\"generation\": 3").expect("garble");
        let error = Watermark::check(dir.path(), &mark(3, 1)).expect_err("garbled");
        assert!(error.to_string().contains(FILE_NAME), "{error}");
    }
}
