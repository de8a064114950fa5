#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every ctest tier
# (unit, integration, cli, examples).
#   scripts/test.sh [build-dir] [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
scripts/setup.sh "$@"
ctest --test-dir "$build" --output-on-failure --timeout 600 -j 2
