#!/usr/bin/env bash
# Runs the startup benchmark (spec/MCP.md §16) and prints everything:
#
#   bench/run.sh [SWITCHBOARD]
#
# 1. builds the release preset (build/, RelWithDebInfo) unless SWITCHBOARD is given (then the raw
#    harness is taken from beside it, or from $BENCH_RAW);
# 2. installs the pinned Node 22, SDK client and reference server (bench/setup.sh, cached);
# 3. bench/startup.mjs: the SDK client harness, switchboard against server-everything and the
#    Node floor in the same batch (20 fresh spawns each);
# 4. bench_raw_warm_call: the raw-pipe C++ harness (20 spawns, 1000 warm calls), same peers.
# Environment: BENCH_RUNS (20), BENCH_WARM (20, SDK harness), BENCH_CALLS (1000, raw harness),
# BENCH_JOBS (2, build parallelism).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${BENCH_RUNS:-20}

if [ $# -ge 1 ]; then
  exe=$(realpath "$1")
  raw=${BENCH_RAW:-$(dirname "$exe")/bench_raw_warm_call}
else
  # The whole preset, as `make build` does: serve loads the plugins built beside it.
  (cd "$repo" && cmake --preset release >/dev/null && cmake --build --preset release -j "${BENCH_JOBS:-2}")
  exe=$repo/build/bin/switchboard
  raw=${BENCH_RAW:-$repo/build/bin/bench_raw_warm_call}
fi
[ -x "$exe" ] || { echo "bench/run.sh: $exe is not an executable" >&2; exit 1; }

paths=$("$repo/bench/setup.sh") || { echo "bench/run.sh: bench/setup.sh failed" >&2; exit 1; }
eval "$paths"
everything=$SB_BENCH_NODE_MODULES/@modelcontextprotocol/server-everything/dist/index.js

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; $(uptime | sed 's/.*load/load/')"
echo
SB_PINNED_NODE_MODULES=$SB_BENCH_NODE_MODULES "$SB_BENCH_NODE" \
  --import "$repo/tests/e2e/lib/pinned-modules.mjs" "$repo/bench/startup.mjs" \
  --runs "$runs" --warm "${BENCH_WARM:-20}" "$exe"
echo
if [ -x "$raw" ]; then
  "$raw" --runs "$runs" --calls "${BENCH_CALLS:-1000}" --node "$SB_BENCH_NODE" --everything "$everything" "$exe"
else
  echo "bench/run.sh: $raw not built (cmake --build … --target bench_raw_warm_call); raw harness skipped" >&2
  exit 1
fi
