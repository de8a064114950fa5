#pragma once
// IAM password authentication: the X-Auth-Token a client obtains from IAM, caches, and refreshes
// before it expires; one refresh at a time, shared by every call waiting for it. Strand only.

#include "async/op_state.hpp"
#include "async/strand.hpp"
#include "wire/connection.hpp"

#include <swr/options.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace swr::detail {

class iam_token_cache {
public:
    /// What a token request needs of its client.
    struct context {
        detail::strand_executor strand;
        const client_options& options;
        std::shared_ptr<asio::ssl::context> ssl_ctx;
        const std::string& proxy_authorization;  ///< Sent on CONNECT when not empty.
        std::atomic<std::uint64_t>& token_requests;
        std::atomic<std::uint64_t>& connections_opened;
    };

    /// IAM at `ep`, through `proxy` when set.
    iam_token_cache(context ctx, endpoint ep, std::optional<endpoint> proxy)
        : ctx_(std::move(ctx)), ep_(std::move(ep)), proxy_(std::move(proxy)) {}

    /// A valid token in `token`: the cached one, or one fresh refresh shared by every caller.
    asio::awaitable<error_code> ensure(std::string& token, diagnostics& diag, op_state& st,
                                       std::chrono::steady_clock::time_point deadline);
    /// `token` was refused (401): drop it, unless another call already replaced it.
    void invalidate(const std::string& token) {
        if (token_ == token) token_.clear();
    }

private:
    /// POST /v3/auth/tokens; on success sets token_ and refresh_at_.
    asio::awaitable<error_code> request(diagnostics& diag, op_state& st,
                                        std::chrono::steady_clock::time_point deadline);
    /// IAM's answer: on success the token and when to refresh it; else diag says why.
    error_code take_token(http_result& res, diagnostics& diag);
    /// Ends a refresh: `ec` is what waiters get (empty: they try again themselves).
    void end_refresh(const error_code& ec, const diagnostics& d);
    /// Waits for another call's refresh; its error, or empty to look at the cache again.
    asio::awaitable<error_code> wait_for_refresh(diagnostics& diag, op_state& st,
                                                 std::chrono::steady_clock::time_point deadline);

    context ctx_;
    endpoint ep_;
    std::optional<endpoint> proxy_;
    std::string token_;
    std::chrono::steady_clock::time_point refresh_at_;
    bool refreshing_ = false;
    std::vector<asio::steady_timer*> waiters_;
    std::uint64_t generation_ = 0;  // bumped when a refresh ends
    error_code last_ec_;            // of the last refresh, for the calls that waited on it
    diagnostics last_diag_;
};

}  // namespace swr::detail
