#!/usr/bin/env bash
# Installs what is missing, builds, and runs `swr-sign-tasks demo` against the embedded emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
exec build/bin/swr-sign-tasks demo
