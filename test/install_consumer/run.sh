#!/usr/bin/env bash
# Installs the build tree into a temporary prefix, builds the consumer against it with
# find_package, runs it; also checks the pkg-config file resolves.
#   run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/test/install_consumer" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/consumer"
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs swr-sign-tasks | grep -q -- -lswr-sign-tasks
test -f "$work/prefix/lib/cmake/swr-sign-tasks/swr-sign-tasks-config-version.cmake"
test -x "$work/prefix/bin/swr-sign-tasks"
echo "install-consumer: ok"
