# shellcheck shell=bash
# The OCI distribution registry (Debian's docker-registry 2.8) as a container-image VIM. Instances by name (infra/infra.sh
# chooses them and their ports): "plain" without auth, "auth" with htpasswd basic auth. Blobs and manifests under
# .local/infra/registry[-auth]/data; deletes enabled so the driver's remove works. Sourced by infra/infra.sh.

# The htpasswd registry's one user: test-only credentials, published in the env file for the tests.
REGISTRY_USER=imagemanager
REGISTRY_PASSWORD=imagemanager-registry

# apache2-utils brings htpasswd, which writes the bcrypt password file of the registry with basic auth.
registry_install() { packages_install docker-registry apache2-utils; }

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

# registry_configure DIR PORT [auth]
registry_configure() {
  local dir="$1" port="$2" auth="${3:-}"
  [[ -s "$dir/http-secret" ]] || (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/http-secret")
  render registry/config.yml REGISTRY_DIR="$dir" HOST="$HOST" REGISTRY_PORT="$port" \
    HTTP_SECRET="$(cat "$dir/http-secret")" >"$dir/config.yml"
  if [[ -n "$auth" ]]; then
    command -v htpasswd >/dev/null 2>&1 || die "htpasswd not found (is apache2-utils installed?)"
    # bcrypt: the only hash the registry's htpasswd auth accepts.
    htpasswd -B -b -c "$dir/htpasswd" "$REGISTRY_USER" "$REGISTRY_PASSWORD" 2>/dev/null \
      || die "htpasswd could not write $dir/htpasswd"
    render registry/auth.yml REGISTRY_DIR="$dir" >>"$dir/config.yml"
  fi
}

# registry_start NAME PORT [auth]
registry_start() {
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
  registry_configure "$dir" "$port" "$auth"

  log "registry-$name: starting on $HOST:$port"
  (cd "$dir" && spawn "$dir/registry.pid" "$dir/registry.log" docker-registry serve "$dir/config.yml")
  wait_for "$TIMEOUT" "$dir/registry.pid" registry_app_ready "$port" "$auth" \
    || fail_with_logs "registry-$name did not come up on $HOST:$port within ${TIMEOUT}s" "$dir/registry.log"
}

registry_stop() { stop_pidfile "registry-$1" "$(registry_dir "$1")/registry.pid" docker-registry; }

# registry_status NAME PORT [auth]
registry_status() {
  local name="$1" port="$2" auth="${3:-}" label=registry
  [[ -z "$auth" ]] || label=reg-auth
  status_line "$label" "http://$HOST:$port" "$(registry_dir "$name")/registry.pid" docker-registry \
    registry_app_ready "$port" "$auth"
}
