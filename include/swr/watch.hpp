#pragma once
// swr::async_watch — polls many executions at once until every task of each is terminal.
//
// The contract:
// - Each execution is listed in full (every page) once per poll; it is polled again no sooner
//   than watch_options::interval after its previous poll started, until all its tasks are
//   terminal (success, error, stopped), its error is final, or the watch deadline passes.
// - At most watch_options::max_concurrency polls run at once, over the client's pool.
// - on_update is called on the client's strand after every poll of every execution, with the
//   execution's current tasks and what changed since its previous poll. The tasks are valid only
//   during the call.
// - One execution's failure never stops the others. A non-retryable error (404, 401, ...) is
//   final for that execution; a transient one (retryable errors, and a listing caught
//   inconsistent) is tried again at the next interval, and becomes final after
//   watch_options::max_consecutive_failures in a row.
// - Executions are polled in the order they fall due, so when polls cannot keep up (the
//   account's quota, client_options::rate) each waits about as long as the others and none
//   starves. A poll still throttled (429) after the client's retries is not a poll: no
//   on_update, no failure counted, and the execution keeps its place in the due order; the
//   worker that got it waits the 429's Retry-After (or a second) before its next poll. A
//   service that throttles for good is bounded by watch_options::deadline.
// - Each poll is a whole listing by the pager's rules, or an error: a short or empty listing
//   under a larger `total` is never success. An execution with no tasks at all is done with
//   watch_result::no_tasks, which is not success.
// - Unknown statuses (task_state::unknown) are not terminal: such an execution is polled until
//   they change or watch_options::deadline passes (then deadline_exceeded).
// - An exception from on_update (or another hook) ends the watch with errc::callback_failed.
// - Memory: between polls an execution keeps only its task ids and states (16 bytes a task) and
//   a done execution keeps only its counts; no coroutine sits idle per execution.
// - The handler receives one watch_result per target, in the order given.

#include <swr/client.hpp>
#include <swr/detail/watch_initiation.hpp>
#include <swr/error.hpp>
#include <swr/model.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace swr {

/// One execution to watch. `project_id` empty: the client's.
struct watch_target {
    std::string instance_id;        ///< SWR Enterprise Edition instance.
    std::string namespace_name;     ///< Namespace.
    std::int64_t policy_id = 0;     ///< Signing policy.
    std::int64_t execution_id = 0;  ///< Execution of the policy.
    std::string project_id;         ///< Project; empty: the client's.
};

/// How to watch.
struct watch_options {
    std::chrono::milliseconds interval{5000};  ///< Minimum time between two polls of one execution.
    std::size_t max_concurrency = 16;          ///< Polls in flight at once. >= 1.
    std::chrono::milliseconds deadline{0};     ///< The whole watch; 0: none.
    std::int64_t page_size = max_limit;        ///< Tasks per request, 1..100.
    unsigned max_consecutive_failures = 3;  ///< Transient failures in a row that end one execution.
    /// An execution whose `total` is above this fails with errc::too_many_tasks.
    std::int64_t max_tasks = 1'000'000;
    /// Bounds of every request the watch sends (deadline, attempts, request timeout); unset
    /// fields: the client's.
    call_options call;
};

/// Tasks per state.
struct status_counts {
    std::array<std::size_t, 7> by_state{};  ///< Indexed by task_state.
    /// Tasks in state `s`.
    std::size_t operator[](task_state s) const { return by_state[static_cast<std::size_t>(s)]; }
    /// All tasks.
    std::size_t total() const;
    /// Tasks in a terminal state (success, error, stopped).
    std::size_t terminal() const;
    /// Equal counts.
    bool operator==(const status_counts&) const = default;
};

/// A task whose state changed since the previous poll (or appeared: `before` is unknown and
/// `is_new` is true).
struct task_change {
    std::int64_t task_id = 0;                 ///< The task.
    task_state before = task_state::unknown;  ///< State at the previous poll.
    task_state after = task_state::unknown;   ///< State now.
    bool is_new = false;                      ///< Not seen at the previous poll.
};

/// One poll of one execution, as on_update sees it.
struct execution_update {
    std::size_t index = 0;                 ///< Position in the targets.
    const watch_target* target = nullptr;  ///< The execution.
    error_code ec;                         ///< This poll's failure, if any.
    const diagnostics* diag = nullptr;     ///< Details of the failure.
    std::span<const task> tasks;           ///< Current tasks (empty on failure).
    std::span<const task_change> changes;  ///< Since the previous poll.
    status_counts counts;  ///< Tasks per state (at the last successful poll, on failure).
    bool done = false;     ///< Final: all tasks terminal, or a final error.
    unsigned polls = 0;    ///< Polls of this execution so far.
};

/// How one execution ended.
struct watch_result {
    watch_target target;    ///< The execution.
    error_code ec;          ///< Final error of this execution; deadline_exceeded if it ran out.
    diagnostics diag;       ///< Details of `ec`.
    status_counts counts;   ///< At the last successful poll.
    bool done = false;      ///< All tasks terminal (or the execution has no tasks at all).
    bool no_tasks = false;  ///< The execution was listed in full and has no tasks: its own outcome.
    unsigned polls = 0;     ///< Polls made.
    /// True when done, with at least one task, and no task ended in error or stopped.
    bool succeeded() const {
        return done && !ec && !no_tasks && counts.total() > 0 && counts[task_state::error] == 0 &&
               counts[task_state::stopped] == 0;
    }
};

using watch_callback = std::function<void(const execution_update&)>;

/// Watches every target until done (see the contract above).
///
/// Handler: `void(error_code, std::vector<watch_result>)`; the error_code is for the watch as a
/// whole (invalid options, cancellation); per-execution errors are in the results.
/// Lifetime: the client must outlive the operation; targets and the callback are moved in.
/// Executor: on_update runs on the client's strand; the handler on its associated executor.
/// Cancellation: terminal; polls in flight are cancelled, the handler gets `operation_aborted`
/// and the results so far.
template <class CompletionToken = boost::asio::deferred_t>
auto async_watch(client& c, std::vector<watch_target> targets, watch_options opts,
                 watch_callback on_update, CompletionToken&& token = {}) {
    return boost::asio::async_initiate<CompletionToken,
                                       void(error_code, std::vector<watch_result>)>(
        detail::watch_initiation{c}, token, std::move(targets), opts, std::move(on_update));
}

}  // namespace swr
