#!/usr/bin/env bash
# Checks that every C and C++ source is formatted by the project's .clang-format
# (conventions: clang-format applied). Prints the files that differ and how to fix them.
#   check-format.sh CLANG_FORMAT REPO
set -euo pipefail
clang_format=$1
repo=$2
if ! command -v "$clang_format" >/dev/null 2>&1; then
  echo "check-format: $clang_format not found; install it with scripts/install-deps.sh" >&2
  exit 1
fi
cd "$repo"
# The source folders, read from disk (a fresh machine may have no git): build trees and installed
# Node modules are never inside them.
mapfile -t files < <(find host sdk plugins tests bench -type f \
  \( -name '*.c' -o -name '*.h' -o -name '*.cc' -o -name '*.hpp' -o -name '*.cpp' \) \
  -not -path '*/node_modules/*' | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "check-format: no sources found under $repo" >&2
  exit 1
fi
# One clang-format process for all files; each violation is reported as FILE:LINE:COL: error.
status=0
report=$("$clang_format" --dry-run --Werror "${files[@]}" 2>&1) || status=$?
mapfile -t bad < <(printf '%s\n' "$report" | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: .*/\1/p' | sort -u)
if [ "${#bad[@]}" -ne 0 ]; then
  echo "check-format: ${#bad[@]} of ${#files[@]} files are not clang-formatted:" >&2
  printf '  %s\n' "${bad[@]}" >&2
  echo "fix: $clang_format -i ${bad[*]}" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "check-format: $clang_format failed (exit $status):" >&2
  printf '%s\n' "$report" | head -20 >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
