# shellcheck shell=bash
# epmd: a private Erlang port mapper on its own port, so that we never share (or kill) a system epmd. RabbitMQ's start
# starts it (`status` shows RabbitMQ, not epmd); broker.sh points EPMD_DIR and EPMD_PORT at a private broker's own.
# Sourced by infra/infra.sh.

EPMD_PORT="${IMAGEMANAGER_EPMD_PORT:-4370}"
EPMD_DIR="$INFRA_DIR/epmd"

epmd_install() { packages_install erlang-base; }

# epmd takes its settings on the command line: only its directory (pid file, log) is made here.
epmd_configure() { mkdir -p "$EPMD_DIR"; }

epmd_running() { pid_matches "$(read_pid "$EPMD_DIR/epmd.pid")" epmd && port_open "$EPMD_PORT"; }

epmd_start() {
  epmd_configure
  if epmd_running; then return 0; fi
  rm -f "$EPMD_DIR/epmd.pid"
  if port_open "$EPMD_PORT"; then
    log "epmd: reusing the epmd already listening on $HOST:$EPMD_PORT"
    return 0
  fi
  spawn "$EPMD_DIR/epmd.pid" "$EPMD_DIR/epmd.log" epmd -address "$HOST" -port "$EPMD_PORT"
  wait_for "$TIMEOUT" "$EPMD_DIR/epmd.pid" port_open "$EPMD_PORT" \
    || fail_with_logs "epmd did not come up on $HOST:$EPMD_PORT" "$EPMD_DIR/epmd.log"
}

epmd_stop() { stop_pidfile epmd "$EPMD_DIR/epmd.pid" epmd; }
