# shellcheck shell=bash
# Regional hubs: nginx instances, each a caching reverse proxy in front of the Api's signed image downloads
# (templates/nginx/hub.conf), a plain foreground process with its configuration, cache, logs and pid under
# .local/infra/nginx-NAME/. Tests and the bench start their own: `infra/infra.sh nginx start NAME PORT CENTRE_URL`.
# Sourced by infra/infra.sh.

# Largest cache of one hub (nginx evicts the least recently used images beyond it).
NGINX_CACHE_SIZE="${IMAGEMANAGER_HUB_CACHE_SIZE:-20g}"

nginx_install() { packages_install nginx; }

nginx_dir() {
  [[ "$1" =~ ^[a-z0-9][a-z0-9-]{0,39}$ ]] || die "nginx instance name: up to 40 lower-case letters, digits and '-', got '$1'"
  echo "$INFRA_DIR/nginx-$1"
}

nginx_pid() { read_pid "$(nginx_dir "$1")/nginx.pid"; }
nginx_alive() { pid_matches "$(nginx_pid "$1")" nginx; }
nginx_port() { sed -n 's/^[[:space:]]*listen[[:space:]]\{1,\}[^[:space:]]*:\([0-9]\{1,5\}\);.*/\1/p' "$(nginx_dir "$1")/nginx.conf" 2>/dev/null; }
nginx_listening() { port_open "$(nginx_port "$1")"; }

# nginx_configure NAME PORT CENTRE_URL: writes the instance's configuration (the centre is the Api's base URL).
nginx_configure() {
  local name="$1" port="$2" centre="${3%/}" dir
  [[ "$port" =~ ^[0-9]{1,5}$ ]] || die "nginx $name: port must be a number, got '$port'"
  [[ "$centre" =~ ^https?://[A-Za-z0-9.:-]+$ ]] || die "nginx $name: centre must be a base URL like http://127.0.0.1:5080, got '$centre'"
  dir="$(nginx_dir "$name")"
  mkdir -p "$dir/cache" "$dir/tmp"
  render nginx/hub.conf HOST="$HOST" PORT="$port" DIR="$dir" CENTRE="$centre" CACHE_SIZE="$NGINX_CACHE_SIZE" >"$dir/nginx.conf.new"
  nginx -t -q -p "$dir" -c "$dir/nginx.conf.new" >"$dir/check.log" 2>&1 || fail_with_logs "nginx $name: invalid configuration" "$dir/check.log"
  mv "$dir/nginx.conf.new" "$dir/nginx.conf"
}

# nginx_start NAME PORT CENTRE_URL: a running instance with the same configuration is left alone, one with another
# is restarted (its cache stays).
nginx_start() {
  local name="$1" port="$2" centre="$3" dir
  dir="$(nginx_dir "$name")"
  if nginx_alive "$name"; then
    local running="$dir/nginx.conf.running"
    cp "$dir/nginx.conf" "$running"
    nginx_configure "$name" "$port" "$centre"
    if cmp -s "$dir/nginx.conf" "$running"; then log "nginx $name: already running (pid $(nginx_pid "$name"))"; return 0; fi
    log "nginx $name: configuration changed, restarting"
    nginx_stop "$name"
  else
    nginx_configure "$name" "$port" "$centre"
  fi
  log "nginx $name: starting on $HOST:$port, in front of $centre"
  spawn "$dir/nginx.pid" "$dir/nginx.log" nginx -p "$dir" -c "$dir/nginx.conf"
  wait_for "$TIMEOUT" "$dir/nginx.pid" nginx_listening "$name" \
    || fail_with_logs "nginx $name did not listen within ${TIMEOUT}s" "$dir/nginx.log" "$dir/error.log"
}

nginx_stop() { stop_pidfile "nginx $1" "$(nginx_dir "$1")/nginx.pid" nginx; }

# A hub that dies: SIGKILL, no goodbye to the connections it serves (the master's worker goes with it).
nginx_kill() {
  local pid workers
  pid="$(nginx_pid "$1")"
  if nginx_alive "$1"; then
    workers="$(pgrep -P "$pid" || true)"
    # shellcheck disable=SC2086 # one pid a word
    kill -KILL "$pid" $workers
    echo "nginx $1: killed pid $pid${workers:+ and its helpers ${workers//$'\n'/ }}"
  else
    echo "nginx $1: not running"
  fi
}

nginx_status() {
  local dir
  dir="$(nginx_dir "$1")"
  status_line "nginx-$1" "$HOST:$(nginx_port "$1")" "$dir/nginx.pid" nginx nginx_listening "$1"
}

# Removes a stopped instance's folder (configuration, cache, logs).
nginx_forget() {
  ! nginx_alive "$1" || die "nginx $1 is running: stop it first"
  rm -rf "$(nginx_dir "$1")"
}

# nginx start NAME PORT CENTRE_URL | stop NAME | kill NAME | status NAME | forget NAME
nginx_command() {
  local action="${1:-}" name="${2:-}"
  [[ -n "$name" ]] || { usage >&2; exit 2; }
  nginx_install
  case "$action" in
    start) [[ $# -eq 4 ]] || { usage >&2; exit 2; }; nginx_start "$name" "$3" "$4" ;;
    stop) nginx_stop "$name" ;;
    kill) nginx_kill "$name" ;;
    status) nginx_status "$name" ;;
    forget) nginx_forget "$name" ;;
    *) usage >&2; exit 2 ;;
  esac
}
