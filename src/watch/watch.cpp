#include "async/deadline.hpp"
#include "async/launch.hpp"
#include "async/worker_group.hpp"
#include "client/client_impl.hpp"
#include "paging/list_all.hpp"
#include "watch/poll_scheduler.hpp"

#include <swr/watch.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <optional>

namespace swr {

std::size_t status_counts::total() const {
    std::size_t n = 0;
    for (auto c : by_state) n += c;
    return n;
}

std::size_t status_counts::terminal() const {
    return (*this)[task_state::success] + (*this)[task_state::error] + (*this)[task_state::stopped];
}

namespace detail {
namespace {

using clock = std::chrono::steady_clock;

struct known_task {
    std::int64_t id;
    task_state state;
    bool operator<(const known_task& o) const { return id < o.id; }
};

struct execution_state {
    std::vector<known_task> known;  // sorted by id; cleared when done
    status_counts counts;
    unsigned polls = 0;
    unsigned failures = 0;
    error_code ec;
    diagnostics diag;
    bool done = false;
    bool final = false;
    bool no_tasks = false;
};

// Merges this poll's tasks (sorted by id) with the previous poll's in one walk: appends what
// changed, and returns the first task of `before` that `now` lacks, if any.
std::optional<std::int64_t> merge(const std::vector<known_task>& before,
                                  const std::vector<known_task>& now,
                                  std::vector<task_change>& changes) {
    std::optional<std::int64_t> gone;
    auto k = before.begin();
    for (const auto& n : now) {
        for (; k != before.end() && k->id < n.id; ++k)
            if (!gone) gone = k->id;
        if (k != before.end() && k->id == n.id) {
            if (k->state != n.state) changes.push_back({n.id, k->state, n.state, false});
            ++k;
        } else {
            changes.push_back({n.id, task_state::unknown, n.state, true});
        }
    }
    if (!gone && k != before.end()) gone = k->id;
    return gone;
}

// How long a worker whose poll was throttled waits before it takes another.
clock::duration throttled_pause(const diagnostics& diag) {
    using std::chrono::milliseconds;
    return std::clamp(diag.retry_after.value_or(milliseconds(1000)), milliseconds(100),
                      milliseconds(60'000));
}

struct watch_state {
    std::shared_ptr<client::impl> c;
    std::vector<watch_target> targets;
    watch_options opts;
    watch_callback cb;
    std::vector<execution_state> execs;
    poll_scheduler sched;
    clock::time_point deadline;
    worker_group* workers = nullptr;  // while the polls run
    error_code failure;  // fails the watch as a whole (a hook threw); stops every worker

    void fail_watch(error_code ec) {
        if (failure) return;
        failure = ec;
        if (workers) workers->cancel_all();
    }

    watch_state(std::shared_ptr<client::impl> ci, std::vector<watch_target> t, watch_options o,
                watch_callback f)
        : c(std::move(ci)),
          targets(std::move(t)),
          opts(o),
          cb(std::move(f)),
          execs(targets.size()),
          sched(targets.size(), o.interval, clock::now()),
          deadline(detail::deadline_after(o.deadline)) {}

    list_tasks_request request_for(const watch_target& t) const {
        list_tasks_request r;
        r.project_id = t.project_id;
        r.instance_id = t.instance_id;
        r.namespace_name = t.namespace_name;
        r.policy_id = t.policy_id;
        r.execution_id = t.execution_id;
        r.call = opts.call;
        return r;
    }

    // Applies one poll's outcome; returns whether the execution is final. A throwing on_update
    // fails the whole watch (errc::callback_failed).
    bool apply(std::size_t i, error_code ec, diagnostics& diag, std::vector<task>& tasks) {
        auto& e = execs[i];
        ++e.polls;
        std::vector<task_change> changes;
        std::vector<known_task> now;
        status_counts counts;
        if (!ec) ec = read_poll(e, tasks, now, counts, changes, diag);
        execution_update u;
        u.index = i;
        u.target = &targets[i];
        u.polls = e.polls;
        if (ec)
            record_failure(e, ec, diag, u);
        else
            record_success(e, counts, std::move(now), tasks, changes, u);
        if (cb)
            if (auto hook_ec = call_hook(cb, u)) fail_watch(hook_ec);
        return e.final;
    }

    // This poll's tasks as ids and states, sorted, with their counts and what changed since the
    // previous poll. Tasks never leave an execution: one that did (a failed one, say) must not
    // vanish from the verdict, so the poll is judged like any listing caught inconsistent.
    static error_code read_poll(const execution_state& e, const std::vector<task>& tasks,
                                std::vector<known_task>& now, status_counts& counts,
                                std::vector<task_change>& changes, diagnostics& diag) {
        now.reserve(tasks.size());
        for (const auto& t : tasks) {
            auto s = t.state();
            now.push_back({t.id, s});
            counts.by_state[static_cast<std::size_t>(s)]++;
        }
        std::sort(now.begin(), now.end());
        auto gone = merge(e.known, now, changes);
        if (!gone) return {};
        diag.message =
            "task " + std::to_string(*gone) + " seen at the previous poll is missing from this one";
        changes.clear();
        return make_error_code(errc::inconsistent_listing);
    }

    // A failed poll: final when not transient, or after max_consecutive_failures in a row.
    void record_failure(execution_state& e, error_code ec, const diagnostics& diag,
                        execution_update& u) const {
        e.ec = ec;
        e.diag = diag;
        ++e.failures;
        // A listing caught changing (or cut short) may be whole at the next poll: transient.
        bool transient =
            is_retryable(ec) || ec == errc::inconsistent_listing || ec == errc::pager_stuck;
        e.final = !transient || e.failures >= opts.max_consecutive_failures;
        u.ec = ec;
        u.diag = &e.diag;
        u.counts = e.counts;
        u.done = e.final;
    }

    // A whole listing: done when every task is terminal; else its tasks kept for the next merge.
    static void record_success(execution_state& e, const status_counts& counts,
                               std::vector<known_task> now, const std::vector<task>& tasks,
                               const std::vector<task_change>& changes, execution_update& u) {
        e.ec = {};
        e.failures = 0;
        e.counts = counts;
        // The listing is whole here (the pager's rules): no task at all is its own outcome,
        // never "all tasks succeeded".
        e.no_tasks = tasks.empty();
        e.done = counts.terminal() == counts.total();
        e.final = e.done;
        if (e.done) {
            e.known.clear();
            e.known.shrink_to_fit();
        } else {
            e.known = std::move(now);
        }
        u.tasks = tasks;
        u.changes = changes;
        u.counts = counts;
        u.done = e.done;
    }

    // Waits until `when` (or the watch's deadline, or cancellation).
    asio::awaitable<void> wait_until(op_state& op, clock::time_point when) {
        asio::steady_timer t(c->strand, std::min(when, deadline));
        scoped_wait wait_scope(op, t);
        co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
    }

    asio::awaitable<void> worker(op_state& op, op_state& main) {
        for (;;) {
            if (main.cancelled || op.cancelled || failure) break;
            auto now = clock::now();
            if (now >= deadline) break;
            auto d = sched.next(now);
            if (std::holds_alternative<poll_scheduler::finished>(d)) break;
            if (auto* w = std::get_if<poll_scheduler::wait_until>(&d)) {
                co_await wait_until(op, w->when);
                continue;
            }
            auto i = std::get<poll_scheduler::poll_now>(d).index;
            std::vector<task> tasks;
            diagnostics diag;
            auto ec = co_await list_all_sequential(*c, request_for(targets[i]), opts.page_size,
                                                   opts.max_tasks, tasks, diag, op);
            if (op.cancelled || main.cancelled || failure) {
                sched.completed(i, now, poll_scheduler::outcome::final);
                break;
            }
            // Throttled after the client's retries: the account's quota, not the execution,
            // is at fault. Not a poll: no failure counted, and its place in the due order kept.
            // This worker backs off (the server's hint, or a second) so that a retry budget run
            // dry does not turn the watch into a loop of 429s.
            if (ec == errc::throttled) {
                sched.completed(i, now, poll_scheduler::outcome::throttled);
                co_await wait_until(op, clock::now() + throttled_pause(diag));
                continue;
            }
            bool final = apply(i, ec, diag, tasks);
            sched.completed(
                i, now, final ? poll_scheduler::outcome::final : poll_scheduler::outcome::polled);
        }
    }

    // The watch's own options; empty when they hold.
    std::string option_rule() const {
        if (opts.max_concurrency < 1) return "max_concurrency: must be at least 1";
        if (opts.page_size < 1 || opts.page_size > max_limit)
            return "page_size: must be between 1 and 100";
        if (opts.max_tasks < 0) return "max_tasks: must not be negative";
        if (auto v = validate(opts.call)) return v.to_string();
        return {};
    }

    // One watch_result per target, in order; `why` (a broken option) fails every one.
    std::vector<watch_result> results(error_code ec, const std::string& why) const {
        std::vector<watch_result> out(targets.size());
        for (std::size_t i = 0; i < out.size(); ++i) {
            const auto& e = execs[i];
            auto& r = out[i];
            r.target = targets[i];
            r.counts = e.counts;
            r.done = e.done;
            r.no_tasks = e.done && e.no_tasks;
            r.polls = e.polls;
            r.diag = e.diag;
            r.ec = e.ec;
            if (!why.empty()) {
                r.ec = ec;
                r.diag.message = why;
            } else if (!e.done && !r.ec) {
                r.ec = ec ? ec : make_error_code(errc::deadline_exceeded);
            }
        }
        return out;
    }
};

// Runs the workers until every execution is final, the deadline passes or the watch is
// cancelled; the watch's error (cancellation, a failed hook), if any. A poll in flight ends with
// the watch: each worker's op has its deadline. Cancelling the watch cancels every worker; every
// worker ends before this frame, which they reference, goes away.
asio::awaitable<error_code> run_workers(std::shared_ptr<watch_state> ws, op_state& st) {
    worker_group workers(ws->c->strand);
    ws->workers = &workers;
    auto n = std::min(ws->opts.max_concurrency, ws->targets.size());
    std::exception_ptr spawn_failed;
    try {
        for (std::size_t w = 0; w < n; ++w)
            workers.spawn(
                ws->deadline,
                [ws, &st](op_state& op) -> asio::awaitable<void> { co_await ws->worker(op, st); },
                [ws](std::exception_ptr e) { ws->fail_watch(error_from_exception(e)); });
    } catch (...) {
        spawn_failed = std::current_exception();
        workers.cancel_all();
    }
    co_await workers.wait(st);
    ws->workers = nullptr;
    if (spawn_failed) std::rethrow_exception(spawn_failed);
    if (st.cancelled) co_return asio::error::operation_aborted;
    co_return ws->failure;
}

}  // namespace

void do_watch(client& cl, std::vector<watch_target> targets, watch_options opts, watch_callback cb,
              asio::any_completion_handler<void(error_code, std::vector<watch_result>)> handler) {
    const auto& impl = detail::client_access::impl(cl);
    auto ws = std::make_shared<watch_state>(impl, std::move(targets), opts, std::move(cb));
    launch<std::vector<watch_result>>(
        impl, std::move(handler),
        [ws](op_state& st) -> asio::awaitable<std::pair<error_code, std::vector<watch_result>>> {
            error_code ec;
            const auto why = ws->option_rule();
            if (!why.empty())
                ec = make_error_code(errc::invalid_request);
            else
                ec = co_await run_workers(ws, st);
            co_return std::pair{ec, ws->results(ec, why)};
        });
}

}  // namespace detail
}  // namespace swr
