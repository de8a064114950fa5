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

asio::awaitable<error_code> list_all_parallel(client::impl& c, const list_tasks_request& req,
                                              const list_all_options& opts, std::vector<task>& out,
                                              diagnostics& diag, op_state& st) {
    std::int64_t ps = 0;
    if (auto ec = resolve_page_size(req, opts.page_size, ps, diag.message)) co_return ec;
    if (req.offset.value_or(0) != 0) {
        diag.message = "offset: list-all starts at offset 0; use the pager to start elsewhere";
        co_return make_error_code(errc::invalid_request);
    }
    if (opts.max_in_flight < 1) {
        diag.message = "max_in_flight: must be at least 1";
        co_return make_error_code(errc::invalid_request);
    }
    if (opts.max_tasks < 0) {
        diag.message = "max_tasks: must not be negative";
        co_return make_error_code(errc::invalid_request);
    }
    if (opts.deadline.count() < 0) {
        diag.message = "deadline: must not be negative";
        co_return make_error_code(errc::invalid_request);
    }
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
    const auto pages_total = static_cast<std::size_t>(total / ps + (total % ps != 0));
    std::vector<std::optional<page>> pages(pages_total);
    std::size_t next = 1, done_pages = 1, tasks_done = out.size();
    error_code failure;
    diagnostics failure_diag;
    auto fail = [&](error_code ec, diagnostics d) {
        if (failure) return;
        failure = ec;
        failure_diag = std::move(d);
    };
    if (opts.on_progress)
        if (auto ec = call_hook(opts.on_progress, done_pages, pages_total, tasks_done))
            co_return ec;
    // What a page must hold to fit the listing page 1 announced; empty when it fits.
    auto misfit = [&](const page& p, std::int64_t offset) -> std::string {
        auto why = total_change(total, p.total);
        if (why.empty())
            why = count_misfit(static_cast<std::int64_t>(p.tasks.size()), total, offset, ps);
        return why.empty() ? why : listing_message(offset, why, tasks_done, total);
    };

    // Workers pull page numbers; the first failure cancels the others. Every worker ends
    // before this frame, which they reference, goes away; the caller's cancellation reaches
    // them through the group.
    worker_group workers(c.strand);
    auto worker_count = std::min(opts.max_in_flight, pages_total - 1);
    std::exception_ptr spawn_failed;
    try {
        for (std::size_t w = 0; w < worker_count; ++w)
            workers.spawn(
                st.deadline,
                [&](op_state& op) -> asio::awaitable<void> {
                    while (!failure && !st.cancelled && next < pages_total) {
                        auto idx = next++;
                        auto rr = req;
                        rr.offset = static_cast<std::int64_t>(idx) * ps;
                        rr.limit = ps;
                        page p;
                        diagnostics d;
                        if (auto ec = co_await c.fetch_page(rr, p, d, op)) {
                            fail(ec, std::move(d));
                            break;
                        }
                        // A page that cannot fit the listing stops the others at once: a server
                        // claiming a huge total costs a few requests, not one per page.
                        if (auto why = misfit(p, *rr.offset); !why.empty()) {
                            d.message = std::move(why);
                            fail(make_error_code(errc::inconsistent_listing), std::move(d));
                            break;
                        }
                        tasks_done += p.tasks.size();
                        pages[idx] = std::move(p);
                        ++done_pages;
                        if (opts.on_progress)
                            if (auto ec = call_hook(opts.on_progress, done_pages, pages_total,
                                                    tasks_done)) {
                                fail(ec, {});
                                break;
                            }
                    }
                    if (failure) workers.cancel_all();
                },
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
    if (failure) {
        diag = std::move(failure_diag);
        co_return failure;
    }

    // The same rules as the pager, page by page in order: the listing is whole or an error.
    out.reserve(static_cast<std::size_t>(total));
    for (std::size_t idx = 1; idx < pages_total; ++idx) {
        auto v = fsm.on_page(std::move(*pages[idx]));
        pages[idx].reset();
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
