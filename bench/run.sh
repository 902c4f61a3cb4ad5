#!/usr/bin/env bash
# Runs the benchmark: infrastructure, Release build, then the measurements side by side in one run.
#   bench/run.sh            1 GiB ingest, 4 GiB memory run, 100 MiB end to end
#   bench/run.sh --quick    smaller files
#   bench/run.sh --issue-20   issue 20's rows: fan-out (with and without subscribers, 200 ms / 1 % 5xx), then tiers under an uplink budget
#   bench/run.sh --scanning   issue 21's row: validation of the 1 GiB file with clamd vs without (interleaved rounds)
#   bench/run.sh --redundancy-only   the highly available topology beside the single one (upload, 10,000-VIM fan-out, memory)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/infra/infra.sh" start
if [[ " $* " == *" --redundancy-only "* ]]; then bash "$ROOT/infra/infra.sh" ha start; fi
dotnet build "$ROOT/ImageManager.sln" -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build "$ROOT/bench/ImageManager.Bench" -c Release --nologo -v quiet -clp:ErrorsOnly
exec dotnet "$ROOT/bench/ImageManager.Bench/bin/Release/net10.0/ImageManager.Bench.dll" "$@"
