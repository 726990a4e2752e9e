//! A real Synapse homeserver for the Matrix integration tests, installed from PyPI and run on 127.0.0.1.
//!
//! Include it with `#[path = "support/synapse.rs"] mod synapse;`. It needs only std, `tempfile`, `fs2` and
//! `serde_json` (the last two are dependencies of the crate, so tests may use them).
//!
//! - The first use installs `matrix-synapse` (pinned: [`SYNAPSE_VERSION`]) into a venv under `target/`
//!   (`target/synapse-venv-<version>`, or `$RELAIS_SYNAPSE_VENV`), once, under a lock file so that parallel test
//!   binaries do not install at the same time. That takes about 40 s; later runs reuse it.
//! - Each server has its own data folder under `target/tmp`, its own free port, SQLite, no rate limits and a
//!   registration shared secret; `register` uses the admin API with that secret.
//! - Synapse runs under a small Python wrapper that stops it when its standard input closes. The test process keeps
//!   that pipe open, so a test process that dies for any reason takes its homeservers with it.
//! - Needs `python3` (3.10 or later) with `venv` (`$RELAIS_TEST_PYTHON` names another interpreter).

#![allow(dead_code)]

use serde_json::{json, Value};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

#[path = "synapse_config.rs"]
mod config;
#[path = "synapse_http.rs"]
mod http;
#[path = "synapse_install.rs"]
mod install;

#[allow(unused_imports)]
pub use config::SERVER_NAME;
#[allow(unused_imports)]
pub use http::{http_request, HttpResponse};
#[allow(unused_imports)]
pub use install::SYNAPSE_VERSION;

const LOG_TAIL_LINES: usize = 60;

/// Runs Synapse as its child and stops it when standard input reaches end of file. A line `keep` before the end
/// means an orderly stop by the test; without it the test process is gone, and the wrapper removes the data folder.
/// Synapse also dies with the wrapper (Linux `PR_SET_PDEATHSIG`), should the wrapper itself be killed.
const WRAPPER: &str = r#"
import ctypes, shutil, signal, subprocess, sys, threading
config_path, data_dir = sys.argv[1], sys.argv[2]
def die_with_parent():
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)
    except (AttributeError, OSError):
        pass
server = subprocess.Popen([sys.executable, "-m", "synapse.app.homeserver", "--config-path", config_path],
                          stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
stopping = threading.Event()
def stop_when_stdin_closes():
    orphaned = b"keep" not in sys.stdin.buffer.read()
    stopping.set()
    server.terminate()
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    if orphaned:
        shutil.rmtree(data_dir, ignore_errors=True)
watcher = threading.Thread(target=stop_when_stdin_closes, daemon=True)
watcher.start()
code = server.wait()
if stopping.is_set():
    watcher.join()
sys.exit(code)
"#;

/// Computes the registration MAC (HMAC-SHA1 over NUL-separated fields) so the harness needs no crypto crate.
const REGISTRATION_MAC: &str = r#"
import hashlib, hmac, sys
print(hmac.new(sys.argv[1].encode(), "\x00".join(sys.argv[2:]).encode(), hashlib.sha1).hexdigest())
"#;

/// A running (or stopped, see [`Synapse::stop`]) Synapse homeserver with its own port and data folder.
pub struct Synapse {
    python: PathBuf,
    data_dir: tempfile::TempDir,
    port: u16,
    shared_secret: String,
    process: Mutex<Option<Running>>,
}

struct Running {
    child: Child,
    stdin: ChildStdin,
}

impl Synapse {
    /// Installs Synapse if needed and starts a new homeserver of its own; it stops when dropped.
    pub fn start() -> Synapse {
        let python = install::installed_python();
        let data_root = Path::new(env!("CARGO_TARGET_TMPDIR"));
        fs::create_dir_all(data_root).expect("create target/tmp");
        let data_dir = tempfile::Builder::new()
            .prefix("synapse-")
            .tempdir_in(data_root)
            .expect("synapse data dir");
        let synapse = Synapse {
            python,
            port: free_port(),
            shared_secret: random_hex(32),
            data_dir,
            process: Mutex::new(None),
        };
        synapse.write_config();
        synapse.start_again();
        synapse
    }

    /// One homeserver for the whole test binary, started on first use. Do not `stop` it: tests run in parallel.
    /// It is never dropped; it stops (and its folder goes) when the test process exits.
    pub fn shared() -> &'static Synapse {
        static SHARED: OnceLock<Synapse> = OnceLock::new();
        SHARED.get_or_init(Synapse::start)
    }

    /// `http://127.0.0.1:PORT`, the address clients use.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn server_name(&self) -> &'static str {
        SERVER_NAME
    }

    /// `@localpart:localhost`.
    pub fn user_id(&self, localpart: &str) -> String {
        format!("@{localpart}:{SERVER_NAME}")
    }

    /// The homeserver's folder: configuration, SQLite database, logs, media.
    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    /// The last lines of Synapse's log file and of its console output.
    pub fn log_tail(&self) -> String {
        let log = tail(&self.data_dir().join("homeserver.log"), LOG_TAIL_LINES);
        let console = tail(&self.data_dir().join("console.log"), LOG_TAIL_LINES);
        format!("--- homeserver.log (last lines) ---\n{log}\n--- console output (last lines) ---\n{console}")
    }

    /// Whether the Synapse process is alive (it may still be starting).
    pub fn is_running(&self) -> bool {
        let mut process = self.lock_process();
        let exited = match process.as_mut() {
            Some(running) => !matches!(running.child.try_wait(), Ok(None)),
            None => return false,
        };
        if exited {
            *process = None;
        }
        !exited
    }

    /// Stops the homeserver (as if it went away); its data stays for [`Synapse::start_again`]. Does nothing if it
    /// is already stopped.
    pub fn stop(&self) {
        let Some(running) = self.lock_process().take() else {
            return;
        };
        let Running { mut child, mut stdin } = running;
        // "keep": an orderly stop, the wrapper leaves the data folder alone. Closing stdin makes it stop Synapse.
        let _ = stdin.write_all(b"keep\n");
        drop(stdin);
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if !matches!(child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Starts the homeserver on the same port with the same data (stopping it first if it runs) and waits until it
    /// answers.
    pub fn start_again(&self) {
        self.stop();
        let console = File::create(self.data_dir().join("console.log")).expect("create console.log");
        let console_err = console.try_clone().expect("clone console.log handle");
        let config_path = self.data_dir().join("homeserver.yaml");
        let mut child = Command::new(&self.python)
            .arg("-c")
            .arg(WRAPPER)
            .arg(&config_path)
            .arg(self.data_dir())
            .current_dir(self.data_dir())
            // Synapse adds git details of the folder it is installed in to its version; the venv sits inside this
            // repository, so without a ceiling it would report "1.163.2 (b=<our branch>,<our commit>)".
            .env("GIT_CEILING_DIRECTORIES", venv_of(&self.python))
            .stdin(Stdio::piped())
            .stdout(console)
            .stderr(console_err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Synapse with {}: {e}", self.python.display()));
        let stdin = child.stdin.take().expect("piped stdin");
        *self.lock_process() = Some(Running { child, stdin });
        self.wait_until_ready();
    }

    /// Creates an account through the shared-secret admin API; returns its user id and an access token.
    pub fn register(&self, user: &str, password: &str, admin: bool) -> (String, String) {
        let nonce_answer = self
            .request("GET", "/_synapse/admin/v1/register", None, None)
            .expect("GET register nonce");
        let nonce = nonce_answer.json()["nonce"].as_str().map(str::to_owned);
        let nonce = nonce.unwrap_or_else(|| panic!("no nonce in {nonce_answer:?}\n{}", self.log_tail()));
        let admin_field = if admin { "admin" } else { "notadmin" };
        let mac = self.registration_mac(&[&nonce, user, password, admin_field]);
        let body = json!({"nonce": nonce, "username": user, "password": password, "admin": admin, "mac": mac});
        let answer = self
            .request("POST", "/_synapse/admin/v1/register", None, Some(&body))
            .expect("POST register");
        let fields = answer.json();
        match (fields["user_id"].as_str(), fields["access_token"].as_str()) {
            (Some(user_id), Some(token)) if answer.status == 200 => (user_id.to_owned(), token.to_owned()),
            _ => panic!("registering {user} failed: {answer:?}\n{}", self.log_tail()),
        }
    }

    /// Logs in with a password (`m.login.password`); the access token, or the refusal.
    pub fn login(&self, user: &str, password: &str) -> Result<String, HttpResponse> {
        let body = json!({
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": user},
            "password": password,
        });
        let answer = match self.request("POST", "/_matrix/client/v3/login", None, Some(&body)) {
            Ok(answer) => answer,
            Err(e) => {
                return Err(HttpResponse {
                    status: 0,
                    body: format!("no answer: {e}"),
                })
            }
        };
        match answer.json()["access_token"].as_str() {
            Some(token) if answer.status == 200 => Ok(token.to_owned()),
            _ => Err(answer),
        }
    }

    /// One HTTP request to this homeserver (`path` starts with `/`), with an optional bearer token and JSON body.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> io::Result<HttpResponse> {
        http_request(self.port, method, path, token, body)
    }

    fn lock_process(&self) -> MutexGuard<'_, Option<Running>> {
        self.process.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn registration_mac(&self, fields: &[&str]) -> String {
        let output = Command::new(&self.python)
            .arg("-c")
            .arg(REGISTRATION_MAC)
            .arg(&self.shared_secret)
            .args(fields)
            .output()
            .expect("run python for the registration MAC");
        assert!(
            output.status.success(),
            "MAC helper failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    fn wait_until_ready(&self) {
        let limit = Duration::from_secs(env_number("RELAIS_SYNAPSE_START_SECS", 120));
        let started = Instant::now();
        loop {
            let answer = self.request("GET", "/_matrix/client/versions", None, None);
            if matches!(&answer, Ok(a) if a.status == 200 && a.json()["versions"].is_array()) {
                return;
            }
            if !self.is_running() {
                panic!(
                    "Synapse exited while starting (port {})\n{}",
                    self.port,
                    self.log_tail()
                );
            }
            if started.elapsed() > limit {
                self.stop();
                panic!(
                    "Synapse did not answer within {limit:?} (last: {answer:?})\n{}",
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn write_config(&self) {
        let dir = self.data_dir();
        let log_config = dir.join("log.config");
        fs::write(&log_config, config::log_config_yaml(&dir.join("homeserver.log"))).expect("write log.config");
        let yaml = config::homeserver_yaml(dir, self.port, &self.shared_secret, &log_config);
        fs::write(dir.join("homeserver.yaml"), yaml).expect("write homeserver.yaml");
    }
}

impl Drop for Synapse {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The venv folder of its `bin/python`.
fn venv_of(python: &Path) -> PathBuf {
    python.parent().and_then(Path::parent).unwrap_or(python).to_path_buf()
}

/// A port that was free a moment ago on 127.0.0.1.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// `bytes` random bytes as hex, from the OS.
fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buffer))
        .expect("read /dev/urandom");
    buffer.iter().map(|b| format!("{b:02x}")).collect()
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn tail(path: &Path, lines: usize) -> String {
    match fs::read_to_string(path) {
        Ok(text) => {
            let all: Vec<&str> = text.lines().collect();
            all[all.len().saturating_sub(lines)..].join("\n")
        }
        Err(e) => format!("({}: {e})", path.display()),
    }
}
