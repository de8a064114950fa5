#!/usr/bin/env bash
# Rewrites the help blocks of README.md with what the built tool prints. Each block follows a
# marker line `<!-- help: swr-sign-tasks ARGS -->` and is a ```text fence; the CLI tests fail
# while a block differs from the tool's output.
#   scripts/cli-help.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
tool=$build/bin/swr-sign-tasks
[ -x "$tool" ] || { echo "cli-help: build $tool first (scripts/setup.sh)" >&2; exit 1; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
awk -v tool="$tool" '
  skipping && /^```$/ { skipping = 0; next }
  skipping { next }
  {
    print
    if (match($0, /^<!-- help: swr-sign-tasks (.*) -->$/)) {
      args = substr($0, 27, length($0) - 30)
      getline fence
      if (fence != "```text") { print "cli-help: no ```text after " $0 > "/dev/stderr"; exit 1 }
      print fence
      cmd = tool " " args
      while ((cmd | getline line) > 0) print line
      close(cmd)
      print "```"
      skipping = 1
    }
  }
' README.md >"$tmp"
cp "$tmp" README.md
echo "cli-help: README.md help blocks rewritten from $tool"
