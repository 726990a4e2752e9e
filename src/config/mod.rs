//! Bot configuration: `bot-config/*.toml` parsed, checked and turned into core settings.
//!
//! [`load`] and [`check_str`] report every problem of a file at once, each with its line and
//! column: TOML syntax, unknown keys (with "did you mean"), wrong types, missing keys, values
//! out of range or malformed, secrets written inline, rooms listed twice. `bot-config/relais.example.toml`
//! documents every key.
//!
//! Relative paths in the file (`store.path`, `bot.prompts-dir`, `matrix.state-dir`) are relative
//! to the current directory of the process, not to the file.

mod check;
mod fields;
mod item_fields;
mod model;
mod settings;
mod suggest;
mod walk;

pub use model::{
    Bot, Campaign, Config, Demo, DemoAmbassador, DemoItem, DemoKind, DemoReshare, Discord, LogFormat, Matrix, Nudges,
    Organisation, Points, Room, Schedule, Store, StoreBackend,
};
pub use settings::{missing_env, SecretError};

use std::fmt;
use std::path::Path;

/// One problem of a configuration file, at a 1-based line and column (counted in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

/// Reads and checks the file at `path`. A file that cannot be read is one problem at 1:1.
pub fn load(path: &Path) -> Result<Config, Vec<ConfigProblem>> {
    let file = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => check_str(&text, &file),
        Err(error) => Err(vec![ConfigProblem {
            file,
            line: 1,
            column: 1,
            message: format!("cannot read the file: {error}"),
        }]),
    }
}

/// Checks the configuration `text`; `file` is only used to label the problems, which come in
/// the order they appear in the text.
pub fn check_str(text: &str, file: &str) -> Result<Config, Vec<ConfigProblem>> {
    check::check(text).map_err(|mut problems| {
        problems.sort_by_key(|(offset, _)| *offset);
        problems.dedup();
        problems
            .into_iter()
            .map(|(offset, message)| {
                let (line, column) = walk::line_column(text, offset);
                ConfigProblem {
                    file: file.to_string(),
                    line,
                    column,
                    message,
                }
            })
            .collect()
    })
}

/// Why a relative folder of the configuration (`key`, such as `bot.prompts-dir`) may be missing:
/// relative paths are read from the current folder `cwd`, not from the configuration file's.
/// `None` when `path` is absolute or exists there.
pub fn relative_path_hint(key: &str, path: &Path, cwd: &Path) -> Option<String> {
    if path.is_absolute() || cwd.join(path).exists() {
        return None;
    }
    Some(format!(
        "`{key}` is `{}`, a path relative to the current folder ({}), which has no such folder: \
         run Relais from the folder that holds it (the repository's root for the shipped files) \
         or set `{key}` to an absolute path",
        path.display(),
        cwd.display()
    ))
}

#[cfg(test)]
mod tests;
