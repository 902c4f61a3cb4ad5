#!/usr/bin/env bash
# Local test infrastructure for ImageManager.
#
#   infra/infra.sh start     install what is missing, start everything (idempotent)
#   infra/infra.sh stop      stop exactly what this script started
#   infra/infra.sh status    show each component; exit 0 only if all are up
#   infra/infra.sh restart   stop, then start
#   infra/infra.sh rabbitmqctl ARGS...   run rabbitmqctl against our node
#   infra/infra.sh broker start|stop|restart|status|rabbitmqctl NAME [ARGS...]
#                            a private RabbitMQ node NAME, for tests that restart their broker (see below)
#
# Components (all bound to 127.0.0.1, all state under <repo>/.local/infra/):
#   RabbitMQ  :5673  (node imagemanager@localhost, private epmd on :4370)
#   MariaDB   :3307  database imagemanager_catalog, user imagemanager/imagemanager
#   Postgres  :5433  database imagemanager_distribution, role imagemanager/imagemanager
#   Glance    :9292 and :9293 (two OpenStack Glance APIs, no Keystone, file store)
#   Registry  :5000 (OCI distribution registry, no auth) and :5001 (the same with htpasswd basic auth,
#             test-only user and password in the env file); deletes enabled
#   Keystone  :35357 (Keystone v3 on uwsgi, sqlite, fernet tokens; admin password generated
#             into .local/infra/keystone/admin-password)
#   Glance    :9294 (a third Glance behind Keystone, in Keystone's catalog as RegionOne's image service)
#
# Every Glance offers web-download import from 127.0.0.1 (any port), so a VIM can pull from the Api.
#
# After `start`, `source .local/infra/env` gives the IMAGEMANAGER_* connection settings.
# A port already served by a compatible instance (the same infrastructure started from
# another checkout, e.g. while CI runs in a fresh clone) is reused rather than fought over.
#
# A private broker (`broker ... NAME`) is a RabbitMQ node of its own, imagemanager-NAME@localhost, with its own epmd
# and its state under .local/infra/broker-NAME/: fault tests stop and start it while every other test keeps using the
# shared node. `start` is idempotent and prints its AMQP URI last; its ports (AMQP, Erlang distribution, epmd) are free
# ones chosen at the first start, or IMAGEMANAGER_BROKER_PORT, IMAGEMANAGER_BROKER_DIST_PORT, IMAGEMANAGER_BROKER_EPMD_PORT,
# and stay the same across `restart` (clients reconnect to the same URI, durable queues and messages survive);
# `stop` stops the node and deletes its state; so does `infra/infra.sh stop` for any left behind.
#
# Ports can be overridden with IMAGEMANAGER_RABBITMQ_PORT, IMAGEMANAGER_RABBITMQ_DIST_PORT,
# IMAGEMANAGER_EPMD_PORT, IMAGEMANAGER_MARIADB_PORT, IMAGEMANAGER_POSTGRES_PORT,
# IMAGEMANAGER_GLANCE_1_PORT, IMAGEMANAGER_GLANCE_2_PORT, IMAGEMANAGER_REGISTRY_PORT,
# IMAGEMANAGER_REGISTRY_AUTH_PORT, IMAGEMANAGER_KEYSTONE_PORT, IMAGEMANAGER_GLANCE_KEYSTONE_PORT; the per-component start/stop
# timeout with IMAGEMANAGER_INFRA_TIMEOUT (seconds, default 60).
set -euo pipefail
umask 022

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
LOCAL_DIR="$REPO_ROOT/.local"
INFRA_DIR="$LOCAL_DIR/infra"
ENV_FILE="$INFRA_DIR/env"

HOST=127.0.0.1
RABBITMQ_PORT="${IMAGEMANAGER_RABBITMQ_PORT:-5673}"
RABBITMQ_DIST_PORT="${IMAGEMANAGER_RABBITMQ_DIST_PORT:-$((RABBITMQ_PORT + 20000))}"
RABBITMQ_NODE="${IMAGEMANAGER_RABBITMQ_NODE:-imagemanager@localhost}"
EPMD_PORT="${IMAGEMANAGER_EPMD_PORT:-4370}"
MARIADB_PORT="${IMAGEMANAGER_MARIADB_PORT:-3307}"
POSTGRES_PORT="${IMAGEMANAGER_POSTGRES_PORT:-5433}"
GLANCE_PORTS=("${IMAGEMANAGER_GLANCE_1_PORT:-9292}" "${IMAGEMANAGER_GLANCE_2_PORT:-9293}")
REGISTRY_PORT="${IMAGEMANAGER_REGISTRY_PORT:-5000}"
REGISTRY_AUTH_PORT="${IMAGEMANAGER_REGISTRY_AUTH_PORT:-5001}"
# 5000, Keystone's usual port, is the registry's here; 35357 was Keystone's admin port.
KEYSTONE_PORT="${IMAGEMANAGER_KEYSTONE_PORT:-35357}"
GLANCE_KEYSTONE_PORT="${IMAGEMANAGER_GLANCE_KEYSTONE_PORT:-9294}"
KEYSTONE_REGION=RegionOne
TIMEOUT="${IMAGEMANAGER_INFRA_TIMEOUT:-60}"

DB_USER=imagemanager
DB_PASSWORD=imagemanager
MARIADB_DATABASE=imagemanager_catalog
POSTGRES_DATABASE=imagemanager_distribution
# The htpasswd registry's one user: test-only credentials, published in the env file for the tests.
REGISTRY_USER=imagemanager
REGISTRY_PASSWORD=imagemanager-registry

RABBITMQ_DIR="$INFRA_DIR/rabbitmq"
EPMD_DIR="$INFRA_DIR/epmd"
MARIADB_DIR="$INFRA_DIR/mariadb"
POSTGRES_DIR="$INFRA_DIR/postgres"
KEYSTONE_DIR="$INFRA_DIR/keystone"

# Unix sockets are limited to ~107 bytes; fall back to a short per-checkout dir in /tmp
# when the clone lives in a very deep path.
if (( ${#INFRA_DIR} <= 70 )); then
  SOCKET_DIR="$INFRA_DIR/run"
else
  SOCKET_DIR="/tmp/imagemanager-infra-$(printf '%s' "$INFRA_DIR" | md5sum | cut -c1-10)"
fi
MARIADB_SOCKET="$SOCKET_DIR/mariadb.sock"
POSTGRES_SOCKET_DIR="$SOCKET_DIR/postgres"

# ---------------------------------------------------------------------------- helpers

log()  { printf '[infra] %s\n' "$*"; }
warn() { printf '[infra] WARNING: %s\n' "$*" >&2; }
die()  { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [[ "$(id -u)" -eq 0 ]]; }

as_root() {
  if is_root; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

# Print the last lines of some log files to stderr, then fail.
fail_with_logs() {
  local msg="$1"; shift
  local f
  for f in "$@"; do
    if [[ -f "$f" ]]; then
      printf '\n----- last lines of %s -----\n' "$f" >&2
      tail -n 40 "$f" >&2 || true
    fi
  done
  printf '\n' >&2
  die "$msg"
}

# A pid is alive when it exists and is not a zombie (containers may reap late).
pid_alive() {
  local pid="${1:-}"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  local state
  state="$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1 || true)"
  [[ -n "$state" && "$state" != Z ]]
}

# Alive and its command line matches the extended regex PATTERN
# (guards against pids reused by other programs, e.g. after a reboot).
pid_matches() {
  local pid="$1" pattern="$2"
  pid_alive "$pid" || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" || return 1
  grep -Eq -- "$pattern" <<<"$cmdline"
}

# Pids of all processes having ARG as one of their exact command-line arguments.
pids_with_arg() {
  local arg="$1" f pid a args=()
  for f in /proc/[0-9]*/cmdline; do
    pid="${f#/proc/}"; pid="${pid%/cmdline}"
    [[ "$pid" != "$$" ]] || continue
    mapfile -d '' -t args 2>/dev/null <"$f" || continue
    for a in "${args[@]}"; do
      if [[ "$a" == "$arg" ]]; then
        if pid_alive "$pid"; then echo "$pid"; fi
        break
      fi
    done
  done
  return 0
}

# First line of a pid file (also works for postmaster.pid), empty if missing.
read_pid() {
  if [[ -f "$1" ]]; then head -n 1 "$1" 2>/dev/null | tr -d '[:space:]' || true; fi
}

port_open() {
  timeout 3 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

# Run a command detached (own session, no tty, output to a log) and record its pid.
spawn() {
  local pidfile="$1" logfile="$2"; shift 2
  # shellcheck disable=SC2016 # expanded by the inner shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 &
}

# wait_for SECONDS PIDFILE CHECK...: poll CHECK until it succeeds. Fails early when the
# process in PIDFILE (if given) has died.
wait_for() {
  local seconds="$1" pidfile="$2"; shift 2
  local deadline=$((SECONDS + seconds)) pid
  while ((SECONDS < deadline)); do
    if "$@"; then return 0; fi
    if [[ -n "$pidfile" ]]; then
      pid="$(read_pid "$pidfile")"
      if [[ -n "$pid" ]] && ! pid_alive "$pid"; then return 1; fi
    fi
    sleep 0.5
  done
  "$@"
}

# Send TERM to a pid (and wait for it and the given extra pids to be gone); KILL on timeout.
stop_pid() {
  local name="$1" pid="$2"; shift 2
  local pids=("$pid" "$@") p deadline=$((SECONDS + TIMEOUT))
  kill -TERM "$pid" 2>/dev/null || true
  for p in "${pids[@]}"; do
    while pid_alive "$p" && ((SECONDS < deadline)); do sleep 0.3; done
    if pid_alive "$p"; then
      warn "$name (pid $p) did not exit within ${TIMEOUT}s, sending KILL"
      kill -KILL "$p" 2>/dev/null || true
    fi
  done
}

# A port that is taken although our own process is not running: reuse it when the server
# there behaves like ours (typically the same infrastructure started from another checkout
# of the repository, e.g. the developer's tree while CI runs in a fresh clone), otherwise
# fail. Returns 0 when reused, 1 when the port is free.
reuse_compatible_server() {
  local name="$1" port="$2"; shift 2
  port_open "$port" || return 1
  if "$@"; then
    log "$name: reusing the compatible server already listening on $HOST:$port (not started from this checkout; 'stop' here leaves it alone)"
    return 0
  fi
  die "$name: port $HOST:$port is already in use by another program. Stop it or override the port (see the header of $0)."
}

# Make every directory above DIR searchable by USER (postgres refuses to run as root).
ensure_traversable() {
  local user="$1" dir="$2" d dirs=()
  d="$dir"
  while [[ "$d" != / ]]; do dirs=("$d" "${dirs[@]}"); d="$(dirname "$d")"; done
  for d in "${dirs[@]}"; do
    if ! runuser -u "$user" -- test -x "$d" 2>/dev/null; then
      log "note: chmod o+x $d so that '$user' can reach its data directory"
      chmod o+x "$d"
    fi
  done
}

# ------------------------------------------------------------------------- packages

# (The servers pull in their clients: mariadb-client, postgresql-client-NN.) xz-utils, bzip2 and zstd: the
# Validation tests compress their packages with the real tools. docker-registry is the OCI distribution registry;
# apache2-utils brings htpasswd, which writes the bcrypt password file of the registry with basic auth. keystone brings
# uwsgi with its python3 plugin, which serves it; python3-keystonemiddleware comes with glance-api. chromium is the
# headless browser the portal's tests drive (Playwright, never a downloaded browser).
PACKAGES=(curl iproute2 openssl rabbitmq-server mariadb-server postgresql glance-api qemu-utils xz-utils bzip2 zstd
          docker-registry apache2-utils keystone sqlite3 chromium)

pkg_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0

  log "installing missing packages: ${missing[*]}"
  # Keep the distribution's own services (system RabbitMQ, MariaDB, PostgreSQL, glance-api on
  # :9292 ...) from being started by the package scripts: we run our own instances.
  local own_policy=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
    own_policy=1
  fi
  local rc=0
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || rc=$?
  if ((rc == 0)); then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" || rc=$?
  fi
  [[ -n "$own_policy" ]] && as_root rm -f /usr/sbin/policy-rc.d
  ((rc == 0)) || die "package installation failed"
}

# --------------------------------------------------------------------------- epmd
# Private Erlang port mapper on its own port so we never share (or kill) a system epmd.

epmd_running() { pid_matches "$(read_pid "$EPMD_DIR/epmd.pid")" epmd && port_open "$EPMD_PORT"; }

start_epmd() {
  mkdir -p "$EPMD_DIR"
  if epmd_running; then return 0; fi
  rm -f "$EPMD_DIR/epmd.pid"
  if port_open "$EPMD_PORT"; then
    log "epmd: reusing the epmd already listening on $HOST:$EPMD_PORT"
    return 0
  fi
  spawn "$EPMD_DIR/epmd.pid" "$EPMD_DIR/epmd.log" epmd -address "$HOST" -port "$EPMD_PORT"
  wait_for "$TIMEOUT" "$EPMD_DIR/epmd.pid" port_open "$EPMD_PORT" \
    || fail_with_logs "epmd did not come up on $HOST:$EPMD_PORT" "$EPMD_DIR/epmd.log"
}

stop_epmd() {
  local pid
  pid="$(read_pid "$EPMD_DIR/epmd.pid")"
  if pid_matches "$pid" epmd; then
    log "stopping epmd (pid $pid)"
    stop_pid epmd "$pid"
  fi
  rm -f "$EPMD_DIR/epmd.pid"
}

# ------------------------------------------------------------------------- RabbitMQ

rabbitmq_bin() {
  local tool="$1"
  if [[ -x "/usr/lib/rabbitmq/bin/$tool" ]]; then echo "/usr/lib/rabbitmq/bin/$tool"
  else command -v "$tool" || echo "/usr/sbin/$tool"
  fi
}

# Everything RabbitMQ (server and CLI) needs to use our node and our directories only.
rabbitmq_env() {
  export HOME="$RABBITMQ_DIR/home"                 # holds our private .erlang.cookie
  export RABBITMQ_NODENAME="$RABBITMQ_NODE"
  export RABBITMQ_USE_LONGNAME=false
  export RABBITMQ_NODE_IP_ADDRESS="$HOST"
  export RABBITMQ_NODE_PORT="$RABBITMQ_PORT"
  export RABBITMQ_DIST_PORT="$RABBITMQ_DIST_PORT"
  export RABBITMQ_CONF_ENV_FILE="$RABBITMQ_DIR/rabbitmq-env.conf"
  export RABBITMQ_CONFIG_FILE="$RABBITMQ_DIR/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$RABBITMQ_DIR/advanced.config"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$RABBITMQ_DIR/enabled_plugins"
  export RABBITMQ_MNESIA_BASE="$RABBITMQ_DIR/mnesia"
  export RABBITMQ_MNESIA_DIR="$RABBITMQ_DIR/mnesia/$RABBITMQ_NODE"
  export RABBITMQ_LOG_BASE="$RABBITMQ_DIR/log"
  export RABBITMQ_PID_FILE="$RABBITMQ_DIR/rabbitmq.pid"
  export ERL_EPMD_ADDRESS="$HOST"
  export ERL_EPMD_PORT="$EPMD_PORT"
  export ERL_CRASH_DUMP="$RABBITMQ_DIR/log/erl_crash.dump"   # not into the caller's working directory
  # Erlang distribution listeners (server and CLI) on loopback only.
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

# The AMQP listener answers a protocol header with a Connection.Start frame (type 1).
rabbitmq_amqp_ready() {
  local first
  first="$(timeout 5 bash -c "exec 3<>/dev/tcp/$HOST/$RABBITMQ_PORT && printf 'AMQP\\x00\\x00\\x09\\x01' >&3 && head -c 1 <&3 | od -An -tx1" 2>/dev/null || true)"
  [[ "${first// /}" == 01 ]]
}

rabbitmq_running() { pid_matches "$(read_pid "$RABBITMQ_DIR/rabbitmq.pid")" beam && rabbitmq_amqp_ready; }

start_rabbitmq() {
  mkdir -p "$RABBITMQ_DIR"/{home,mnesia,log}
  start_epmd
  local pid
  pid="$(read_pid "$RABBITMQ_DIR/rabbitmq.pid")"
  if pid_matches "$pid" beam; then
    if wait_for "$TIMEOUT" "$RABBITMQ_DIR/rabbitmq.pid" rabbitmq_amqp_ready; then
      log "rabbitmq: already running (pid $pid)"; return 0
    fi
    fail_with_logs "rabbitmq (pid $pid) runs but does not answer on $HOST:$RABBITMQ_PORT" \
      "$RABBITMQ_DIR/log/startup.log" "$RABBITMQ_DIR/log/$RABBITMQ_NODE.log"
  fi
  rm -f "$RABBITMQ_DIR/rabbitmq.pid" "$RABBITMQ_DIR/launcher.pid"
  if reuse_compatible_server rabbitmq "$RABBITMQ_PORT" rabbitmq_amqp_ready; then return 0; fi

  if [[ ! -s "$RABBITMQ_DIR/home/.erlang.cookie" ]]; then
    (umask 077; head -c 32 /dev/urandom | md5sum | cut -c1-20 | tr a-f A-F >"$RABBITMQ_DIR/home/.erlang.cookie")
  fi
  chmod 400 "$RABBITMQ_DIR/home/.erlang.cookie"
  : >"$RABBITMQ_DIR/rabbitmq-env.conf"
  echo '[].' >"$RABBITMQ_DIR/enabled_plugins"
  cat >"$RABBITMQ_DIR/rabbitmq.conf" <<EOF
# generated by infra/infra.sh
loopback_users.guest = true
log.console = false
log.file.level = info
EOF

  log "rabbitmq: starting node $RABBITMQ_NODE on $HOST:$RABBITMQ_PORT"
  (
    rabbitmq_env
    cd "$RABBITMQ_DIR"
    spawn "$RABBITMQ_DIR/launcher.pid" "$RABBITMQ_DIR/log/startup.log" "$(rabbitmq_bin rabbitmq-server)"
  )
  wait_for "$TIMEOUT" "$RABBITMQ_DIR/launcher.pid" rabbitmq_running \
    || fail_with_logs "rabbitmq did not come up on $HOST:$RABBITMQ_PORT within ${TIMEOUT}s" \
         "$RABBITMQ_DIR/log/startup.log" "$RABBITMQ_DIR/log/$RABBITMQ_NODE.log"
}

# Image Manager's services connect as guest. They carry outside senders' messages on unchanged (into _error queues,
# to the scheduler), user_id included, which RabbitMQ allows only to a user tagged impersonator.
let_services_impersonate() {
  ( rabbitmqctl_cmd set_user_tags guest administrator impersonator ) >/dev/null \
    || die "rabbitmq: could not tag user guest as impersonator"
}

stop_rabbitmq() {
  local pid launcher
  pid="$(read_pid "$RABBITMQ_DIR/rabbitmq.pid")"
  launcher="$(read_pid "$RABBITMQ_DIR/launcher.pid")"
  if pid_matches "$pid" beam; then
    log "stopping rabbitmq (pid $pid)"
    stop_pid rabbitmq "$pid"
  fi
  if pid_matches "$launcher" rabbitmq-server; then
    stop_pid rabbitmq-launcher "$launcher"
  fi
  rm -f "$RABBITMQ_DIR/rabbitmq.pid" "$RABBITMQ_DIR/launcher.pid"
  stop_epmd
}

# The CLI needs the running node's Erlang cookie: ours, or, for a node reused from another checkout (CI's fresh
# clone beside a developer's), that node's own, found through the HOME in its process environment.
rabbitmq_cookie_home() {
  local pid home
  if pid_matches "$(read_pid "$RABBITMQ_DIR/rabbitmq.pid")" beam; then echo "$RABBITMQ_DIR/home"; return; fi
  pid="$(ss -ltnpH "sport = :$RABBITMQ_PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true)"
  if [[ -n "$pid" ]]; then
    home="$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | sed -n 's/^HOME=//p' | head -n 1 || true)"
    if [[ -n "$home" && -s "$home/.erlang.cookie" ]]; then echo "$home"; return; fi
  fi
  echo "$RABBITMQ_DIR/home"
}

rabbitmqctl_cmd() {
  rabbitmq_env
  HOME="$(rabbitmq_cookie_home)"
  export HOME
  exec "$(rabbitmq_bin rabbitmqctl)" -n "$RABBITMQ_NODE" "$@"
}

# ------------------------------------------------------------------ private brokers

# A free port on 127.0.0.1 from 20000-29999 (the CLI's own distribution ports are the node's + 10000, still below 40000).
free_port() {
  local port _
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 10000))
    if ! port_open "$port" && [[ " $* " != *" $port "* ]]; then echo "$port"; return 0; fi
  done
  die "no free port found in 20000-29999"
}

# Points the RabbitMQ and epmd functions above at private broker NAME; its ports are read from its state, or chosen.
use_private_broker() {
  local name="$1"
  [[ "$name" =~ ^[a-z0-9][a-z0-9-]{0,39}$ ]] || die "broker name: up to 40 lower-case letters, digits and '-', got '$name'"
  RABBITMQ_DIR="$INFRA_DIR/broker-$name"
  EPMD_DIR="$RABBITMQ_DIR/epmd"
  RABBITMQ_NODE="imagemanager-$name@localhost"
  if [[ -f "$RABBITMQ_DIR/ports" ]]; then
    # shellcheck disable=SC1091
    source "$RABBITMQ_DIR/ports"
  else
    RABBITMQ_PORT="${IMAGEMANAGER_BROKER_PORT:-$(free_port)}"
    RABBITMQ_DIST_PORT="${IMAGEMANAGER_BROKER_DIST_PORT:-$(free_port "$RABBITMQ_PORT")}"
    EPMD_PORT="${IMAGEMANAGER_BROKER_EPMD_PORT:-$(free_port "$RABBITMQ_PORT" "$RABBITMQ_DIST_PORT")}"
  fi
}

# Private brokers of this checkout (a test run that died may have left one running).
private_brokers() {
  local dir
  for dir in "$INFRA_DIR"/broker-*; do
    if [[ -d "$dir" ]]; then echo "${dir##*/broker-}"; fi
  done
}

cmd_broker() {
  local action="${1:-}" name="${2:-}"
  [[ -n "$name" ]] || { usage >&2; exit 2; }
  shift 2
  use_private_broker "$name"
  if [[ "$action" == rabbitmqctl && ! -f "$RABBITMQ_DIR/ports" ]]; then
    die "there is no private broker '$name' (infra/infra.sh broker start $name)"
  fi
  case "$action" in
    start|restart)
      [[ "$action" == restart ]] && stop_rabbitmq
      install_packages
      start_rabbitmq
      let_services_impersonate
      printf 'RABBITMQ_PORT=%s\nRABBITMQ_DIST_PORT=%s\nEPMD_PORT=%s\n' "$RABBITMQ_PORT" "$RABBITMQ_DIST_PORT" "$EPMD_PORT" >"$RABBITMQ_DIR/ports"
      echo "amqp://guest:guest@$HOST:$RABBITMQ_PORT/" ;;
    stop)
      stop_rabbitmq
      rm -rf "$RABBITMQ_DIR" ;;
    status)
      STATUS_OK=true
      status_line "broker-$name" "amqp://$HOST:$RABBITMQ_PORT" "$RABBITMQ_DIR/rabbitmq.pid" beam rabbitmq_amqp_ready
      $STATUS_OK ;;
    rabbitmqctl) rabbitmqctl_cmd "$@" ;;
    *) usage >&2; exit 2 ;;
  esac
}

# -------------------------------------------------------------------------- MariaDB

mariadb_server_bin() {
  local b
  for b in mariadbd mysqld; do
    if command -v "$b" >/dev/null 2>&1; then command -v "$b"; return; fi
    if [[ -x "/usr/sbin/$b" ]]; then echo "/usr/sbin/$b"; return; fi
  done
  die "mariadbd not found (is mariadb-server installed?)"
}

mariadb_client() { mariadb --defaults-file="$MARIADB_DIR/my.cnf" -u "$(id -un)" "$@"; }

# Admin connection through our socket (used while starting and provisioning).
mariadb_ready() {
  port_open "$MARIADB_PORT" && mariadb_client --connect-timeout=2 -N -e 'SELECT 1' >/dev/null 2>&1
}

# What the application does: TCP login as the imagemanager user.
mariadb_app_ready() {
  mariadb --no-defaults --connect-timeout=2 -h "$HOST" -P "$MARIADB_PORT" -u "$DB_USER" -p"$DB_PASSWORD" \
    -D "$MARIADB_DATABASE" -N -e 'SELECT 1' >/dev/null 2>&1
}

write_mariadb_config() {
  cat >"$MARIADB_DIR/my.cnf" <<EOF
# generated by infra/infra.sh
[mysqld]
user = $(id -un)
datadir = $MARIADB_DIR/data
socket = $MARIADB_SOCKET
pid-file = $MARIADB_DIR/mariadb.pid
log-error = $MARIADB_DIR/mariadb.err
port = $MARIADB_PORT
bind-address = $HOST
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
max_connections = 300
innodb_buffer_pool_size = 256M
innodb_flush_log_at_trx_commit = 2

[client]
socket = $MARIADB_SOCKET
port = $MARIADB_PORT
EOF
}

provision_mariadb() {
  local u
  {
    echo "CREATE DATABASE IF NOT EXISTS \`$MARIADB_DATABASE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
    for u in "'$DB_USER'@'127.0.0.1'" "'$DB_USER'@'localhost'"; do
      echo "CREATE USER IF NOT EXISTS $u IDENTIFIED BY '$DB_PASSWORD';"
      echo "ALTER USER $u IDENTIFIED BY '$DB_PASSWORD';"
      # Tests create extra databases named imagemanager_*, hence the pattern grant.
      echo "GRANT ALL PRIVILEGES ON \`imagemanager\\_%\`.* TO $u;"
    done
    echo "FLUSH PRIVILEGES;"
  } | mariadb_client \
    || fail_with_logs "mariadb: creating database/user failed" "$MARIADB_DIR/mariadb.err"
}

start_mariadb() {
  mkdir -p "$MARIADB_DIR" "$SOCKET_DIR"
  local pid
  pid="$(read_pid "$MARIADB_DIR/mariadb.pid")"
  if pid_matches "$pid" 'mariadbd|mysqld'; then
    wait_for "$TIMEOUT" "$MARIADB_DIR/mariadb.pid" mariadb_ready \
      || fail_with_logs "mariadb (pid $pid) runs but does not answer on $HOST:$MARIADB_PORT" "$MARIADB_DIR/mariadb.err"
    log "mariadb: already running (pid $pid)"
    provision_mariadb
    return 0
  fi
  rm -f "$MARIADB_DIR/mariadb.pid" "$MARIADB_SOCKET" "$MARIADB_SOCKET.lock"
  if reuse_compatible_server mariadb "$MARIADB_PORT" mariadb_app_ready; then return 0; fi
  write_mariadb_config

  if [[ ! -f "$MARIADB_DIR/data/.initialized" ]]; then
    log "mariadb: initializing data directory"
    rm -rf "$MARIADB_DIR/data"
    mariadb-install-db --defaults-file="$MARIADB_DIR/my.cnf" --user="$(id -un)" \
        --auth-root-authentication-method=socket --skip-test-db >"$MARIADB_DIR/install-db.log" 2>&1 \
      || fail_with_logs "mariadb-install-db failed" "$MARIADB_DIR/install-db.log"
    touch "$MARIADB_DIR/data/.initialized"
  fi

  log "mariadb: starting on $HOST:$MARIADB_PORT"
  spawn "$MARIADB_DIR/mariadb.pid" "$MARIADB_DIR/mariadb.out" \
    "$(mariadb_server_bin)" --defaults-file="$MARIADB_DIR/my.cnf"
  wait_for "$TIMEOUT" "$MARIADB_DIR/mariadb.pid" mariadb_ready \
    || fail_with_logs "mariadb did not come up on $HOST:$MARIADB_PORT within ${TIMEOUT}s" \
         "$MARIADB_DIR/mariadb.out" "$MARIADB_DIR/mariadb.err"
  provision_mariadb
}

stop_mariadb() {
  local pid
  pid="$(read_pid "$MARIADB_DIR/mariadb.pid")"
  if pid_matches "$pid" 'mariadbd|mysqld'; then
    log "stopping mariadb (pid $pid)"
    stop_pid mariadb "$pid"
  fi
  rm -f "$MARIADB_DIR/mariadb.pid"
}

# ----------------------------------------------------------------------- PostgreSQL

postgres_bin_dir() {
  if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then echo /usr/lib/postgresql/15/bin; return; fi
  local d
  d="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  [[ -x "$d/initdb" ]] || die "PostgreSQL binaries not found under /usr/lib/postgresql (is postgresql installed?)"
  echo "$d"
}

# PostgreSQL refuses to run as root: use the 'postgres' OS user then.
as_pg() {
  if is_root; then (cd "$POSTGRES_DIR" && runuser -u postgres -- "$@")
  else (cd "$POSTGRES_DIR" && "$@")
  fi
}

# psql as the cluster's superuser through our Unix socket; SQL on stdin.
pg_superuser_psql() {
  as_pg "$(postgres_bin_dir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$POSTGRES_SOCKET_DIR" -p "$POSTGRES_PORT" -d postgres
}

postgres_ready() {
  port_open "$POSTGRES_PORT" && as_pg "$(postgres_bin_dir)/pg_isready" -q -h "$HOST" -p "$POSTGRES_PORT" -t 2
}

# What the application does: TCP login as the imagemanager role.
postgres_app_ready() {
  PGPASSWORD="$DB_PASSWORD" PGCONNECT_TIMEOUT=2 "$(postgres_bin_dir)/psql" -X -q -w -h "$HOST" -p "$POSTGRES_PORT" \
    -U "$DB_USER" -d "$POSTGRES_DATABASE" -c 'SELECT 1' >/dev/null 2>&1
}

provision_postgres() {
  pg_superuser_psql <<EOF || fail_with_logs "postgres: creating role/database failed" "$POSTGRES_DIR/postgres.log"
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  ELSE
    ALTER ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE $POSTGRES_DATABASE OWNER $DB_USER ENCODING ''UTF8'''
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$POSTGRES_DATABASE') \gexec
EOF
}

start_postgres() {
  local bin pid
  bin="$(postgres_bin_dir)"
  mkdir -p "$POSTGRES_DIR" "$POSTGRES_SOCKET_DIR"
  if is_root; then
    chown -R postgres:postgres "$POSTGRES_DIR" "$POSTGRES_SOCKET_DIR"
    ensure_traversable postgres "$POSTGRES_DIR"
    ensure_traversable postgres "$POSTGRES_SOCKET_DIR"
  fi
  chmod 700 "$POSTGRES_SOCKET_DIR"

  pid="$(read_pid "$POSTGRES_DIR/data/postmaster.pid")"
  if pid_matches "$pid" postgres; then
    wait_for "$TIMEOUT" "" postgres_ready \
      || fail_with_logs "postgres (pid $pid) runs but does not answer on $HOST:$POSTGRES_PORT" "$POSTGRES_DIR/postgres.log"
    log "postgres: already running (pid $pid)"
    provision_postgres
    return 0
  fi
  rm -f "$POSTGRES_DIR/data/postmaster.pid"
  if reuse_compatible_server postgres "$POSTGRES_PORT" postgres_app_ready; then return 0; fi

  if [[ ! -f "$POSTGRES_DIR/data/.initialized" ]]; then
    log "postgres: initializing data directory ($bin)"
    rm -rf "$POSTGRES_DIR/data"
    as_pg "$bin/initdb" -D "$POSTGRES_DIR/data" --encoding=UTF8 --no-locale \
        --auth-local=peer --auth-host=scram-sha-256 >"$POSTGRES_DIR/initdb.log" 2>&1 \
      || fail_with_logs "initdb failed" "$POSTGRES_DIR/initdb.log"
    echo "include_if_exists = 'imagemanager.conf'" | as_pg tee -a "$POSTGRES_DIR/data/postgresql.conf" >/dev/null
    as_pg touch "$POSTGRES_DIR/data/.initialized"
  fi
  # Regenerated on every start so that port overrides take effect.
  as_pg tee "$POSTGRES_DIR/data/imagemanager.conf" >/dev/null <<EOF
# generated by infra/infra.sh
listen_addresses = '$HOST'
port = $POSTGRES_PORT
unix_socket_directories = '$POSTGRES_SOCKET_DIR'
max_connections = 200
synchronous_commit = off
EOF

  log "postgres: starting on $HOST:$POSTGRES_PORT"
  as_pg "$bin/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/postgres.log" -w -t "$TIMEOUT" start \
      >"$POSTGRES_DIR/pg_ctl.log" 2>&1 \
    || fail_with_logs "postgres did not come up on $HOST:$POSTGRES_PORT within ${TIMEOUT}s" \
         "$POSTGRES_DIR/pg_ctl.log" "$POSTGRES_DIR/postgres.log"
  wait_for "$TIMEOUT" "$POSTGRES_DIR/data/postmaster.pid" postgres_ready \
    || fail_with_logs "postgres does not answer on $HOST:$POSTGRES_PORT" "$POSTGRES_DIR/postgres.log"
  provision_postgres
}

stop_postgres() {
  local pid
  pid="$(read_pid "$POSTGRES_DIR/data/postmaster.pid")"
  if pid_matches "$pid" postgres; then
    log "stopping postgres (pid $pid)"
    as_pg "$(postgres_bin_dir)/pg_ctl" -D "$POSTGRES_DIR/data" -m fast -w -t "$TIMEOUT" stop >/dev/null 2>&1 \
      || stop_pid postgres "$pid"
  fi
}

# --------------------------------------------------------------------------- Glance
# Instances by name: 1 and 2 (no Keystone) and keystone (behind Keystone, see the next section).

glance_dir() { echo "$INFRA_DIR/glance-$1"; }

glance_ready() {
  curl -sf -o /dev/null --max-time 3 "http://$HOST:$1/versions"
}

# What the application does: list images without any credentials.
glance_app_ready() {
  curl -sf -o /dev/null --max-time 3 "http://$HOST:$1/v2/images?limit=1"
}

# A Glance behind Keystone refuses the same request without a token.
glance_keystone_app_ready() {
  glance_ready "$1" && [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://$HOST:$1/v2/images?limit=1")" == 401 ]]
}

# write_glance_config DIR PORT [keystone]
write_glance_config() {
  local dir="$1" port="$2" flavor="${3:-}"
  cat >"$dir/glance-api.conf" <<EOF
# generated by infra/infra.sh
[DEFAULT]
bind_host = $HOST
bind_port = $port
workers = 1
debug = false
use_stderr = false
log_file = $dir/glance-api.log
enabled_backends = fs:file
hashing_algorithm = sha512
image_cache_dir = $dir/cache
# See [oslo_policy]: secure RBAC must stay off for unauthenticated callers (it answers 403).
enforce_secure_rbac = False
# web-download: the VIM pulls an image from Image Manager's Api (staged in os_glance_staging_store).
enabled_import_methods = [glance-direct,web-download]

[database]
connection = sqlite:///$dir/glance.sqlite

[glance_store]
default_backend = fs

[fs]
filesystem_store_datadir = $dir/images/

[os_glance_staging_store]
filesystem_store_datadir = $dir/staging/

[os_glance_tasks_store]
filesystem_store_datadir = $dir/tasks/

[import_filtering_opts]
# web-download fetches from this machine only (the Api and the tests' download servers), on any of its ports:
# they are chosen per test run. Loopback is refused unless allowed by name here.
allowed_schemes = [http,https]
allowed_hosts = [$HOST]
allowed_ports = []

[paste_deploy]
# Empty flavor = pipeline "glance-api" = unauthenticated context (no Keystone);
# "keystone" = pipeline "glance-api-keystone" = Keystone tokens checked by keystonemiddleware.
flavor = $flavor
config_file = $dir/glance-api-paste.ini

[oslo_policy]
# Unauthenticated requests carry no roles; keep the legacy (non secure-RBAC) defaults so
# they may create/upload/list/show/delete images. Our own (empty) policy file and policy.d
# keep /etc/glance/policy.d overrides out. (An empty policy_dirs would make oslo.policy
# parse every file in the config's directory as a policy file.)
enforce_new_defaults = False
enforce_scope = False
policy_file = $dir/policy.yaml
policy_dirs = $dir/policy.d

[oslo_concurrency]
lock_path = $dir/lock
EOF
  if [[ "$flavor" == keystone ]]; then
    cat >>"$dir/glance-api.conf" <<EOF

[keystone_authtoken]
www_authenticate_uri = $(keystone_url)
auth_url = $(keystone_url)
auth_type = password
username = glance
password = $(cat "$(keystone_state_dir)/glance-password")
project_name = service
user_domain_name = Default
project_domain_name = Default
region_name = $KEYSTONE_REGION
# Every token is checked with Keystone, none remembered: a revoked token is refused at once.
token_cache_time = -1
EOF
  fi
  # The "glance-api" and "glance-api-keystone" pipelines of Debian's /etc/glance/glance-api-paste.ini (which is
  # not readable by non-root users), without the caching variants.
  cat >"$dir/glance-api-paste.ini" <<EOF
# generated by infra/infra.sh
[pipeline:glance-api]
pipeline = cors healthcheck http_proxy_to_wsgi versionnegotiation osprofiler fixed-identity context rootapp

[pipeline:glance-api-keystone]
pipeline = cors healthcheck http_proxy_to_wsgi versionnegotiation osprofiler authtoken context rootapp

[composite:rootapp]
paste.composite_factory = glance.api:root_app_factory
/: apiversions
/v2: apiv2app

[app:apiversions]
paste.app_factory = glance.api.versions:create_resource

[app:apiv2app]
paste.app_factory = glance.api.v2.router:API.factory

[filter:healthcheck]
paste.filter_factory = oslo_middleware:Healthcheck.factory
backends = disable_by_file
disable_by_file_path = $dir/healthcheck_disable

[filter:versionnegotiation]
paste.filter_factory = glance.api.middleware.version_negotiation:VersionNegotiationFilter.factory

[filter:fixed-identity]
paste.filter_factory = imagemanager_glance_identity:filter_factory
project = imagemanager-local

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
delay_auth_decision = false

[filter:context]
paste.filter_factory = glance.api.middleware.context:ContextMiddleware.factory

[filter:osprofiler]
paste.filter_factory = osprofiler.web:WsgiMiddleware.factory

[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = glance
oslo_config_program = glance-api

[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware:HTTPProxyToWSGI.factory
EOF
  write_glance_identity_filter
  # YAML (not JSON, which oslo.policy warns about) for "no overrides".
  printf '# generated by infra/infra.sh: no policy overrides\n{}\n' >"$dir/policy.yaml"
}

# Glance without Keystone. Its own UnauthenticatedContextMiddleware gives requests no project, and an import task
# must have an owner (web-download answers 500 then): this filter gives every request the identity keystonemiddleware
# would have confirmed, one fixed project with the admin role, so Glance's ContextMiddleware builds the context.
write_glance_identity_filter() {
  mkdir -p "$INFRA_DIR/glance-lib"
  cat >"$INFRA_DIR/glance-lib/imagemanager_glance_identity.py" <<'EOF'
# generated by infra/infra.sh: a Glance without Keystone acts for one fixed project, as admin.
IDENTITY_HEADERS = ("HTTP_X_IDENTITY_STATUS", "HTTP_X_PROJECT_ID", "HTTP_X_TENANT_ID", "HTTP_X_USER_ID",
                    "HTTP_X_ROLES", "HTTP_X_SERVICE_CATALOG", "HTTP_X_DOMAIN_ID", "HTTP_X_SYSTEM_SCOPE")


def filter_factory(global_conf, project="imagemanager-local", **local_conf):
    def identity(app):
        def call(environ, start_response):
            for header in IDENTITY_HEADERS:
                environ.pop(header, None)
            environ.update(HTTP_X_IDENTITY_STATUS="Confirmed", HTTP_X_PROJECT_ID=project,
                           HTTP_X_USER_ID="imagemanager", HTTP_X_ROLES="admin,member,reader")
            return app(environ, start_response)
        return call
    return identity
EOF
}

glance_config_digest() {
  cat "$1/glance-api.conf" "$1/glance-api-paste.ini" "$INFRA_DIR/glance-lib/imagemanager_glance_identity.py" | sha256sum | cut -d' ' -f1
}

# start_glance NAME PORT [keystone]
start_glance() {
  local n="$1" port="$2" flavor="${3:-}" dir pid ready=glance_app_ready
  [[ -z "$flavor" ]] || ready=glance_keystone_app_ready
  dir="$(glance_dir "$n")"
  mkdir -p "$dir"/{images,staging,tasks,cache,lock,policy.d}
  command -v glance-api >/dev/null 2>&1 || die "glance-api not found (is the glance-api package installed?)"

  pid="$(read_pid "$dir/glance-api.pid")"
  if pid_matches "$pid" glance-api; then
    # An instance started from an older configuration (e.g. before web-download was enabled) is restarted.
    write_glance_config "$dir" "$port" "$flavor"
    if [[ "$(cat "$dir/.running-config" 2>/dev/null || true)" == "$(glance_config_digest "$dir")" ]]; then
      if wait_for "$TIMEOUT" "$dir/glance-api.pid" glance_ready "$port"; then
        log "glance-$n: already running (pid $pid)"; return 0
      fi
      fail_with_logs "glance-$n (pid $pid) runs but does not answer on $HOST:$port" "$dir/glance-api.log"
    fi
    log "glance-$n: its configuration changed; restarting it"
    stop_glance "$n"
  fi
  rm -f "$dir/glance-api.pid"
  stop_glance_orphans "$n"
  if reuse_compatible_server "glance-$n" "$port" "$ready" "$port"; then return 0; fi
  write_glance_config "$dir" "$port" "$flavor"

  if [[ ! -f "$dir/.db_synced" ]]; then
    log "glance-$n: creating database"
    rm -f "$dir/glance.sqlite"
    glance-manage --config-file "$dir/glance-api.conf" db_sync >"$dir/db_sync.log" 2>&1 \
      || fail_with_logs "glance-manage db_sync failed for glance-$n" "$dir/db_sync.log"
    touch "$dir/.db_synced"
  fi

  log "glance-$n: starting on $HOST:$port${flavor:+ (behind Keystone)}"
  (cd "$dir" && PYTHONPATH="$INFRA_DIR/glance-lib" spawn "$dir/glance-api.pid" "$dir/glance-api.out" glance-api --config-file "$dir/glance-api.conf")
  wait_for "$TIMEOUT" "$dir/glance-api.pid" glance_ready "$port" \
    || fail_with_logs "glance-$n did not come up on $HOST:$port within ${TIMEOUT}s" \
         "$dir/glance-api.out" "$dir/glance-api.log"
  glance_config_digest "$dir" >"$dir/.running-config"
}

# Workers left behind when a glance-api parent died (kill -9, OOM) keep the port open.
# They are recognised by their command line naming this instance's own config file.
stop_glance_orphans() {
  local n="$1" dir pid
  dir="$(glance_dir "$n")"
  for pid in $(pids_with_arg "$dir/glance-api.conf"); do
    log "stopping leftover glance-$n process (pid $pid)"
    stop_pid "glance-$n" "$pid"
  done
}

stop_glance() {
  local n="$1" dir pid
  dir="$(glance_dir "$n")"
  pid="$(read_pid "$dir/glance-api.pid")"
  if pid_matches "$pid" glance-api; then
    log "stopping glance-$n (pid $pid)"
    stop_pid "glance-$n" "$pid"     # the parent stops its worker on TERM ...
  fi
  rm -f "$dir/glance-api.pid"
  stop_glance_orphans "$n"          # ... and any worker still around is ended here.
}

# ------------------------------------------------------------------------- Registry
# The OCI distribution registry (Debian's docker-registry 2.8) as a container-image VIM: "plain" without auth,
# "auth" with htpasswd basic auth. Blobs and manifests under .local/infra/registry[-auth]/data; deletes enabled so
# the driver's remove works.

registry_dir() { if [[ "$1" == plain ]]; then echo "$INFRA_DIR/registry"; else echo "$INFRA_DIR/registry-$1"; fi; }

# /v2/ answers 200 (or 401 when auth is on) with the distribution API version header.
registry_ready() {
  curl -s -o /dev/null -D - --max-time 3 "http://$HOST:$1/v2/" 2>/dev/null \
    | grep -qi '^docker-distribution-api-version: registry/2.0'
}

# What the application does: /v2/ answers 200, with the test user's credentials when the instance has auth.
registry_app_ready() {
  local port="$1" auth="${2:-}"
  if [[ -n "$auth" ]]; then
    curl -sf -o /dev/null --max-time 3 -u "$REGISTRY_USER:$REGISTRY_PASSWORD" "http://$HOST:$port/v2/"
  else
    curl -sf -o /dev/null --max-time 3 "http://$HOST:$port/v2/"
  fi
}

# A registry found on our port is reused only if it lets the driver delete: a DELETE of a manifest it does not have
# answers 404 with deletes enabled, 405 without.
registry_compatible() {
  local port="$1" auth="${2:-}" code
  registry_app_ready "$port" "$auth" || return 1
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 -X DELETE ${auth:+-u "$REGISTRY_USER:$REGISTRY_PASSWORD"} \
    "http://$HOST:$port/v2/imagemanager-probe/manifests/sha256:$(printf '0%.0s' {1..64})" || true)"
  [[ "$code" == 404 ]]
}

write_registry_config() {
  local dir="$1" port="$2" auth="$3"
  [[ -s "$dir/http-secret" ]] || (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/http-secret")
  cat >"$dir/config.yml" <<EOF
# generated by infra/infra.sh
version: 0.1
log:
  level: info
  formatter: text
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $HOST:$port
  secret: $(cat "$dir/http-secret")
  headers:
    X-Content-Type-Options: [nosniff]
EOF
  if [[ -n "$auth" ]]; then
    command -v htpasswd >/dev/null 2>&1 || die "htpasswd not found (is apache2-utils installed?)"
    # bcrypt: the only hash the registry's htpasswd auth accepts.
    htpasswd -B -b -c "$dir/htpasswd" "$REGISTRY_USER" "$REGISTRY_PASSWORD" 2>/dev/null \
      || die "htpasswd could not write $dir/htpasswd"
    cat >>"$dir/config.yml" <<EOF
auth:
  htpasswd:
    realm: imagemanager-registry
    path: $dir/htpasswd
EOF
  fi
}

start_registry() {
  local name="$1" port="$2" auth="${3:-}" dir pid
  dir="$(registry_dir "$name")"
  mkdir -p "$dir/data"
  command -v docker-registry >/dev/null 2>&1 || die "docker-registry not found (is the docker-registry package installed?)"

  pid="$(read_pid "$dir/registry.pid")"
  if pid_matches "$pid" docker-registry; then
    if wait_for "$TIMEOUT" "$dir/registry.pid" registry_ready "$port"; then
      log "registry-$name: already running (pid $pid)"; return 0
    fi
    fail_with_logs "registry-$name (pid $pid) runs but does not answer on $HOST:$port" "$dir/registry.log"
  fi
  rm -f "$dir/registry.pid"
  if reuse_compatible_server "registry-$name" "$port" registry_compatible "$port" "$auth"; then return 0; fi
  write_registry_config "$dir" "$port" "$auth"

  log "registry-$name: starting on $HOST:$port"
  (cd "$dir" && spawn "$dir/registry.pid" "$dir/registry.log" docker-registry serve "$dir/config.yml")
  wait_for "$TIMEOUT" "$dir/registry.pid" registry_app_ready "$port" "$auth" \
    || fail_with_logs "registry-$name did not come up on $HOST:$port within ${TIMEOUT}s" "$dir/registry.log"
}

stop_registry() {
  local name="$1" dir pid
  dir="$(registry_dir "$name")"
  pid="$(read_pid "$dir/registry.pid")"
  if pid_matches "$pid" docker-registry; then
    log "stopping registry-$name (pid $pid)"
    stop_pid "registry-$name" "$pid"
  fi
  rm -f "$dir/registry.pid"
}

# ------------------------------------------------------------------------- Keystone
# Keystone v3 from Debian's keystone package, served by uwsgi's python3 plugin: sqlite, fernet tokens. Created once
# by keystone-manage (db_sync, fernet and credential keys, bootstrap: the admin user with a generated password kept
# in admin-password, mode 600, RegionOne, Keystone's own catalog entry); every start then makes sure of the service
# project, the glance service user and the image service pointing at the Glance behind Keystone.

keystone_url() { echo "http://$HOST:$KEYSTONE_PORT/v3"; }

keystone_ready() {
  curl -sf --max-time 3 "$(keystone_url)" 2>/dev/null | grep -q '"id": *"v3'
}

# Where the running Keystone keeps its passwords: ours, or, for one reused from another checkout, that one's own,
# found through the configuration named in its process environment (as for RabbitMQ's cookie).
keystone_state_dir() {
  local pid files
  if pid_matches "$(read_pid "$KEYSTONE_DIR/uwsgi.pid")" uwsgi || ! port_open "$KEYSTONE_PORT"; then echo "$KEYSTONE_DIR"; return; fi
  pid="$(ss -ltnpH "sport = :$KEYSTONE_PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true)"
  if [[ -n "$pid" ]]; then
    files="$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | sed -n 's/^OS_KEYSTONE_CONFIG_FILES=//p' | head -n 1 || true)"
    if [[ -n "$files" && -s "$(dirname "$files")/admin-password" ]]; then dirname "$files"; return; fi
  fi
  echo "$KEYSTONE_DIR"
}

keystone_manage() {
  keystone-manage --config-file "$KEYSTONE_DIR/keystone.conf" "$@" >>"$KEYSTONE_DIR/keystone-manage.log" 2>&1
}

write_keystone_config() {
  cat >"$KEYSTONE_DIR/keystone.conf" <<EOF
# generated by infra/infra.sh
[DEFAULT]
log_file = $KEYSTONE_DIR/keystone.log
use_stderr = false

[database]
connection = sqlite:///$KEYSTONE_DIR/keystone.sqlite

[token]
provider = fernet

[fernet_tokens]
key_repository = $KEYSTONE_DIR/fernet-keys

[fernet_receipts]
key_repository = $KEYSTONE_DIR/fernet-keys

[credential]
key_repository = $KEYSTONE_DIR/credential-keys
EOF
}

bootstrap_keystone() {
  [[ -f "$KEYSTONE_DIR/.bootstrapped" ]] && return 0
  log "keystone: creating database, keys and the admin user"
  rm -rf "$KEYSTONE_DIR"/keystone.sqlite* "$KEYSTONE_DIR/fernet-keys" "$KEYSTONE_DIR/credential-keys"
  mkdir -p "$KEYSTONE_DIR/fernet-keys" "$KEYSTONE_DIR/credential-keys"
  (umask 077
   openssl rand -hex 18 >"$KEYSTONE_DIR/admin-password"
   openssl rand -hex 18 >"$KEYSTONE_DIR/glance-password")
  keystone_manage db_sync || fail_with_logs "keystone-manage db_sync failed" "$KEYSTONE_DIR/keystone-manage.log"
  # Keystone records a failed login in a write transaction while a read one is still open; sqlite's default
  # journal answers that with "database is locked" (a 500 after 5 s), write-ahead logging lets both proceed.
  sqlite3 "$KEYSTONE_DIR/keystone.sqlite" 'PRAGMA journal_mode=WAL;' >/dev/null
  keystone_manage fernet_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)" \
    || fail_with_logs "keystone-manage fernet_setup failed" "$KEYSTONE_DIR/keystone-manage.log"
  keystone_manage credential_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)" \
    || fail_with_logs "keystone-manage credential_setup failed" "$KEYSTONE_DIR/keystone-manage.log"
  # The password through the environment, not the command line (which every local user can read).
  OS_BOOTSTRAP_PASSWORD="$(cat "$KEYSTONE_DIR/admin-password")" keystone_manage bootstrap \
      --bootstrap-username admin --bootstrap-project-name admin --bootstrap-role-name admin \
      --bootstrap-service-name keystone --bootstrap-region-id "$KEYSTONE_REGION" \
      --bootstrap-admin-url "$(keystone_url)" --bootstrap-internal-url "$(keystone_url)" --bootstrap-public-url "$(keystone_url)" \
    || fail_with_logs "keystone-manage bootstrap failed" "$KEYSTONE_DIR/keystone-manage.log"
  touch "$KEYSTONE_DIR/.bootstrapped"
}

# The service project, the glance user (admin in it, so that it may validate tokens) and the image service with the
# Glance behind Keystone as RegionOne's public, internal and admin endpoint: created when missing, endpoints
# corrected when the port changed. Through Keystone's API, as an operator would.
provision_keystone() {
  # Keystone's sqlite schema has no enforced foreign keys: deleting a user leaves its application credentials' role rows
  # behind, and a new credential that gets the same row id collides with them (409). Tests delete their credentials
  # first; this clears what an interrupted run left.
  sqlite3 "$KEYSTONE_DIR/keystone.sqlite" 'DELETE FROM application_credential_role WHERE application_credential_id NOT IN (SELECT internal_id FROM application_credential);' \
    || warn "keystone: could not clear orphaned application credential roles"
  KEYSTONE_URL="$(keystone_url)" KEYSTONE_REGION="$KEYSTONE_REGION" GLANCE_URL="http://$HOST:$GLANCE_KEYSTONE_PORT" \
  ADMIN_PASSWORD_FILE="$KEYSTONE_DIR/admin-password" GLANCE_PASSWORD_FILE="$KEYSTONE_DIR/glance-password" \
  python3 - >>"$KEYSTONE_DIR/provision.log" 2>&1 <<'PY' || fail_with_logs "keystone: provisioning failed" "$KEYSTONE_DIR/provision.log"
import json, os, urllib.request

url = os.environ["KEYSTONE_URL"]
region = os.environ["KEYSTONE_REGION"]
glance = os.environ["GLANCE_URL"]
admin_password = open(os.environ["ADMIN_PASSWORD_FILE"]).read().strip()
glance_password = open(os.environ["GLANCE_PASSWORD_FILE"]).read().strip()

def call(method, path, body=None, token=None):
    request = urllib.request.Request(url + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("X-Auth-Token", token)
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
        return response.headers, (json.loads(text) if text else None)

headers, _ = call("POST", "/auth/tokens", {"auth": {
    "identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"}, "password": admin_password}}},
    "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}})
token = headers["X-Subject-Token"]

def one(collection, key, **filters):
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return next(iter(call("GET", f"/{collection}?{query}", token=token)[1][collection]), None)

project = one("projects", "project", name="service", domain_id="default") or \
    call("POST", "/projects", {"project": {"name": "service", "domain_id": "default", "description": "OpenStack services"}}, token)[1]["project"]
user = one("users", "user", name="glance", domain_id="default") or \
    call("POST", "/users", {"user": {"name": "glance", "domain_id": "default", "password": glance_password}}, token)[1]["user"]
role = one("roles", "role", name="admin")
call("PUT", f"/projects/{project['id']}/users/{user['id']}/roles/{role['id']}", token=token)

service = one("services", "service", type="image") or \
    call("POST", "/services", {"service": {"type": "image", "name": "glance", "description": "Image service"}}, token)[1]["service"]
for interface in ("public", "internal", "admin"):
    endpoint = one("endpoints", "endpoint", service_id=service["id"], interface=interface, region_id=region)
    if endpoint is None:
        call("POST", "/endpoints", {"endpoint": {"service_id": service["id"], "interface": interface, "region_id": region, "url": glance}}, token)
    elif endpoint["url"] != glance:
        call("PATCH", f"/endpoints/{endpoint['id']}", {"endpoint": {"url": glance}}, token)
print("provisioned: service project, glance user, image service at", glance)
PY
}

keystone_orphans() { pids_with_arg "$KEYSTONE_DIR/uwsgi.log"; }

start_keystone() {
  local pid
  mkdir -p "$KEYSTONE_DIR"
  command -v keystone-manage >/dev/null 2>&1 || die "keystone-manage not found (is the keystone package installed?)"
  pid="$(read_pid "$KEYSTONE_DIR/uwsgi.pid")"
  if pid_matches "$pid" uwsgi; then
    wait_for "$TIMEOUT" "$KEYSTONE_DIR/uwsgi.pid" keystone_ready \
      || fail_with_logs "keystone (pid $pid) runs but does not answer on $HOST:$KEYSTONE_PORT" "$KEYSTONE_DIR/uwsgi.log" "$KEYSTONE_DIR/keystone.log"
    log "keystone: already running (pid $pid)"
    provision_keystone
    return 0
  fi
  rm -f "$KEYSTONE_DIR/uwsgi.pid"
  for pid in $(keystone_orphans); do
    log "stopping leftover keystone process (pid $pid)"
    stop_pid keystone "$pid"
  done
  if reuse_compatible_server keystone "$KEYSTONE_PORT" keystone_ready; then return 0; fi
  write_keystone_config
  bootstrap_keystone

  # --http11-socket: keep-alive. uwsgi's plain --http-socket answers HTTP/1.1 but closes the connection without
  # saying so, and clients that reuse it lose (or, for a POST, repeat) requests.
  log "keystone: starting on $HOST:$KEYSTONE_PORT"
  (cd "$KEYSTONE_DIR" && spawn "$KEYSTONE_DIR/uwsgi.pid" "$KEYSTONE_DIR/uwsgi.out" \
    env OS_KEYSTONE_CONFIG_FILES="$KEYSTONE_DIR/keystone.conf" \
    uwsgi --plugin python3 --http11-socket "$HOST:$KEYSTONE_PORT" --wsgi-file /usr/bin/keystone-wsgi-public \
      --master --processes 2 --threads 4 --enable-threads --lazy-apps --need-app --die-on-term --no-orphans \
      --buffer-size 65535 --logto "$KEYSTONE_DIR/uwsgi.log")
  wait_for "$TIMEOUT" "$KEYSTONE_DIR/uwsgi.pid" keystone_ready \
    || fail_with_logs "keystone did not come up on $HOST:$KEYSTONE_PORT within ${TIMEOUT}s" \
         "$KEYSTONE_DIR/uwsgi.out" "$KEYSTONE_DIR/uwsgi.log" "$KEYSTONE_DIR/keystone.log"
  provision_keystone
}

stop_keystone() {
  local pid
  pid="$(read_pid "$KEYSTONE_DIR/uwsgi.pid")"
  if pid_matches "$pid" uwsgi; then
    log "stopping keystone (pid $pid)"
    stop_pid keystone "$pid"
  fi
  rm -f "$KEYSTONE_DIR/uwsgi.pid"
  for pid in $(keystone_orphans); do stop_pid keystone "$pid"; done
}

# ------------------------------------------------------------------------ commands

write_env_file() {
  cat >"$ENV_FILE.tmp" <<EOF
# generated by infra/infra.sh start -- source this file
export IMAGEMANAGER_RABBITMQ_URI='amqp://guest:guest@$HOST:$RABBITMQ_PORT/'
export IMAGEMANAGER_MARIADB='Server=$HOST;Port=$MARIADB_PORT;User=$DB_USER;Password=$DB_PASSWORD;Database=$MARIADB_DATABASE'
export IMAGEMANAGER_POSTGRES='Host=$HOST;Port=$POSTGRES_PORT;Username=$DB_USER;Password=$DB_PASSWORD;Database=$POSTGRES_DATABASE'
export IMAGEMANAGER_GLANCE_1='http://$HOST:${GLANCE_PORTS[0]}'
export IMAGEMANAGER_GLANCE_2='http://$HOST:${GLANCE_PORTS[1]}'
export IMAGEMANAGER_REGISTRY='http://$HOST:$REGISTRY_PORT'
# The registry with basic auth; its user and password are test-only credentials.
export IMAGEMANAGER_REGISTRY_AUTH='http://$HOST:$REGISTRY_AUTH_PORT'
export IMAGEMANAGER_REGISTRY_AUTH_USER='$REGISTRY_USER'
export IMAGEMANAGER_REGISTRY_AUTH_PASSWORD='$REGISTRY_PASSWORD'
export IMAGEMANAGER_KEYSTONE='$(keystone_url)'
export IMAGEMANAGER_KEYSTONE_REGION='$KEYSTONE_REGION'
export IMAGEMANAGER_KEYSTONE_ADMIN_PASSWORD='$(cat "$(keystone_state_dir)/admin-password" 2>/dev/null || true)'
export IMAGEMANAGER_GLANCE_KEYSTONE='http://$HOST:$GLANCE_KEYSTONE_PORT'
EOF
  chmod 600 "$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

cmd_start() {
  local started=$SECONDS
  install_packages
  mkdir -p "$INFRA_DIR"
  # Make .local/ ignore itself even before the repository's .gitignore mentions it.
  [[ -f "$LOCAL_DIR/.gitignore" ]] || echo '*' >"$LOCAL_DIR/.gitignore"

  start_rabbitmq
  let_services_impersonate
  start_mariadb
  start_postgres
  start_glance 1 "${GLANCE_PORTS[0]}"
  start_glance 2 "${GLANCE_PORTS[1]}"
  start_registry plain "$REGISTRY_PORT"
  start_registry auth "$REGISTRY_AUTH_PORT" auth
  start_keystone
  start_glance keystone "$GLANCE_KEYSTONE_PORT" keystone
  write_env_file

  echo
  cmd_status
  echo
  log "all up in $((SECONDS - started))s; connection settings: source $ENV_FILE"
}

cmd_stop() {
  local name
  for name in $(private_brokers); do
    (use_private_broker "$name"; stop_rabbitmq; rm -rf "$RABBITMQ_DIR")
  done
  stop_glance keystone
  stop_keystone
  stop_registry auth
  stop_registry plain
  stop_glance 2
  stop_glance 1
  stop_postgres
  stop_mariadb
  stop_rabbitmq
  log "stopped"
}

status_line() {
  local name="$1" endpoint="$2" pidfile="$3" pattern="$4"; shift 4
  local pid state
  pid="$(read_pid "$pidfile")"
  if pid_matches "$pid" "$pattern"; then
    if "$@"; then state="up    (pid $pid)"
    else state="DOWN  (pid $pid alive, not answering)"; STATUS_OK=false
    fi
  elif "$@"; then
    state="up    (external: not started from this checkout)"
  else
    state="DOWN"; STATUS_OK=false
  fi
  printf '  %-10s %-28s %s\n' "$name" "$endpoint" "$state"
}

cmd_status() {
  STATUS_OK=true
  echo "ImageManager infrastructure ($INFRA_DIR):"
  status_line rabbitmq "amqp://$HOST:$RABBITMQ_PORT" "$RABBITMQ_DIR/rabbitmq.pid" beam rabbitmq_amqp_ready
  status_line mariadb "$HOST:$MARIADB_PORT" "$MARIADB_DIR/mariadb.pid" 'mariadbd|mysqld' mariadb_app_ready
  status_line postgres "$HOST:$POSTGRES_PORT" "$POSTGRES_DIR/data/postmaster.pid" postgres postgres_app_ready
  status_line glance-1 "http://$HOST:${GLANCE_PORTS[0]}" "$(glance_dir 1)/glance-api.pid" glance-api glance_app_ready "${GLANCE_PORTS[0]}"
  status_line glance-2 "http://$HOST:${GLANCE_PORTS[1]}" "$(glance_dir 2)/glance-api.pid" glance-api glance_app_ready "${GLANCE_PORTS[1]}"
  status_line registry "http://$HOST:$REGISTRY_PORT" "$(registry_dir plain)/registry.pid" docker-registry registry_app_ready "$REGISTRY_PORT"
  status_line reg-auth "http://$HOST:$REGISTRY_AUTH_PORT" "$(registry_dir auth)/registry.pid" docker-registry registry_app_ready "$REGISTRY_AUTH_PORT" auth
  status_line keystone "$(keystone_url)" "$KEYSTONE_DIR/uwsgi.pid" uwsgi keystone_ready
  status_line glance-ks "http://$HOST:$GLANCE_KEYSTONE_PORT" "$(glance_dir keystone)/glance-api.pid" glance-api glance_keystone_app_ready "$GLANCE_KEYSTONE_PORT"
  $STATUS_OK
}

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    start)       cmd_start ;;
    stop)        cmd_stop ;;
    status)      cmd_status ;;
    restart)     cmd_stop; cmd_start ;;
    rabbitmqctl) rabbitmqctl_cmd "$@" ;;
    broker)      cmd_broker "$@" ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
