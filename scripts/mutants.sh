#!/usr/bin/env bash
# Mutation run: one small deliberate bug at a time in a scratch copy of the tree, rebuilt
# incrementally in one build directory, then the unit and integration tests (and the CLI tests for
# the mutants that only they can see). Each mutant must be killed (a test fails); a mutant whose
# source line is no longer found is reported as such, never as killed.
#   scripts/mutants.sh [name-filter]      (about 1-2 minutes a mutant on 2 cores)
# Env: SWR_MUTANTS_DIR (default /tmp/swr-mutants) keeps the scratch copy and its build.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=${SWR_MUTANTS_DIR:-/tmp/swr-mutants}
filter=${1:-}

# name @@ file @@ exact text (\n for a newline) @@ replacement @@ ctest labels
mutants=(
  'pager forgets its terminal error @@ src/paging/pager.cpp @@                 terminal = ec; @@                 (void)ec; @@ unit|integration'
  'watch never retries @@ src/watch/watch.cpp @@ e.final = !transient || @@ e.final = true || @@ unit|integration'
  'close-delimited body pooled @@ src/wire/connection.cpp @@ msg.keep_alive() && !msg.need_eof() && @@ msg.keep_alive() && @@ unit|integration'
  'leftover bytes pooled @@ src/wire/connection.cpp @@  && !reader.leftover(); @@ ; @@ unit|integration'
  'forged bytes from the proxy accepted @@ src/wire/connection.cpp @@ if (buffer_.size() != 0) co_return make_error_code(errc::proxy_error); @@ ; @@ unit|integration'
  'interim responses unbounded @@ src/wire/response_reader.cpp @@ status == 101 || ++interim_ > max_interim @@ status == 101 @@ unit|integration'
  'short pages accepted @@ src/paging/pager_fsm.cpp @@ if (received == want) return {}; @@ if (received <= want) return {}; @@ unit|integration'
  'a changing total accepted @@ src/paging/pager_fsm.cpp @@ if (was == now) return {}; @@ if (true) return {}; @@ unit|integration'
  'duplicate ids accepted @@ src/paging/pager_fsm.cpp @@ if (!seen_.insert(t.id).second) @@ if (!seen_.insert(t.id).second && false) @@ unit|integration'
  'swapped pages accepted @@ src/paging/pager_fsm.cpp @@ if (!first_page) @@ if (false) @@ unit|integration'
  'list-all skips the rules on its pages @@ src/paging/list_all.cpp @@ if (v.v == pager_fsm::verdict::failed) { @@ if (false) { @@ unit|integration'
  '5xx not retried @@ src/api/error.cpp @@ case errc::server_error:\n            case errc::connect_timeout: @@ case errc::connect_timeout: @@ unit|integration'
  'Retry-After ignored @@ src/client/retry_policy.cpp @@ if (retry_after && opts_.honor_retry_after) { @@ if (false) { @@ unit|integration'
  'retry budget never spent @@ src/client/retry_policy.cpp @@ if (!budget_->try_take(cost)) return @@ if (false) return @@ unit|integration'
  'pool reuses failed connections @@ src/client/client.cpp @@ release(std::move(conn), !o.ec && res.keep_alive); @@ release(std::move(conn), true); @@ unit|integration'
  'peer not verified @@ src/wire/tls_context.cpp @@ ctx->set_verify_mode(asio::ssl::verify_peer); @@ ctx->set_verify_mode(asio::ssl::verify_none); @@ unit|integration'
  'host name not verified @@ src/wire/connection.cpp @@ stream_.set_verify_callback(asio::ssl::host_name_verification(t.ep.host)); @@ ; @@ unit|integration'
  'signature not redacted @@ src/api/request_builder.cpp @@ format_authorization(fields->access, fields->signed_headers, "<redacted>") @@ std::string(v) @@ unit|integration|cli'
  'canonical query unsorted @@ src/auth/signer.cpp @@ std::sort(q.begin(), q.end()); @@ ; @@ unit|integration'
  'failed tasks classified as success @@ src/api/model.cpp @@ {"failed", task_state::error} @@ {"failed", task_state::success} @@ unit|integration'
  'a throwing hook loses the completion @@ src/async/launch.hpp @@ if (e) r = {error_from_exception(std::move(e)), Result{}}; @@ if (e) return; @@ unit|integration'
)

echo "mutants: preparing $work"
mkdir -p "$work"
rm -rf "$work/tree" && mkdir -p "$work/tree"
git -C "$root" ls-files -co --exclude-standard | tar -C "$root" -cf - -T - | tar -C "$work/tree" -xf -
cmake -S "$work/tree" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$work/build" >/dev/null || { echo "mutants: the unmutated tree does not build"; exit 1; }

killed=0; survived=0; stale=0
for m in "${mutants[@]}"; do
  name=${m%% @@ *}; rest=${m#* @@ }
  file=${rest%% @@ *}; rest=${rest#* @@ }
  from=${rest%% @@ *}; rest=${rest#* @@ }
  to=${rest%% @@ *}; labels=${rest#* @@ }
  [ -n "$filter" ] && [[ "$name" != *"$filter"* ]] && continue
  src="$work/tree/$file"
  if ! MUT_FROM="$from" MUT_TO="$to" python3 - "$root/$file" "$src" <<'PY'
import os, sys
s = open(sys.argv[1]).read()
frm = os.environ["MUT_FROM"].replace("\\n", "\n")
to = os.environ["MUT_TO"].replace("\\n", "\n")
if s.count(frm) != 1:
    sys.exit(1)
open(sys.argv[2], "w").write(s.replace(frm, to))
PY
  then
    echo "no longer applies: $name ($file)"; stale=$((stale + 1)); continue
  fi
  if ! cmake --build "$work/build" >/dev/null 2>&1; then
    echo "killed (does not compile): $name"; killed=$((killed + 1))
  elif ctest --test-dir "$work/build" --timeout 300 -L "$labels" >/dev/null 2>&1; then
    echo "SURVIVED: $name ($file)"; survived=$((survived + 1))
  else
    echo "killed: $name"; killed=$((killed + 1))
  fi
  cp "$root/$file" "$src"
done
cmake --build "$work/build" >/dev/null 2>&1
echo "mutants: $killed killed, $survived survived, $stale no longer apply"
[ "$survived" -eq 0 ] && [ "$stale" -eq 0 ]
