#!/usr/bin/env bash
# Image Manager on one machine.
#
#   ./imagemanager.sh up      infrastructure, build, migrations, every service; prints where the API is
#   ./imagemanager.sh test    infrastructure, build, every test
#   ./imagemanager.sh down    stops the services, then the infrastructure
#   ./imagemanager.sh status  what runs
#
# Everything listens on 127.0.0.1; state lives under .local/ (git-ignored).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR="$ROOT/.local/run/services"
CONFIGURATION="${IMAGEMANAGER_CONFIGURATION:-Release}"
SERVICES=(catalog distribution validation notifications api)

declare -A PROJECT=([catalog]=ImageManager.Catalog [distribution]=ImageManager.Distribution [validation]=ImageManager.Validation
                   [notifications]=ImageManager.Notifications [api]=ImageManager.Api)
declare -A PORT=([api]=5080 [catalog]=5081 [distribution]=5082 [validation]=5083 [notifications]=5084)

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

build() {
  log "Building ($CONFIGURATION)..."
  dotnet build "$ROOT/ImageManager.sln" -c "$CONFIGURATION" --nologo -v quiet -clp:ErrorsOnly
}

assembly_of() { echo "$ROOT/services/${PROJECT[$1]}/bin/$CONFIGURATION/net10.0/${PROJECT[$1]}.dll"; }

# Secrets made on first use, kept under .local/secrets/ (mode 0600), never defaults: the token the Api presents to the
# services behind it, and the bootstrap admin key (printed once, when it is made).
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

# The configuration every service gets from the environment; the rest is in each service's appsettings.json.
service_env() {
  export RabbitMq__Uri="$IMAGEMANAGER_RABBITMQ_URI"
  export ConnectionStrings__Catalog="$IMAGEMANAGER_MARIADB"
  export ConnectionStrings__Distribution="$IMAGEMANAGER_POSTGRES"
  # The Notifications service's own database, on the same PostgreSQL (made by its migration step).
  export ConnectionStrings__Notifications="${IMAGEMANAGER_POSTGRES/Database=imagemanager_distribution/Database=imagemanager_notifications}"
  export BlobStore__Root="$ROOT/.local/blobs"
  export DataProtection__KeysDirectory="$ROOT/.local/keys"
  export Downstream__Catalog="http://127.0.0.1:${PORT[catalog]}"
  export Downstream__Distribution="http://127.0.0.1:${PORT[distribution]}"
  export Downstream__Notifications="http://127.0.0.1:${PORT[notifications]}"
  # Everything here is on one machine, webhook subscribers included; a real installation leaves this off (see the README).
  export Webhooks__AllowPrivateAddresses="${Webhooks__AllowPrivateAddresses:-true}"
  # Where web-download VIMs pull images from: the Api, as they reach it (here, the same machine).
  export Distribution__ImageDownloadBaseUrl="http://127.0.0.1:${PORT[api]}"
  Internal__ServiceToken="$(make_secret service-token "")"
  export Internal__ServiceToken
  # An operator who configured Authentication__BootstrapAdminKey (or removed it after making keys) keeps that choice.
  if [[ -z "${Authentication__BootstrapAdminKey+set}" ]]; then
    [[ -s "$SECRETS_DIR/bootstrap-admin-key" ]] || BOOTSTRAP_KEY_MADE=yes
    Authentication__BootstrapAdminKey="$(make_secret bootstrap-admin-key imk_bootstrap_)"
    export Authentication__BootstrapAdminKey
  fi
}

migrate() {
  for service in catalog distribution notifications; do
    log "Migrating the $service database..."
    (cd "$(dirname "$(assembly_of "$service")")" && dotnet "$(assembly_of "$service")" migrate >/dev/null) \
      || die "migrating the $service database failed"
  done
}

alive() { [[ -f "$RUN_DIR/$1.pid" ]] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

start_service() {
  local service=$1 assembly
  assembly=$(assembly_of "$service")
  if alive "$service"; then
    log "  $service already running (pid $(cat "$RUN_DIR/$service.pid"))"
    return
  fi
  mkdir -p "$RUN_DIR"
  # exec: the pid recorded is the service's own; no shell stays behind holding our stdout.
  (cd "$(dirname "$assembly")" && Urls="http://127.0.0.1:${PORT[$service]}" exec nohup dotnet "$assembly" \
    </dev/null >"$RUN_DIR/$service.log" 2>&1) &
  echo $! >"$RUN_DIR/$service.pid"
  log "  $service started (pid $(cat "$RUN_DIR/$service.pid"), log .local/run/services/$service.log)"
}

wait_ready() {
  local service=$1 url="http://127.0.0.1:${PORT[$1]}/readyz"
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    alive "$service" || die "$service exited; see .local/run/services/$service.log"
    sleep 0.5
  done
  die "$service is not ready after 60 s ($url); see .local/run/services/$service.log"
}

stop_services() {
  for service in "${SERVICES[@]}"; do
    if alive "$service"; then
      kill "$(cat "$RUN_DIR/$service.pid")" 2>/dev/null || true
      for _ in $(seq 1 40); do alive "$service" || break; sleep 0.25; done
      if alive "$service"; then kill -9 "$(cat "$RUN_DIR/$service.pid")" 2>/dev/null || true; fi
      log "  $service stopped"
    fi
    rm -f "$RUN_DIR/$service.pid"
  done
}

up() {
  require_dotnet
  infrastructure
  build
  service_env
  migrate
  log "Starting services..."
  for service in "${SERVICES[@]}"; do start_service "$service"; done
  for service in "${SERVICES[@]}"; do wait_ready "$service"; done
  cat <<TEXT

Image Manager is up.
  API:      http://127.0.0.1:${PORT[api]}/api/v1   (OpenAPI: http://127.0.0.1:${PORT[api]}/api/v1/openapi.json)
  Portal:   http://127.0.0.1:${PORT[api]}/portal/   (log in with an API key)
  VIMs:     OpenStack Glance at $IMAGEMANAGER_GLANCE_1 and $IMAGEMANAGER_GLANCE_2 (register them with POST /api/v1/vims),
            and at $IMAGEMANAGER_GLANCE_KEYSTONE behind Keystone $IMAGEMANAGER_KEYSTONE (admin password in .local/infra/keystone/admin-password)
  Logs:     .local/run/services/*.log
  Stop:     ./imagemanager.sh down
TEXT
  if [[ -n "$BOOTSTRAP_KEY_MADE" ]]; then
    cat <<TEXT

  Bootstrap admin key (shown this once; kept in .local/secrets/bootstrap-admin-key):
    $Authentication__BootstrapAdminKey
  Create real keys with it (POST /api/v1/api-keys), then stop using it: see "Access" in the README.
TEXT
  fi
}

run_tests() {
  require_dotnet
  infrastructure
  check_scripts
  check_test_names
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
  up) up ;;
  test) run_tests ;;
  down) stop_services; bash "$ROOT/infra/infra.sh" stop ;;
  status)
    for service in "${SERVICES[@]}"; do
      if alive "$service"; then echo "  $service  up    http://127.0.0.1:${PORT[$service]}"; else echo "  $service  down"; fi
    done
    bash "$ROOT/infra/infra.sh" status || true ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
