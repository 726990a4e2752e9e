//! The architecture rule, checked: the core (domain rules, command parsing, the app layer) never
//! imports a runtime, a database or a chat SDK, never reads the clock and never does file or
//! network I/O itself. Adapters and stores do.

use std::path::{Path, PathBuf};

const CORE: &[&str] = &["src/domain", "src/command", "src/app"];
const FORBIDDEN: &[&str] = &[
    "tokio",
    "sled",
    "matrix_sdk",
    "serenity",
    "poise",
    "Utc::now",
    "Local::now",
    "SystemTime::now",
    "Instant::now",
    "std::fs",
    "std::net",
    "std::thread",
    "std::process",
    "reqwest",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_core_knows_nothing_of_runtimes_stores_platforms_or_the_clock() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in CORE {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 20, "the core folders were found: {files:?}");
    let mut offences = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN {
                if code.contains(word) {
                    offences.push(format!("{}:{}: `{word}` in: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(offences.is_empty(), "the core must stay pure:\n{}", offences.join("\n"));
}

#[test]
fn every_module_starts_with_a_purpose_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            !std::fs::read_to_string(f)
                .unwrap_or_default()
                .trim_start()
                .starts_with("//!")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(missing.is_empty(), "modules without a `//!` line: {missing:?}");
}
