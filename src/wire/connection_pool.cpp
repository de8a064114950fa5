#include "wire/connection_pool.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace swr::detail {

using std::chrono::steady_clock;

namespace {
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
}

void connection_pool::close_idle() {
    open_ -= idle_.size();
    idle_.clear();
}

bool connection_pool::try_acquire(std::unique_ptr<connection>& out) {
    auto now = steady_clock::now();
    while (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        // Bytes that arrived while idle answer no request of ours: never read them as one.
        if (!c->has_unread() &&
            (opts_.idle_timeout.count() == 0 || now - c->idle_since() < opts_.idle_timeout)) {
            out = std::move(c);
            return true;
        }
        --open_;  // too old: the server may have dropped it already
    }
    if (open_ < opts_.max_connections) {
        ++open_;
        out = make();
        return true;
    }
    return false;
}

asio::awaitable<error_code> connection_pool::acquire(std::unique_ptr<connection>& out, op_state& st,
                                                     steady_clock::time_point deadline) {
    // Wait in line; release() hands the slot over directly.
    asio::steady_timer timer(strand_, deadline);
    waiter w{&timer, nullptr, false};
    waiters_.push_back(&w);
    {
        scoped_wait wait_scope(st, timer);
        co_await timer.async_wait(use_tuple);
    }
    if (w.granted) {
        out = std::move(w.conn);
        if (st.cancelled) {
            release(std::move(out), true);
            co_return make_error_code(asio::error::operation_aborted);
        }
        co_return error_code{};
    }
    std::erase(waiters_, &w);
    co_return st.cancelled ? error_code(asio::error::operation_aborted)
                           : make_error_code(errc::deadline_exceeded);
}

void connection_pool::release(std::unique_ptr<connection> c, bool reusable) {
    if (!reusable) c.reset();
    if (!waiters_.empty()) {
        auto* w = waiters_.front();
        waiters_.pop_front();
        w->conn = c ? std::move(c) : make();
        w->granted = true;
        w->timer->cancel();
        return;
    }
    if (c) {
        c->mark_idle();
        idle_.push_back(std::move(c));
    } else {
        --open_;
    }
}

}  // namespace swr::detail
