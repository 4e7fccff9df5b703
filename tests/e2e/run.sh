#!/usr/bin/env bash
# Runs one end-to-end test file with the pinned Node 22 and packages (what ctest calls):
#
#   SWITCHBOARD_EXE=/abs/path/to/switchboard tests/e2e/run.sh tests/e2e/sdk_client.test.mjs
#
# Calls setup.sh first (a no-op once the cache is installed); a failed setup fails the test.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -lt 1 ]; then
  echo "usage: SWITCHBOARD_EXE=… $0 TEST_FILE.mjs [node --test options…]" >&2
  exit 2
fi
if [ -z "${SWITCHBOARD_EXE:-}" ] || [ ! -x "$SWITCHBOARD_EXE" ]; then
  echo "run.sh: SWITCHBOARD_EXE must name the built switchboard binary (got '${SWITCHBOARD_EXE:-}')" >&2
  exit 2
fi

paths=$("$here/setup.sh") || { echo "run.sh: tests/e2e/setup.sh failed (see above)" >&2; exit 1; }
eval "$paths"
export SB_E2E_NODE SB_E2E_NODE_MODULES SB_E2E_CLAUDE
export SB_PINNED_NODE_MODULES=$SB_E2E_NODE_MODULES

file=$1
shift
exec "$SB_E2E_NODE" --import "$here/lib/pinned-modules.mjs" --test --test-reporter=spec "$@" "$file"
