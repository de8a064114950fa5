#pragma once
// How a finished watch reads: each execution's outcome in words, and the verdict that decides
// `watch`'s exit code. No I/O, so the rules are tested on crafted results.

#include <swr/poll.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace swr::cli {

/// How one execution ended, as the CLI reports it.
enum class watch_outcome {
    succeeded,   ///< Every task terminal, none failed or stopped.
    failed,      ///< Every task terminal, some failed or stopped.
    no_tasks,    ///< Listed in full: the execution has no tasks at all.
    unfinished,  ///< Tasks still running when the watch ended (deadline or interrupt).
    error,       ///< Could not be watched to the end (a final error such as 404).
};

/// The outcome of one execution.
watch_outcome outcome_of(const watch_result& r);

/// "succeeded", "finished with failures", "no tasks", "not finished", "could not be watched".
const char* to_string(watch_outcome o);

/// What makes a watch unsuccessful (exit 1).
struct watch_verdict {
    bool ok = true;                        ///< Every execution succeeded (or is allowed empty).
    std::vector<std::int64_t> unfinished;  ///< Executions still running when the watch ended.
    std::vector<std::int64_t> empty;       ///< Executions with no tasks.
};

/// The verdict over every execution; `allow_empty`: an execution with no tasks is fine.
watch_verdict judge(std::span<const watch_result> results, bool allow_empty);

/// "1, 2, 3" — at most `max` ids, then "and N more".
std::string id_list(std::span<const std::int64_t> ids, std::size_t max = 20);

}  // namespace swr::cli
