#!/usr/bin/env bash
# Runs an example program against `swr-sign-tasks emulator` and checks that it exits 0 and that
# every expected pattern matches a line of its output. With --fails, checks instead that it
# exits non-zero and that the patterns match lines of its stderr: a failure must be reported,
# never dropped. The emulator's data are seeded: the same tasks, and the same final statuses,
# on every run.
#   run_example.sh CLI EXAMPLE_BINARY EXECUTIONS [--fails] EXPECTED_PATTERN...
set -euo pipefail
cli=$1 example=$2 executions=$3
shift 3
fails=false
if [ "${1:-}" = "--fails" ]; then fails=true; shift; fi
[ $# -gt 0 ] || { echo "usage: $0 CLI EXAMPLE EXECUTIONS [--fails] PATTERN..."; exit 2; }
dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
"$cli" emulator --token example-token --cert-out "$dir/ca.pem" --seed 1 --tasks 120 --pace 1 \
  >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 100); do grep -q '^endpoint: ' "$dir/out" && break; sleep 0.1; done
endpoint=$(sed -n 's/^endpoint: //p' "$dir/out")
[ -n "$endpoint" ] || { echo "emulator did not start"; cat "$dir/err"; exit 1; }
status=0
# The quick start takes everything from HUAWEICLOUD_SDK_* (the region's endpoint overridden)
# and trusts the system store, which SSL_CERT_FILE replaces with the emulator's CA.
HUAWEICLOUD_SDK_REGION=cn-north-4 HUAWEICLOUD_SDK_REGION_SWR_CN_NORTH_4=$endpoint \
SSL_CERT_FILE=$dir/ca.pem SWR_ENDPOINT=$endpoint SWR_CA_FILE=$dir/ca.pem SWR_AUTH_TOKEN=example-token HUAWEICLOUD_SDK_PROJECT_ID=p \
SWR_INSTANCE=ins-emulator SWR_NAMESPACE=library SWR_POLICY=1 SWR_EXECUTION=1 SWR_EXECUTIONS="$executions" \
  timeout 120 "$example" >"$dir/example.out" 2>"$dir/example.err" || status=$?
tail -5 "$dir/example.out"
if $fails; then
  cat "$dir/example.err"
  [ "$status" -ne 0 ] || { echo "the example exited 0 where it had to fail"; exit 1; }
  [ "$status" -ne 124 ] || { echo "the example was killed after 120 s"; exit 1; }
  for pattern in "$@"; do
    grep -Eq "$pattern" "$dir/example.err" || { echo "expected /$pattern/ on stderr"; exit 1; }
  done
  exit 0
fi
if [ "$status" -ne 0 ]; then
  echo "the example exited with status $status (124: killed after 120 s)"
  cat "$dir/example.err"
  exit 1
fi
for pattern in "$@"; do
  grep -Eq "$pattern" "$dir/example.out" || { echo "expected /$pattern/ in the output"; exit 1; }
done
