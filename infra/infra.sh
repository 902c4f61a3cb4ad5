#!/usr/bin/env bash
# Local test infrastructure for ImageManager.
#
#   infra/infra.sh start     install what is missing, start everything (idempotent)
#   infra/infra.sh stop      stop exactly what this script started
#   infra/infra.sh status    show each component; exit 0 only if all are up
#   infra/infra.sh restart   stop, then start
#   infra/infra.sh rabbitmqctl ARGS...   run rabbitmqctl against our node
#   infra/infra.sh broker start|stop|halt|restart|status|rabbitmqctl NAME [ARGS...]
#                            a private RabbitMQ node NAME, for tests that restart their broker (see below)
#   infra/infra.sh ha start|stop|status|restart|wait-healthy   the highly available set (see below)
#   infra/infra.sh ha kill|start-node NODE    SIGKILL one node / start it again and wait until it rejoined
#   infra/infra.sh ha rabbitmqctl ARGS...     rabbitmqctl against a running node of the RabbitMQ cluster
#   infra/infra.sh haproxy start NAME CONFIG_FILE | stop NAME | status NAME   an HAProxy instance of your own
#   infra/infra.sh nginx start NAME PORT CENTRE_URL | stop|kill|status|forget NAME   a regional hub (nginx cache)
#
# Components (all bound to 127.0.0.1, all state under <repo>/.local/infra/):
#   RabbitMQ  :5673  (node imagemanager@localhost, private epmd on :4370)
#   MariaDB   :3307  database imagemanager_catalog, user imagemanager/imagemanager
#   Postgres  :5433  database imagemanager_distribution, role imagemanager/imagemanager
#   Glance    :9292 and :9293 (two OpenStack Glance APIs, no Keystone, file store)
#   Registry  :5000 (OCI distribution registry, no auth) and :5001 (the same with htpasswd basic auth,
#             test-only user and password in the env file); deletes enabled
#   Keystone  :35357 (Keystone v3 on uwsgi, sqlite, fernet tokens; admin password generated
#             into .local/infra/keystone/admin-password)
#   Glance    :9294 (a third Glance behind Keystone, in Keystone's catalog as RegionOne's image service)
#   Swift     :8091 (OpenStack Swift's S3 API for the blobs, tempauth; storage servers :6210-:6212, memcached :11212;
#             S3 access key and generated secret in the env file, the system's bucket imagemanager-blobs)
#   clamd     :3319  (ClamAV, INSTREAM over TCP; a test signature database written by the script, no freshclam)
#
# Every Glance offers web-download import from 127.0.0.1 (any port), so a VIM can pull from the Api.
#
# After `start`, `source .local/infra/env` gives the IMAGEMANAGER_* connection settings.
# A port already served by a compatible instance (the same infrastructure started from
# another checkout, e.g. while CI runs in a fresh clone) is reused rather than fought over.
#
# A private broker (`broker ... NAME`) is a RabbitMQ node of its own, imagemanager-NAME@localhost, with its own epmd
# and its state under .local/infra/broker-NAME/: fault tests stop and start it while every other test keeps using the
# shared node. `start` is idempotent and prints its AMQP URI last; its ports (AMQP, Erlang distribution, epmd) are free
# ones chosen at the first start, or IMAGEMANAGER_BROKER_PORT, IMAGEMANAGER_BROKER_DIST_PORT, IMAGEMANAGER_BROKER_EPMD_PORT,
# and stay the same across `restart` (clients reconnect to the same URI, durable queues and messages survive);
# `stop` stops the node and deletes its state; so does `infra/infra.sh stop` for any left behind.
#
# Ports can be overridden with IMAGEMANAGER_RABBITMQ_PORT, IMAGEMANAGER_RABBITMQ_DIST_PORT,
# IMAGEMANAGER_EPMD_PORT, IMAGEMANAGER_MARIADB_PORT, IMAGEMANAGER_POSTGRES_PORT,
# IMAGEMANAGER_GLANCE_1_PORT, IMAGEMANAGER_GLANCE_2_PORT, IMAGEMANAGER_REGISTRY_PORT,
# IMAGEMANAGER_REGISTRY_AUTH_PORT, IMAGEMANAGER_KEYSTONE_PORT, IMAGEMANAGER_GLANCE_KEYSTONE_PORT, IMAGEMANAGER_SWIFT_PORT,
# IMAGEMANAGER_SWIFT_OBJECT_PORT, IMAGEMANAGER_SWIFT_CONTAINER_PORT, IMAGEMANAGER_SWIFT_ACCOUNT_PORT,
# IMAGEMANAGER_SWIFT_MEMCACHED_PORT, IMAGEMANAGER_SWIFT_LOG_PORT, IMAGEMANAGER_CLAMD_PORT; the per-component start/stop
# timeout with IMAGEMANAGER_INFRA_TIMEOUT (seconds, default 60); the node's name with IMAGEMANAGER_RABBITMQ_NODE. The env
# file does not carry these: whatever calls this script later (`rabbitmqctl`, as the tests do) needs them too.
#
# The highly available set (`ha ...`), separate from the single-node one, all on 127.0.0.1:
#   RabbitMQ cluster :5681 :5682 :5683 (nodes imagemanager-ha-1..3@localhost, distribution :25681-3, epmd :4371)
#   Galera           :3311 :3312 :3313 (gcomm :4571-3, IST :4581-3, rsync SST :4591-3), user imagemanager
#   etcd             :23790 (peer :23800), for Patroni
#   Patroni          PostgreSQL :5441 :5442, REST :8641 :8642; role imagemanager (CREATEDB)
#   HAProxy `ha`     :3310 MariaDB (galera-1 active, 2 and 3 backup), :5440 PostgreSQL primary (Patroni's /primary)
# `ha start` (idempotent; a cluster stopped whole is brought back, Galera from its safe_to_bootstrap / most advanced
# node) writes .local/infra/ha.env (IMAGEMANAGER_HA_RABBITMQ_URI, _RABBITMQ_NODES, _MARIADB, _POSTGRES,
# _POSTGRES_HAPROXY ...). NODE for kill / start-node: rabbitmq-1..3, galera-1..3, postgres-1, postgres-2,
# postgres-primary (the leader Patroni names; start-node brings back the one killed so), etcd, haproxy. `start-node`
# waits until the node rejoined (RabbitMQ: running in the cluster; Galera: Synced; Patroni: streaming from the
# leader, or leader); `wait-healthy` waits up to IMAGEMANAGER_HA_WAIT_SECONDS (120) for every node.
# Ports: IMAGEMANAGER_HA_RABBITMQ_PORT, _RABBITMQ_DIST_PORT, _EPMD_PORT, _GALERA_PORT, _GALERA_GCOMM_PORT,
# _GALERA_IST_PORT, _GALERA_SST_PORT, _ETCD_PORT, _ETCD_PEER_PORT, _POSTGRES_PORT, _PATRONI_PORT, _MARIADB_PORT,
# _POSTGRES_PRIMARY_PORT (all IMAGEMANAGER_HA_*; the first port of a cluster, node N gets it + N - 1).
#
# The work is done by one file per component beside this one (lib.sh holds the shared helpers); infra/README.md
# describes the layout.
set -euo pipefail
umask 022

INFRA_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"   # infra/: scripts, templates/, python/
REPO_ROOT="$(cd "$INFRA_HOME/.." && pwd)"
LOCAL_DIR="$REPO_ROOT/.local"
INFRA_DIR="$LOCAL_DIR/infra"                                  # all state
ENV_FILE="$INFRA_DIR/env"

# Unix sockets are limited to ~107 bytes; fall back to a short per-checkout dir in /tmp
# when the clone lives in a very deep path.
if (( ${#INFRA_DIR} <= 70 )); then
  SOCKET_DIR="$INFRA_DIR/run"
else
  SOCKET_DIR="/tmp/imagemanager-infra-$(printf '%s' "$INFRA_DIR" | md5sum | cut -c1-10)"
fi

# The ports of the components that run several instances, and the one user of both databases.
GLANCE_1_PORT="${IMAGEMANAGER_GLANCE_1_PORT:-9292}"
GLANCE_2_PORT="${IMAGEMANAGER_GLANCE_2_PORT:-9293}"
GLANCE_KEYSTONE_PORT="${IMAGEMANAGER_GLANCE_KEYSTONE_PORT:-9294}"
REGISTRY_PORT="${IMAGEMANAGER_REGISTRY_PORT:-5000}"
REGISTRY_AUTH_PORT="${IMAGEMANAGER_REGISTRY_AUTH_PORT:-5001}"
DB_USER=imagemanager
DB_PASSWORD=imagemanager

# shellcheck source=lib.sh
source "$INFRA_HOME/lib.sh"
# shellcheck source=epmd.sh
source "$INFRA_HOME/epmd.sh"
# shellcheck source=rabbitmq.sh
source "$INFRA_HOME/rabbitmq.sh"
# shellcheck source=broker.sh
source "$INFRA_HOME/broker.sh"
# shellcheck source=mariadb.sh
source "$INFRA_HOME/mariadb.sh"
# shellcheck source=postgresql.sh
source "$INFRA_HOME/postgresql.sh"
# shellcheck source=glance.sh
source "$INFRA_HOME/glance.sh"
# shellcheck source=registry.sh
source "$INFRA_HOME/registry.sh"
# shellcheck source=keystone.sh
source "$INFRA_HOME/keystone.sh"
# shellcheck source=etcd.sh
source "$INFRA_HOME/etcd.sh"
# shellcheck source=patroni.sh
source "$INFRA_HOME/patroni.sh"
# shellcheck source=galera.sh
source "$INFRA_HOME/galera.sh"
# shellcheck source=rabbitmq-cluster.sh
source "$INFRA_HOME/rabbitmq-cluster.sh"
# shellcheck source=haproxy.sh
source "$INFRA_HOME/haproxy.sh"
# shellcheck source=nginx.sh
source "$INFRA_HOME/nginx.sh"
# shellcheck source=ha.sh
source "$INFRA_HOME/ha.sh"
# shellcheck source=swift.sh
source "$INFRA_HOME/swift.sh"
# shellcheck source=clamav.sh
source "$INFRA_HOME/clamav.sh"

# The instances, in start order (stopped in reverse): a component and the arguments of its start, stop and status.
# The Glance behind Keystone comes after Keystone, whose glance user it logs in as.
INSTANCES=(
  rabbitmq
  mariadb
  postgresql
  "glance 1 $GLANCE_1_PORT"
  "glance 2 $GLANCE_2_PORT"
  "registry plain $REGISTRY_PORT"
  "registry auth $REGISTRY_AUTH_PORT auth"
  keystone
  "glance keystone $GLANCE_KEYSTONE_PORT keystone"
  swift
  clamav
)

# What the helpers use besides the servers' packages, and what the tests need: xz-utils, bzip2 and zstd (the
# Validation tests compress their packages with the real tools), qemu-utils, chromium (the headless browser the
# portal's tests drive, through Playwright, never a downloaded browser) and shellcheck (`./imagemanager.sh test`).
TOOL_PACKAGES=(curl iproute2 gettext-base qemu-utils xz-utils bzip2 zstd chromium shellcheck)
# Node.js and npm run Redocly CLI, the OpenAPI linter (tools/openapi-lint/). Debian's only where the machine has none:
# a Node.js installed otherwise (a newer one, with npm inside) would be replaced by Debian's if npm were asked for.
NODE_PACKAGES=(nodejs npm)

# each_instance ACTION [reverse]: runs <component>_ACTION with its arguments for every instance.
each_instance() {
  local action="$1" order="${2:-}" i instance words=()
  for ((i = 0; i < ${#INSTANCES[@]}; i++)); do
    instance="${INSTANCES[i]}"
    [[ "$order" != reverse ]] || instance="${INSTANCES[${#INSTANCES[@]} - 1 - i]}"
    read -ra words <<<"$instance"
    "${words[0]}_$action" "${words[@]:1}"
  done
}

write_env_file() {
  render env HOST="$HOST" RABBITMQ_PORT="$RABBITMQ_PORT" MARIADB_PORT="$MARIADB_PORT" MARIADB_DATABASE="$MARIADB_DATABASE" \
    POSTGRES_PORT="$POSTGRES_PORT" POSTGRES_DATABASE="$POSTGRES_DATABASE" DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD" \
    GLANCE_1_PORT="$GLANCE_1_PORT" GLANCE_2_PORT="$GLANCE_2_PORT" GLANCE_KEYSTONE_PORT="$GLANCE_KEYSTONE_PORT" \
    REGISTRY_PORT="$REGISTRY_PORT" REGISTRY_AUTH_PORT="$REGISTRY_AUTH_PORT" REGISTRY_USER="$REGISTRY_USER" \
    REGISTRY_PASSWORD="$REGISTRY_PASSWORD" KEYSTONE_URL="$(keystone_url)" KEYSTONE_REGION="$KEYSTONE_REGION" \
    KEYSTONE_ADMIN_PASSWORD="$(keystone_admin_password)" S3_ENDPOINT="$(swift_endpoint)" S3_ACCESS_KEY="$SWIFT_S3_ACCESS_KEY" \
    S3_SECRET_KEY="$(swift_secret)" S3_BUCKET="$SWIFT_S3_BUCKET" CLAMD_PORT="$CLAMD_PORT" \
    | write_private_file "$ENV_FILE"
}

cmd_start() {
  local started=$SECONDS
  packages_install "${TOOL_PACKAGES[@]}"
  command -v npm >/dev/null 2>&1 || packages_install "${NODE_PACKAGES[@]}"
  each_instance install
  mkdir -p "$INFRA_DIR"
  # Make .local/ ignore itself even before the repository's .gitignore mentions it.
  [[ -f "$LOCAL_DIR/.gitignore" ]] || echo '*' >"$LOCAL_DIR/.gitignore"

  each_instance start
  write_env_file

  echo
  cmd_status
  echo
  log "all up in $((SECONDS - started))s; connection settings: source $ENV_FILE"
}

cmd_stop() {
  broker_stop_all
  each_instance stop reverse
  log "stopped"
}

cmd_status() {
  local up=true i words=()
  echo "ImageManager infrastructure ($INFRA_DIR):"
  for i in "${INSTANCES[@]}"; do
    read -ra words <<<"$i"
    "${words[0]}_status" "${words[@]:1}" || up=false
  done
  $up
}

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    start)       cmd_start ;;
    stop)        cmd_stop ;;
    status)      cmd_status ;;
    restart)     cmd_stop; cmd_start ;;
    rabbitmqctl) rabbitmq_ctl "$@" ;;
    broker)      broker_command "$@" ;;
    ha)          ha_command "$@" ;;
    haproxy)     haproxy_command "$@" ;;
    nginx)       nginx_command "$@" ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
