# shellcheck shell=bash
# RabbitMQ: the shared node imagemanager@localhost, with its private epmd (epmd.sh). broker.sh reuses these functions
# for private nodes by pointing the settings below at one. Sourced by infra/infra.sh.

RABBITMQ_PORT="${IMAGEMANAGER_RABBITMQ_PORT:-5673}"
RABBITMQ_DIST_PORT="${IMAGEMANAGER_RABBITMQ_DIST_PORT:-$((RABBITMQ_PORT + 20000))}"
RABBITMQ_NODE="${IMAGEMANAGER_RABBITMQ_NODE:-imagemanager@localhost}"
RABBITMQ_DIR="$INFRA_DIR/rabbitmq"

rabbitmq_install() {
  epmd_install
  packages_install rabbitmq-server
}

rabbitmq_bin() {
  local tool="$1"
  if [[ -x "/usr/lib/rabbitmq/bin/$tool" ]]; then echo "/usr/lib/rabbitmq/bin/$tool"
  else command -v "$tool" || echo "/usr/sbin/$tool"
  fi
}

# Everything RabbitMQ (server and CLI) needs to use our node and our directories only.
rabbitmq_env() {
  export HOME="$RABBITMQ_DIR/home"                 # holds our private .erlang.cookie
  export RABBITMQ_NODENAME="$RABBITMQ_NODE"
  export RABBITMQ_USE_LONGNAME=false
  export RABBITMQ_NODE_IP_ADDRESS="$HOST"
  export RABBITMQ_NODE_PORT="$RABBITMQ_PORT"
  export RABBITMQ_DIST_PORT="$RABBITMQ_DIST_PORT"
  export RABBITMQ_CONF_ENV_FILE="$RABBITMQ_DIR/rabbitmq-env.conf"
  export RABBITMQ_CONFIG_FILE="$RABBITMQ_DIR/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$RABBITMQ_DIR/advanced.config"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$RABBITMQ_DIR/enabled_plugins"
  export RABBITMQ_MNESIA_BASE="$RABBITMQ_DIR/mnesia"
  export RABBITMQ_MNESIA_DIR="$RABBITMQ_DIR/mnesia/$RABBITMQ_NODE"
  export RABBITMQ_LOG_BASE="$RABBITMQ_DIR/log"
  export RABBITMQ_PID_FILE="$RABBITMQ_DIR/rabbitmq.pid"
  export ERL_EPMD_ADDRESS="$HOST"
  export ERL_EPMD_PORT="$EPMD_PORT"
  export ERL_CRASH_DUMP="$RABBITMQ_DIR/log/erl_crash.dump"   # not into the caller's working directory
  # Erlang distribution listeners (server and CLI) on loopback only. Schedulers that sleep instead of spinning when they
  # run out of work leave the CPU to the services and PostgreSQL on the same cores.
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none"
  export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

# The AMQP listener answers a protocol header with a Connection.Start frame (type 1).
rabbitmq_amqp_ready() {
  local first
  first="$(timeout 5 bash -c "exec 3<>/dev/tcp/$HOST/$RABBITMQ_PORT && printf 'AMQP\\x00\\x00\\x09\\x01' >&3 && head -c 1 <&3 | od -An -tx1" 2>/dev/null || true)"
  [[ "${first// /}" == 01 ]]
}

rabbitmq_running() { pid_matches "$(read_pid "$RABBITMQ_DIR/rabbitmq.pid")" beam && rabbitmq_amqp_ready; }

# The node's private Erlang cookie (kept across starts), no plugins, guest allowed from loopback only.
rabbitmq_configure() {
  if [[ ! -s "$RABBITMQ_DIR/home/.erlang.cookie" ]]; then
    (umask 077; head -c 32 /dev/urandom | md5sum | cut -c1-20 | tr a-f A-F >"$RABBITMQ_DIR/home/.erlang.cookie")
  fi
  chmod 400 "$RABBITMQ_DIR/home/.erlang.cookie"
  : >"$RABBITMQ_DIR/rabbitmq-env.conf"
  echo '[].' >"$RABBITMQ_DIR/enabled_plugins"
  render rabbitmq/rabbitmq.conf >"$RABBITMQ_DIR/rabbitmq.conf"
}

# The node, running (ours, or a compatible one reused), with guest allowed to impersonate.
rabbitmq_start() {
  rabbitmq_start_node
  rabbitmq_let_services_impersonate
}

rabbitmq_start_node() {
  mkdir -p "$RABBITMQ_DIR"/{home,mnesia,log}
  epmd_start
  local pid
  pid="$(read_pid "$RABBITMQ_DIR/rabbitmq.pid")"
  if pid_matches "$pid" beam; then
    if wait_for "$TIMEOUT" "$RABBITMQ_DIR/rabbitmq.pid" rabbitmq_amqp_ready; then
      log "rabbitmq: already running (pid $pid)"; return 0
    fi
    fail_with_logs "rabbitmq (pid $pid) runs but does not answer on $HOST:$RABBITMQ_PORT" \
      "$RABBITMQ_DIR/log/startup.log" "$RABBITMQ_DIR/log/$RABBITMQ_NODE.log"
  fi
  rm -f "$RABBITMQ_DIR/rabbitmq.pid" "$RABBITMQ_DIR/launcher.pid"
  if reuse_compatible_server rabbitmq "$RABBITMQ_PORT" rabbitmq_amqp_ready; then return 0; fi
  rabbitmq_configure

  log "rabbitmq: starting node $RABBITMQ_NODE on $HOST:$RABBITMQ_PORT"
  (
    rabbitmq_env
    cd "$RABBITMQ_DIR" || exit 1
    spawn "$RABBITMQ_DIR/launcher.pid" "$RABBITMQ_DIR/log/startup.log" "$(rabbitmq_bin rabbitmq-server)"
  )
  wait_for "$TIMEOUT" "$RABBITMQ_DIR/launcher.pid" rabbitmq_running \
    || fail_with_logs "rabbitmq did not come up on $HOST:$RABBITMQ_PORT within ${TIMEOUT}s" \
         "$RABBITMQ_DIR/log/startup.log" "$RABBITMQ_DIR/log/$RABBITMQ_NODE.log"
}

# Image Manager's services connect as guest. They carry outside senders' messages on unchanged (into _error queues,
# to the scheduler), user_id included, which RabbitMQ allows only to a user tagged impersonator.
rabbitmq_let_services_impersonate() {
  ( rabbitmq_ctl set_user_tags guest administrator impersonator ) >/dev/null \
    || die "rabbitmq: could not tag user guest as impersonator"
}

rabbitmq_stop() {
  local launcher
  launcher="$(read_pid "$RABBITMQ_DIR/launcher.pid")"
  stop_pidfile rabbitmq "$RABBITMQ_DIR/rabbitmq.pid" beam
  if pid_matches "$launcher" rabbitmq-server; then
    stop_pid rabbitmq-launcher "$launcher"
  fi
  rm -f "$RABBITMQ_DIR/launcher.pid"
  epmd_stop
}

# rabbitmq_status [NAME]: the status line of the node, named NAME (default rabbitmq).
rabbitmq_status() {
  status_line "${1:-rabbitmq}" "amqp://$HOST:$RABBITMQ_PORT" "$RABBITMQ_DIR/rabbitmq.pid" beam rabbitmq_amqp_ready
}

# The CLI needs the running node's Erlang cookie: ours, or, for a node reused from another checkout (CI's fresh
# clone beside a developer's), that node's own, found through the HOME in its process environment.
rabbitmq_cookie_home() {
  local home
  if ! pid_matches "$(read_pid "$RABBITMQ_DIR/rabbitmq.pid")" beam; then
    home="$(listener_environment "$RABBITMQ_PORT" HOME)"
    if [[ -n "$home" && -s "$home/.erlang.cookie" ]]; then echo "$home"; return; fi
  fi
  echo "$RABBITMQ_DIR/home"
}

# rabbitmqctl against our node, in place of this shell.
rabbitmq_ctl() {
  rabbitmq_env
  HOME="$(rabbitmq_cookie_home)"
  export HOME
  exec "$(rabbitmq_bin rabbitmqctl)" -n "$RABBITMQ_NODE" "$@"
}
