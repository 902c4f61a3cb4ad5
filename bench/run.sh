#!/usr/bin/env bash
# Runs the benchmark: infrastructure, Release build, then the measurements side by side in one run.
#   bench/run.sh            1 GiB ingest, 4 GiB memory run, 100 MiB end to end
#   bench/run.sh --quick    smaller files
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/infra/infra.sh" start
dotnet build "$ROOT/ImageManager.sln" -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build "$ROOT/bench/ImageManager.Bench" -c Release --nologo -v quiet -clp:ErrorsOnly
exec dotnet "$ROOT/bench/ImageManager.Bench/bin/Release/net10.0/ImageManager.Bench.dll" "$@"
