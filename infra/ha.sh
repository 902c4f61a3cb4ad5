# shellcheck shell=bash
# The highly available set (see the header of infra/infra.sh): etcd, Patroni's PostgreSQL nodes, Galera, the RabbitMQ
# cluster and HAProxy's `ha` instance, started in that order and stopped in reverse; its connection settings in
# .local/infra/ha.env; node-level faults for the fault test. Sourced by infra/infra.sh.

HA_ENV_FILE="$INFRA_DIR/ha.env"
HA_COMPONENTS=(etcd patroni galera rabbitmq_cluster "haproxy ha")
HA_KILLED_PRIMARY="$INFRA_DIR/ha-killed-primary"   # which Patroni node `kill postgres-primary` killed
HA_WAIT_SECONDS="${IMAGEMANAGER_HA_WAIT_SECONDS:-120}"

# ha_each ACTION [reverse]
ha_each() {
  local action="$1" order="${2:-}" i c words=()
  for ((i = 0; i < ${#HA_COMPONENTS[@]}; i++)); do
    c="${HA_COMPONENTS[i]}"
    [[ "$order" != reverse ]] || c="${HA_COMPONENTS[${#HA_COMPONENTS[@]} - 1 - i]}"
    read -ra words <<<"$c"
    local began=$SECONDS
    "${words[0]}_$action" "${words[@]:1}"
    [[ "$action" != start ]] || log "${words[0]}: ready after $((SECONDS - began))s"
  done
}

ha_write_env_file() {
  local rabbitmq_nodes="" n pg_hosts=""
  for n in "${RABBITMQ_CLUSTER_NODES[@]}"; do rabbitmq_nodes+="${rabbitmq_nodes:+,}$HOST:$((RABBITMQ_CLUSTER_PORT + n - 1))"; done
  for n in "${PATRONI_NODES[@]}"; do pg_hosts+="${pg_hosts:+,}$HOST:$(patroni_pg_port "$n")"; done
  render ha.env HOST="$HOST" RABBITMQ_PORT="$RABBITMQ_CLUSTER_PORT" RABBITMQ_NODES="$rabbitmq_nodes" \
    MARIADB_PORT="$HAPROXY_MARIADB_PORT" MARIADB_DATABASE="$MARIADB_DATABASE" GALERA_PORTS="$(galera_port 1),$(galera_port 2),$(galera_port 3)" \
    POSTGRES_HOSTS="$pg_hosts" POSTGRES_PORT="$HAPROXY_POSTGRES_PORT" POSTGRES_DATABASE="$POSTGRES_DATABASE" \
    DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD" ETCD_PORT="$ETCD_PORT" \
    PATRONI_URLS="http://$HOST:$(patroni_rest_port 1),http://$HOST:$(patroni_rest_port 2)" \
    | write_private_file "$HA_ENV_FILE"
}

ha_start() {
  local started=$SECONDS
  is_root || die "the HA set runs Galera as mysql and Patroni as postgres, which needs root"
  # python3-*: the clients of infra/python/ha_probe.py, which measures failovers.
  packages_install curl iproute2 gettext-base jq python3-pymysql python3-psycopg2 python3-pika
  ha_each install
  mkdir -p "$INFRA_DIR"
  [[ -f "$LOCAL_DIR/.gitignore" ]] || echo '*' >"$LOCAL_DIR/.gitignore"
  ha_each start
  ha_write_env_file
  echo
  ha_status
  echo
  log "HA set up in $((SECONDS - started))s; connection settings: source $HA_ENV_FILE"
}

ha_stop() {
  ha_each stop reverse
  rm -f "$HA_KILLED_PRIMARY"
  log "HA set stopped"
}

ha_status() {
  local up=true
  echo "ImageManager HA infrastructure ($INFRA_DIR):"
  etcd_status || up=false
  patroni_status || up=false
  galera_status || up=false
  rabbitmq_cluster_status || up=false
  haproxy_status ha || up=false
  haproxy_routes
  $up
}

# Every node back and in its cluster; quiet, for polling.
ha_healthy() {
  local n
  etcd_ready || return 1
  for n in "${PATRONI_NODES[@]}"; do patroni_streaming "$n" || return 1; done
  for n in "${GALERA_NODES[@]}"; do galera_synced "$n" || return 1; done
  rabbitmq_cluster_complete || return 1
  haproxy_alive ha && haproxy_listening "$(haproxy_dir ha)/running.cfg"
}

ha_wait_healthy() {
  local started=$SECONDS
  if wait_for "$HA_WAIT_SECONDS" "" ha_healthy; then log "HA set healthy (waited $((SECONDS - started))s)"; return 0; fi
  ha_status || true
  die "HA set not healthy within ${HA_WAIT_SECONDS}s"
}

# The Patroni node NODE names: postgres-1, postgres-2, or postgres-primary (the leader now; for start-node, the one
# that `kill postgres-primary` killed).
ha_postgres_node() {
  local node="$1" action="$2" n
  case "$node" in
    postgres-[0-9]) echo "${node#postgres-}" ;;
    postgres-primary)
      if [[ "$action" == kill ]]; then
        n="$(patroni_leader)"
        [[ -n "$n" ]] || die "no Patroni leader to kill"
        echo "$n" >"$HA_KILLED_PRIMARY"
        echo "$n"
      else
        [[ -s "$HA_KILLED_PRIMARY" ]] || die "postgres-primary: no primary was killed (infra/infra.sh ha kill postgres-primary)"
        cat "$HA_KILLED_PRIMARY"
      fi ;;
    *) die "unknown node $node" ;;
  esac
}

# ha_node kill|start-node NODE: NODE is rabbitmq-N, galera-N, postgres-N, postgres-primary, etcd or haproxy.
ha_node() {
  local action="$1" node="${2:-}" n started=$SECONDS
  [[ -n "$node" ]] || { usage >&2; exit 2; }
  case "$action:$node" in
    kill:rabbitmq-[1-3]) rabbitmq_cluster_kill "${node#rabbitmq-}" ;;
    start-node:rabbitmq-[1-3]) rabbitmq_cluster_start_node "${node#rabbitmq-}" ;;
    kill:galera-[1-3]) galera_kill "${node#galera-}" ;;
    start-node:galera-[1-3]) galera_start_node "${node#galera-}" ;;
    kill:postgres-*) n="$(ha_postgres_node "$node" kill)"; patroni_kill "$n" ;;
    start-node:postgres-*) n="$(ha_postgres_node "$node" start)"; patroni_start_node "$n"; rm -f "$HA_KILLED_PRIMARY" ;;
    kill:etcd) etcd_kill ;;
    start-node:etcd) etcd_start ;;
    kill:haproxy) haproxy_kill ha ;;
    start-node:haproxy) haproxy_start ha ;;
    *) die "ha $action: unknown node '$node' (rabbitmq-1..3, galera-1..3, postgres-1, postgres-2, postgres-primary, etcd, haproxy)" ;;
  esac
  [[ "$action" == kill ]] || log "$node is back ($((SECONDS - started))s)"
}

# ha start|stop|status|restart|wait-healthy|kill NODE|start-node NODE|rabbitmqctl ARGS...
ha_command() {
  local action="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$action" in
    start) ha_start ;;
    stop) ha_stop ;;
    status) ha_status ;;
    restart) ha_stop; ha_start ;;
    wait-healthy) ha_wait_healthy ;;
    kill|start-node) ha_node "$action" "$@" ;;
    rabbitmqctl) rabbitmq_cluster_ctl "$(rabbitmq_cluster_any)" "$@" ;;
    *) usage >&2; exit 2 ;;
  esac
}
