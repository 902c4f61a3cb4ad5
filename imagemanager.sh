#!/usr/bin/env bash
# Image Manager on one machine.
#
#   ./imagemanager.sh up      infrastructure, build, migrations, every service; prints where the API and the dashboard are
#   ./imagemanager.sh up --ha the same, highly available: clustered infrastructure (infra/infra.sh ha start), two
#                             processes of every service behind HAProxy, quorum queues
#   ./imagemanager.sh configs DIR [--ha]  the declared system as systemd units, environment files and HAProxy's
#                             configuration, for an installation in /opt/imagemanager (docs/deployment.md)
#   ./imagemanager.sh test    infrastructure, build, every test
#   ./imagemanager.sh down    stops the services, then the infrastructure
#   ./imagemanager.sh status  what runs
#   ./imagemanager.sh backup|restore DIR [--ha]  this installation's data (tools/backup.sh; docs/operations.md)
#
# The services, their ports, settings and wiring are declared in hosting/ImageManager.Topology/SystemDeclaration.cs;
# `up` runs them from there under the Aspire app host (hosting/ImageManager.AppHost).
# Everything listens on 127.0.0.1; state lives under .local/ (git-ignored).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR="$ROOT/.local/run/services"
CONFIGURATION="${IMAGEMANAGER_CONFIGURATION:-Release}"
APPHOST_DLL="hosting/ImageManager.AppHost/bin/$CONFIGURATION/net10.0/ImageManager.AppHost.dll"
DASHBOARD="http://127.0.0.1:18888"

log() { printf '%s\n' "$*" >&2; }
die() { log "imagemanager: $*"; exit 1; }

require_dotnet() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK is needed (dotnet on PATH); see global.json for the version."
}

infrastructure() {
  bash "$ROOT/infra/infra.sh" start
  # shellcheck disable=SC1091
  source "$ROOT/.local/infra/env"
}

# The clustered set: RabbitMQ's three nodes, Galera's three behind HAProxy, PostgreSQL under Patroni; the app host reads
# IMAGEMANAGER_HA_* and declares the system highly available (LocalInstallation).
ha_infrastructure() {
  bash "$ROOT/infra/infra.sh" ha start
  # shellcheck disable=SC1091
  source "$ROOT/.local/infra/ha.env"
  export IMAGEMANAGER_HA=1
}

# Before anything is built: every shell script of the repository (*.sh, and files without an extension that start
# with a shell's #!) passes ShellCheck, which infra/infra.sh start installs.
check_scripts() {
  local scripts=() file first
  command -v shellcheck >/dev/null 2>&1 || die "shellcheck is missing (infra/infra.sh start installs it)."
  while IFS= read -r -d '' file; do
    first=""
    [[ "$file" == *.sh || "${file##*/}" == *.* ]] || IFS= read -r first <"$file" || true
    if [[ "$file" == *.sh || "$first" =~ ^\#!.*[/\ ](ba)?sh$ ]]; then scripts+=("$file"); fi
  done < <(find "$ROOT" \( -name .git -o -name .local -o -name bin -o -name obj -o -name node_modules \) -prune -o -type f -print0)
  log "Checking ${#scripts[@]} shell scripts with shellcheck..."
  shellcheck "${scripts[@]}" || die "shellcheck found problems in the shell scripts (above); fix them, then test again."
}

# Every test is named in one style (tools/check-test-names.sh says which); checked before anything is built.
check_test_names() {
  bash "$ROOT/tools/check-test-names.sh" || die "some tests are not named in the house style (above): see 'Test names' in docs/architecture.md."
}

# The dotnet tools of dotnet-tools.json first: the OpenAPI tests' build generates a client with Kiota.
build() {
  log "Building ($CONFIGURATION)..."
  (cd "$ROOT" && dotnet tool restore >/dev/null)
  dotnet build "$ROOT/ImageManager.sln" -c "$CONFIGURATION" --nologo -v quiet -clp:ErrorsOnly
}

# Secrets made on first use, kept under .local/secrets/ (mode 0600), never defaults: the token the Api presents to the
# services behind it, and the bootstrap admin key (printed once, when it is made). The app host makes the third there,
# data-protection.pfx, the certificate the key rings are encrypted to (hosting/ImageManager.AppHost/LocalInstallation.cs).
SECRETS_DIR="$ROOT/.local/secrets"
BOOTSTRAP_KEY_MADE=""

make_secret() {
  local file="$SECRETS_DIR/$1" prefix=$2
  if [[ ! -s "$file" ]]; then
    mkdir -p "$SECRETS_DIR" && chmod 700 "$SECRETS_DIR"
    (umask 077 && printf '%s%s\n' "$prefix" "$(head -c 600 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9' | head -c 40)" >"$file")
  fi
  cat "$file"
}

# What the app host needs from here: the infrastructure (already exported by `infrastructure`) and the secrets.
app_host_env() {
  IMAGEMANAGER_SERVICE_TOKEN="$(make_secret service-token "")"
  export IMAGEMANAGER_SERVICE_TOKEN
  # An operator who configured Authentication__BootstrapAdminKey (or removed it after making keys) keeps that choice.
  if [[ -z "${Authentication__BootstrapAdminKey+set}" ]]; then
    [[ -s "$SECRETS_DIR/bootstrap-admin-key" ]] || BOOTSTRAP_KEY_MADE=yes
    IMAGEMANAGER_BOOTSTRAP_ADMIN_KEY="$(make_secret bootstrap-admin-key imk_bootstrap_)"
    export IMAGEMANAGER_BOOTSTRAP_ADMIN_KEY
  fi
}

alive() { [[ -f "$RUN_DIR/$1.pid" ]] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

# The app host runs the migrations, then the services, and writes their logs, pids and addresses under $RUN_DIR.
start_app_host() {
  if alive apphost; then
    log "  already running (app host pid $(cat "$RUN_DIR/apphost.pid"))"
    return
  fi
  mkdir -p "$RUN_DIR"
  rm -f "$RUN_DIR/ready" "$RUN_DIR/failed"
  # exec: the pid recorded is the app host's own; no shell stays behind holding our stdout.
  (cd "$ROOT" && exec nohup dotnet "$APPHOST_DLL" </dev/null >"$RUN_DIR/apphost.log" 2>&1) &
  echo $! >"$RUN_DIR/apphost.pid"
  log "  app host started (pid $(cat "$RUN_DIR/apphost.pid"), log .local/run/services/apphost.log)"
}

wait_ready() {
  for _ in $(seq 1 240); do
    [[ -f "$RUN_DIR/ready" ]] && return 0
    [[ -f "$RUN_DIR/failed" ]] && die "$(cat "$RUN_DIR/failed"); see .local/run/services/*.log"
    alive apphost || die "the app host exited; see .local/run/services/apphost.log"
    sleep 0.5
  done
  die "the services are not ready after 120 s; see .local/run/services/*.log and the dashboard ($DASHBOARD)"
}

url_of() { cat "$RUN_DIR/$1.url"; }

instances() { for file in "$RUN_DIR"/*.url; do [[ -e "$file" ]] && basename "$file" .url; done; }

stop_process() {
  local name=$1
  if alive "$name"; then
    kill "$(cat "$RUN_DIR/$name.pid")" 2>/dev/null || true
    for _ in $(seq 1 80); do alive "$name" || break; sleep 0.25; done
    if alive "$name"; then kill -9 "$(cat "$RUN_DIR/$name.pid")" 2>/dev/null || true; fi
    log "  $name stopped"
  fi
  rm -f "$RUN_DIR/$name.pid"
}

# The app host stops the services it started; any left behind (an app host killed hard) are stopped by their pids.
stop_services() {
  stop_process apphost
  for name in $(instances) haproxy; do stop_process "$name"; done
  rm -f "$RUN_DIR/ready"
}

up() {
  require_dotnet
  infrastructure
  if [[ "${1:-}" == --ha ]]; then ha_infrastructure; fi
  build
  app_host_env
  log "Starting the app host (migrations, then every service)..."
  start_app_host
  wait_ready
  local api login
  # Balanced, users reach the Api through HAProxy's front.
  api=$(cat "$RUN_DIR/api.front" 2>/dev/null || url_of api)
  login=$(grep -o 'http://127.0.0.1:18888/login?t=[0-9a-f]*' "$RUN_DIR/apphost.log" | tail -1 || true)
  cat <<TEXT

Image Manager is up.
  API:       $api/api/v1   (OpenAPI: $api/api/v1/openapi.json, reference: $api/api/v1/reference/)
  Portal:    $api/portal/   (log in with an API key)
  Dashboard: ${login:-$DASHBOARD}   (every service's state, logs, traces and metrics)
  VIMs:      OpenStack Glance at $IMAGEMANAGER_GLANCE_1 and $IMAGEMANAGER_GLANCE_2 (register them with POST /api/v1/vims),
             and at $IMAGEMANAGER_GLANCE_KEYSTONE behind Keystone $IMAGEMANAGER_KEYSTONE (admin password in .local/infra/keystone/admin-password)
  Logs:      .local/run/services/*.log
  Stop:      ./imagemanager.sh down
TEXT
  if [[ -n "$BOOTSTRAP_KEY_MADE" ]]; then
    cat <<TEXT

  Bootstrap admin key (shown this once; kept in .local/secrets/bootstrap-admin-key):
    $IMAGEMANAGER_BOOTSTRAP_ADMIN_KEY
  Create real keys with it (POST /api/v1/api-keys), then stop using it: see docs/access.md.
TEXT
  fi
}

# The declaration written out for machines without the app host: what docs/deployment.md installs.
write_configs() {
  local directory=${1:?"configs needs a folder to write to"}
  require_dotnet
  infrastructure
  if [[ "${2:-}" == --ha ]]; then ha_infrastructure; fi
  build
  app_host_env
  mkdir -p "$directory"
  dotnet "$ROOT/$APPHOST_DLL" configs "$(cd "$directory" && pwd)" "${IMAGEMANAGER_INSTALL_DIR:-/opt/imagemanager}"
}

run_tests() {
  require_dotnet
  infrastructure
  # The fault test of the highly available system runs on the clustered set (its own nodes, which it breaks).
  bash "$ROOT/infra/infra.sh" ha start
  check_scripts
  check_test_names
  # Redocly CLI, pinned, for the OpenAPI lint test (npm ci when missing; Node.js and npm come with the infrastructure).
  bash "$ROOT/tools/openapi-lint/install.sh"
  build
  local output="$ROOT/.local/test-output" status=0
  mkdir -p "$output"
  # Projects one after another: two cores, and each end-to-end fixture starts five services.
  dotnet test "$ROOT/ImageManager.sln" -c "$CONFIGURATION" --no-build --nologo -m:1 2>&1 | tee "$output/dotnet-test.log" || status=$?
  # One closing line for the whole run, summed over the test projects.
  awk '/(Passed|Failed)! +- +Failed:/ {
         line = $0; gsub(",", "", line); n = split(line, word, / +/)
         for (i = 1; i < n; i++) { if (word[i] == "Failed:") f += word[i+1]; if (word[i] == "Passed:") p += word[i+1]; if (word[i] == "Skipped:") s += word[i+1] }
       }
       END { printf "Total: %d passed, %d failed, %d skipped\n", p, f, s }' "$output/dotnet-test.log"
  return "$status"
}

case "${1:-}" in
  up) up "${2:-}" ;;
  test) run_tests ;;
  configs) write_configs "${2:-}" "${3:-}" ;;
  down) stop_services; bash "$ROOT/infra/infra.sh" ha stop; bash "$ROOT/infra/infra.sh" stop ;;
  status)
    if alive apphost; then echo "  app host  up    $DASHBOARD (dashboard)"; else echo "  app host  down"; fi
    for name in $(instances); do
      if alive "$name"; then echo "  $name  up    $(url_of "$name")"; else echo "  $name  down"; fi
    done
    bash "$ROOT/infra/infra.sh" status || true ;;
  # The infrastructure must run; the services may run during a backup, never during a restore.
  backup | restore)
    [[ "$1" == backup ]] || ! alive apphost || die "the services are running (app host pid $(cat "$RUN_DIR/apphost.pid")): stop them first (docs/operations.md)."
    [[ "${3:-}" != --ha ]] || export IMAGEMANAGER_HA=1
    bash "$ROOT/tools/backup.sh" "$1" "${2:?usage: ./imagemanager.sh $1 DIR [--ha]}" ;;
  *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
