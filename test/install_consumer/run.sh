#!/usr/bin/env bash
# Installs the build tree into a temporary prefix and builds three programs against it, each
# listing a page from an emulator:
#   consumer_a  find_package, Asio header-only with a deprecated call (in-process emulator);
#   consumer_b  find_package, Asio and Beast compiled separately by the program (in-process);
#   consumer_c  g++ and the pkg-config file alone (the installed CLI's emulator).
# A shared library is also checked for what it exports (check_exports.sh).
#   run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
here=$src/test/install_consumer
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
pc=$(find "$prefix" -name swr-sign-tasks.pc)
libdir=$(dirname "$(dirname "$pc")")
test -f "$libdir/cmake/swr-sign-tasks/swr-sign-tasks-config-version.cmake"
test -x "$prefix/bin/swr-sign-tasks"
if [ -e "$libdir/libswr-sign-tasks.so" ]; then
  test -e "$libdir/libswr-sign-tasks.so.0" -a -e "$libdir/libswr-sign-tasks-emulator.so.0"
  "$here/check_exports.sh" "$libdir/libswr-sign-tasks.so" "$libdir/libswr-sign-tasks-emulator.so"
fi

# (a) and (b): one CMake project, two programs.
cmake -S "$here" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/consumer_a"
"$work/consumer/consumer_b"

# (c): pkg-config only. The emulator is the installed CLI's (it finds a shared library by its
# run path); the program finds one through LD_LIBRARY_PATH, as nothing else tells it where.
export PKG_CONFIG_PATH=$libdir/pkgconfig
# shellcheck disable=SC2046  # pkg-config's output is words
g++ -o "$work/consumer_c" "$here/main_c.cpp" $(pkg-config --cflags --libs swr-sign-tasks)
"$prefix/bin/swr-sign-tasks" emulator --token t --cert-out "$work/ca.pem" --seed 1 --tasks 120 \
  >"$work/emulator.out" 2>"$work/emulator.err" &
pid=$!
for _ in $(seq 100); do grep -q '^endpoint: ' "$work/emulator.out" && break; sleep 0.1; done
endpoint=$(sed -n 's/^endpoint: //p' "$work/emulator.out")
[ -n "$endpoint" ] || { echo "install-consumer: the emulator did not start"; cat "$work/emulator.err"; exit 1; }
LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} timeout 60 "$work/consumer_c" "$endpoint" "$work/ca.pem"
echo "install-consumer: ok"
