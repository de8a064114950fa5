#!/usr/bin/env bash
# Builds the API reference (build/doxygen/html) and fails on any doxygen warning.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v doxygen >/dev/null || {
  [ "$(id -u)" -eq 0 ] || { echo "docs: apt-get install -y doxygen" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq doxygen >/dev/null; }
rm -rf build/doxygen && mkdir -p build/doxygen
doxygen Doxyfile
if [ -s build/doxygen/warnings.log ]; then cat build/doxygen/warnings.log; echo "docs: doxygen warned"; exit 1; fi
echo "docs: build/doxygen/html/index.html, no warnings"
