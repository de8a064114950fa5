#!/usr/bin/env bash
# clang-tidy (.clang-tidy) over the library's sources, using build/compile_commands.json.
#   scripts/tidy.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
command -v clang-tidy >/dev/null || {
  [ "$(id -u)" -eq 0 ] || { echo "tidy: apt-get install -y clang-tidy" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang-tidy >/dev/null; }
[ -f "$build/compile_commands.json" ] || { echo "tidy: configure $build first (scripts/setup.sh)" >&2; exit 1; }
files=$(git ls-files 'src/*.cpp' | grep -v 'asio_separate.cpp\|asio_weak.cpp')
# Two at a time: this machine has two cores.
echo "$files" | xargs -P 2 -n 1 clang-tidy -p "$build" --quiet --extra-arg=-Wno-unknown-warning-option
echo "tidy: $(echo "$files" | wc -l) files clean"
