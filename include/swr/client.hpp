#pragma once
// swr::client — lists the tasks of SWR image-signing executions over a pool of keep-alive TLS
// connections.
//
//   boost::asio::io_context io;
//   swr::client c{io.get_executor(), swr::client_options{
//       .endpoint = "https://swr-api.cn-north-4.myhuaweicloud.com",
//       .project_id = "...",
//       .credentials = swr::credentials::aksk(ak, sk)}};
//
//   // From a coroutine:
//   swr::page p = co_await c.async_list_tasks(req, boost::asio::use_awaitable);
//   // With a callback:
//   c.async_list_tasks(req, [](swr::error_code ec, swr::page p) { ... });
//
// Errors: every call takes an optional `diagnostics&` that it fills on failure (HTTP status,
// the service's error fields, request id, attempts). With swr::with_diagnostics(token), a
// failure throws (or sets in a future) an swr::error_with_diagnostics that carries them.
//
// Threads: a client may be used from any thread, also with an io_context run by several
// threads. Its state lives on an internal strand of the executor it was made with; every call
// is dispatched there. Cancellation: bind a cancellation_signal of your own to the handler
// (asio::bind_cancellation_slot) and emit a terminal cancellation from any thread, at any time
// after the initiating call has returned; the library only assigns the slot while the call
// starts and never touches it again, and an emit after completion does nothing (Asio's own rule
// remains: one emit at a time per signal, and not while a new operation is being started on
// it). With a coroutine token (use_awaitable) the slot is the coroutine's, re-assigned by each
// operation it awaits: cancel the coroutine from its own executor, or bind a signal of your own
// to the call inside it.

#include <swr/error.hpp>
#include <swr/model.hpp>
#include <swr/options.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace swr {

/// \cond INTERNAL
namespace detail {
struct client_access;
}
/// \endcond

class pager;
struct pager_options;

/// Options of client::async_list_all_tasks.
struct list_all_options {
    /// Tasks per request, 1..100; 0: the request's `limit`, else 100. Set together with a
    /// different `limit`: errc::invalid_request. The request's `offset` must be unset or 0.
    std::int64_t page_size = 0;
    std::size_t max_in_flight = 8;  ///< Pages requested at once after the first. >= 1.
    /// A `total` above this fails with errc::too_many_tasks before anything is allocated.
    std::int64_t max_tasks = 1'000'000;
    /// The whole listing, every page and retry included; 0: none (each request is still bounded
    /// by client_options::timeouts.deadline).
    std::chrono::milliseconds deadline{0};
    /// Called on the client's strand after each page: pages done, pages in all, tasks done.
    std::function<void(std::size_t, std::size_t, std::size_t)> on_progress;
};

/// Counters of one client, for tests, benchmarks and metrics.
struct client_stats {
    std::uint64_t connections_opened = 0;  ///< TCP connections made (proxy tunnels included).
    std::uint64_t requests_sent = 0;       ///< HTTP requests written (attempts).
    std::uint64_t retries = 0;             ///< Attempts after the first, stale retries included.
    std::uint64_t stale_retries = 0;       ///< Reused connections that failed before a response.
    std::uint64_t token_requests = 0;      ///< IAM token requests (IAM password credentials).
    std::uint64_t throttled = 0;           ///< Responses with HTTP 429.
    std::uint64_t rate_limited =
        0;  ///< Attempts that waited for a send slot (client_options::rate).
    /// The send rate client_options::rate allows now, requests a second; 0: not limited.
    double send_rate = 0;
};

/// Lists the tasks of SWR image-signing executions over a pool of keep-alive TLS connections.
class client {
public:
    /// The executor the client was made with.
    using executor_type = boost::asio::any_io_executor;

    /// Makes a client; nothing is connected until the first call. Throws std::invalid_argument
    /// naming the option when the endpoint, region, proxy or CA settings are unusable.
    client(executor_type ex, client_options opts);
    ~client();
    client(const client&) = delete;
    client& operator=(const client&) = delete;
    /// Moves the client; the moved-from client is unusable.
    client(client&&) noexcept;
    /// Moves the client; the moved-from client is unusable.
    client& operator=(client&&) noexcept;

    /// The executor the client was made with.
    executor_type get_executor() const noexcept;
    /// The options in force (defaults filled in).
    const client_options& options() const noexcept;
    /// Counters since the client was made; safe from any thread.
    client_stats stats() const;

    /// Lists one page of tasks (ListInstanceSignPolicyExecTasks).
    ///
    /// Handler: `void(error_code, page)`. On failure the page is empty and `diag` (the overload
    /// that takes it) holds the HTTP status, the service's error fields, the request id and the
    /// number of attempts.
    /// Lifetime: the client must outlive the call; `req` is copied; `diag` must outlive it.
    /// Executor: the handler runs on its associated executor (default: the client's executor).
    /// Cancellation: terminal cancellation through the handler's slot completes the call once
    /// with `operation_aborted`; a connection in use is closed, never reused.
    /// Errors: errc::invalid_request (diag.message names the field and rule), HTTP statuses as
    /// errc (bad_request, unauthorized, forbidden, not_found, throttled, server_error for 500,
    /// 502, 503 and 504, http_status for any other), timeouts, TLS errors (asio::ssl category,
    /// never retried), errc::decode_failed. Transient failures are retried per
    /// client_options::retry. With client_options::rate, each attempt first waits for its
    /// send slot; a slot after the deadline fails the call at once, nothing sent:
    /// errc::throttled while a 429's Retry-After holds the client (diag.retry_after says how
    /// long), else errc::deadline_exceeded.
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_list_tasks(list_tasks_request req, diagnostics& diag, CompletionToken&& token = {}) {
        return boost::asio::async_initiate<CompletionToken, void(error_code, page)>(
            initiate_list_tasks{this}, token, std::move(req), &diag);
    }

    /// As above, without diagnostics.
    template <class CompletionToken = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<CompletionToken>, diagnostics>) auto async_list_tasks(
        list_tasks_request req, CompletionToken&& token = {}) {
        return boost::asio::async_initiate<CompletionToken, void(error_code, page)>(
            initiate_list_tasks{this}, token, std::move(req), static_cast<diagnostics*>(nullptr));
    }

    /// A lazy pager over every page of the execution; see pager.hpp. Sends nothing yet.
    pager list_tasks_pages(list_tasks_request req);
    /// As above, with pager options (page size, read-ahead).
    pager list_tasks_pages(list_tasks_request req, const pager_options& opts);

    /// Every task of the execution: page 1 tells `total`, the remaining pages are fetched
    /// concurrently (list_all_options::max_in_flight, default 8) and delivered in order.
    ///
    /// Handler: `void(error_code, std::vector<task>)`. On error, the tasks are empty.
    /// Lifetime: the client must outlive the call; `diag` (when given) too.
    /// Cancellation: terminal; every request in flight is cancelled, completes once with
    /// `operation_aborted`.
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_list_all_tasks(list_tasks_request req, list_all_options opts, diagnostics& diag,
                              CompletionToken&& token = {}) {
        return boost::asio::async_initiate<CompletionToken, void(error_code, std::vector<task>)>(
            initiate_list_all{this}, token, std::move(req), std::move(opts), &diag);
    }

    /// As above, without diagnostics.
    template <class CompletionToken = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<CompletionToken>, diagnostics>) auto async_list_all_tasks(
        list_tasks_request req, list_all_options opts, CompletionToken&& token = {}) {
        return boost::asio::async_initiate<CompletionToken, void(error_code, std::vector<task>)>(
            initiate_list_all{this}, token, std::move(req), std::move(opts),
            static_cast<diagnostics*>(nullptr));
    }

    /// As above with default options and no diagnostics.
    template <class CompletionToken = boost::asio::deferred_t>
    requires(
        !std::is_same_v<std::decay_t<CompletionToken>,
                        list_all_options>) auto async_list_all_tasks(list_tasks_request req,
                                                                     CompletionToken&& token = {}) {
        return async_list_all_tasks(std::move(req), list_all_options{},
                                    std::forward<CompletionToken>(token));
    }

    /// The request a call would send (method, URL, headers), signed as now, with every secret
    /// redacted (token, signature, security token): for --dry-run and logs. Sends nothing.
    /// errc::invalid_request (with `message` naming the field) when the request breaks a rule.
    error_code describe_request(const list_tasks_request& req, std::string& out,
                                std::string* message = nullptr) const;

    /// Closes idle connections; calls in flight go on.
    void close_idle();

    /// \cond INTERNAL
    struct impl;
    /// \endcond

private:
    friend struct detail::client_access;  // the pager, list-all and watch reach impl through it
    struct initiate_list_tasks {
        client* self;
        template <class Handler>
        void operator()(Handler&& h, list_tasks_request req, diagnostics* diag) const {
            self->do_list_tasks(std::move(req), diag,
                                boost::asio::any_completion_handler<void(error_code, page)>(
                                    std::forward<Handler>(h)));
        }
    };
    struct initiate_list_all {
        client* self;
        template <class Handler>
        void operator()(Handler&& h, list_tasks_request req, list_all_options opts,
                        diagnostics* diag) const {
            self->do_list_all(
                std::move(req), std::move(opts), diag,
                boost::asio::any_completion_handler<void(error_code, std::vector<task>)>(
                    std::forward<Handler>(h)));
        }
    };

    void do_list_tasks(list_tasks_request req, diagnostics* diag,
                       boost::asio::any_completion_handler<void(error_code, page)> handler);
    void do_list_all(list_tasks_request req, list_all_options opts, diagnostics* diag,
                     boost::asio::any_completion_handler<void(error_code, std::vector<task>)> h);

    std::shared_ptr<impl> impl_;
};

}  // namespace swr
