# shellcheck shell=bash
# Private brokers: RabbitMQ nodes of their own, imagemanager-NAME@localhost, each with its own epmd and its state under
# .local/infra/broker-NAME/, for the fault tests that stop and start their broker (see the header of infra/infra.sh).
# The functions of rabbitmq.sh and epmd.sh run them once broker_use has pointed their settings at one.
# Sourced by infra/infra.sh.

broker_install() { rabbitmq_install; }

# Points the RabbitMQ and epmd settings at private broker NAME; its ports are read from its state, or chosen.
# shellcheck disable=SC2034 # the settings are those of rabbitmq.sh and epmd.sh, read there
broker_use() {
  local name="$1"
  [[ "$name" =~ ^[a-z0-9][a-z0-9-]{0,39}$ ]] || die "broker name: up to 40 lower-case letters, digits and '-', got '$name'"
  RABBITMQ_DIR="$INFRA_DIR/broker-$name"
  EPMD_DIR="$RABBITMQ_DIR/epmd"
  RABBITMQ_NODE="imagemanager-$name@localhost"
  if [[ -f "$RABBITMQ_DIR/ports" ]]; then
    # shellcheck source=/dev/null # the ports written by broker_configure
    source "$RABBITMQ_DIR/ports"
  else
    RABBITMQ_PORT="${IMAGEMANAGER_BROKER_PORT:-$(free_port)}"
    RABBITMQ_DIST_PORT="${IMAGEMANAGER_BROKER_DIST_PORT:-$(free_port "$RABBITMQ_PORT")}"
    EPMD_PORT="${IMAGEMANAGER_BROKER_EPMD_PORT:-$(free_port "$RABBITMQ_PORT" "$RABBITMQ_DIST_PORT")}"
  fi
}

# The ports stay the broker's own across restarts: clients reconnect to the same URI.
broker_configure() {
  printf 'RABBITMQ_PORT=%s\nRABBITMQ_DIST_PORT=%s\nEPMD_PORT=%s\n' "$RABBITMQ_PORT" "$RABBITMQ_DIST_PORT" "$EPMD_PORT" \
    >"$RABBITMQ_DIR/ports"
}

# Private brokers of this checkout (a test run that died may have left one running).
broker_names() {
  local dir
  for dir in "$INFRA_DIR"/broker-*; do
    if [[ -d "$dir" ]]; then echo "${dir##*/broker-}"; fi
  done
}

# Start the broker broker_use chose; its AMQP URI is printed last.
broker_start() {
  broker_install
  rabbitmq_start
  broker_configure
  echo "amqp://guest:guest@$HOST:$RABBITMQ_PORT/"
}

# Stop the broker broker_use chose and delete its state.
broker_stop() {
  rabbitmq_stop
  rm -rf "$RABBITMQ_DIR"
}

broker_stop_all() {
  local name
  for name in $(broker_names); do (broker_use "$name"; broker_stop); done
}

# broker start|stop|halt|restart|status|rabbitmqctl NAME [ARGS...]
# halt stops the node and keeps its state (queues, messages, ports): start brings it back as restart would.
broker_command() {
  local action="${1:-}" name="${2:-}"
  [[ -n "$name" ]] || { usage >&2; exit 2; }
  shift 2
  broker_use "$name"
  if [[ "$action" == rabbitmqctl && ! -f "$RABBITMQ_DIR/ports" ]]; then
    die "there is no private broker '$name' (infra/infra.sh broker start $name)"
  fi
  case "$action" in
    start) broker_start ;;
    halt) rabbitmq_stop ;;
    restart) rabbitmq_stop; broker_start ;;
    stop) broker_stop ;;
    status) rabbitmq_status "broker-$name" ;;
    rabbitmqctl) rabbitmq_ctl "$@" ;;
    *) usage >&2; exit 2 ;;
  esac
}
