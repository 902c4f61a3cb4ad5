# shellcheck shell=bash
# Keystone v3 from Debian's keystone package, served by uwsgi's python3 plugin: sqlite, fernet tokens, its state under
# .local/infra/keystone/. Created once by keystone-manage (db_sync, fernet and credential keys, bootstrap: the admin
# user with a generated password kept in admin-password, mode 600, RegionOne, Keystone's own catalog entry); every
# start then makes sure of the service project, the glance service user and the image service pointing at the Glance
# behind Keystone (GLANCE_KEYSTONE_PORT, set by infra/infra.sh). Sourced by infra/infra.sh.

# 5000, Keystone's usual port, is the registry's here; 35357 was Keystone's admin port.
KEYSTONE_PORT="${IMAGEMANAGER_KEYSTONE_PORT:-35357}"
KEYSTONE_REGION=RegionOne
KEYSTONE_DIR="$INFRA_DIR/keystone"

# keystone brings uwsgi with its python3 plugin, which serves it; openssl makes the passwords, sqlite3 tunes the database.
keystone_install() { packages_install keystone sqlite3 openssl; }

keystone_url() { echo "http://$HOST:$KEYSTONE_PORT/v3"; }

keystone_ready() {
  curl -sf --max-time 3 "$(keystone_url)" 2>/dev/null | grep -q '"id": *"v3'
}

# Where the running Keystone keeps its passwords: ours, or, for one reused from another checkout, that one's own,
# found through the configuration named in its process environment (as for RabbitMQ's cookie).
keystone_state_dir() {
  local files
  if ! pid_matches "$(read_pid "$KEYSTONE_DIR/uwsgi.pid")" uwsgi && port_open "$KEYSTONE_PORT"; then
    files="$(listener_environment "$KEYSTONE_PORT" OS_KEYSTONE_CONFIG_FILES)"
    if [[ -n "$files" && -s "$(dirname "$files")/admin-password" ]]; then dirname "$files"; return; fi
  fi
  echo "$KEYSTONE_DIR"
}

keystone_manage() {
  keystone-manage --config-file "$KEYSTONE_DIR/keystone.conf" "$@" >>"$KEYSTONE_DIR/keystone-manage.log" 2>&1
}

keystone_configure() {
  render keystone/keystone.conf KEYSTONE_DIR="$KEYSTONE_DIR" >"$KEYSTONE_DIR/keystone.conf"
}

keystone_bootstrap() {
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

# What the tests need in Keystone (see python/keystone_provision.py), created when missing, endpoints corrected when the
# port changed.
keystone_provision() {
  # Keystone's sqlite schema has no enforced foreign keys: deleting a user leaves its application credentials' role rows
  # behind, and a new credential that gets the same row id collides with them (409). Tests delete their credentials
  # first; this clears what an interrupted run left.
  sqlite3 "$KEYSTONE_DIR/keystone.sqlite" 'DELETE FROM application_credential_role WHERE application_credential_id NOT IN (SELECT internal_id FROM application_credential);' \
    || warn "keystone: could not clear orphaned application credential roles"
  KEYSTONE_URL="$(keystone_url)" KEYSTONE_REGION="$KEYSTONE_REGION" GLANCE_URL="http://$HOST:$GLANCE_KEYSTONE_PORT" \
  ADMIN_PASSWORD_FILE="$KEYSTONE_DIR/admin-password" GLANCE_PASSWORD_FILE="$KEYSTONE_DIR/glance-password" \
    python3 "$INFRA_HOME/python/keystone_provision.py" >>"$KEYSTONE_DIR/provision.log" 2>&1 \
    || fail_with_logs "keystone: provisioning failed" "$KEYSTONE_DIR/provision.log"
}

keystone_orphans() { pids_with_arg "$KEYSTONE_DIR/uwsgi.log"; }

keystone_start() {
  local pid
  mkdir -p "$KEYSTONE_DIR"
  command -v keystone-manage >/dev/null 2>&1 || die "keystone-manage not found (is the keystone package installed?)"
  pid="$(read_pid "$KEYSTONE_DIR/uwsgi.pid")"
  if pid_matches "$pid" uwsgi; then
    wait_for "$TIMEOUT" "$KEYSTONE_DIR/uwsgi.pid" keystone_ready \
      || fail_with_logs "keystone (pid $pid) runs but does not answer on $HOST:$KEYSTONE_PORT" "$KEYSTONE_DIR/uwsgi.log" "$KEYSTONE_DIR/keystone.log"
    log "keystone: already running (pid $pid)"
    keystone_provision
    return 0
  fi
  rm -f "$KEYSTONE_DIR/uwsgi.pid"
  for pid in $(keystone_orphans); do
    log "stopping leftover keystone process (pid $pid)"
    stop_pid keystone "$pid"
  done
  if reuse_compatible_server keystone "$KEYSTONE_PORT" keystone_ready; then return 0; fi
  keystone_configure
  keystone_bootstrap

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
  keystone_provision
}

keystone_stop() {
  local pid
  stop_pidfile keystone "$KEYSTONE_DIR/uwsgi.pid" uwsgi
  for pid in $(keystone_orphans); do stop_pid keystone "$pid"; done
}

keystone_status() {
  status_line keystone "$(keystone_url)" "$KEYSTONE_DIR/uwsgi.pid" uwsgi keystone_ready
}

# The admin password of the running Keystone (ours or a reused one), empty when unknown.
keystone_admin_password() { cat "$(keystone_state_dir)/admin-password" 2>/dev/null || true; }
