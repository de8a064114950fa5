#!/usr/bin/env bash
# Installs the Debian 12 packages the build needs (when missing), then configures and builds.
#   scripts/setup.sh [build-dir] [extra cmake args...]
# Env: SWR_BUILD_TYPE (default RelWithDebInfo), CI=true turns warnings into errors.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake ninja-build pkg-config libboost1.81-dev libboost-json1.81-dev
          libboost-url1.81-dev libssl-dev doctest-dev libcli11-dev openssl ca-certificates
          tinyproxy-bin tmux)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: run as root, or install them first: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build=${1:-build}
[ $# -gt 0 ] && shift
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${SWR_BUILD_TYPE:-RelWithDebInfo}" \
  -DSWR_WARNINGS_AS_ERRORS=$werror "$@" >/dev/null
cmake --build "$build"
