# shellcheck shell=bash
# OpenStack Glance APIs, file store, sqlite, each under .local/infra/glance-NAME/. Instances by name (infra/infra.sh
# chooses them and their ports): without Keystone, or behind Keystone (flavor "keystone", needs keystone.sh).
# Sourced by infra/infra.sh.

glance_install() { packages_install glance-api; }   # (brings python3-keystonemiddleware)

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

# glance_configure DIR PORT [keystone]
glance_configure() {
  local dir="$1" port="$2" flavor="${3:-}"
  render glance/glance-api.conf HOST="$HOST" GLANCE_PORT="$port" GLANCE_DIR="$dir" GLANCE_FLAVOR="$flavor" \
    >"$dir/glance-api.conf"
  if [[ "$flavor" == keystone ]]; then
    render glance/keystone_authtoken.conf KEYSTONE_URL="$(keystone_url)" KEYSTONE_REGION="$KEYSTONE_REGION" \
      GLANCE_PASSWORD="$(cat "$(keystone_state_dir)/glance-password")" >>"$dir/glance-api.conf"
  fi
  # The "glance-api" and "glance-api-keystone" pipelines of Debian's /etc/glance/glance-api-paste.ini (which is
  # not readable by non-root users), without the caching variants.
  render glance/glance-api-paste.ini GLANCE_DIR="$dir" >"$dir/glance-api-paste.ini"
  # Glance without Keystone. Its own UnauthenticatedContextMiddleware gives requests no project, and an import task
  # must have an owner (web-download answers 500 then): this filter gives every request the identity
  # keystonemiddleware would have confirmed, one fixed project with the admin role, so Glance's ContextMiddleware
  # builds the context.
  mkdir -p "$INFRA_DIR/glance-lib"
  cp "$INFRA_HOME/python/imagemanager_glance_identity.py" "$INFRA_DIR/glance-lib/imagemanager_glance_identity.py"
  # YAML (not JSON, which oslo.policy warns about) for "no overrides".
  render glance/policy.yaml >"$dir/policy.yaml"
}

glance_config_digest() {
  cat "$1/glance-api.conf" "$1/glance-api-paste.ini" "$INFRA_DIR/glance-lib/imagemanager_glance_identity.py" | sha256sum | cut -d' ' -f1
}

# glance_start NAME PORT [keystone]
glance_start() {
  local n="$1" port="$2" flavor="${3:-}" dir pid ready=glance_app_ready
  [[ -z "$flavor" ]] || ready=glance_keystone_app_ready
  dir="$(glance_dir "$n")"
  mkdir -p "$dir"/{images,staging,tasks,cache,lock,policy.d}
  command -v glance-api >/dev/null 2>&1 || die "glance-api not found (is the glance-api package installed?)"

  pid="$(read_pid "$dir/glance-api.pid")"
  if pid_matches "$pid" glance-api; then
    # An instance started from an older configuration (e.g. before web-download was enabled) is restarted.
    glance_configure "$dir" "$port" "$flavor"
    if [[ "$(cat "$dir/.running-config" 2>/dev/null || true)" == "$(glance_config_digest "$dir")" ]]; then
      if wait_for "$TIMEOUT" "$dir/glance-api.pid" glance_ready "$port"; then
        log "glance-$n: already running (pid $pid)"; return 0
      fi
      fail_with_logs "glance-$n (pid $pid) runs but does not answer on $HOST:$port" "$dir/glance-api.log"
    fi
    log "glance-$n: its configuration changed; restarting it"
    glance_stop "$n"
  fi
  rm -f "$dir/glance-api.pid"
  glance_stop_orphans "$n"
  if reuse_compatible_server "glance-$n" "$port" "$ready" "$port"; then return 0; fi
  glance_configure "$dir" "$port" "$flavor"

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
glance_stop_orphans() {
  local n="$1" dir pid
  dir="$(glance_dir "$n")"
  for pid in $(pids_with_arg "$dir/glance-api.conf"); do
    log "stopping leftover glance-$n process (pid $pid)"
    stop_pid "glance-$n" "$pid"
  done
}

glance_stop() {
  local n="$1"
  stop_pidfile "glance-$n" "$(glance_dir "$n")/glance-api.pid" glance-api   # the parent stops its worker on TERM ...
  glance_stop_orphans "$n"                                                 # ... and any worker still around is ended here.
}

# glance_status NAME PORT [keystone]
glance_status() {
  local n="$1" port="$2" flavor="${3:-}" label="glance-$1" ready=glance_app_ready
  if [[ -n "$flavor" ]]; then label=glance-ks; ready=glance_keystone_app_ready; fi
  status_line "$label" "http://$HOST:$port" "$(glance_dir "$n")/glance-api.pid" glance-api "$ready" "$port"
}
