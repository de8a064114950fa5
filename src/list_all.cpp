#include "list_all.hpp"

#include "pager_fsm.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unordered_set>

namespace swr::detail {

asio::awaitable<error_code> list_all_sequential(client::impl& c, const list_tasks_request& req,
                                                std::int64_t page_size, std::int64_t start_offset,
                                                std::vector<task>& out, diagnostics& diag,
                                                op_state& st) {
    pager_fsm fsm(page_size, start_offset);
    auto r = req;
    r.limit = page_size;
    while (auto off = fsm.next_offset()) {
        r.offset = *off;
        page p;
        if (auto ec = co_await c.fetch_page(r, p, diag, st)) co_return ec;
        auto res = fsm.on_page(std::move(p));
        if (res.v == pager_fsm::verdict::stuck) {
            diag.message = fsm.stuck_message();
            co_return make_error_code(errc::pager_stuck);
        }
        for (auto& t : res.delivered.tasks) out.push_back(std::move(t));
    }
    co_return error_code{};
}

asio::awaitable<error_code> list_all_parallel(client::impl& c, const list_tasks_request& req,
                                              const list_all_options& opts, std::vector<task>& out,
                                              diagnostics& diag, op_state& st) {
    if (opts.page_size < 1 || opts.page_size > max_limit) {
        diag.message = "page_size: must be between 1 and 100";
        co_return make_error_code(errc::invalid_request);
    }
    if (opts.max_in_flight < 1) {
        diag.message = "max_in_flight: must be at least 1";
        co_return make_error_code(errc::invalid_request);
    }
    const auto ps = opts.page_size;
    auto r = req;
    r.offset = 0;
    r.limit = ps;
    page first;
    if (auto ec = co_await c.fetch_page(r, first, diag, st)) co_return ec;
    if (!first.has_total) {
        // Without a total nothing can be fanned out: fall back to the sequential rules.
        out = std::move(first.tasks);
        if (static_cast<std::int64_t>(out.size()) < ps) co_return error_code{};
        co_return co_await list_all_sequential(c, req, ps, ps, out, diag, st);
    }

    const std::size_t pages_total = static_cast<std::size_t>((first.total + ps - 1) / ps);
    std::vector<std::optional<page>> pages(std::max<std::size_t>(pages_total, 1));
    pages[0] = std::move(first);
    std::size_t next = 1, done_pages = 1, running = 0, tasks_done = pages[0]->tasks.size();
    error_code failure;
    diagnostics failure_diag;
    if (opts.on_progress) opts.on_progress(done_pages, pages.size(), tasks_done);

    // Workers pull page numbers; the first failure cancels the others. A timer wakes the caller
    // when the last worker ends.
    asio::steady_timer all_done(c.strand, std::chrono::steady_clock::time_point::max());
    std::vector<std::shared_ptr<op_state>> ops;
    auto worker_count = std::min(opts.max_in_flight, pages.size() - 1);
    auto cancel_all = [&] {
        for (auto& o : ops) o->cancel();
    };
    for (std::size_t w = 0; w < worker_count; ++w) {
        auto op = std::make_shared<op_state>();
        ops.push_back(op);
        ++running;
        asio::co_spawn(
            c.strand,
            [&, op]() -> asio::awaitable<void> {
                while (!failure && !st.cancelled && next < pages.size()) {
                    auto idx = next++;
                    auto rr = req;
                    rr.offset = static_cast<std::int64_t>(idx) * ps;
                    rr.limit = ps;
                    page p;
                    diagnostics d;
                    if (auto ec = co_await c.fetch_page(rr, p, d, *op)) {
                        if (!failure) {
                            failure = ec;
                            failure_diag = std::move(d);
                            cancel_all();
                        }
                        break;
                    }
                    tasks_done += p.tasks.size();
                    pages[idx] = std::move(p);
                    ++done_pages;
                    if (opts.on_progress) opts.on_progress(done_pages, pages.size(), tasks_done);
                }
                if (--running == 0) all_done.cancel();
            },
            asio::detached);
    }
    if (running > 0) {
        // The caller's cancellation reaches the workers through this hook.
        st.waiting = &all_done;
        co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
        st.waiting = nullptr;
        if (st.cancelled) {
            cancel_all();
            // Let every worker finish before the frame that they reference goes away.
            while (running > 0) {
                all_done.expires_at(std::chrono::steady_clock::time_point::max());
                co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
            }
            co_return asio::error::operation_aborted;
        }
    }
    if (failure) {
        diag = std::move(failure_diag);
        co_return failure;
    }

    // In order, without duplicates; a total that grew while listing is followed sequentially.
    std::unordered_set<std::int64_t> seen;
    out.clear();
    out.reserve(tasks_done);
    std::int64_t latest_total = pages[0]->total;
    for (auto& p : pages) {
        if (!p) continue;
        latest_total = p->total;
        for (auto& t : p->tasks)
            if (seen.insert(t.id).second) out.push_back(std::move(t));
    }
    for (auto off = static_cast<std::int64_t>(pages.size()) * ps; off < latest_total; off += ps) {
        auto rr = req;
        rr.offset = off;
        rr.limit = ps;
        page p;
        if (auto ec = co_await c.fetch_page(rr, p, diag, st)) co_return ec;
        if (p.tasks.empty()) break;
        latest_total = p.total;
        for (auto& t : p.tasks)
            if (seen.insert(t.id).second) out.push_back(std::move(t));
    }
    co_return error_code{};
}

}  // namespace swr::detail

namespace swr {

void client::do_list_all(
    list_tasks_request req, list_all_options opts, diagnostics* diag,
    asio::any_completion_handler<void(error_code, std::vector<task>)> handler) {
    auto st = std::make_shared<detail::op_state>();
    detail::bind_cancellation(asio::get_associated_cancellation_slot(handler), impl_->strand, st);
    asio::co_spawn(
        impl_->strand,
        [i = impl_, st, req = std::move(req), opts = std::move(opts), diag,
         h = std::move(handler)]() mutable -> asio::awaitable<void> {
            diagnostics local;
            std::vector<task> tasks;
            auto ec =
                co_await detail::list_all_parallel(*i, req, opts, tasks, diag ? *diag : local, *st);
            if (ec) tasks.clear();
            auto slot = asio::get_associated_cancellation_slot(h);
            if (slot.is_connected()) slot.clear();
            i->complete(std::move(h), ec, std::move(tasks));
        },
        asio::detached);
}

}  // namespace swr
