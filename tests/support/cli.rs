//! Runs the `relais` binary from the repository root, its stdin a script, for end-to-end tests.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_relais");
/// The repository root (where `bot-config/` and `prompts/` are).
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs `relais ARGS` with `stdin` as its input until it ends; its output and exit status.
pub fn relais(args: &[&str], stdin: impl AsRef<[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .current_dir(ROOT)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("relais starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_ref())
        .expect("stdin written");
    child.wait_with_output().expect("relais ends")
}
