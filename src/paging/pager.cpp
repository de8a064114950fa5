#include "async/launch.hpp"
#include "client/client_impl.hpp"
#include "paging/pager_fsm.hpp"

#include <swr/pager.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace swr {

using detail::op_state;

struct pager::state : std::enable_shared_from_this<pager::state> {
    std::shared_ptr<swr::client::impl> cli;
    list_tasks_request req;
    pager_options opts;
    detail::pager_fsm fsm;
    diagnostics diag;
    error_code terminal;
    bool busy = false;

    // Read-ahead: at most one page in flight beyond the one handed out.
    struct prefetch {
        bool running = false;
        bool ready = false;
        std::int64_t offset = 0;
        error_code ec;
        page p;
        diagnostics diag;
        std::shared_ptr<op_state> op;
        asio::steady_timer* waiter = nullptr;
    } pf;

    state(std::shared_ptr<swr::client::impl> c, list_tasks_request r, pager_options o)
        : cli(std::move(c)),
          req(std::move(r)),
          opts(o),
          fsm(o.page_size, req.offset.value_or(0), o.max_tasks, req.execution_id) {}

    list_tasks_request request_at(std::int64_t offset) const {
        auto r = req;
        r.offset = offset;
        r.limit = opts.page_size;
        return r;
    }

    void start_prefetch(std::int64_t offset) {
        pf = prefetch{};
        pf.running = true;
        pf.offset = offset;
        pf.op = std::make_shared<op_state>();
        asio::co_spawn(
            cli->strand,
            [self = shared_from_this(), offset]() -> asio::awaitable<void> {
                auto& f = self->pf;
                auto op = f.op;
                page p;
                diagnostics d;
                error_code ec;
                try {
                    ec = co_await self->cli->fetch_page(self->request_at(offset), p, d, *op);
                } catch (...) {
                    ec = detail::error_from_exception(std::current_exception());
                }
                if (op != self->pf.op) co_return;  // superseded
                f.ec = ec;
                f.p = std::move(p);
                f.diag = std::move(d);
                f.ready = true;
                if (f.waiter) f.waiter->cancel();
            },
            asio::detached);
    }

    asio::awaitable<std::pair<error_code, std::optional<page>>> next(op_state& st) {
        for (;;) {
            if (terminal) co_return std::pair{terminal, std::optional<page>{}};
            auto off = fsm.next_offset();
            if (!off) co_return std::pair{error_code{}, std::optional<page>{}};

            page p;
            error_code ec;
            if (pf.running && pf.offset == *off) {
                if (!pf.ready) {
                    asio::steady_timer wake(cli->strand,
                                            std::chrono::steady_clock::time_point::max());
                    pf.waiter = &wake;
                    {
                        detail::scoped_wait wait_scope(st, wake);
                        co_await wake.async_wait(asio::as_tuple(asio::use_awaitable));
                    }
                    pf.waiter = nullptr;
                }
                if (st.cancelled) {
                    if (pf.op) pf.op->cancel();
                    pf = {};
                    ec = asio::error::operation_aborted;
                } else {
                    ec = pf.ec;
                    p = std::move(pf.p);
                    diag = std::move(pf.diag);
                    pf = {};
                }
            } else {
                ec = co_await cli->fetch_page(request_at(*off), p, diag, st);
            }
            if (ec) {
                fsm.on_error();
                terminal = ec;
                co_return std::pair{ec, std::optional<page>{}};
            }
            auto r = fsm.on_page(std::move(p));
            switch (r.v) {
                case detail::pager_fsm::verdict::deliver:
                    if (opts.read_ahead)
                        if (auto n = fsm.next_offset()) start_prefetch(*n);
                    co_return std::pair{error_code{}, std::optional<page>(std::move(r.delivered))};
                case detail::pager_fsm::verdict::done:
                    co_return std::pair{error_code{}, std::optional<page>{}};
                case detail::pager_fsm::verdict::failed:
                    terminal = fsm.error();
                    diag.message = fsm.message();
                    co_return std::pair{terminal, std::optional<page>{}};
            }
        }
    }
};

pager::pager(std::shared_ptr<state> s) : st_(std::move(s)) {}
pager::pager(pager&&) noexcept = default;
pager& pager::operator=(pager&&) noexcept = default;
pager::~pager() {
    if (!st_) return;
    // The read-ahead lives on the strand: look at it there (a pager may die on any thread).
    auto strand = st_->cli->strand;
    auto stop_read_ahead = [s = std::move(st_)] {
        if (s->pf.op) s->pf.op->cancel();
    };
    if (detail::running_in(strand))
        stop_read_ahead();
    else
        asio::post(strand, std::move(stop_read_ahead));
}

std::optional<std::int64_t> pager::total() const { return st_->fsm.total(); }
const pager_report& pager::report() const { return st_->fsm.report(); }
const diagnostics& pager::last_diagnostics() const { return st_->diag; }

void pager::do_next(diagnostics* diag,
                    asio::any_completion_handler<void(error_code, std::optional<page>)> handler) {
    detail::launch<std::optional<page>>(
        st_->cli, std::move(handler),
        [s = st_,
         diag](op_state& op) -> asio::awaitable<std::pair<error_code, std::optional<page>>> {
            std::pair<error_code, std::optional<page>> r;
            if (s->busy) {
                // The running one's state and diagnostics are left alone.
                r.first = make_error_code(errc::pager_busy);
                if (diag) diag->message = "pager: one async_next() at a time";
                co_return r;
            }
            s->busy = true;
            try {
                r = co_await s->next(op);
            } catch (...) {
                // A hook threw mid-page: the listing cannot go on, like any other error.
                r = {detail::error_from_exception(std::current_exception()), std::nullopt};
                s->fsm.on_error();
                s->terminal = r.first;
            }
            s->busy = false;
            if (diag) *diag = s->diag;
            co_return r;
        });
}

pager client::list_tasks_pages(list_tasks_request req) {
    return list_tasks_pages(std::move(req), {});
}

pager client::list_tasks_pages(list_tasks_request req, const pager_options& opts) {
    // Bad options surface as the first async_next()'s error, naming the option.
    std::string why;
    error_code ec;
    auto o = opts;
    if ((ec = detail::resolve_page_size(req, opts.page_size, o.page_size, why))) {
        o.page_size = max_limit;
    } else if (req.offset && (*req.offset < 0 || *req.offset % o.page_size != 0)) {
        ec = make_error_code(errc::invalid_request);
        why = "offset: must be 0 or a multiple of page_size";
    }
    auto s = std::make_shared<pager::state>(impl_, std::move(req), o);
    s->terminal = ec;
    s->diag.message = std::move(why);
    return pager(std::move(s));
}

}  // namespace swr
