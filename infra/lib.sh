# shellcheck shell=bash
# Helpers shared by the components of the local infrastructure: sourced first by infra/infra.sh (which sets
# INFRA_HOME, the infra/ folder, and the .local/ layout: INFRA_DIR, SOCKET_DIR ...), before the component files.

HOST=127.0.0.1
TIMEOUT="${IMAGEMANAGER_INFRA_TIMEOUT:-60}"

# ---------------------------------------------------------------------------- logging

log()  { printf '[infra] %s\n' "$*"; }
warn() { printf '[infra] WARNING: %s\n' "$*" >&2; }
die()  { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

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

# ------------------------------------------------------------------------------ users

is_root() { [[ "$(id -u)" -eq 0 ]]; }

as_root() {
  if is_root; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
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

# -------------------------------------------------------------------------- processes

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

# The value of variable NAME in the environment of the process listening on PORT, empty when unknown.
listener_environment() {
  local port="$1" name="$2" pid
  pid="$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true)"
  [[ -n "$pid" ]] || return 0
  tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | sed -n "s/^$name=//p" | head -n 1 || true
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

# Stop NAME's process in PIDFILE when it is still the one whose command line matches PATTERN; forget the pid file.
stop_pidfile() {
  local name="$1" pidfile="$2" pattern="$3" pid
  pid="$(read_pid "$pidfile")"
  if pid_matches "$pid" "$pattern"; then
    log "stopping $name (pid $pid)"
    stop_pid "$name" "$pid"
  fi
  rm -f "$pidfile"
}

# ------------------------------------------------------------------------------ ports

port_open() {
  timeout 3 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

# A free port on 127.0.0.1 from 20000-29999, none of the given ones (the RabbitMQ CLI's own distribution ports are
# the node's + 10000, still below 40000).
free_port() {
  local port _
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 10000))
    if ! port_open "$port" && [[ " $* " != *" $port "* ]]; then echo "$port"; return 0; fi
  done
  die "no free port found in 20000-29999"
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

# --------------------------------------------------------------------------- packages

pkg_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

APT_UPDATED=""

# Install those of the given Debian packages that are missing (the package lists are updated once per run).
packages_install() {
  local missing=() p
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
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
  if [[ -z "$APT_UPDATED" ]]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || rc=$?
    APT_UPDATED=1
  fi
  if ((rc == 0)); then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" || rc=$?
  fi
  [[ -n "$own_policy" ]] && as_root rm -f /usr/sbin/policy-rc.d
  ((rc == 0)) || die "package installation failed"
}

# -------------------------------------------------------------------------- templates

# render TEMPLATE NAME=VALUE...: prints infra/templates/TEMPLATE with every ${NAME} replaced by its VALUE. Only the
# names given are replaced (the templates' other $ signs stay), and a ${NAME} left without a value is an error.
render() {
  local template="$INFRA_HOME/templates/$1" formats=() names=() arg name; shift
  [[ -f "$template" ]] || die "template $template not found"
  for arg in "$@"; do formats+=("\${${arg%%=*}}"); done
  mapfile -t names < <(grep -o '[$][{][A-Za-z_][A-Za-z0-9_]*[}]' "$template" | sort -u)
  for name in "${names[@]}"; do
    [[ " ${formats[*]} " == *" $name "* ]] || die "template $template: no value given for $name"
  done
  # Exported by the shell, not passed to env: values (passwords among them) stay off every command line.
  (
    for arg in "$@"; do export "${arg?}"; done
    envsubst "${formats[*]}" <"$template"
  )
}

# Write stdin to FILE, readable by its owner only, replacing FILE at once (a reader never sees half of it).
write_private_file() {
  local file="$1"
  (umask 077; cat >"$file.tmp")
  mv "$file.tmp" "$file"
}

# ----------------------------------------------------------------------------- status

# status_line NAME ENDPOINT PIDFILE PATTERN CHECK...: one line of `status`; fails when the component is down.
status_line() {
  local name="$1" endpoint="$2" pidfile="$3" pattern="$4"; shift 4
  local pid state up=true
  pid="$(read_pid "$pidfile")"
  if pid_matches "$pid" "$pattern"; then
    if "$@"; then state="up    (pid $pid)"
    else state="DOWN  (pid $pid alive, not answering)"; up=false
    fi
  elif "$@"; then
    state="up    (external: not started from this checkout)"
  else
    state="DOWN"; up=false
  fi
  printf '  %-10s %-28s %s\n' "$name" "$endpoint" "$state"
  $up
}
