#pragma once
// Fan-out on the client's strand, written once: workers spawned with an op_state each, cancelled
// together, and waited for by the operation that spawned them (which the workers reference, so
// it must not end before they do). List-all and watch use it. Strand only.

#include "async/op_state.hpp"
#include "async/strand.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <exception>
#include <memory>
#include <vector>

namespace swr::detail {

class worker_group {
public:
    using clock = std::chrono::steady_clock;

    explicit worker_group(detail::strand_executor strand)
        : strand_(strand), done_(strand, clock::time_point::max()) {}
    worker_group(const worker_group&) = delete;
    worker_group& operator=(const worker_group&) = delete;

    /// Starts `body(op_state&)` (returning awaitable<void>) on the strand with an op_state of
    /// its own, bounded by `deadline`; an exception escaping it goes to `on_error`.
    template <class Body, class OnError>
    void spawn(clock::time_point deadline, Body body, OnError on_error) {
        auto op = std::make_shared<op_state>();
        op->deadline = deadline;
        ops_.push_back(op);
        ++running_;
        try {
            spawn_one(op, std::move(body), std::move(on_error));
        } catch (...) {  // nothing started: nothing to wait for
            --running_;
            ops_.pop_back();
            throw;
        }
    }

    /// Cancels every worker (each ends at its next step).
    void cancel_all() {
        for (auto& op : ops_) op->cancel();
    }

    /// Returns once every worker has ended; cancelling `st` meanwhile cancels them all. A
    /// spawning loop that throws must still come here (cancel_all() first): the workers
    /// already running reference its frame.
    asio::awaitable<void> wait(op_state& st) {
        while (running_ > 0) {
            {
                scoped_wait wait_scope(st, done_);
                co_await done_.async_wait(asio::as_tuple(asio::use_awaitable));
            }
            if (st.cancelled) cancel_all();
            done_.expires_at(clock::time_point::max());
        }
    }

private:
    template <class Body, class OnError>
    void spawn_one(std::shared_ptr<op_state> op, Body body, OnError on_error) {
        asio::co_spawn(
            strand_,
            [this, op, body = std::move(body),
             on_error = std::move(on_error)]() mutable -> asio::awaitable<void> {
                // However the worker ends, the group hears of it.
                struct ended {
                    worker_group& g;
                    ~ended() {
                        if (--g.running_ == 0) g.done_.cancel();
                    }
                } end{*this};
                try {
                    co_await body(*op);
                } catch (...) {
                    try {
                        on_error(std::current_exception());
                    } catch (...) {
                        cancel_all();
                    }
                }
            },
            asio::detached);
    }

    detail::strand_executor strand_;
    asio::steady_timer done_;
    std::vector<std::shared_ptr<op_state>> ops_;
    std::size_t running_ = 0;
};

}  // namespace swr::detail
