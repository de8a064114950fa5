#pragma once
// The client's private state: TLS context, connection pool, retry budget, and the coroutine that
// performs one call (fetch_page) with its retries. Everything here runs on the client's strand.

#include "api/request_builder.hpp"
#include "async/op_state.hpp"
#include "async/strand.hpp"
#include "auth/iam_token_cache.hpp"
#include "client/attempt_fsm.hpp"
#include "client/rate_limiter.hpp"
#include "client/retry_policy.hpp"
#include "wire/connection.hpp"
#include "wire/connection_pool.hpp"
#include "wire/proxy.hpp"

#include <swr/client.hpp>
#include <swr/endpoint.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <deque>
#include <memory>
#include <random>
#include <vector>

namespace swr {

namespace asio = boost::asio;

struct client::impl : std::enable_shared_from_this<client::impl> {
    using strand_type = detail::strand_executor;

    impl(asio::any_io_executor ex, client_options opts);

    asio::any_io_executor executor;
    strand_type strand;
    client_options options;
    endpoint ep;
    std::optional<endpoint> proxy;  // HTTP CONNECT proxy in use for this endpoint
    // Proxy-Authorization from the proxy URL's user info (the IAM tunnel goes through it too).
    detail::proxy_authorization proxy_auth;
    std::shared_ptr<asio::ssl::context> ssl_ctx;  // shared with other clients when default
    detail::retry_budget budget;
    detail::rate_limiter limiter;                // send slots, fixed or adaptive (strand only)
    std::optional<credentials> refreshed_token;  // from retry_options::refresh_token (strand only)
    // What one call writes into, kept for the next calls (strand only): the request as built
    // for an execution, its wire text, the response and its body.
    struct call_buffers {
        detail::list_tasks_builder builder;
        std::string wire;
        detail::http_result res;
    };
    std::vector<std::unique_ptr<call_buffers>> spare_calls;
    std::mt19937_64 rng;

    detail::connection_pool pool;

    std::atomic<std::uint64_t> connections_opened{0}, requests_sent{0}, retries{0},
        stale_retries{0}, token_requests{0}, throttled{0}, rate_limited{0};
    std::atomic<double> send_rate{0};  // the limiter's rate, for stats(); 0: not limited

    // IAM password credentials only: the token, obtained, cached and refreshed.
    std::optional<detail::iam_token_cache> iam;

    /// One call: build, authorize, send on a pooled connection, read, decode; retried per policy.
    /// Reports to the log and metrics hooks when they are set. Not a coroutine itself: without
    /// hooks it hands back fetch_page_attempts' (one coroutine frame fewer per call).
    asio::awaitable<error_code> fetch_page(const list_tasks_request& req, page& out,
                                           diagnostics& diag, detail::op_state& st);

    /// What one call did, for the metrics hook.
    struct call_trace {
        std::size_t bytes_sent = 0, bytes_received = 0;
        bool reused = false;
    };
    /// fetch_page with the log and metrics hooks.
    asio::awaitable<error_code> fetch_page_observed(const list_tasks_request& req, page& out,
                                                    diagnostics& diag, detail::op_state& st);
    /// The call's attempts; `trace` (when not null) gets what they did.
    asio::awaitable<error_code> fetch_page_attempts(const list_tasks_request& req, page& out,
                                                    diagnostics& diag, detail::op_state& st,
                                                    call_trace* trace);
    /// One exchange on a pooled connection, its outcome in `o`; false when the call must end
    /// now with o.ec (no connection before the deadline, or cancelled).
    asio::awaitable<bool> send_attempt(const detail::connect_target& target,
                                       const std::string& wire, detail::http_result& res,
                                       std::chrono::steady_clock::time_point deadline,
                                       detail::op_state& st, call_trace* trace, diagnostics& diag,
                                       detail::attempt_outcome& o);
    /// A response: the page (200), else the status's errc with the service's error fields in
    /// `diag` and the Retry-After hint in `o`.
    error_code read_response(detail::http_result& res, page& out, diagnostics& diag,
                             detail::attempt_outcome& o) const;
    /// Waits for the rate limiter's send slot (when it is enabled). Fails at once, nothing sent,
    /// when the slot comes after `deadline`: errc::throttled while a 429's Retry-After holds the
    /// client, else errc::deadline_exceeded.
    asio::awaitable<error_code> wait_for_send_slot(detail::op_state& st,
                                                   std::chrono::steady_clock::time_point deadline,
                                                   diagnostics& diag);
    /// Tells the rate limiter about a response to a request sent at `sent`.
    void note_response(std::chrono::steady_clock::time_point sent,
                       const detail::attempt_outcome& o);
    /// Authenticates `request` for the next attempt: AK/SK, the token, or `iam_token` (which
    /// fetch_page_attempts has made sure of first).
    error_code sign(detail::outgoing_request& request, const std::string& iam_token,
                    diagnostics& diag) const;
    detail::attempt_decision ask_refresh_hook(detail::attempt_fsm& fsm,
                                              std::chrono::steady_clock::time_point deadline);
    /// Counts and logs a retry about to happen.
    void note_retry(const detail::attempt_decision& d, const detail::attempt_outcome& o,
                    unsigned failed_attempt, diagnostics& diag, const std::string& iam_token);
    /// The call's deadline: its own (call_options) or the client's, within the operation's.
    std::chrono::steady_clock::time_point call_deadline(const call_options& call,
                                                        const detail::op_state& st) const;
    /// Time left before `deadline`; nullopt when there is none.
    static std::optional<std::chrono::milliseconds> remaining(
        std::chrono::steady_clock::time_point deadline);
    detail::attempt_fsm::auth auth_kind() const;

    bool logs(log_level l) const { return options.observe.log && l >= options.observe.min_level; }
    void log(log_level l, std::string_view line) const { options.observe.log(l, line); }

    void close_idle() { pool.close_idle(); }

    /// Completes a handler on its associated executor (default: the client's executor).
    template <class Handler, class... Args>
    void complete(Handler h, Args&&... args) {
        auto ex = asio::get_associated_executor(h, executor);
        asio::dispatch(ex, [h = std::move(h), ... a = std::forward<Args>(args)]() mutable {
            std::move(h)(std::move(a)...);
        });
    }
};

namespace detail {

/// The library's own way to a client's state (the pager, list-all, watch, and tests).
struct client_access {
    static const std::shared_ptr<client::impl>& impl(const client& c) noexcept { return c.impl_; }
};

}  // namespace detail

}  // namespace swr
