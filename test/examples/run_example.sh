#!/usr/bin/env bash
# Runs an example program against `swr-sign-tasks emulator` and checks its output.
#   run_example.sh CLI EXAMPLE_BINARY EXPECTED_PATTERN [EXECUTIONS]
set -euo pipefail
cli=$1 example=$2 pattern=$3 executions=${4:-1}
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
"$cli" emulator --token example-token --cert-out "$dir/ca.pem" --tasks 120 --pace 1 >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 100); do grep -q '^endpoint: ' "$dir/out" && break; sleep 0.1; done
endpoint=$(sed -n 's/^endpoint: //p' "$dir/out")
[ -n "$endpoint" ] || { echo "emulator did not start"; cat "$dir/err"; exit 1; }
SWR_ENDPOINT=$endpoint SWR_CA_FILE=$dir/ca.pem SWR_AUTH_TOKEN=example-token HUAWEICLOUD_SDK_PROJECT_ID=p \
SWR_INSTANCE=ins-emulator SWR_NAMESPACE=library SWR_POLICY=1 SWR_EXECUTION=1 SWR_EXECUTIONS="$executions" \
  "$example" >"$dir/example.out" || true
cat "$dir/example.out" | tail -5
grep -Eq "$pattern" "$dir/example.out" || { echo "expected /$pattern/ in the output"; exit 1; }
