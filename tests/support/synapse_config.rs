//! The files of a test homeserver: `homeserver.yaml` (SQLite, one client listener, no rate limits) and its log
//! configuration.

use serde_json::Value;
use std::path::Path;

/// The `server_name` of every test homeserver: user ids are `@name:localhost`.
pub const SERVER_NAME: &str = "localhost";

/// The configuration: SQLite, one client listener on 127.0.0.1, no federation, no rate limits, absolute paths.
pub fn homeserver_yaml(dir: &Path, port: u16, shared_secret: &str, log_config: &Path) -> String {
    let path = |name: &str| yaml_string(&dir.join(name).to_string_lossy());
    let unlimited = "{per_second: 100000, burst_count: 100000}";
    let rate_limits = [
        "rc_message",
        "rc_registration",
        "rc_registration_token_validity",
        "rc_joins_per_room",
        "rc_key_requests",
        "rc_3pid_validation",
        "rc_third_party_invite",
        "rc_media_create",
        "rc_delayed_event_mgmt",
        "rc_room_creation",
        "rc_reports",
        "rc_user_directory",
        "rc_profile",
        "rc_admin_redaction",
    ]
    .iter()
    .map(|key| format!("{key}: {unlimited}\n"))
    .collect::<String>();
    format!(
        "server_name: \"{SERVER_NAME}\"\n\
         pid_file: {pid}\n\
         public_baseurl: \"http://127.0.0.1:{port}/\"\n\
         listeners:\n  - port: {port}\n    bind_addresses: ['127.0.0.1']\n    type: http\n    tls: false\n    \
         x_forwarded: false\n    resources:\n      - names: [client]\n        compress: false\n\
         database:\n  name: sqlite3\n  args:\n    database: {db}\n\
         log_config: {log}\n\
         media_store_path: {media}\n\
         signing_key_path: {key}\n\
         registration_shared_secret: \"{shared_secret}\"\n\
         macaroon_secret_key: \"{macaroon}\"\n\
         form_secret: \"{form}\"\n\
         enable_registration: false\n\
         bcrypt_rounds: 4\n\
         report_stats: false\n\
         enable_metrics: false\n\
         trusted_key_servers: []\n\
         suppress_key_server_warning: true\n\
         url_preview_enabled: false\n\
         presence:\n  enabled: false\n\
         caches:\n  sync_response_cache_duration: 0\n\
         {rate_limits}\
         rc_login:\n  address: {unlimited}\n  account: {unlimited}\n  failed_attempts: {unlimited}\n\
         rc_joins:\n  local: {unlimited}\n  remote: {unlimited}\n\
         rc_invites:\n  per_room: {unlimited}\n  per_user: {unlimited}\n  per_issuer: {unlimited}\n\
         rc_presence:\n  per_user: {unlimited}\n\
         rc_federation:\n  window_size: 1000\n  sleep_limit: 1000\n  sleep_delay: 1\n  reject_limit: 10000\n  \
         concurrent: 1000\n",
        pid = path("homeserver.pid"),
        db = path("homeserver.db"),
        log = yaml_string(&log_config.to_string_lossy()),
        media = path("media_store"),
        key = path("signing.key"),
        macaroon = super::random_hex(32),
        form = super::random_hex(32),
    )
}

/// Python logging configuration: warnings and worse, to one file.
pub fn log_config_yaml(log_file: &Path) -> String {
    format!(
        "version: 1\n\
         formatters:\n  precise:\n    format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(message)s'\n\
         handlers:\n  file:\n    class: logging.FileHandler\n    formatter: precise\n    filename: {}\n    \
         encoding: utf8\n\
         root:\n  level: WARNING\n  handlers: [file]\n\
         disable_existing_loggers: false\n",
        yaml_string(&log_file.to_string_lossy())
    )
}

/// A double-quoted YAML (and JSON) string.
fn yaml_string(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}
