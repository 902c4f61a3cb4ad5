# shellcheck shell=bash
# etcd: the one-member etcd 3.4 that Patroni keeps its leader key in (the HA set, see ha.sh), its data under
# .local/infra/etcd/. Sourced by infra/infra.sh.

ETCD_PORT="${IMAGEMANAGER_HA_ETCD_PORT:-23790}"
ETCD_PEER_PORT="${IMAGEMANAGER_HA_ETCD_PEER_PORT:-23800}"
ETCD_DIR="$INFRA_DIR/etcd"

etcd_install() { packages_install etcd-server etcd-client; }

etcd_configure() {
  mkdir -p "$ETCD_DIR"
  render etcd/etcd.conf.yml ETCD_DIR="$ETCD_DIR" HOST="$HOST" ETCD_PORT="$ETCD_PORT" ETCD_PEER_PORT="$ETCD_PEER_PORT" \
    >"$ETCD_DIR/etcd.conf.yml"
}

etcd_ready() { curl -fsS -m 2 "http://$HOST:$ETCD_PORT/health" 2>/dev/null | grep -q '"health":"true"'; }

etcd_pid() { read_pid "$ETCD_DIR/etcd.pid"; }

etcd_start() {
  if pid_matches "$(etcd_pid)" etcd; then
    wait_for "$TIMEOUT" "$ETCD_DIR/etcd.pid" etcd_ready || fail_with_logs "etcd runs but is not healthy" "$ETCD_DIR/etcd.log"
    log "etcd: already running (pid $(etcd_pid))"; return 0
  fi
  port_open "$ETCD_PORT" && die "etcd: port $HOST:$ETCD_PORT is taken by another program (IMAGEMANAGER_HA_ETCD_PORT)"
  etcd_configure
  log "etcd: starting on $HOST:$ETCD_PORT"
  spawn "$ETCD_DIR/etcd.pid" "$ETCD_DIR/etcd.log" etcd --config-file "$ETCD_DIR/etcd.conf.yml"
  wait_for "$TIMEOUT" "$ETCD_DIR/etcd.pid" etcd_ready \
    || fail_with_logs "etcd did not become healthy on $HOST:$ETCD_PORT within ${TIMEOUT}s" "$ETCD_DIR/etcd.log"
}

etcd_stop() { stop_pidfile etcd "$ETCD_DIR/etcd.pid" etcd; }

etcd_kill() {
  local pid
  pid="$(etcd_pid)"
  if pid_matches "$pid" etcd; then kill -KILL "$pid"; echo "etcd: killed pid $pid"; else echo "etcd: not running"; fi
}

etcd_status() { status_line etcd "http://$HOST:$ETCD_PORT" "$ETCD_DIR/etcd.pid" etcd etcd_ready; }
