#!/usr/bin/env bash
# Installs what building and testing Switchboard needs on Debian 12, and nothing already present.
# Idempotent; uses sudo when not run as root. Packages: reference/BUILD.md's install line.
set -euo pipefail

packages=(
  g++ make cmake ninja-build ccache pkg-config libboost1.81-dev nlohmann-json3-dev
  libtomlplusplus-dev libspdlog-dev libfmt-dev libgtest-dev libgmock-dev libsqlite3-dev sqlite3
  libcli11-dev clang-14 clang-format-14 libc++-14-dev libc++abi-14-dev binutils
)

# Node.js and npm: tests/e2e/setup.sh and bench/setup.sh use them to install the pinned Node 22
# and the real MCP clients. Skipped when an npm is already on PATH (a Node from another source
# ships its own npm, which conflicts with Debian's npm package).
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm ca-certificates)
fi

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-deps: this script needs a Debian-based system with apt-get (Debian 12 is the reference)." >&2
  echo "install-deps: install these packages (or their equivalents) by hand: ${packages[*]}" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-deps: not root and no sudo; run as root or install: ${packages[*]}" >&2
    exit 1
  fi
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
  echo "install-deps: all build packages are present" >&2
fi
