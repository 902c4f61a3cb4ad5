# shellcheck shell=bash
# Galera: three MariaDB nodes, galera-1..3, replicating synchronously (galera-4), their data under
# .local/infra/galera-N/. mariadbd runs as mysql: rsync state transfers only work so. A node that was killed starts
# from the position `--wsrep-recover` finds, so that it rejoins by IST (seconds) rather than a full SST.
# Sourced by infra/infra.sh.

GALERA_NODES=(1 2 3)
GALERA_PORT="${IMAGEMANAGER_HA_GALERA_PORT:-3311}"              # node N: + N - 1, as are the three below
GALERA_GCOMM_PORT="${IMAGEMANAGER_HA_GALERA_GCOMM_PORT:-4571}"  # group communication
GALERA_IST_PORT="${IMAGEMANAGER_HA_GALERA_IST_PORT:-4581}"      # incremental state transfer
GALERA_SST_PORT="${IMAGEMANAGER_HA_GALERA_SST_PORT:-4591}"      # rsync full state transfer
GALERA_PROVIDER=/usr/lib/galera/libgalera_smm.so

galera_install() { packages_install mariadb-server galera-4 rsync lsof; }

galera_dir() { echo "$INFRA_DIR/galera-$1"; }
galera_port() { echo $((GALERA_PORT + $1 - 1)); }
galera_socket() { echo "$SOCKET_DIR/galera/galera-$1.sock"; }
galera_pid() { read_pid "$(galera_dir "$1")/mariadb.pid"; }
galera_alive() { pid_matches "$(galera_pid "$1")" 'mariadbd|mysqld'; }

# SQL as root through node N's socket (unix_socket authentication).
galera_sql() {
  local n="$1"; shift
  mariadb --no-defaults -u root --socket="$(galera_socket "$n")" --connect-timeout=2 -N "$@"
}

galera_state() { galera_sql "$1" -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2; }
galera_synced() { [[ "$(galera_state "$1")" == Synced ]]; }

galera_configure() {
  local n="$1" dir peers="" p
  dir="$(galera_dir "$n")"
  for p in "${GALERA_NODES[@]}"; do peers+="${peers:+,}$HOST:$((GALERA_GCOMM_PORT + p - 1))"; done
  mkdir -p "$dir" "$SOCKET_DIR/galera"
  render galera/my.cnf NODE="$n" DIR="$dir" HOST="$HOST" SOCKET="$(galera_socket "$n")" PORT="$(galera_port "$n")" \
    PEERS="$peers" PROVIDER="$GALERA_PROVIDER" GCOMM_PORT="$((GALERA_GCOMM_PORT + n - 1))" \
    IST_PORT="$((GALERA_IST_PORT + n - 1))" SST_PORT="$((GALERA_SST_PORT + n - 1))" >"$dir/my.cnf"
  chown mysql:mysql "$dir" "$SOCKET_DIR/galera"
  ensure_traversable mysql "$dir"
  ensure_traversable mysql "$SOCKET_DIR/galera"
}

galera_init_data() {
  local n="$1" dir
  dir="$(galera_dir "$n")"
  [[ -f "$dir/data/.initialized" ]] && return 0
  rm -rf "$dir/data"
  # Only the first node is initialised: the others receive their data by state transfer.
  if [[ "$n" == 1 ]]; then
    log "galera: initializing galera-1's data directory"
    mariadb-install-db --defaults-file="$dir/my.cnf" --user=mysql --auth-root-authentication-method=socket \
        --skip-test-db >"$dir/install-db.log" 2>&1 || fail_with_logs "mariadb-install-db failed" "$dir/install-db.log"
  fi
  mkdir -p "$dir/data"
  touch "$dir/data/.initialized"
  chown -R mysql:mysql "$dir"
}

# The value of KEY in node N's grastate.dat, empty when there is none.
galera_grastate() { sed -n "s/^$2:[[:space:]]*//p" "$(galera_dir "$1")/data/grastate.dat" 2>/dev/null || true; }

# Node N's last committed position, uuid:seqno: from grastate.dat after a clean stop, else recovered from InnoDB.
galera_position() {
  local n="$1" dir seqno
  dir="$(galera_dir "$n")"
  seqno="$(galera_grastate "$n" seqno)"
  if [[ -n "$seqno" && "$seqno" != -1 ]]; then echo "$(galera_grastate "$n" uuid):$seqno"; return 0; fi
  [[ -d "$dir/data/mysql" ]] || return 0
  "$(mariadb_server_bin)" --defaults-file="$dir/my.cnf" --wsrep-recover --log-error="$dir/recover.log" >/dev/null 2>&1 || true
  sed -n 's/.*WSREP: Recovered position: *\([0-9a-f-]*:-\{0,1\}[0-9]*\).*/\1/p' "$dir/recover.log" | tail -n 1
}

# The node to bootstrap when none runs: the one marked safe_to_bootstrap, else the one with the highest seqno.
galera_bootstrap_node() {
  local n best="" best_seqno=-2 position seqno
  for n in "${GALERA_NODES[@]}"; do
    if [[ "$(galera_grastate "$n" safe_to_bootstrap)" == 1 ]]; then echo "$n"; return 0; fi
  done
  for n in "${GALERA_NODES[@]}"; do
    position="$(galera_position "$n")"
    [[ -n "$position" ]] || continue
    seqno="${position##*:}"
    if ((seqno > best_seqno)); then best="$n"; best_seqno="$seqno"; fi
  done
  echo "${best:-1}"
}

# galera_spawn N [new]: starts node N; `new` bootstraps a new cluster from it.
galera_spawn() {
  local n="$1" mode="${2:-}" dir args=() position
  dir="$(galera_dir "$n")"
  if galera_alive "$n"; then return 0; fi
  port_open "$(galera_port "$n")" && die "galera: port $HOST:$(galera_port "$n") is taken by another program"
  galera_configure "$n"
  galera_init_data "$n"
  rm -f "$dir/mariadb.pid" "$(galera_socket "$n")"
  if [[ "$mode" == new ]]; then
    args+=(--wsrep-new-cluster)
    if [[ -f "$dir/data/grastate.dat" ]]; then sed -i 's/^safe_to_bootstrap:.*/safe_to_bootstrap: 1/' "$dir/data/grastate.dat"; fi
  fi
  position="$(galera_position "$n")"
  if [[ -n "$position" && "${position##*:}" != -1 ]]; then args+=(--wsrep-start-position="$position"); fi
  log "galera: starting galera-$n on $HOST:$(galera_port "$n") ${args[*]}"
  spawn "$dir/mariadb.pid" "$dir/mariadb.out" "$(mariadb_server_bin)" --defaults-file="$dir/my.cnf" "${args[@]}"
}

galera_wait_synced() {
  local n="$1"
  wait_for "$TIMEOUT" "$(galera_dir "$n")/mariadb.pid" galera_synced "$n" \
    || fail_with_logs "galera: galera-$n is not Synced within ${TIMEOUT}s" "$(galera_dir "$n")/mariadb.err"
}

# The services' user, replicated from whichever node runs; haproxy_check logs in for HAProxy's mysql-check.
galera_provision() {
  local n="$1"
  { render mariadb/provision.sql MARIADB_DATABASE="$MARIADB_DATABASE" DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD"
    echo "CREATE USER IF NOT EXISTS 'haproxy_check'@'127.0.0.1';"
  } | galera_sql "$n" || fail_with_logs "galera: creating database/user failed" "$(galera_dir "$n")/mariadb.err"
}

galera_start() {
  local n first="" running=()
  for n in "${GALERA_NODES[@]}"; do galera_alive "$n" && running+=("$n"); done
  if ((${#running[@]} == 0)); then
    first="$(galera_bootstrap_node)"
    galera_spawn "$first" new
    galera_wait_synced "$first"
  else
    first="${running[0]}"
    log "galera: running: ${running[*]}"
  fi
  for n in "${GALERA_NODES[@]}"; do galera_spawn "$n"; done
  for n in "${GALERA_NODES[@]}"; do galera_wait_synced "$n"; done
  galera_provision "$first"
}

# galera_start_node N: node N again, joining the running ones (by IST when it can), waiting until it is Synced.
galera_start_node() {
  local n="$1" other any=""
  for other in "${GALERA_NODES[@]}"; do
    if [[ "$other" != "$n" ]] && galera_alive "$other"; then any=1; fi
  done
  if [[ -n "$any" ]]; then galera_spawn "$n"; else galera_spawn "$n" new; fi
  galera_wait_synced "$n"
}

# The last node to stop is marked safe_to_bootstrap: stop 3, 2, then 1, which the next start bootstraps.
galera_stop() {
  local i
  for ((i = ${#GALERA_NODES[@]} - 1; i >= 0; i--)); do
    stop_pidfile "galera-${GALERA_NODES[i]}" "$(galera_dir "${GALERA_NODES[i]}")/mariadb.pid" 'mariadbd|mysqld'
  done
}

galera_kill() {
  local pid
  pid="$(galera_pid "$1")"
  if galera_alive "$1"; then kill -KILL "$pid"; echo "galera-$1: killed pid $pid"; else echo "galera-$1: not running"; fi
}

galera_status() {
  local n up=true state size
  for n in "${GALERA_NODES[@]}"; do
    state="$(galera_state "$n")"
    size="$(galera_sql "$n" -e "SHOW STATUS LIKE 'wsrep_cluster_size'" 2>/dev/null | cut -f2 || true)"
    [[ "$state" == Synced ]] || up=false
    printf '  %-10s %-28s %s\n' "galera-$n" "$HOST:$(galera_port "$n")" "${state:-DOWN}${size:+ (cluster size $size)}"
  done
  $up
}
