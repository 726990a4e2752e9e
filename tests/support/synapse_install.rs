//! Installs the pinned `matrix-synapse` from PyPI into a venv under `target/`, once, under a lock file.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

/// The matrix-synapse release the tests run against.
pub const SYNAPSE_VERSION: &str = "1.163.2";
const INSTALLED_MARKER: &str = ".relais-installed";

/// A progress line on the real standard error: libtest captures `eprintln!`, but not direct writes.
macro_rules! progress {
    ($($arg:tt)*) => {{
        let _ = writeln!(io::stderr(), "synapse harness: {}", format_args!($($arg)*));
    }};
}

/// The venv's python, after installing Synapse into the venv if it is not there yet (once per process).
pub fn installed_python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(install_synapse).clone()
}

pub fn venv_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("RELAIS_SYNAPSE_VENV") {
        return PathBuf::from(dir);
    }
    let target_tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let target = target_tmp.parent().unwrap_or(target_tmp);
    target.join(format!("synapse-venv-{SYNAPSE_VERSION}"))
}

fn install_synapse() -> PathBuf {
    let venv = venv_dir();
    let python = venv.join("bin").join("python");
    let marker = venv.join(INSTALLED_MARKER);
    let is_installed = || python.exists() && fs::read_to_string(&marker).is_ok_and(|v| v.trim() == SYNAPSE_VERSION);
    if is_installed() {
        return python;
    }
    let parent = venv.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).expect("create the venv's parent folder");
    // `<venv>.lock`, the same file deploy/try-matrix.sh locks.
    let mut lock_path = venv.clone().into_os_string();
    lock_path.push(".lock");
    let lock_path = PathBuf::from(lock_path);
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .expect("open lock file");
    progress!("taking the install lock {}", lock_path.display());
    fs2::FileExt::lock_exclusive(&lock).expect("lock the Synapse install");
    if !is_installed() {
        create_venv_and_install(&venv);
        fs::write(&marker, SYNAPSE_VERSION).expect("write the install marker");
    }
    let _ = fs2::FileExt::unlock(&lock);
    python
}

fn create_venv_and_install(venv: &Path) {
    let system_python = std::env::var("RELAIS_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    check_system_python(&system_python);
    let started = Instant::now();
    if venv.exists() {
        fs::remove_dir_all(venv).expect("remove a half-made venv");
    }
    progress!("creating the venv {}", venv.display());
    let made = Command::new(&system_python).args(["-m", "venv"]).arg(venv).output();
    match made {
        Ok(out) if out.status.success() => {}
        other => panic!(
            "`{system_python} -m venv` failed: {}\nInstall the venv module: python3-venv \
             (Debian/Ubuntu: apt-get install python3-venv)",
            describe_output(&other)
        ),
    }
    progress!("installing matrix-synapse=={SYNAPSE_VERSION} from PyPI (first run only, ~40 s)");
    let pip = venv.join("bin").join("pip");
    let installed = Command::new(&pip)
        .args(["install", "--disable-pip-version-check", "--no-input", "--quiet"])
        .arg(format!("matrix-synapse=={SYNAPSE_VERSION}"))
        .output();
    match installed {
        Ok(out) if out.status.success() => {}
        other => panic!(
            "installing matrix-synapse=={SYNAPSE_VERSION} with {} failed (is PyPI reachable?): {}",
            pip.display(),
            describe_output(&other)
        ),
    }
    progress!("installed in {:.0?}", started.elapsed());
}

fn check_system_python(python: &str) {
    let probe = Command::new(python)
        .args(["-c", "import sys, venv; sys.exit(sys.version_info < (3, 10))"])
        .output();
    match probe {
        Ok(out) if out.status.success() => {}
        other => panic!(
            "the Synapse tests need Python 3.10 or later with venv, as `{python}`: install python3 and python3-venv \
             (Debian/Ubuntu: apt-get install python3 python3-venv; Fedora: dnf install python3), or name another \
             interpreter in RELAIS_TEST_PYTHON. Probe: {}",
            describe_output(&other)
        ),
    }
}

fn describe_output(output: &io::Result<std::process::Output>) -> String {
    match output {
        Ok(out) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let stdout = String::from_utf8_lossy(&out.stdout);
            let tail: Vec<&str> = stdout.lines().chain(stderr.lines()).collect();
            format!("{}\n{}", out.status, tail[tail.len().saturating_sub(30)..].join("\n"))
        }
        Err(e) => format!("could not run it: {e}"),
    }
}
