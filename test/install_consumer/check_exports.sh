#!/usr/bin/env bash
# Fails if a shared library exports a strong symbol that is not the library's own: what it
# exports beyond the swr namespace must be weak or unique (Asio's, Beast's and the standard
# library's inline functions, templates and their statics), so that the program's definitions
# take their place or merge with them (docs/concepts.md, "Asio and Beast are the program's").
#   check_exports.sh LIBRARY.so...
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 LIBRARY.so..."; exit 2; }
status=0
for lib in "$@"; do
  # nm -C: "ADDRESS TYPE NAME"; W/w and V/v are weak, u unique (merged by the dynamic linker).
  bad=$(nm -D --defined-only -C "$lib" | awk '
    { type = $2; name = $0; sub(/^[^ ]* [^ ]* /, "", name) }
    type ~ /^[WwVvu]$/ { next }
    name ~ /^(swr::|(vtable|VTT|typeinfo|typeinfo name|guard variable) for swr::)/ { next }
    name ~ /^((non-)?virtual thunk|covariant return thunk) to swr::/ { next }
    name ~ /^(_init|_fini|_edata|_end|__bss_start)$/ { next }
    { print type, name }')
  strong=$(nm -D --defined-only "$lib" | awk '$2 !~ /^[WwVvu]$/' | wc -l)
  weak=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[WwVvu]$/' | wc -l)
  if [ -n "$bad" ]; then
    echo "check-exports: $(basename "$lib") exports strong symbols outside swr:"
    echo "$bad" | head -20
    status=1
  else
    echo "check-exports: $(basename "$lib"): $strong strong symbols, all swr; $weak weak or unique"
  fi
done
exit $status
