# shellcheck shell=bash
# HAProxy instances, each a plain foreground process with its own configuration and its state under
# .local/infra/haproxy-NAME/. The HA set's instance, `ha`, renders its configuration from templates/haproxy/ha.cfg:
# a MariaDB front over the Galera nodes (one active, the others backup: writes on one node never conflict) and a
# PostgreSQL front that follows Patroni's primary. Others (the Api's front door, generated from the C# declaration)
# come with their own file: `infra/infra.sh haproxy start NAME CONFIG_FILE`. Sourced by infra/infra.sh.

HAPROXY_MARIADB_PORT="${IMAGEMANAGER_HA_MARIADB_PORT:-3310}"
HAPROXY_POSTGRES_PORT="${IMAGEMANAGER_HA_POSTGRES_PRIMARY_PORT:-5440}"

haproxy_install() { packages_install haproxy socat; }   # socat: the admin socket, for status

haproxy_dir() {
  [[ "$1" =~ ^[a-z0-9][a-z0-9-]{0,39}$ ]] || die "haproxy instance name: up to 40 lower-case letters, digits and '-', got '$1'"
  echo "$INFRA_DIR/haproxy-$1"
}

haproxy_pid() { read_pid "$(haproxy_dir "$1")/haproxy.pid"; }
haproxy_alive() { pid_matches "$(haproxy_pid "$1")" haproxy; }

# The ports CONFIG binds (`bind ADDRESS:PORT` lines), one a line.
haproxy_ports() { sed -n 's/^[[:space:]]*bind[[:space:]]\{1,\}[^[:space:]]*:\([0-9]\{1,5\}\).*/\1/p' "$1"; }

haproxy_listening() {
  local port
  for port in $(haproxy_ports "$1"); do port_open "$port" || return 1; done
}

# The HA set's configuration.
haproxy_configure_ha() {
  local dir
  dir="$(haproxy_dir ha)"
  mkdir -p "$dir"
  render haproxy/ha.cfg HOST="$HOST" DIR="$dir" MARIADB_PORT="$HAPROXY_MARIADB_PORT" POSTGRES_PORT="$HAPROXY_POSTGRES_PORT" \
    GALERA_1="$(galera_port 1)" GALERA_2="$(galera_port 2)" GALERA_3="$(galera_port 3)" \
    POSTGRES_1="$(patroni_pg_port 1)" POSTGRES_2="$(patroni_pg_port 2)" \
    PATRONI_1="$(patroni_rest_port 1)" PATRONI_2="$(patroni_rest_port 2)" >"$dir/haproxy.cfg"
}

# haproxy_start NAME [CONFIG]: instance NAME with CONFIG (for `ha`, its own by default). A running instance whose
# configuration changed is restarted; one whose configuration is the same is left alone.
haproxy_start() {
  local name="$1" config="${2:-}" dir
  dir="$(haproxy_dir "$name")"
  mkdir -p "$dir"
  if [[ -z "$config" ]]; then
    [[ "$name" == ha ]] || die "haproxy start $name: a configuration file is needed"
    haproxy_configure_ha
    config="$dir/haproxy.cfg"
  fi
  [[ -f "$config" ]] || die "haproxy: no configuration file $config"
  config="$(realpath "$config")"
  haproxy -c -q -f "$config" >"$dir/check.log" 2>&1 || fail_with_logs "haproxy $name: invalid configuration $config" "$dir/check.log"
  if haproxy_alive "$name"; then
    if cmp -s "$config" "$dir/running.cfg"; then log "haproxy $name: already running (pid $(haproxy_pid "$name"))"; return 0; fi
    log "haproxy $name: configuration changed, restarting"
    haproxy_stop "$name"
  fi
  cp "$config" "$dir/running.cfg"
  log "haproxy $name: starting (ports $(haproxy_ports "$config" | paste -sd' ' -))"
  spawn "$dir/haproxy.pid" "$dir/haproxy.log" haproxy -db -f "$dir/running.cfg"
  wait_for "$TIMEOUT" "$dir/haproxy.pid" haproxy_listening "$dir/running.cfg" \
    || fail_with_logs "haproxy $name did not listen within ${TIMEOUT}s" "$dir/haproxy.log"
}

haproxy_stop() { stop_pidfile "haproxy $1" "$(haproxy_dir "$1")/haproxy.pid" haproxy; }

haproxy_kill() {
  local pid
  pid="$(haproxy_pid "$1")"
  if haproxy_alive "$1"; then kill -KILL "$pid"; echo "haproxy $1: killed pid $pid"; else echo "haproxy $1: not running"; fi
}

haproxy_status() {
  local dir
  dir="$(haproxy_dir "$1")"
  status_line "haproxy-$1" "$(haproxy_ports "$dir/running.cfg" 2>/dev/null | sed "s/^/$HOST:/" | paste -sd' ' -)" \
    "$dir/haproxy.pid" haproxy haproxy_listening "$dir/running.cfg"
}

# Where instance `ha` sends clients now: per front, the server taking new connections (an active one up, else the
# first backup up), from its admin socket.
haproxy_routes() {
  local socket
  socket="$(haproxy_dir ha)/admin.sock"
  [[ -S "$socket" ]] || return 0
  echo 'show stat' | timeout 3 socat - "UNIX-CONNECT:$socket" 2>/dev/null | awk -F, '
    $2 != "FRONTEND" && $2 != "BACKEND" && $18 ~ /^UP/ {
      if ($20 == 1 && !($1 in active)) active[$1] = $2
      if ($21 == 1 && !($1 in backup)) backup[$1] = $2
      fronts[$1] = 1
    }
    END { for (f in fronts) printf "%s -> %s\n", f, (f in active) ? active[f] : backup[f] }' | sort | paste -sd, - \
    | sed 's/,/, /g; s/^/  routes     /'
}

# haproxy start|stop|status NAME [CONFIG_FILE]
haproxy_command() {
  local action="${1:-}" name="${2:-}"
  [[ -n "$name" ]] || { usage >&2; exit 2; }
  haproxy_install
  case "$action" in
    start) haproxy_start "$name" "${3:-}" ;;
    stop) haproxy_stop "$name" ;;
    status) haproxy_status "$name" ;;
    *) usage >&2; exit 2 ;;
  esac
}
