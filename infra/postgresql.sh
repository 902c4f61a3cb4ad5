# shellcheck shell=bash
# PostgreSQL: the database server of Distribution and Notifications, its cluster under .local/infra/postgres/.
# Sourced by infra/infra.sh.

POSTGRES_PORT="${IMAGEMANAGER_POSTGRES_PORT:-5433}"
POSTGRES_DATABASE=imagemanager_distribution
POSTGRES_DIR="$INFRA_DIR/postgres"
POSTGRES_SOCKET_DIR="$SOCKET_DIR/postgres"

postgresql_install() { packages_install postgresql; }   # (brings postgresql-client-NN)

postgresql_bin_dir() {
  if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then echo /usr/lib/postgresql/15/bin; return; fi
  local d
  d="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  [[ -x "$d/initdb" ]] || die "PostgreSQL binaries not found under /usr/lib/postgresql (is postgresql installed?)"
  echo "$d"
}

# PostgreSQL refuses to run as root: use the 'postgres' OS user then.
as_postgres_user() {
  if is_root; then (cd "$POSTGRES_DIR" && runuser -u postgres -- "$@")
  else (cd "$POSTGRES_DIR" && "$@")
  fi
}

# psql as the cluster's superuser through our Unix socket; SQL on stdin.
postgresql_superuser_psql() {
  as_postgres_user "$(postgresql_bin_dir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$POSTGRES_SOCKET_DIR" -p "$POSTGRES_PORT" -d postgres
}

postgresql_ready() {
  port_open "$POSTGRES_PORT" && as_postgres_user "$(postgresql_bin_dir)/pg_isready" -q -h "$HOST" -p "$POSTGRES_PORT" -t 2
}

# What the application does: TCP login as the imagemanager role.
postgresql_app_ready() {
  PGPASSWORD="$DB_PASSWORD" PGCONNECT_TIMEOUT=2 "$(postgresql_bin_dir)/psql" -X -q -w -h "$HOST" -p "$POSTGRES_PORT" \
    -U "$DB_USER" -d "$POSTGRES_DATABASE" -c 'SELECT 1' >/dev/null 2>&1
}

# The role and its database, made sure of at every start.
postgresql_provision() {
  render postgresql/provision.sql DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD" POSTGRES_DATABASE="$POSTGRES_DATABASE" \
    | postgresql_superuser_psql \
    || fail_with_logs "postgres: creating role/database failed" "$POSTGRES_DIR/postgres.log"
}

postgresql_init_data() {
  [[ -f "$POSTGRES_DIR/data/.initialized" ]] && return 0
  log "postgres: initializing data directory ($1)"
  rm -rf "$POSTGRES_DIR/data"
  as_postgres_user "$1/initdb" -D "$POSTGRES_DIR/data" --encoding=UTF8 --no-locale \
      --auth-local=peer --auth-host=scram-sha-256 >"$POSTGRES_DIR/initdb.log" 2>&1 \
    || fail_with_logs "initdb failed" "$POSTGRES_DIR/initdb.log"
  echo "include_if_exists = 'imagemanager.conf'" | as_postgres_user tee -a "$POSTGRES_DIR/data/postgresql.conf" >/dev/null
  as_postgres_user touch "$POSTGRES_DIR/data/.initialized"
}

# Our settings, included by the cluster's postgresql.conf; regenerated on every start so that port overrides take effect.
postgresql_configure() {
  render postgresql/imagemanager.conf HOST="$HOST" POSTGRES_PORT="$POSTGRES_PORT" POSTGRES_SOCKET_DIR="$POSTGRES_SOCKET_DIR" \
    | as_postgres_user tee "$POSTGRES_DIR/data/imagemanager.conf" >/dev/null
}

postgresql_start() {
  local bin pid
  bin="$(postgresql_bin_dir)"
  mkdir -p "$POSTGRES_DIR" "$POSTGRES_SOCKET_DIR"
  if is_root; then
    chown -R postgres:postgres "$POSTGRES_DIR" "$POSTGRES_SOCKET_DIR"
    ensure_traversable postgres "$POSTGRES_DIR"
    ensure_traversable postgres "$POSTGRES_SOCKET_DIR"
  fi
  chmod 700 "$POSTGRES_SOCKET_DIR"

  pid="$(read_pid "$POSTGRES_DIR/data/postmaster.pid")"
  if pid_matches "$pid" postgres; then
    wait_for "$TIMEOUT" "" postgresql_ready \
      || fail_with_logs "postgres (pid $pid) runs but does not answer on $HOST:$POSTGRES_PORT" "$POSTGRES_DIR/postgres.log"
    log "postgres: already running (pid $pid)"
    postgresql_provision
    return 0
  fi
  rm -f "$POSTGRES_DIR/data/postmaster.pid"
  if reuse_compatible_server postgres "$POSTGRES_PORT" postgresql_app_ready; then return 0; fi
  postgresql_init_data "$bin"
  postgresql_configure

  log "postgres: starting on $HOST:$POSTGRES_PORT"
  as_postgres_user "$bin/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/postgres.log" -w -t "$TIMEOUT" start \
      >"$POSTGRES_DIR/pg_ctl.log" 2>&1 \
    || fail_with_logs "postgres did not come up on $HOST:$POSTGRES_PORT within ${TIMEOUT}s" \
         "$POSTGRES_DIR/pg_ctl.log" "$POSTGRES_DIR/postgres.log"
  wait_for "$TIMEOUT" "$POSTGRES_DIR/data/postmaster.pid" postgresql_ready \
    || fail_with_logs "postgres does not answer on $HOST:$POSTGRES_PORT" "$POSTGRES_DIR/postgres.log"
  postgresql_provision
}

postgresql_stop() {
  local pid
  pid="$(read_pid "$POSTGRES_DIR/data/postmaster.pid")"
  if pid_matches "$pid" postgres; then
    log "stopping postgres (pid $pid)"
    as_postgres_user "$(postgresql_bin_dir)/pg_ctl" -D "$POSTGRES_DIR/data" -m fast -w -t "$TIMEOUT" stop >/dev/null 2>&1 \
      || stop_pid postgres "$pid"
  fi
}

postgresql_status() {
  status_line postgres "$HOST:$POSTGRES_PORT" "$POSTGRES_DIR/data/postmaster.pid" postgres postgresql_app_ready
}
