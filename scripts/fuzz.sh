#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS (default 30),
# starting from the seeds in test/fuzz/corpus/<target>. Longer runs: scripts/fuzz.sh 3600.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
build=${FUZZ_BUILD_DIR:-build-fuzz}
pkgs=(clang libclang-rt-14-dev)
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "fuzz: missing ${missing[*]}: apt-get install -y ${missing[*]}" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
CC=clang CXX=clang++ SWR_BUILD_TYPE=RelWithDebInfo scripts/setup.sh "$build" \
  -DSWR_BUILD_FUZZ=ON -DSWR_SANITIZE=address,undefined -DSWR_WARNINGS_AS_ERRORS=OFF
total=0
for t in decode_page error_body http_response retry_after endpoint; do
  work=$(mktemp -d)
  cp test/fuzz/corpus/$t/* "$work/"
  "$build/bin/fuzz_$t" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$work/" "$work" \
    >"$work.log" 2>&1 || { tail -40 "$work.log"; ls "$work"/crash-* 2>/dev/null; echo "fuzz: $t FAILED"; exit 1; }
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$work.log")
  echo "fuzz: $t: $runs executions in ${seconds}s, no crash"
  total=$((total + runs))
  rm -rf "$work" "$work.log"
done
echo "fuzz: $total executions in all"
