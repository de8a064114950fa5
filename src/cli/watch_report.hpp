#pragma once
// How a finished watch reads: each execution's outcome in words, and the verdict that decides
// `watch`'s exit code. No I/O, so the rules are tested on crafted results.

#include <swr/watch.hpp>

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

/// A task that ended in error or was stopped, as the watch reports it. The text is the
/// server's: untrusted, shown escaped.
struct failed_task {
    std::int64_t execution_id = 0;
    std::int64_t id = 0;
    std::string repository;
    std::string status;
    std::string status_text;
};

/// The failed and stopped tasks of each execution, as its latest successful poll listed them
/// (such tasks are terminal: they stay). Fed from on_update; only those tasks are kept.
class failure_log {
public:
    /// For `executions` targets.
    explicit failure_log(std::size_t executions) : by_execution_(executions) {}
    /// Takes the failed and stopped tasks of a successful poll; a failed poll changes nothing.
    void update(const execution_update& u);
    /// Those of the execution at `index` in the targets.
    std::span<const failed_task> of(std::size_t index) const { return by_execution_.at(index); }
    /// Every one, in the targets' order.
    std::vector<failed_task> all() const;

private:
    std::vector<std::vector<failed_task>> by_execution_;
};

/// "1, 2, 3" — at most `max` ids, then "and N more".
std::string id_list(std::span<const std::int64_t> ids, std::size_t max = 20);

}  // namespace swr::cli
