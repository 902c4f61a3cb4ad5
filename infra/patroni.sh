# shellcheck shell=bash
# Patroni: two PostgreSQL 15 nodes, postgres-1 and postgres-2, that elect their primary through etcd (etcd.sh) and
# fail over in 8-10 s (ttl 10, loop_wait 2, retry_timeout 3); the old primary comes back as a replica by pg_rewind.
# Their data under .local/infra/patroni-N/. Patroni and PostgreSQL run as postgres. Sourced by infra/infra.sh.

PATRONI_NODES=(1 2)
PATRONI_PG_PORT="${IMAGEMANAGER_HA_POSTGRES_PORT:-5441}"        # node N: + N - 1
PATRONI_REST_PORT="${IMAGEMANAGER_HA_PATRONI_PORT:-8641}"       # node N: + N - 1
PATRONI_SCOPE=imagemanager-ha
PATRONI_SECRETS="$INFRA_DIR/patroni-secrets"                   # superuser, replication and rewind passwords

patroni_install() { packages_install patroni python3-etcd postgresql jq; }

patroni_dir() { echo "$INFRA_DIR/patroni-$1"; }
patroni_pg_port() { echo $((PATRONI_PG_PORT + $1 - 1)); }
patroni_rest_port() { echo $((PATRONI_REST_PORT + $1 - 1)); }
patroni_pid() { read_pid "$(patroni_dir "$1")/patroni.pid"; }

# GET a Patroni REST path of node N; the JSON on stdout.
patroni_rest() { curl -sS -m 2 "http://$HOST:$(patroni_rest_port "$1")$2" 2>/dev/null; }

# The node (1 or 2) that Patroni says is the leader, empty when none.
patroni_leader() {
  local n name
  for n in "${PATRONI_NODES[@]}"; do
    name="$(patroni_rest "$n" /cluster | jq -r '.members[]? | select(.role == "leader" and .state == "running") | .name' 2>/dev/null || true)"
    if [[ "$name" == postgres-* ]]; then echo "${name#postgres-}"; return 0; fi
  done
}

# Passwords of the cluster's own users, made once.
patroni_secrets() {
  if [[ ! -s "$PATRONI_SECRETS" ]]; then
    local name
    for name in SUPERUSER REPLICATION REWIND; do
      printf 'PATRONI_%s_PASSWORD=%s\n' "$name" "$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    done | write_private_file "$PATRONI_SECRETS"
  fi
  # shellcheck source=/dev/null # written just above
  source "$PATRONI_SECRETS"
}

patroni_configure() {
  local n="$1" dir
  dir="$(patroni_dir "$n")"
  patroni_secrets
  mkdir -p "$dir" "$SOCKET_DIR/patroni-$n"
  render patroni/patroni.yml NODE="$n" SCOPE="$PATRONI_SCOPE" HOST="$HOST" DIR="$dir" \
    REST_PORT="$(patroni_rest_port "$n")" PG_PORT="$(patroni_pg_port "$n")" ETCD_PORT="$ETCD_PORT" \
    BIN_DIR="$(postgresql_bin_dir)" SOCKET_DIR="$SOCKET_DIR/patroni-$n" \
    SUPERUSER_PASSWORD="$PATRONI_SUPERUSER_PASSWORD" REPLICATION_PASSWORD="$PATRONI_REPLICATION_PASSWORD" \
    REWIND_PASSWORD="$PATRONI_REWIND_PASSWORD" | write_private_file "$dir/patroni.yml"
  chown -R postgres:postgres "$dir" "$SOCKET_DIR/patroni-$n"
  ensure_traversable postgres "$dir"
  ensure_traversable postgres "$SOCKET_DIR/patroni-$n"
}

# A node is up when its REST API says PostgreSQL runs (as leader or replica).
patroni_running() { [[ "$(patroni_rest "$1" /patroni | jq -r '.state // empty' 2>/dev/null)" == running ]]; }

# A replica has rejoined when Patroni says it runs and the leader streams WAL to it (pg_stat_replication, as Patroni's
# superuser); asked twice a second apart, as a crashed primary's first start may stream before Patroni rewinds it.
patroni_rejoined() { patroni_streaming "$1" && sleep 1 && patroni_streaming "$1"; }

patroni_streaming() {
  local n="$1" leader
  patroni_running "$n" || return 1
  leader="$(patroni_leader)"
  [[ -n "$leader" ]] || return 1
  [[ "$leader" == "$n" ]] && return 0
  [[ "$(patroni_psql "$leader" postgres -tAc \
        "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'postgres-$n' AND state = 'streaming'" \
        2>/dev/null)" == 1 ]]
}

# patroni_psql NODE DATABASE ARGS...: psql as the cluster's superuser over TCP.
patroni_psql() {
  local n="$1" db="$2"; shift 2
  patroni_secrets
  PGPASSWORD="$PATRONI_SUPERUSER_PASSWORD" PGCONNECT_TIMEOUT=3 "$(postgresql_bin_dir)/psql" -X -q -w -v ON_ERROR_STOP=1 \
    -h "$HOST" -p "$(patroni_pg_port "$n")" -U postgres -d "$db" "$@"
}

# patroni_start_node N: starts node N (when not running) without waiting.
patroni_spawn() {
  local n="$1" dir
  dir="$(patroni_dir "$n")"
  if pid_matches "$(patroni_pid "$n")" patroni; then return 0; fi
  port_open "$(patroni_pg_port "$n")" && die "patroni: port $HOST:$(patroni_pg_port "$n") is taken by another program"
  patroni_configure "$n"
  log "patroni: starting postgres-$n on $HOST:$(patroni_pg_port "$n") (REST :$(patroni_rest_port "$n"))"
  (cd "$dir" && spawn "$dir/patroni.pid" "$dir/patroni.log" \
    setpriv --reuid=postgres --regid=postgres --init-groups env HOME="$dir" patroni "$dir/patroni.yml")
}

# The role and database of the services, on the leader.
patroni_provision() {
  local leader
  leader="$(patroni_leader)"
  render postgresql/provision.sql DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD" POSTGRES_DATABASE="$POSTGRES_DATABASE" \
    | patroni_psql "$leader" postgres >/dev/null || fail_with_logs "patroni: creating role/database failed" \
        "$(patroni_dir "$leader")/patroni.log"
}

patroni_start() {
  local n spawned=()
  for n in "${PATRONI_NODES[@]}"; do
    if ! pid_matches "$(patroni_pid "$n")" patroni; then patroni_spawn "$n"; spawned+=("$n"); fi
  done
  wait_for "$TIMEOUT" "" patroni_leader_ready \
    || fail_with_logs "patroni: no leader within ${TIMEOUT}s" "$(patroni_dir 1)/patroni.log" "$(patroni_dir 2)/patroni.log"
  patroni_provision
  for n in "${PATRONI_NODES[@]}"; do
    if [[ " ${spawned[*]} " == *" $n "* ]]; then patroni_wait_node "$n"
    else wait_for "$TIMEOUT" "" patroni_streaming "$n" || die "patroni: postgres-$n runs but does not stream from the leader"
    fi
  done
}

patroni_leader_ready() { [[ -n "$(patroni_leader)" ]]; }

patroni_wait_node() {
  local n="$1"
  wait_for "$TIMEOUT" "$(patroni_dir "$n")/patroni.pid" patroni_rejoined "$n" \
    || fail_with_logs "patroni: postgres-$n did not join within ${TIMEOUT}s" "$(patroni_dir "$n")/patroni.log"
}

# patroni_start_node N: node N again, waiting until it runs as leader or streams from the leader.
patroni_start_node() { patroni_spawn "$1"; patroni_wait_node "$1"; }

# Patroni stops its PostgreSQL itself on TERM (the replica first: no failover on the way down).
patroni_stop() {
  local n sequence=()
  for n in "${PATRONI_NODES[@]}"; do
    if [[ "$(patroni_leader)" == "$n" ]]; then sequence+=("$n"); else sequence=("$n" "${sequence[@]}"); fi
  done
  for n in "${sequence[@]}"; do stop_pidfile "postgres-$n (patroni)" "$(patroni_dir "$n")/patroni.pid" patroni; done
}

# SIGKILL node N as a machine dies: Patroni and its postmaster (whose backends then exit by themselves).
patroni_kill() {
  local n="$1" dir pid postmaster
  dir="$(patroni_dir "$n")"
  pid="$(patroni_pid "$n")"
  postmaster="$(read_pid "$dir/data/postmaster.pid")"
  if pid_matches "$pid" patroni; then kill -KILL "$pid"; else pid="(not running)"; fi
  if pid_matches "$postmaster" postgres; then kill -KILL "$postmaster"; else postmaster="(not running)"; fi
  echo "postgres-$n: killed patroni pid $pid, postmaster pid $postmaster"
}

# One line per node: its role and state as Patroni reports them.
patroni_status() {
  local n up=true role
  for n in "${PATRONI_NODES[@]}"; do
    role="$(patroni_rest "$n" /patroni \
      | jq -r '"\(if .role == "master" then "leader (primary)" else .role end), \(.state)"' 2>/dev/null || true)"
    if ! patroni_running "$n"; then up=false; fi
    printf '  %-10s %-28s %s\n' "postgres-$n" "$HOST:$(patroni_pg_port "$n")" "${role:-DOWN}"
  done
  $up
}
