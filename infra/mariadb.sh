# shellcheck shell=bash
# MariaDB: the Catalog's database server, its data under .local/infra/mariadb/. Sourced by infra/infra.sh.

MARIADB_PORT="${IMAGEMANAGER_MARIADB_PORT:-3307}"
MARIADB_DATABASE=imagemanager_catalog
MARIADB_DIR="$INFRA_DIR/mariadb"
MARIADB_SOCKET="$SOCKET_DIR/mariadb.sock"

mariadb_install() { packages_install mariadb-server; }   # (brings mariadb-client)

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

mariadb_configure() {
  render mariadb/my.cnf OS_USER="$(id -un)" MARIADB_DIR="$MARIADB_DIR" MARIADB_SOCKET="$MARIADB_SOCKET" \
    MARIADB_PORT="$MARIADB_PORT" HOST="$HOST" >"$MARIADB_DIR/my.cnf"
}

mariadb_init_data() {
  [[ -f "$MARIADB_DIR/data/.initialized" ]] && return 0
  log "mariadb: initializing data directory"
  rm -rf "$MARIADB_DIR/data"
  mariadb-install-db --defaults-file="$MARIADB_DIR/my.cnf" --user="$(id -un)" \
      --auth-root-authentication-method=socket --skip-test-db >"$MARIADB_DIR/install-db.log" 2>&1 \
    || fail_with_logs "mariadb-install-db failed" "$MARIADB_DIR/install-db.log"
  touch "$MARIADB_DIR/data/.initialized"
}

# The database and its user, made sure of at every start.
mariadb_provision() {
  render mariadb/provision.sql MARIADB_DATABASE="$MARIADB_DATABASE" DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD" \
    | mariadb_client \
    || fail_with_logs "mariadb: creating database/user failed" "$MARIADB_DIR/mariadb.err"
}

mariadb_start() {
  mkdir -p "$MARIADB_DIR" "$SOCKET_DIR"
  local pid
  pid="$(read_pid "$MARIADB_DIR/mariadb.pid")"
  if pid_matches "$pid" 'mariadbd|mysqld'; then
    wait_for "$TIMEOUT" "$MARIADB_DIR/mariadb.pid" mariadb_ready \
      || fail_with_logs "mariadb (pid $pid) runs but does not answer on $HOST:$MARIADB_PORT" "$MARIADB_DIR/mariadb.err"
    log "mariadb: already running (pid $pid)"
    mariadb_provision
    return 0
  fi
  rm -f "$MARIADB_DIR/mariadb.pid" "$MARIADB_SOCKET" "$MARIADB_SOCKET.lock"
  if reuse_compatible_server mariadb "$MARIADB_PORT" mariadb_app_ready; then return 0; fi
  mariadb_configure
  mariadb_init_data

  log "mariadb: starting on $HOST:$MARIADB_PORT"
  spawn "$MARIADB_DIR/mariadb.pid" "$MARIADB_DIR/mariadb.out" \
    "$(mariadb_server_bin)" --defaults-file="$MARIADB_DIR/my.cnf"
  wait_for "$TIMEOUT" "$MARIADB_DIR/mariadb.pid" mariadb_ready \
    || fail_with_logs "mariadb did not come up on $HOST:$MARIADB_PORT within ${TIMEOUT}s" \
         "$MARIADB_DIR/mariadb.out" "$MARIADB_DIR/mariadb.err"
  mariadb_provision
}

mariadb_stop() { stop_pidfile mariadb "$MARIADB_DIR/mariadb.pid" 'mariadbd|mysqld'; }

mariadb_status() {
  status_line mariadb "$HOST:$MARIADB_PORT" "$MARIADB_DIR/mariadb.pid" 'mariadbd|mysqld' mariadb_app_ready
}
