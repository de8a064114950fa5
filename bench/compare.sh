#!/usr/bin/env bash
# Side-by-side: wrk (the ceiling: it parses nothing), the curl command line in parallel mode (what
# a user would pick instead) and swr-bench page, against a static nginx stand-in of the API over
# TLS on loopback, at 1 and 16 connections, 10- and 100-task pages. Prints a markdown table.
#   bench/compare.sh [build-dir]      env: DURATION (s, default 5), CURL_REQUESTS (default 3000)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
duration=${DURATION:-5}
curl_n=${CURL_REQUESTS:-3000}
bench=$build/bin/swr-bench
[ -x "$bench" ] || { echo "compare: $bench not built (scripts/setup.sh first)" >&2; exit 1; }

need=()
command -v nginx >/dev/null || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "compare: missing ${need[*]}: apt-get install -y ${need[*]}" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

dir=$(mktemp -d)
nginx_pid=
cleanup() {
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null && sleep 0.3
  rm -rf "$dir"
}
trap cleanup EXIT

# Throw-away CA and leaf for 127.0.0.1, made now.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/ca.key" \
  -out "$dir/ca.pem" -days 1 -subj "/CN=compare CA" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/leaf.key" \
  -out "$dir/leaf.csr" -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' >"$dir/leaf.ext"
openssl x509 -req -in "$dir/leaf.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
  -days 1 -sha256 -extfile "$dir/leaf.ext" -out "$dir/leaf.pem" 2>/dev/null

# Static pages in the API's shape (10 and 100 tasks).
mkdir -p "$dir/pages" "$dir/tmp"
chmod 755 "$dir" "$dir/pages"  # nginx workers run as another user
for n in 10 100; do
  awk -v n="$n" 'BEGIN { srand(7 + n); h = "0123456789abcdef"; printf "{\"total\":%d,\"tasks\":[", n;
    for (i = 0; i < n; i++) { j = ""; for (k = 0; k < 24; k++) j = j substr(h, int(rand()*16)+1, 1);
      printf "%s{\"id\":%d,\"execution_id\":8,\"namespace\":\"library\",\"repository\":\"service-%03d/api\",\"job_id\":\"%s\",\"status\":\"Success\",\"status_text\":\"\",\"created_at\":\"2024-05-01T08:00:%02dZ\",\"updated_at\":\"2024-05-01T08:01:%02dZ\"}", (i?",":""), 1000+i, i, j, i%60, i%60 }
    printf "]}\n" }' >"$dir/pages/tasks-$n.json"
done
chmod 644 "$dir/pages"/*.json
port=$(( 20000 + RANDOM % 20000 ))
cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off; server_tokens off; etag off;
  keepalive_requests 10000000; keepalive_timeout 75s; tcp_nodelay on;
  client_body_temp_path $dir/tmp/b; proxy_temp_path $dir/tmp/p; fastcgi_temp_path $dir/tmp/f;
  uwsgi_temp_path $dir/tmp/u; scgi_temp_path $dir/tmp/s;
  default_type application/json;
  map \$arg_limit \$page { "100" tasks-100.json; default tasks-10.json; }
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $dir/leaf.pem; ssl_certificate_key $dir/leaf.key;
    root $dir/pages;
    location ~ ^/v2/.+/tasks\$ { try_files /\$page =500; }
  }
}
CONF
nginx -c "$dir/nginx.conf" -p "$dir" -e "$dir/error.log"
for _ in $(seq 50); do [ -s "$dir/nginx.pid" ] && break; sleep 0.1; done
nginx_pid=$(cat "$dir/nginx.pid")
base="https://127.0.0.1:$port/v2/bench-project/instances/ins-emulator/namespaces/library/signature/policies/1/executions/1/tasks"

# CPU (user+sys) of a command's children, in microseconds, via bash's `times`.
cpu_of() { # prints "<cpu_us>" after running "$@" with its output to $dir/out
  local t
  t=$( { "$@" >"$dir/out" 2>"$dir/err"; times; } | tail -1 )
  awk -v t="$t" 'BEGIN { split(t, a, " "); s = 0;
    for (i = 1; i <= 2; i++) { x = a[i]; m = x; sub(/m.*/, "", m); sec = x; sub(/.*m/, "", sec); sub(/s/, "", sec); s += m*60 + sec }
    printf "%.0f", s * 1e6 }'
}

echo "| page | conns | tool | req/s | p99 (ms) | client CPU/req (us) | allocations/req | req/s vs wrk | CPU vs wrk |"
echo "|---|---|---|---|---|---|---|---|---|"
for limit in 10 100; do
  for conns in 1 16; do
    url="$base?offset=0&limit=$limit"
    # wrk
    cpu=$(cpu_of wrk -t1 -c"$conns" -d"${duration}s" --latency "$url")
    if grep -q "Non-2xx" "$dir/out"; then echo "compare: wrk got errors:"; cat "$dir/out"; exit 1; fi
    wrk_rps=$(awk '/Requests\/sec/ {print $2}' "$dir/out")
    wrk_p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) sub(/ms/,"",v); else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' "$dir/out")
    wrk_n=$(awk '/requests in/ {print $1}' "$dir/out")
    wrk_cpu=$(awk -v c="$cpu" -v n="$wrk_n" 'BEGIN { printf "%.1f", c / n }')
    echo "| $limit | $conns | wrk | $wrk_rps | $wrk_p99 | $wrk_cpu | - | 1.00 | 1.00 |"
    # curl --parallel
    : >"$dir/urls"
    for _ in $(seq "$curl_n"); do echo "url = \"$url\"" >>"$dir/urls"; echo "output = /dev/null" >>"$dir/urls"; done
    start=$(date +%s.%N)
    cpu=$(cpu_of curl -s --fail --parallel --parallel-max "$conns" --cacert "$dir/ca.pem" -K "$dir/urls")
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v n="$curl_n" -v c="$cpu" -v wr="$wrk_rps" -v wc="$wrk_cpu" -v l="$limit" -v k="$conns" \
      'BEGIN { r = n / (e - s); printf "| %s | %s | curl --parallel | %.0f | - | %.1f | - | %.2f | %.2f |\n", l, k, r, c / n, r / wr, (c / n) / wc }'
    # swr-bench: every page decoded into tasks and checked
    n=$(awk -v r="$wrk_rps" -v d="$duration" 'BEGIN { n = int(r * d); if (n < 2000) n = 2000; print n }')
    "$bench" page --endpoint "https://127.0.0.1:$port" --ca-file "$dir/ca.pem" --requests "$n" \
      --execution-id 8 \
      --concurrency "$conns" --limit "$limit" >"$dir/swr.json" 2>"$dir/swr.err" ||
      { echo "swr-bench failed:"; cat "$dir/swr.json" "$dir/swr.err"; exit 1; }
    awk -v wr="$wrk_rps" -v wc="$wrk_cpu" -v l="$limit" -v k="$conns" -F'[:,]' '{
      for (i = 1; i <= NF; i++) { g = $i; gsub(/[" {}]/, "", g); v[g] = $(i+1) }
      printf "| %s | %s | swr-bench | %.0f | %.2f | %.1f | %.1f | %.2f | %.2f |\n", l, k, v["rps"], v["p99_us"] / 1000,
        v["client_cpu_us_per_request"], v["allocations_per_request"], v["rps"] / wr,
        v["client_cpu_us_per_request"] / wc }' "$dir/swr.json"
    grep -q '"errors":0' "$dir/swr.json" || { echo "swr-bench reported errors:"; cat "$dir/swr.json" "$dir/swr.err"; exit 1; }
  done
done
