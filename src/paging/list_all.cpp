#include "paging/list_all.hpp"

#include "async/deadline.hpp"
#include "async/launch.hpp"
#include "async/worker_group.hpp"
#include "paging/pager_fsm.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace swr::detail {

namespace {

/// Feeds pages to `fsm` one request after another until it is done or fails.
asio::awaitable<error_code> continue_sequential(client::impl& c, const list_tasks_request& req,
                                                pager_fsm& fsm, std::vector<task>& out,
                                                diagnostics& diag, op_state& st) {
    auto r = req;
    r.limit = fsm.page_size();
    while (auto off = fsm.next_offset()) {
        r.offset = *off;
        page p;
        if (auto ec = co_await c.fetch_page(r, p, diag, st)) co_return ec;
        auto res = fsm.on_page(std::move(p));
        if (res.v == pager_fsm::verdict::failed) {
            diag.message = fsm.message();
            co_return fsm.error();
        }
        for (auto& t : res.delivered.tasks) out.push_back(std::move(t));
    }
    co_return error_code{};
}

}  // namespace

asio::awaitable<error_code> list_all_sequential(client::impl& c, const list_tasks_request& req,
                                                std::int64_t page_size, std::int64_t max_tasks,
                                                std::vector<task>& out, diagnostics& diag,
                                                op_state& st) {
    pager_fsm fsm(page_size, 0, max_tasks, req.execution_id);
    co_return co_await continue_sequential(c, req, fsm, out, diag, st);
}

namespace {

/// The options' rules, each error naming the field.
error_code check_list_all_options(const list_tasks_request& req, const list_all_options& opts,
                                  std::string& message) {
    auto invalid = [&](std::string why) {
        message = std::move(why);
        return make_error_code(errc::invalid_request);
    };
    if (req.offset.value_or(0) != 0)
        return invalid("offset: list-all starts at offset 0; use the pager to start elsewhere");
    if (opts.max_in_flight < 1) return invalid("max_in_flight: must be at least 1");
    if (opts.max_tasks < 0) return invalid("max_tasks: must not be negative");
    if (opts.deadline.count() < 0) return invalid("deadline: must not be negative");
    return {};
}

/// Pages 2..n of a listing whose first page said `total`: fetched by a fixed set of workers
/// (`max_in_flight`), each checked against the listing on arrival, kept by index. The first
/// failure stops the others.
class fan_out {
public:
    fan_out(client::impl& c, const list_tasks_request& req, const list_all_options& opts,
            std::int64_t page_size, std::int64_t total, std::size_t tasks_done)
        : c_(c),
          req_(req),
          opts_(opts),
          ps_(page_size),
          total_(total),
          pages_(static_cast<std::size_t>(total / page_size + (total % page_size != 0))),
          tasks_done_(tasks_done) {}

    std::size_t page_count() const { return pages_.size(); }

    /// Every worker ends before this returns (they reference this object); the caller's
    /// cancellation reaches them through the group.
    asio::awaitable<error_code> run(diagnostics& diag, op_state& st) {
        if (opts_.on_progress)
            if (auto ec = call_hook(opts_.on_progress, done_pages_, pages_.size(), tasks_done_))
                co_return ec;
        worker_group workers(c_.strand);
        const auto count = std::min(opts_.max_in_flight, pages_.size() - 1);
        std::exception_ptr spawn_failed;
        try {
            for (std::size_t w = 0; w < count; ++w)
                workers.spawn(
                    st.deadline, [&](op_state& op) { return work(op, st, workers); },
                    [&](std::exception_ptr e) {
                        fail(error_from_exception(std::move(e)), {});
                        workers.cancel_all();
                    });
        } catch (...) {
            spawn_failed = std::current_exception();
            workers.cancel_all();
        }
        co_await workers.wait(st);
        if (spawn_failed) std::rethrow_exception(spawn_failed);
        if (st.cancelled) co_return asio::error::operation_aborted;
        if (failure_) diag = std::move(failure_diag_);
        co_return failure_;
    }

    /// Page `idx` (after run() succeeded); handed over once.
    page take(std::size_t idx) {
        page p = std::move(*pages_[idx]);
        pages_[idx].reset();
        return p;
    }

private:
    /// One worker: pulls page numbers until none are left or the listing failed.
    asio::awaitable<void> work(op_state& op, const op_state& st, worker_group& workers) {
        while (!failure_ && !st.cancelled && next_ < pages_.size()) {
            auto idx = next_++;
            auto r = req_;
            r.offset = static_cast<std::int64_t>(idx) * ps_;
            r.limit = ps_;
            page p;
            diagnostics d;
            if (auto ec = co_await c_.fetch_page(r, p, d, op)) {
                fail(ec, std::move(d));
                break;
            }
            // A page that cannot fit the listing stops the others at once: a server claiming a
            // huge total costs a few requests, not one per page.
            if (auto why = misfit(p, *r.offset); !why.empty()) {
                d.message = std::move(why);
                fail(make_error_code(errc::inconsistent_listing), std::move(d));
                break;
            }
            tasks_done_ += p.tasks.size();
            pages_[idx] = std::move(p);
            ++done_pages_;
            if (opts_.on_progress)
                if (auto ec =
                        call_hook(opts_.on_progress, done_pages_, pages_.size(), tasks_done_)) {
                    fail(ec, {});
                    break;
                }
        }
        if (failure_) workers.cancel_all();
    }

    /// Why page `p` at `offset` cannot belong to the listing page 1 announced; empty if it can.
    std::string misfit(const page& p, std::int64_t offset) const {
        auto why = total_change(total_, p.total);
        if (why.empty())
            why = count_misfit(static_cast<std::int64_t>(p.tasks.size()), total_, offset, ps_);
        return why.empty() ? why : listing_message(offset, why, tasks_done_, total_);
    }

    void fail(error_code ec, diagnostics d) {
        if (failure_) return;
        failure_ = ec;
        failure_diag_ = std::move(d);
    }

    client::impl& c_;
    const list_tasks_request& req_;
    const list_all_options& opts_;
    const std::int64_t ps_;
    const std::int64_t total_;
    std::vector<std::optional<page>> pages_;
    std::size_t next_ = 1, done_pages_ = 1, tasks_done_;
    error_code failure_;
    diagnostics failure_diag_;
};

}  // namespace

asio::awaitable<error_code> list_all_parallel(client::impl& c, const list_tasks_request& req,
                                              const list_all_options& opts, std::vector<task>& out,
                                              diagnostics& diag, op_state& st) {
    std::int64_t ps = 0;
    if (auto ec = resolve_page_size(req, opts.page_size, ps, diag.message)) co_return ec;
    if (auto ec = check_list_all_options(req, opts, diag.message)) co_return ec;
    if (opts.deadline.count() > 0)
        st.deadline = std::min(st.deadline, detail::deadline_after(opts.deadline));
    pager_fsm fsm(ps, 0, opts.max_tasks, req.execution_id);
    auto r = req;
    r.offset = 0;
    r.limit = ps;
    page first;
    if (auto ec = co_await c.fetch_page(r, first, diag, st)) co_return ec;
    const bool has_total = first.total.has_value();
    auto res = fsm.on_page(std::move(first));
    if (res.v == pager_fsm::verdict::failed) {
        diag.message = fsm.message();
        co_return fsm.error();
    }
    out = std::move(res.delivered.tasks);
    // Without a total nothing can be fanned out: the rest follows one page after another.
    if (!has_total) co_return co_await continue_sequential(c, req, fsm, out, diag, st);
    if (!fsm.next_offset()) co_return error_code{};

    // The fsm accepted `total` (0 <= total <= max_tasks), so the page count cannot overflow.
    const auto total = *fsm.total();
    fan_out rest(c, req, opts, ps, total, out.size());
    if (auto ec = co_await rest.run(diag, st)) co_return ec;

    // The same rules as the pager, page by page in order: the listing is whole or an error.
    out.reserve(static_cast<std::size_t>(total));
    for (std::size_t idx = 1; idx < rest.page_count(); ++idx) {
        auto v = fsm.on_page(rest.take(idx));
        if (v.v == pager_fsm::verdict::failed) {
            diag.message = fsm.message();
            co_return fsm.error();
        }
        for (auto& t : v.delivered.tasks) out.push_back(std::move(t));
    }
    if (fsm.next_offset() || out.size() != static_cast<std::size_t>(total)) {
        diag.message =
            "received " + std::to_string(out.size()) + " of " + std::to_string(total) + " tasks";
        co_return make_error_code(errc::inconsistent_listing);
    }
    co_return error_code{};
}

}  // namespace swr::detail

namespace swr {

void client::do_list_all(
    list_tasks_request req, list_all_options opts, diagnostics* diag,
    asio::any_completion_handler<void(error_code, std::vector<task>)> handler) {
    detail::launch<std::vector<task>>(
        impl_, std::move(handler),
        [i = impl_, req = std::move(req), opts = std::move(opts),
         diag](detail::op_state& st) -> asio::awaitable<std::pair<error_code, std::vector<task>>> {
            diagnostics local;
            std::vector<task> tasks;
            auto ec =
                co_await detail::list_all_parallel(*i, req, opts, tasks, diag ? *diag : local, st);
            if (ec) tasks.clear();
            co_return std::pair{ec, std::move(tasks)};
        });
}

}  // namespace swr
