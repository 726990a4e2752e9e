#!/usr/bin/env bash
# Starts a THROWAWAY local Synapse homeserver to try Relais on Matrix, with four accounts and a Relais
# configuration ready to run. Not for production: no TLS, no federation, test settings.
#
#   deploy/try-matrix.sh [DIR]          start (or restart) it; data in DIR (default ./try-matrix-data)
#   deploy/try-matrix.sh --stop [DIR]   stop it (the data stays; delete DIR to forget everything)
#
# Running it again is safe: it reuses the folder, its port, its accounts and their passwords.
# Needs python3 (3.10 or later) with venv. Synapse is installed from PyPI into a venv, by default the one the
# tests use (target/synapse-venv-VERSION in this repository); RELAIS_SYNAPSE_VENV names another folder.
set -euo pipefail

SYNAPSE_VERSION=1.163.2 # keep in step with tests/support/synapse_install.rs
SERVER_NAME=localhost
ACCOUNTS=(relais carla alice bob)

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${RELAIS_SYNAPSE_VENV:-$repo_root/target/synapse-venv-$SYNAPSE_VERSION}

usage() { sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
fail() { echo "try-matrix: $*" >&2; exit 1; }
say() { echo "try-matrix: $*" >&2; }

action=start
data_arg=
for arg in "$@"; do
    case $arg in
        --stop) action=stop ;;
        -h | --help) usage; exit 0 ;;
        -*) usage >&2; fail "unknown option $arg" ;;
        *) [[ -z $data_arg ]] || fail "one folder only"; data_arg=$arg ;;
    esac
done
data=$(realpath -m -- "${data_arg:-./try-matrix-data}")
case $data in
    *[[:space:]\"\'\\]*) fail "choose a folder path without spaces, quotes or backslashes: $data" ;;
esac
config=$data/homeserver.yaml
pid_file=$data/homeserver.pid

# The pid of the running homeserver of this folder, if any.
running_pid() {
    local pid
    [[ -f $pid_file ]] || return 1
    pid=$(<"$pid_file")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
        && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$config" \
        && echo "$pid"
}

stop_server() {
    local pid
    if ! pid=$(running_pid); then
        say "no homeserver running for $data"
        return 0
    fi
    say "stopping Synapse (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$pid_file"; say "stopped"; return 0; }
        sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pid_file"
    say "killed (it did not stop within 20 s)"
}

ensure_synapse() {
    local marker=$venv/.relais-installed
    if [[ -x $venv/bin/python && $(cat "$marker" 2>/dev/null) == "$SYNAPSE_VERSION" ]]; then
        return 0
    fi
    command -v python3 >/dev/null \
        || fail "python3 not found: install python3 and python3-venv (Debian/Ubuntu: apt-get install python3 python3-venv)"
    python3 -c 'import sys, venv; sys.exit(sys.version_info < (3, 10))' 2>/dev/null \
        || fail "Synapse needs Python 3.10 or later with venv: install python3 and python3-venv (Debian/Ubuntu: apt-get install python3 python3-venv)"
    mkdir -p "$(dirname "$venv")"
    exec 9>"$venv.lock" # the same lock file as the tests, so both never install at once
    command -v flock >/dev/null && flock 9
    if [[ ! -x $venv/bin/python || $(cat "$marker" 2>/dev/null) != "$SYNAPSE_VERSION" ]]; then
        say "installing matrix-synapse==$SYNAPSE_VERSION into $venv (first time only, about a minute)"
        rm -rf "$venv"
        python3 -m venv "$venv" || fail "python3 -m venv failed: install python3-venv (Debian/Ubuntu: apt-get install python3-venv)"
        "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input "matrix-synapse==$SYNAPSE_VERSION" \
            || fail "pip could not install matrix-synapse==$SYNAPSE_VERSION (is PyPI reachable?)"
        echo "$SYNAPSE_VERSION" >"$marker"
    fi
    exec 9>&-
}

random_secret() { "$venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(18))'; }
free_port() {
    "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Writes homeserver.yaml, log.config and passwords.env the first time; later runs keep them.
write_homeserver_files() {
    [[ -f $config ]] && return 0
    mkdir -p "$data"
    chmod 700 "$data"
    # The folder holds passwords: keep it out of git wherever it is made.
    printf '%s\n' '# Written by deploy/try-matrix.sh: nothing here belongs in git.' '*' >"$data/.gitignore"
    local port
    port=$(free_port)
    cat >"$data/log.config" <<EOF
version: 1
formatters:
  precise:
    format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s'
handlers:
  file:
    class: logging.FileHandler
    formatter: precise
    filename: $data/homeserver.log
    encoding: utf8
root:
  level: WARNING
  handlers: [file]
disable_existing_loggers: false
EOF
    cat >"$config" <<EOF
# Throwaway homeserver written by deploy/try-matrix.sh. Not for production.
server_name: "$SERVER_NAME"
public_baseurl: "http://127.0.0.1:$port/"
pid_file: $pid_file
listeners:
  - port: $port
    bind_addresses: ['127.0.0.1']
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: $data/homeserver.db
log_config: $data/log.config
media_store_path: $data/media_store
signing_key_path: $data/signing.key
registration_shared_secret: "$(random_secret)"
macaroon_secret_key: "$(random_secret)"
form_secret: "$(random_secret)"
enable_registration: false
report_stats: false
enable_metrics: false
trusted_key_servers: []
suppress_key_server_warning: true
url_preview_enabled: false
rc_message: {per_second: 1000, burst_count: 1000}
rc_login:
  address: {per_second: 1000, burst_count: 1000}
  account: {per_second: 1000, burst_count: 1000}
  failed_attempts: {per_second: 1000, burst_count: 1000}
rc_joins:
  local: {per_second: 1000, burst_count: 1000}
rc_invites:
  per_room: {per_second: 1000, burst_count: 1000}
  per_user: {per_second: 1000, burst_count: 1000}
EOF
    local name
    (
        umask 077
        for name in "${ACCOUNTS[@]}"; do
            echo "${name^^}_PASSWORD=$(random_secret)"
        done >"$data/passwords.env"
    )
}

port_of_config() { sed -n 's/^  - port: \([0-9]*\)$/\1/p' "$config"; }
base_url() { echo "http://127.0.0.1:$(port_of_config)"; }

answers() {
    "$venv/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
        "$(base_url)/_matrix/client/versions" 2>/dev/null
}

start_server() {
    if running_pid >/dev/null && answers; then
        say "Synapse already runs at $(base_url)"
        return 0
    fi
    running_pid >/dev/null && stop_server
    say "starting Synapse $SYNAPSE_VERSION at $(base_url) (data in $data)"
    "$venv/bin/python" -m synapse.app.homeserver --config-path "$config" --daemonize >>"$data/console.log" 2>&1 \
        || fail "Synapse did not start; see $data/console.log and $data/homeserver.log"
    for _ in $(seq 1 300); do
        answers && return 0
        running_pid >/dev/null || break
        sleep 0.2
    done
    tail -n 30 "$data/homeserver.log" >&2 || true
    fail "Synapse did not answer (it stopped, or took over 60 s); see $data/homeserver.log and $data/console.log"
}

register_accounts() {
    local name password_var password_file
    password_file=$(mktemp "$data/.password.XXXXXX")
    # shellcheck source=/dev/null
    source "$data/passwords.env"
    for name in "${ACCOUNTS[@]}"; do
        password_var="${name^^}_PASSWORD"
        printf '%s' "${!password_var}" >"$password_file"
        "$venv/bin/register_new_matrix_user" --config "$config" --user "$name" --password-file "$password_file" \
            --no-admin --exists-ok "$(base_url)" >/dev/null \
            || { rm -f "$password_file"; fail "could not register @$name:$SERVER_NAME"; }
    done
    rm -f "$password_file"
}

# relais.toml and relais.env are written the first time only, so that your edits (rooms...) survive.
write_relais_files() {
    if [[ ! -f $data/relais.toml ]]; then
        cat >"$data/relais.toml" <<EOF
# Relais configuration for the throwaway homeserver of deploy/try-matrix.sh.
# Check it with: cargo run -- check-config $data/relais.toml
coordinators = ["matrix:@carla:$SERVER_NAME"]

[organisation]
name = "Relais trial"
time-zone = "UTC"
default-language = "en"

[bot]
prompts-dir = "$repo_root/prompts"

[store]
path = "$data/relais-store"

[matrix]
homeserver = "$(base_url)"
user-id = "@relais:$SERVER_NAME"
password-env = "RELAIS_MATRIX_PASSWORD"
allowed-inviters = [":$SERVER_NAME"]
state-dir = "$data/relais-matrix"
EOF
    fi
    # shellcheck source=/dev/null
    source "$data/passwords.env"
    (umask 077 && echo "RELAIS_MATRIX_PASSWORD=$RELAIS_PASSWORD" >"$data/relais.env")
}

print_instructions() {
    # shellcheck source=/dev/null
    source "$data/passwords.env"
    cat <<EOF

A throwaway Matrix homeserver runs at $(base_url) (server name "$SERVER_NAME").

Accounts (passwords are also in $data/passwords.env):
  @relais:$SERVER_NAME   $RELAIS_PASSWORD   the bot
  @carla:$SERVER_NAME    $CARLA_PASSWORD   coordinator
  @alice:$SERVER_NAME    $ALICE_PASSWORD   ambassador
  @bob:$SERVER_NAME      $BOB_PASSWORD   ambassador

1. Log in with any Matrix client, e.g. Element desktop: "Sign in", next to the homeserver choose "Edit",
   enter $(base_url), then user name carla (or alice, bob) and the password above.
2. As carla, create a room and invite @relais:$SERVER_NAME (Element: room info, "Invite", or type
   /invite @relais:$SERVER_NAME in the room). Relais accepts invitations from anyone on $SERVER_NAME
   (it joins once it runs, step 3).
3. Start the bot from the repository ($repo_root), built with Matrix only and without optimisation, the
   quickest first build (for production: cargo build --release, see deploy/README.md):
     RELAIS_MATRIX_PASSWORD='$RELAIS_PASSWORD' cargo run --no-default-features --features matrix -- run --config $data/relais.toml
   or: set -a; . $data/relais.env; set +a; cargo run --no-default-features --features matrix -- run --config $data/relais.toml
4. As carla, make it a team room: type in the room
     !room here team en 09:00
   (the daily push in English at 09:00 UTC, and the weekly leaderboard). Relais answers, and from then on
   everyone in the room can use it: invite alice and bob, and try !help, !today, !me. A second room with
   !room here coordinators receives the weekly reports. In a room not set up yet, Relais answers the
   first command once with how to set it up, then stays quiet there.

Stop the homeserver: $0 --stop $data
Forget everything:   $0 --stop $data && rm -rf $data
EOF
}

case $action in
    stop) stop_server ;;
    start)
        ensure_synapse
        write_homeserver_files
        start_server
        register_accounts
        write_relais_files
        print_instructions
        ;;
esac
