# shellcheck shell=bash
# ClamAV's clamd (Debian's clamav-daemon) for the Validation's malware scan: a plain foreground process on 127.0.0.1
# (Debian's own service and freshclam are never started), its configuration (templates/clamav/clamd.conf), log and
# signature database under .local/infra/clamav/. There is no internet here, so the database is written by this script:
# the EICAR test string (test.ndb, found anywhere in a file) and one generated test file (test.hdb, MD5 and size, found
# also inside archives); clamd refuses to start without a signature. Production runs freshclam instead (docs/validation.md).
# Sourced by infra/infra.sh.

CLAMD_PORT="${IMAGEMANAGER_CLAMD_PORT:-3319}"
CLAMAV_DIR="$INFRA_DIR/clamav"

# The test file test.hdb names: these exact bytes (tests write the same, see ImageManager.Validation.Tests).
CLAMAV_TEST_FILE_TEXT='ImageManager ClamAV test file: not malware, a known hash for the tests.'
# The standard anti-malware test string (https://www.eicar.org), split so that no scanner flags this script itself.
# shellcheck disable=SC2016 # the $ is part of the string
CLAMAV_EICAR='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-'"TEST-FILE!\$H+H*"

clamav_install() { packages_install clamav-daemon; }

# clamd answers PING with PONG (the newline-delimited form of its protocol).
clamav_ready() {
  local port="$1" reply=""
  # shellcheck disable=SC2016 # expanded by the inner shell
  reply="$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "nPING\n" >&3 && head -n 1 <&3' "$HOST" "$port" 2>/dev/null || true)"
  [[ "$reply" == PONG ]]
}

# The signature database: body signatures (.ndb: name:target type:offset:hex) and file hashes (.hdb: md5:size:name).
clamav_write_database() {
  local db="$CLAMAV_DIR/db" eicar_hex test_md5 test_size
  mkdir -p "$db"
  eicar_hex="$(printf '%s' "$CLAMAV_EICAR" | od -An -tx1 | tr -d ' \n')"
  printf 'Eicar-Test-Signature:0:*:%s\n' "$eicar_hex" >"$db/test.ndb.new"
  test_md5="$(printf '%s\n' "$CLAMAV_TEST_FILE_TEXT" | md5sum | cut -d' ' -f1)"
  test_size="$(printf '%s\n' "$CLAMAV_TEST_FILE_TEXT" | wc -c)"
  printf '%s:%s:ImageManager-Test-File\n' "$test_md5" "$test_size" >"$db/test.hdb.new"
  mv "$db/test.ndb.new" "$db/test.ndb"
  mv "$db/test.hdb.new" "$db/test.hdb"
}

clamav_configure() {
  mkdir -p "$CLAMAV_DIR/tmp"
  clamav_write_database
  render clamav/clamd.conf HOST="$HOST" CLAMD_PORT="$CLAMD_PORT" CLAMAV_DIR="$CLAMAV_DIR" >"$CLAMAV_DIR/clamd.conf"
}

clamav_start() {
  local pid
  mkdir -p "$CLAMAV_DIR"
  command -v clamd >/dev/null 2>&1 || die "clamd not found (is the clamav-daemon package installed?)"
  pid="$(read_pid "$CLAMAV_DIR/clamd.pid")"
  if pid_matches "$pid" clamd; then
    if wait_for "$TIMEOUT" "$CLAMAV_DIR/clamd.pid" clamav_ready "$CLAMD_PORT"; then
      log "clamd: already running (pid $pid)"; return 0
    fi
    fail_with_logs "clamd (pid $pid) runs but does not answer on $HOST:$CLAMD_PORT" "$CLAMAV_DIR/clamd.log"
  fi
  rm -f "$CLAMAV_DIR/clamd.pid"
  if reuse_compatible_server clamd "$CLAMD_PORT" clamav_ready "$CLAMD_PORT"; then return 0; fi
  clamav_configure

  log "clamd: starting on $HOST:$CLAMD_PORT"
  spawn "$CLAMAV_DIR/clamd.pid" "$CLAMAV_DIR/clamd.log" clamd --config-file="$CLAMAV_DIR/clamd.conf"
  wait_for "$TIMEOUT" "$CLAMAV_DIR/clamd.pid" clamav_ready "$CLAMD_PORT" \
    || fail_with_logs "clamd did not come up on $HOST:$CLAMD_PORT within ${TIMEOUT}s" "$CLAMAV_DIR/clamd.log"
}

clamav_stop() { stop_pidfile clamd "$CLAMAV_DIR/clamd.pid" clamd; }

clamav_status() {
  status_line clamd "tcp://$HOST:$CLAMD_PORT" "$CLAMAV_DIR/clamd.pid" clamd clamav_ready "$CLAMD_PORT"
}
