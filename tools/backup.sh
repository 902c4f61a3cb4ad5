#!/usr/bin/env bash
# Backup and restore of everything Image Manager keeps (docs/operations.md: what, in which order, and why).
#
#   tools/backup.sh backup DIR    writes the backup to DIR (which must not exist yet), all or nothing
#   tools/backup.sh verify DIR    checks every file against the manifest, and that every blob the databases name is there
#   tools/backup.sh restore DIR   verifies, then loads the databases (which must not exist) and puts back blobs and keys
#
# What it reads, the settings the services read (as SystemDeclaration.cs hands them out), each with this checkout's
# installation as the default (./imagemanager.sh up: .local/infra/env, IMAGEMANAGER_DATABASE_SUFFIX, .local/blobs, .local/keys):
#   ConnectionStrings__Catalog        MariaDB, the catalogue              (IMAGEMANAGER_MARIADB, database imagemanager_catalog{suffix})
#   ConnectionStrings__Distribution   PostgreSQL: VIMs, distributions, sagas, Quartz   (IMAGEMANAGER_POSTGRES, imagemanager_distribution{suffix})
#   ConnectionStrings__Notifications  PostgreSQL: subscriptions, deliveries            (imagemanager_notifications{suffix})
#   BlobStore__Kind                   filesystem (default; s3 with IMAGEMANAGER_HA=1, as `up --ha` runs it) or s3
#   BlobStore__Root                   the filesystem blob store's root
#   BlobStore__S3__ServiceUrl, __AccessKey, __SecretKey, __Bucket, __Region   the S3 blob store (IMAGEMANAGER_S3_* of .local/infra/env)
#   DataProtection__KeysDirectory     the Data Protection key ring, when it is a folder
#   IMAGEMANAGER_BACKUP_AFTER_DATABASES  a command run between the database dumps and the blob copy (tests use it)
# The backup holds secrets (the key ring, encrypted credentials, key hashes): its folder is 0700, its files 0600.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# packages_install and log/die, as infra/ uses them.
# shellcheck source=../infra/lib.sh
source "$ROOT/infra/lib.sh"
log() { printf '[backup] %s\n' "$*" >&2; }
die() { printf '[backup] ERROR: %s\n' "$*" >&2; exit 1; }
umask 077

# ------------------------------------------------------------------------------------------------- settings

# The installation's connection settings, when the caller did not give the services' own; with IMAGEMANAGER_HA=1
# (`up --ha`), the clustered set's (IMAGEMANAGER_HA_MARIADB... in .local/infra/ha.env), as LocalInstallation reads them,
# and its blobs in the local Swift (IMAGEMANAGER_S3_*, in .local/infra/env).
MARIADB_SETTING="IMAGEMANAGER_${IMAGEMANAGER_HA:+HA_}MARIADB" POSTGRES_SETTING="IMAGEMANAGER_${IMAGEMANAGER_HA:+HA_}POSTGRES"
if [[ -z "${!MARIADB_SETTING:-}" && -f "$ROOT/.local/infra/${IMAGEMANAGER_HA:+ha.}env" ]]; then
  # shellcheck disable=SC1090
  source "$ROOT/.local/infra/${IMAGEMANAGER_HA:+ha.}env"
fi
if [[ -n "${IMAGEMANAGER_HA:-}" && -z "${IMAGEMANAGER_S3_ENDPOINT:-}" && -f "$ROOT/.local/infra/env" ]]; then
  # shellcheck disable=SC1091
  source "$ROOT/.local/infra/env"
fi

# field CONNECTION_STRING NAME...: the value of NAME or a synonym (ADO.NET style: names case-insensitive, the last wins).
field() {
  local connection=$1 part key value=""
  shift
  local -a parts
  IFS=';' read -ra parts <<<"$connection"
  for part in "${parts[@]}"; do
    key="${part%%=*}"
    key="${key// /}"
    if [[ " $* " == *" ${key,,} "* ]]; then value="${part#*=}"; fi
  done
  printf '%s' "$value"
}

# The connection string with its database replaced by NAME{suffix} (appended: the last one wins); empty if it is.
with_database() { if [[ -n "$1" ]]; then printf '%s;Database=%s' "$1" "$2$SUFFIX"; fi; }

SUFFIX="${IMAGEMANAGER_DATABASE_SUFFIX:-}"
CATALOG="${ConnectionStrings__Catalog:-$(with_database "${!MARIADB_SETTING:-}" imagemanager_catalog)}"
DISTRIBUTION="${ConnectionStrings__Distribution:-$(with_database "${!POSTGRES_SETTING:-}" imagemanager_distribution)}"
NOTIFICATIONS="${ConnectionStrings__Notifications:-$(with_database "${!POSTGRES_SETTING:-}" imagemanager_notifications)}"
BLOB_KIND="$(tr '[:upper:]' '[:lower:]' <<<"${BlobStore__Kind:-${IMAGEMANAGER_HA:+s3}}")"
BLOB_KIND="${BLOB_KIND:-filesystem}"
BLOB_ROOT="${BlobStore__Root:-$ROOT/.local/blobs}"
S3_ENDPOINT="${BlobStore__S3__ServiceUrl:-${IMAGEMANAGER_S3_ENDPOINT:-}}"
S3_ACCESS_KEY="${BlobStore__S3__AccessKey:-${IMAGEMANAGER_S3_ACCESS_KEY:-}}"
S3_SECRET_KEY="${BlobStore__S3__SecretKey:-${IMAGEMANAGER_S3_SECRET_KEY:-}}"
S3_BUCKET="${BlobStore__S3__Bucket:-${IMAGEMANAGER_S3_BUCKET:-}}"
S3_REGION="${BlobStore__S3__Region:-us-east-1}"
KEYS_DIR="${DataProtection__KeysDirectory:-$ROOT/.local/keys}"
# A blob deleted between the database dumps and the blob copy fails the check; the whole backup is taken again.
ATTEMPTS="${IMAGEMANAGER_BACKUP_ATTEMPTS:-3}"

[[ -n "$CATALOG" && -n "$DISTRIBUTION" ]] || die "no database settings: set ConnectionStrings__* or start the infrastructure (infra/infra.sh start)."

# ------------------------------------------------------------------------------------------------- tools

# pg_dump must be of the server's major version (or newer): take the client of exactly that version.
pg_bin() {
  local major
  major="$(postgres "$DISTRIBUTION" psql -X -Atc 'SHOW server_version_num' -d postgres)"
  major=$((major / 10000))
  packages_install "postgresql-client-$major"
  printf '/usr/lib/postgresql/%s/bin' "$major"
}

backup_install() {
  packages_install mariadb-client
  if [[ "$BLOB_KIND" == s3 ]]; then packages_install rclone; fi
  # psql first (any version) to ask the server its version; then the client of that version.
  command -v psql >/dev/null 2>&1 || packages_install postgresql-client
  PG_BIN="$(pg_bin)"
}

# mariadb TOOL ARGS...: a MariaDB client on the catalogue's server; the password goes in the environment, never in argv.
mariadb_client() {
  local tool=$1
  shift
  MYSQL_PWD="$(field "$CATALOG" password pwd)" "$tool" --protocol=TCP \
    --host="$(field "$CATALOG" server host datasource)" --port="$(field "$CATALOG" port)" \
    --user="$(field "$CATALOG" user userid username uid)" "$@"
}

# postgres CONNECTION_STRING TOOL ARGS...: a PostgreSQL client on that server (libpq variables, nothing in argv).
# Several hosts (Host=a,b) go to libpq as its host list; Npgsql's Target Session Attributes as libpq's (prefer-primary: any).
postgres() {
  local connection=$1 tool=$2 attributes
  shift 2
  attributes="$(field "$connection" targetsessionattributes | tr '[:upper:]' '[:lower:]')"
  [[ -n "$attributes" && "$attributes" != prefer-primary ]] || attributes=any
  PGPASSWORD="$(field "$connection" password)" PGHOST="$(field "$connection" host server)" PGPORT="$(field "$connection" port)" \
    PGUSER="$(field "$connection" username user userid)" PGTARGETSESSIONATTRS="$attributes" PGCONNECT_TIMEOUT=10 \
    "${PG_BIN:-/usr/bin}/$tool" "$@"
}

database_of() { field "$1" database; }

# ------------------------------------------------------------------------------------------------- databases

catalog_backup() {
  local db
  db="$(database_of "$CATALOG")"
  mariadb_client mariadb -N -B -e "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '$db'" >"$1/catalog.charset"
  [[ -s "$1/catalog.charset" ]] || die "the catalogue database $db does not exist."
  # One consistent snapshot (InnoDB) without locking the tables; one INSERT per row with its columns named, so that
  # catalog_digests can read the images' digests back from exactly this snapshot.
  mariadb_client mariadb-dump --single-transaction --skip-lock-tables --hex-blob --complete-insert --skip-extended-insert \
    --no-autocommit --triggers "$db" >"$1/catalog.sql"
}

catalog_restore() {
  local db charset collation
  db="$(database_of "$CATALOG")"
  read -r charset collation <"$1/catalog.charset"
  mariadb_client mariadb -e "CREATE DATABASE \`$db\` CHARACTER SET $charset COLLATE $collation"
  mariadb_client mariadb "$db" <"$1/catalog.sql"
}

# postgres_backup CONNECTION_STRING FILE: one database, custom format (compressed, restorable table by table).
postgres_backup() { postgres "$1" pg_dump --format=custom --no-owner --no-privileges --file="$2" "$(database_of "$1")"; }

postgres_restore() {
  local db
  db="$(database_of "$1")"
  postgres "$1" psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \"$db\""
  postgres "$1" pg_restore --no-owner --no-privileges --exit-on-error --single-transaction -d "$db" "$2"
}

database_exists() {
  case "$1" in
    catalog) [[ -n "$(mariadb_client mariadb -N -B -e "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '$(database_of "$CATALOG")'")" ]] ;;
    *) [[ -n "$(postgres "$2" psql -X -Atq -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$(database_of "$2")'")" ]] ;;
  esac
}

# ------------------------------------------------------------------------------------------------- blobs

# The digests the databases in DIR name, one a line: the catalogue's images (any status: even a rejected image's bytes
# stay) and the images the Distribution service may still upload (a withdrawn one's row stays, its bytes may go).
referenced_digests() {
  {
    catalog_digests "$1/catalog.sql"
    postgres "$DISTRIBUTION" pg_restore --data-only --table=images --file=- "$1/distribution.dump" | copy_column sha256 withdrawn_at
  } | LC_ALL=C sort -u
}

# The sha256 column of every row of `images` in a dump of mariadb-dump --complete-insert --skip-extended-insert.
catalog_digests() {
  awk -v q="'" '
    index($0, "INSERT INTO `images` (") == 1 {
      n = split(substr($0, 23, index($0, ") VALUES (") - 23), names, ", "); wanted = 0
      for (i = 1; i <= n; i++) if (names[i] == "`sha256`") wanted = i
      rest = substr($0, index($0, ") VALUES (") + 10); at = 1; value = ""; quoted = 0
      for (i = 1; i <= length(rest) && at <= wanted; i++) {
        c = substr(rest, i, 1)
        if (quoted) { if (c == "\\") i++; else if (c == q) quoted = 0; else if (at == wanted) value = value c; continue }
        if (c == q) quoted = 1; else if (c == ",") at++; else if (at == wanted) value = value c
      }
      if (length(value) == 64 && value !~ /[^0-9a-f]/) print value
    }' "$1"
}

# COLUMN of the COPY block pg_restore writes for one table (tab-separated, \N for null), in the rows where UNLESS is null.
copy_column() {
  awk -F'\t' -v name="$1" -v unless="$2" '
    /^COPY / { n = split(substr($0, index($0, "(") + 1, index($0, ")") - index($0, "(") - 1), names, ", ")
               for (i = 1; i <= n; i++) { if (names[i] == name) wanted = i; if (names[i] == unless) skip = i }
               copying = 1; next }
    /^\\\.$/ { copying = 0 }
    copying && wanted && $wanted != "\\N" && (!skip || $skip == "\\N") { print $wanted }'
}

# One pair of functions per kind of blob store: every blob into DIR/blobs/sha256/aa/bb/<sha256>, and back.
blobs_backup_filesystem() {
  mkdir -p "$1/blobs"
  # -n: blobs kept from a refused attempt are not copied again (the same name is the same bytes).
  if [[ -d "$BLOB_ROOT/sha256" ]]; then cp -a -n "$BLOB_ROOT/sha256" "$1/blobs/"; fi
}

blobs_restore_filesystem() {
  mkdir -p "$BLOB_ROOT"
  # Content-addressed: a blob already there holds the same bytes, so it is kept.
  if [[ -d "$1/blobs/sha256" ]]; then cp -a -n "$1/blobs/sha256" "$BLOB_ROOT/"; fi
}

# The S3 blob store (Swift's s3api, Ceph RGW): each blob is the object sha256/<sha256> of one bucket (incoming/ and
# uploads/ hold uploads under way: not backed up). Copied with rclone, one process for all the objects, configured
# through its environment only: the keys never reach a command line, a config file or a log.
s3_rclone() {
  [[ -n "$S3_ENDPOINT" && -n "$S3_ACCESS_KEY" && -n "$S3_SECRET_KEY" && -n "$S3_BUCKET" ]] \
    || die "BlobStore__Kind=s3 needs BlobStore__S3__ServiceUrl, __AccessKey, __SecretKey and __Bucket."
  local -a ca=()
  # rclone's S3 SDK cannot load AWS_CA_BUNDLE into rclone's own transport (it fails before any request): the same
  # bundle goes to rclone's --ca-cert instead.
  if [[ -n "${AWS_CA_BUNDLE:-}" ]]; then ca=(--ca-cert "$AWS_CA_BUNDLE"); fi
  # Path-style addressing and signature v4 (what Swift's s3api answers); at most 1,000 parts per multipart upload
  # (Swift's limit: rclone raises the part size of a larger file to fit), of 16 MiB as the services' own.
  env -u AWS_CA_BUNDLE RCLONE_CONFIG=/dev/null RCLONE_S3_PROVIDER=Other RCLONE_S3_ENDPOINT="$S3_ENDPOINT" \
    RCLONE_S3_REGION="$S3_REGION" RCLONE_S3_FORCE_PATH_STYLE=true RCLONE_S3_MAX_UPLOAD_PARTS=1000 RCLONE_S3_CHUNK_SIZE=16M \
    RCLONE_S3_ACCESS_KEY_ID="$S3_ACCESS_KEY" RCLONE_S3_SECRET_ACCESS_KEY="$S3_SECRET_KEY" \
    rclone --stats=0 "${ca[@]}" "$@"
}

# s3_blob_names FILE: the names of the blobs in the bucket, sorted: only addresses (64 lower-case hex digits) directly
# under sha256/ (the objects rclone lists there are the blobs; nothing below).
s3_blob_names() {
  s3_rclone lsf --files-only ":s3:$S3_BUCKET/sha256" >"$1.listed" || die "listing the bucket $S3_BUCKET at $S3_ENDPOINT failed (above)."
  { grep -E '^[0-9a-f]{64}$' "$1.listed" || true; } | LC_ALL=C sort >"$1"
  rm -f "$1.listed"
}

# The names of the blobs in a backup folder's blobs/sha256/aa/bb/, sorted.
backup_blob_names() {
  if [[ -d "$1/blobs/sha256" ]]; then
    find "$1/blobs/sha256" -mindepth 3 -maxdepth 3 -type f -regextype posix-egrep -regex '.*/[0-9a-f]{64}' -printf '%f\n' | LC_ALL=C sort
  fi
}

blobs_backup_s3() {
  local dir=$1 incoming="$1/blobs/.incoming" name target
  mkdir -p "$incoming"
  s3_blob_names "$incoming.all"
  # Blobs kept from a refused attempt are not fetched again (the same name is the same bytes; one whose bytes did not
  # match its name was dropped before this attempt).
  LC_ALL=C comm -23 "$incoming.all" <(backup_blob_names "$dir") >"$incoming.wanted"
  if [[ -s "$incoming.wanted" ]]; then
    # Into one flat folder under the bucket's names (the destination is known to lack them), then into the layout.
    s3_rclone copy --no-check-dest --files-from-raw "$incoming.wanted" ":s3:$S3_BUCKET/sha256" "$incoming"
    while IFS= read -r name; do
      target="$dir/blobs/sha256/${name:0:2}/${name:2:2}"
      mkdir -p "$target"
      mv "$incoming/$name" "$target/$name"
    done <"$incoming.wanted"
  fi
  log "blobs: $(wc -l <"$incoming.all") in the bucket $S3_BUCKET, $(wc -l <"$incoming.wanted") fetched"
  rm -rf "$incoming" "$incoming.all" "$incoming.wanted"
}

blobs_restore_s3() {
  local dir missing present name
  dir="$(realpath "$1")"
  # The bucket is made if it is gone (an existing one is left as it is).
  s3_rclone mkdir ":s3:$S3_BUCKET"
  links="$(mktemp -d)"
  trap 'rm -rf "${links:-}"' EXIT
  s3_blob_names "$links/.present"
  # Content-addressed: an object already there holds the same bytes, so only the missing ones are put back.
  LC_ALL=C comm -23 <(backup_blob_names "$dir") "$links/.present" >"$links/.missing"
  missing=$(wc -l <"$links/.missing") present=$(wc -l <"$links/.present")
  if ((missing > 0)); then
    # The bucket's names for the layout's files, as links to them: the backup folder is only read.
    while IFS= read -r name; do
      ln -s "$dir/blobs/sha256/${name:0:2}/${name:2:2}/$name" "$links/$name"
    done <"$links/.missing"
    s3_rclone copy --copy-links --no-check-dest --files-from-raw "$links/.missing" "$links" ":s3:$S3_BUCKET/sha256"
  fi
  log "blobs: $missing put back into the bucket $S3_BUCKET ($present were there)"
  rm -rf "$links"
}

# ------------------------------------------------------------------------------------------------- keys

# The key ring as a folder (while it is not in the services' databases, which the dumps then cover).
keys_backup() { if [[ -d "$KEYS_DIR" ]]; then cp -a "$KEYS_DIR" "$1/keys"; fi; }

keys_restore() {
  [[ -d "$1/keys" ]] || return 0
  mkdir -p "$KEYS_DIR" && chmod 700 "$KEYS_DIR"
  # Keys made since are kept beside the old ones: both decrypt.
  cp -a -n "$1/keys/." "$KEYS_DIR/"
}

# ------------------------------------------------------------------------------------------------- commands

# The blobs of DIR whose bytes are not what their name says (their SHA-256 in the MANIFEST), as paths in DIR.
mismatched_blobs() { awk '{ n = split($2, part, "/") } part[1] == "blobs" && part[n] != $1 { print $2 }' "$1/MANIFEST"; }

# Every blob in DIR holds the bytes its name says (a blob's address is its SHA-256: restored under a wrong name, it would
# stand for other bytes), and every blob the databases in DIR name is in DIR's MANIFEST.
check_blobs() {
  local dir=$1 missing wrong
  wrong="$(mismatched_blobs "$dir")"
  if [[ -n "$wrong" ]]; then
    log "$dir is inconsistent: $(wc -l <<<"$wrong") blob(s) do not hold the bytes their name says: $(tr '\n' ' ' <<<"$wrong")"
    return 1
  fi
  missing="$(LC_ALL=C comm -23 <(referenced_digests "$dir" | LC_ALL=C sort) \
    <(awk '{ n = split($2, part, "/") } part[1] == "blobs" && part[n] == $1 { print $1 }' "$dir/MANIFEST" | LC_ALL=C sort -u))"
  [[ -z "$missing" ]] && return 0
  log "$dir is inconsistent: the databases name $(wc -l <<<"$missing") blob(s) the backup does not hold: $(tr '\n' ' ' <<<"$missing")"
  return 1
}

verify() {
  local dir=$1
  [[ -f "$dir/MANIFEST" ]] || die "$dir is not a complete backup (no MANIFEST)."
  (cd "$dir" && sha256sum --quiet --strict -c MANIFEST) || die "$dir: files differ from the MANIFEST (above)."
  check_blobs "$dir" || die "$dir is refused: a restore needs every blob its databases name."
  log "$dir: every file matches the MANIFEST, and every blob the databases name is there."
}

# Databases first (catalogue, then distribution, then notifications), then blobs, then keys: see docs/operations.md.
take_backup() {
  local work=$1
  catalog_backup "$work"
  postgres_backup "$DISTRIBUTION" "$work/distribution.dump"
  if [[ -n "$NOTIFICATIONS" ]]; then postgres_backup "$NOTIFICATIONS" "$work/notifications.dump"; fi
  # A command run between the dumps and the blob copy, given the attempt's folder: the window the check covers (the
  # restore drill uploads and deletes images in it).
  if [[ -n "${IMAGEMANAGER_BACKUP_AFTER_DATABASES:-}" ]]; then bash -c "$IMAGEMANAGER_BACKUP_AFTER_DATABASES" backup-hook "$work"; fi
  "blobs_backup_$BLOB_KIND" "$work"
  keys_backup "$work"
  chmod -R go= "$work"
  (cd "$work" && find . -type f -printf '%P\n' | LC_ALL=C sort | xargs -r -d '\n' sha256sum) >"$work.manifest"
  mv "$work.manifest" "$work/MANIFEST"
}

backup() {
  local dir=$1 previous="" attempt
  [[ ! -e "$dir" ]] || die "$dir exists; a backup goes to a new folder."
  mkdir -p "$(dirname "$dir")"
  backup_install
  # A failed run leaves no half backup behind (a complete one was renamed away from $work).
  trap 'rm -rf "${work:-}" "${work:-}.manifest"' EXIT
  for ((attempt = 1; attempt <= ATTEMPTS; attempt++)); do
    # Written beside its final place and renamed when whole: a folder named DIR is always a complete backup.
    work="$(mktemp -d "$dir.partial-XXXXXX")"
    # A refused attempt's blobs are kept, but for any that did not hold the bytes its name says: only those written
    # since, and those, are copied again.
    if [[ -n "$previous" ]]; then
      (cd "$previous" && mismatched_blobs . | xargs -r -d '\n' rm -f --)
      mv "$previous/blobs" "$work/blobs" && rm -rf "$previous"
    fi
    take_backup "$work"
    # The MANIFEST was just computed from these files: only the blobs are left to check.
    if check_blobs "$work"; then
      sync -f "$work" && mv -T "$work" "$dir" && sync -f "$dir"
      log "backup complete: $dir ($(du -sh "$dir" | cut -f1))"
      return
    fi
    previous=$work
    log "attempt $attempt: a blob was deleted between the database dumps and the blob copy, or copied wrong."
  done
  rm -rf "$previous"
  die "no consistent backup after $ATTEMPTS attempts."
}

restore() {
  local dir=$1 name connection
  backup_install
  verify "$dir"
  for name in catalog distribution notifications; do
    case "$name" in catalog) connection="$CATALOG" ;; distribution) connection="$DISTRIBUTION" ;; *) connection="$NOTIFICATIONS" ;; esac
    [[ -z "$connection" ]] || ! database_exists "$name" "$connection" \
      || die "database $(database_of "$connection") exists: restore goes into new databases (drop it first, with the services stopped)."
  done
  catalog_restore "$dir"
  postgres_restore "$DISTRIBUTION" "$dir/distribution.dump"
  if [[ -f "$dir/notifications.dump" && -n "$NOTIFICATIONS" ]]; then postgres_restore "$NOTIFICATIONS" "$dir/notifications.dump"; fi
  "blobs_restore_$BLOB_KIND" "$dir"
  keys_restore "$dir"
  log "restored from $dir; start the services (their migrations find the schema current)."
}

declare -F "blobs_backup_$BLOB_KIND" >/dev/null || die "BlobStore__Kind=$BLOB_KIND: no such blob store (filesystem or s3)."
case "${1:-}:${2:-}" in
  backup:?*) backup "${2%/}" ;;
  verify:?*) PG_BIN=/usr/bin verify "${2%/}" ;;
  restore:?*) restore "${2%/}" ;;
  *) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
