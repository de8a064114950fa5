#!/usr/bin/env bash
# Formats the project's C++ with clang-format (.clang-format); --check only reports (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || {
  [ "$(id -u)" -eq 0 ] || { echo "format: apt-get install -y clang-format" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang-format >/dev/null; }
files=$(git ls-files '*.cpp' '*.hpp')
if [ "${1:-}" = "--check" ]; then
  clang-format --dry-run -Werror $files
  echo "format: $(echo "$files" | wc -l) files formatted as .clang-format says"
else
  clang-format -i $files
fi
