#pragma once
// The keep-alive connection pool of one client (one endpoint): idle connections, the count of
// those open, and the calls waiting in line for one. Strand only.

#include "async/op_state.hpp"
#include "async/strand.hpp"
#include "wire/connection.hpp"

#include <swr/options.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <vector>

namespace swr::detail {

class connection_pool {
public:
    using strand_type = detail::strand_executor;

    connection_pool(strand_type strand, const pool_options& opts)
        : strand_(std::move(strand)), opts_(opts) {}

    /// How new connections are made: over TLS from `ctx`, or plain. Once, before the first call.
    void configure(std::shared_ptr<asio::ssl::context> ctx, bool tls) {
        ctx_ = std::move(ctx);
        tls_ = tls;
    }

    /// An idle connection, or a new one while under the pool size; false when the call must wait.
    bool try_acquire(std::unique_ptr<connection>& out);
    /// Waits in line, until `deadline`, for a connection that release() hands over.
    asio::awaitable<error_code> acquire(std::unique_ptr<connection>& out, op_state& st,
                                        std::chrono::steady_clock::time_point deadline);
    /// Gives a connection back: kept for reuse, or closed (its slot goes to the next in line).
    void release(std::unique_ptr<connection> c, bool reusable);
    /// Closes the idle connections; those in use go on.
    void close_idle();

private:
    struct waiter {
        asio::steady_timer* timer;
        std::unique_ptr<connection> conn;
        bool granted = false;
    };
    std::unique_ptr<connection> make() const {
        return std::make_unique<connection>(strand_, *ctx_, tls_);
    }

    strand_type strand_;
    const pool_options& opts_;
    bool tls_ = true;
    std::shared_ptr<asio::ssl::context> ctx_;
    std::vector<std::unique_ptr<connection>> idle_;  // most recent last
    std::size_t open_ = 0;                           // idle and in use
    std::deque<waiter*> waiters_;
};

}  // namespace swr::detail
