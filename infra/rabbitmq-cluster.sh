# shellcheck shell=bash
# The RabbitMQ cluster of the HA set: three nodes, imagemanager-ha-1..3@localhost, sharing one Erlang cookie and a
# private epmd, their state under .local/infra/rabbitmq-ha-N/. rabbitmq.sh's functions run each node once
# rabbitmq_cluster_use has pointed their settings at it. The services declare their quorum queues themselves.
# Sourced by infra/infra.sh.

RABBITMQ_CLUSTER_NODES=(1 2 3)
RABBITMQ_CLUSTER_PORT="${IMAGEMANAGER_HA_RABBITMQ_PORT:-5681}"            # node N: + N - 1
RABBITMQ_CLUSTER_DIST_PORT="${IMAGEMANAGER_HA_RABBITMQ_DIST_PORT:-25681}" # node N: + N - 1
RABBITMQ_CLUSTER_EPMD_PORT="${IMAGEMANAGER_HA_EPMD_PORT:-4371}"
RABBITMQ_CLUSTER_COOKIE="$INFRA_DIR/rabbitmq-ha-cookie"

rabbitmq_cluster_install() { rabbitmq_install; }

rabbitmq_cluster_node() { echo "imagemanager-ha-$1@localhost"; }

# Points the settings of rabbitmq.sh and epmd.sh at node N.
# shellcheck disable=SC2034 # the settings are those of rabbitmq.sh and epmd.sh, read there
rabbitmq_cluster_use() {
  local n="$1"
  RABBITMQ_DIR="$INFRA_DIR/rabbitmq-ha-$n"
  RABBITMQ_NODE="$(rabbitmq_cluster_node "$n")"
  RABBITMQ_PORT=$((RABBITMQ_CLUSTER_PORT + n - 1))
  RABBITMQ_DIST_PORT=$((RABBITMQ_CLUSTER_DIST_PORT + n - 1))
  EPMD_PORT="$RABBITMQ_CLUSTER_EPMD_PORT"
  EPMD_DIR="$INFRA_DIR/rabbitmq-ha-epmd"
}

rabbitmq_cluster_pid() { (rabbitmq_cluster_use "$1"; read_pid "$RABBITMQ_DIR/rabbitmq.pid"); }
rabbitmq_cluster_alive() { pid_matches "$(rabbitmq_cluster_pid "$1")" beam; }

# rabbitmqctl against node N (its output on stdout).
rabbitmq_cluster_ctl() {
  local n="$1"; shift
  (
    rabbitmq_cluster_use "$n"
    rabbitmq_env
    timeout 60 "$(rabbitmq_bin rabbitmqctl)" -n "$RABBITMQ_NODE" "$@"
  )
}

# The one cookie of the cluster, copied into every node's HOME before rabbitmq_configure looks there.
rabbitmq_cluster_configure() {
  local n="$1"
  if [[ ! -s "$RABBITMQ_CLUSTER_COOKIE" ]]; then
    head -c 32 /dev/urandom | md5sum | cut -c1-20 | tr a-f A-F | write_private_file "$RABBITMQ_CLUSTER_COOKIE"
  fi
  mkdir -p "$INFRA_DIR/rabbitmq-ha-$n/home"
  if ! cmp -s "$RABBITMQ_CLUSTER_COOKIE" "$INFRA_DIR/rabbitmq-ha-$n/home/.erlang.cookie"; then
    rm -f "$INFRA_DIR/rabbitmq-ha-$n/home/.erlang.cookie"
    install -m 400 "$RABBITMQ_CLUSTER_COOKIE" "$INFRA_DIR/rabbitmq-ha-$n/home/.erlang.cookie"
  fi
}

# Starts node N in the background when it is not running; rabbitmq_cluster_wait waits for it.
rabbitmq_cluster_spawn() {
  local n="$1"
  if rabbitmq_cluster_alive "$n"; then return 0; fi
  rabbitmq_cluster_configure "$n"
  (
    rabbitmq_cluster_use "$n"
    mkdir -p "$RABBITMQ_DIR"/{home,mnesia,log}
    epmd_start
    port_open "$RABBITMQ_PORT" && die "rabbitmq-$n: port $HOST:$RABBITMQ_PORT is taken by another program"
    rm -f "$RABBITMQ_DIR/rabbitmq.pid" "$RABBITMQ_DIR/launcher.pid"
    rabbitmq_configure
    log "rabbitmq-$n: starting node $RABBITMQ_NODE on $HOST:$RABBITMQ_PORT"
    rabbitmq_env
    cd "$RABBITMQ_DIR" || exit 1
    spawn "$RABBITMQ_DIR/launcher.pid" "$RABBITMQ_DIR/log/startup.log" "$(rabbitmq_bin rabbitmq-server)"
  )
}

rabbitmq_cluster_wait() {
  local n="$1"
  (
    rabbitmq_cluster_use "$n"
    wait_for "$TIMEOUT" "$RABBITMQ_DIR/launcher.pid" rabbitmq_running \
      || fail_with_logs "rabbitmq-$n did not come up on $HOST:$RABBITMQ_PORT within ${TIMEOUT}s" \
           "$RABBITMQ_DIR/log/startup.log" "$RABBITMQ_DIR/log/$RABBITMQ_NODE.log"
  )
}

# The nodes that node N sees running in its cluster, one a line.
rabbitmq_cluster_running_nodes() {
  rabbitmq_cluster_ctl "$1" cluster_status --formatter json 2>/dev/null | jq -r '.running_nodes[]?' 2>/dev/null || true
}

# Node N joins the first other running node, unless it is already in the cluster (a restarted member rejoins alone).
rabbitmq_cluster_join() {
  local n="$1" other seed=""
  for other in "${RABBITMQ_CLUSTER_NODES[@]}"; do
    if [[ "$other" != "$n" ]] && rabbitmq_cluster_alive "$other"; then seed="$other"; break; fi
  done
  [[ -n "$seed" ]] || return 0
  if rabbitmq_cluster_ctl "$n" cluster_status --formatter json 2>/dev/null \
      | jq -e --arg seed "$(rabbitmq_cluster_node "$seed")" '.disk_nodes | index($seed)' >/dev/null 2>&1; then
    return 0
  fi
  log "rabbitmq-$n: joining the cluster of $(rabbitmq_cluster_node "$seed")"
  { rabbitmq_cluster_ctl "$n" stop_app \
      && rabbitmq_cluster_ctl "$n" join_cluster "$(rabbitmq_cluster_node "$seed")" \
      && rabbitmq_cluster_ctl "$n" start_app; } >/dev/null \
    || die "rabbitmq-$n: could not join $(rabbitmq_cluster_node "$seed")"
}

# Node N runs and node 1..3 that run are all in its view of the cluster.
rabbitmq_cluster_member() {
  local n="$1" other running
  running="$(rabbitmq_cluster_running_nodes "$n")"
  for other in "${RABBITMQ_CLUSTER_NODES[@]}"; do
    if rabbitmq_cluster_alive "$other" && ! grep -qx "$(rabbitmq_cluster_node "$other")" <<<"$running"; then return 1; fi
  done
  [[ -n "$running" ]]
}

# All nodes spawned together: after a full stop, a node waits for the peers it last saw before it opens.
rabbitmq_cluster_start() {
  local n
  for n in "${RABBITMQ_CLUSTER_NODES[@]}"; do rabbitmq_cluster_spawn "$n"; done
  for n in "${RABBITMQ_CLUSTER_NODES[@]}"; do rabbitmq_cluster_wait "$n"; done
  # Members (running, or restarted: they rejoin by themselves) need nothing more; a new cluster is formed once.
  if rabbitmq_cluster_complete; then return 0; fi
  for n in "${RABBITMQ_CLUSTER_NODES[@]:1}"; do rabbitmq_cluster_join "$n"; done
  wait_for "$TIMEOUT" "" rabbitmq_cluster_complete || die "rabbitmq cluster: not every node runs in the cluster"
  # The services declare quorum queues: the cluster must have the feature enabled on every node.
  rabbitmq_cluster_ctl "$(rabbitmq_cluster_any)" list_feature_flags --formatter json 2>/dev/null \
    | jq -e '.[] | select(.name == "quorum_queue" and .state == "enabled")' >/dev/null \
    || die "rabbitmq cluster: quorum queues are not enabled"
  # guest as the services use it (see rabbitmq_let_services_impersonate); users are cluster-wide.
  rabbitmq_cluster_ctl "$(rabbitmq_cluster_any)" set_user_tags guest administrator impersonator >/dev/null \
    || die "rabbitmq cluster: could not tag user guest as impersonator"
}

# Every node runs in the cluster, as the first running node sees it.
rabbitmq_cluster_complete() {
  local running n
  running="$(rabbitmq_cluster_running_nodes "$(rabbitmq_cluster_any)")"
  for n in "${RABBITMQ_CLUSTER_NODES[@]}"; do grep -qx "$(rabbitmq_cluster_node "$n")" <<<"$running" || return 1; done
}

# rabbitmq_cluster_start_node N: node N again, waiting until it runs in the cluster.
rabbitmq_cluster_start_node() {
  local n="$1"
  rabbitmq_cluster_spawn "$n"
  rabbitmq_cluster_wait "$n"
  rabbitmq_cluster_join "$n"
  wait_for "$TIMEOUT" "" rabbitmq_cluster_member "$n" || die "rabbitmq-$n: not a running member of the cluster"
}

# The first running node (for the CLI), 1 when none runs.
rabbitmq_cluster_any() {
  local n
  for n in "${RABBITMQ_CLUSTER_NODES[@]}"; do
    if rabbitmq_cluster_alive "$n"; then echo "$n"; return 0; fi
  done
  echo 1
}

rabbitmq_cluster_stop_node() {
  (
    rabbitmq_cluster_use "$1"
    local launcher
    launcher="$(read_pid "$RABBITMQ_DIR/launcher.pid")"
    stop_pidfile "rabbitmq-$1" "$RABBITMQ_DIR/rabbitmq.pid" beam
    if pid_matches "$launcher" rabbitmq-server; then stop_pid "rabbitmq-$1-launcher" "$launcher"; fi
    rm -f "$RABBITMQ_DIR/launcher.pid"
  )
}

# Node 1 stops last, so that it may start first next time; then the cluster's epmd.
rabbitmq_cluster_stop() {
  local i
  for ((i = ${#RABBITMQ_CLUSTER_NODES[@]} - 1; i >= 0; i--)); do rabbitmq_cluster_stop_node "${RABBITMQ_CLUSTER_NODES[i]}"; done
  (rabbitmq_cluster_use 1; epmd_stop)
}

rabbitmq_cluster_kill() {
  local pid
  pid="$(rabbitmq_cluster_pid "$1")"
  if rabbitmq_cluster_alive "$1"; then kill -KILL "$pid"; echo "rabbitmq-$1: killed pid $pid"; else echo "rabbitmq-$1: not running"; fi
}

# One line per node: running, and in the cluster as the first running node sees it.
rabbitmq_cluster_status() {
  local n up=true running state
  running="$(rabbitmq_cluster_running_nodes "$(rabbitmq_cluster_any)")"
  for n in "${RABBITMQ_CLUSTER_NODES[@]}"; do
    if ! rabbitmq_cluster_alive "$n"; then state=DOWN; up=false
    elif grep -qx "$(rabbitmq_cluster_node "$n")" <<<"$running"; then state="running in the cluster (pid $(rabbitmq_cluster_pid "$n"))"
    else state="running, NOT in the cluster (pid $(rabbitmq_cluster_pid "$n"))"; up=false
    fi
    printf '  %-10s %-28s %s\n' "rabbitmq-$n" "amqp://$HOST:$((RABBITMQ_CLUSTER_PORT + n - 1))" "$state"
  done
  $up
}
