//! The build the README's run command makes: the console demo needs no chat platform, so it is
//! built without matrix-sdk and serenity (most of a full build), while the default build (the
//! tests' and the deployment's) has every platform.

use std::path::Path;
use std::process::Command;

/// The crates that make a full build slow, each behind its platform's feature.
const PLATFORM_CRATES: &[&str] = &["matrix-sdk", "serenity"];

/// The README's command under "Run Relais": the first `sh` block after that line.
fn readme_run_command() -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README.md");
    let after = readme
        .split_once("Run Relais")
        .map(|(_, rest)| rest)
        .expect("a \"Run Relais\" paragraph in the README");
    let block = after.split_once("```sh\n").map(|(_, rest)| rest).expect("its sh block");
    block.lines().next().expect("a command").trim().to_string()
}

/// The normal (not dev, not build) dependencies of relais with `features` arguments, one crate
/// name per line (from `cargo tree`, offline: the tests run after the build fetched everything).
fn dependencies(features: &[&str]) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["tree", "--locked", "--offline", "--edges", "normal", "--prefix", "none"])
        .args(features)
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree {features:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_readme_runs_the_demo_without_the_chat_platforms() {
    let command = readme_run_command();
    assert_eq!(command, "cargo run --release --no-default-features -- demo");
    let demo = dependencies(&["--no-default-features"]);
    assert!(
        demo.iter().any(|name| name == "sled"),
        "the demo has its store: {demo:?}"
    );
    for heavy in PLATFORM_CRATES {
        assert!(
            !demo.iter().any(|name| name == heavy),
            "the demo's build must not compile {heavy}"
        );
    }
}

#[test]
fn the_default_build_has_every_platform() {
    let full = dependencies(&[]);
    for platform in PLATFORM_CRATES {
        assert!(
            full.iter().any(|name| name == platform),
            "{platform} in the default build"
        );
    }
}
