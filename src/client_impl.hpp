#pragma once
// The client's private state: TLS context, connection pool, retry budget, and the coroutine that
// performs one call (fetch_page) with its retries. Everything here runs on the client's strand.

#include "attempt_fsm.hpp"
#include "connection.hpp"
#include "proxy.hpp"
#include "request_builder.hpp"
#include "retry_policy.hpp"

#include <swr/client.hpp>
#include <swr/endpoint.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <deque>
#include <memory>
#include <random>
#include <vector>

namespace swr {

namespace asio = boost::asio;

namespace detail {

/// Per-call state that cancellation reaches: the connection in use and the timer being waited on.
struct op_state {
    bool cancelled = false;
    /// A bound on every request of the operation (list-all's or watch's whole deadline), on
    /// top of each call's own deadline.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    connection* active = nullptr;
    asio::steady_timer* waiting = nullptr;

    void cancel() {
        cancelled = true;
        if (active) active->close();
        if (waiting) waiting->cancel();
    }
};

/// Registers `timer` as what cancellation of `st` cancels, for the scope of one wait: the pointer
/// can never outlive the timer.
class scoped_wait {
public:
    scoped_wait(op_state& st, asio::steady_timer& timer) : st_(st) { st_.waiting = &timer; }
    ~scoped_wait() { st_.waiting = nullptr; }
    scoped_wait(const scoped_wait&) = delete;
    scoped_wait& operator=(const scoped_wait&) = delete;

private:
    op_state& st_;
};

/// Binds a handler's cancellation slot to an op_state; called only by the initiating call. The
/// slot's handler may run on any thread: it touches nothing but a weak reference and the strand,
/// and the cancel itself runs on the strand (at once when emitted from it, else posted there).
/// Once the operation is over the weak reference is empty and an emit does nothing.
template <class Executor>
void bind_cancellation(asio::cancellation_slot slot, Executor strand,
                       const std::shared_ptr<op_state>& st) {
    if (!slot.is_connected()) return;
    slot.assign([strand, weak = std::weak_ptr<op_state>(st)](asio::cancellation_type t) {
        if ((t & asio::cancellation_type::terminal) == asio::cancellation_type::none) return;
        if (weak.expired()) return;
        asio::dispatch(strand, [weak] {
            if (auto s = weak.lock()) s->cancel();
        });
    });
}

}  // namespace detail

struct client::impl : std::enable_shared_from_this<client::impl> {
    using strand_type = asio::strand<asio::any_io_executor>;

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
    std::optional<credentials> refreshed_token;  // from retry_options::refresh_token (strand only)
    std::vector<std::string> spare_bodies;       // response buffers kept for reuse (strand only)
    std::mt19937_64 rng;

    // Pool: idle connections (most recent last), slots in use, calls waiting for a slot.
    struct waiter {
        asio::steady_timer* timer;
        std::unique_ptr<detail::connection> conn;
        bool granted = false;
    };
    std::vector<std::unique_ptr<detail::connection>> idle;
    std::size_t open = 0;
    std::deque<waiter*> waiters;

    std::atomic<std::uint64_t> connections_opened{0}, requests_sent{0}, retries{0},
        stale_retries{0}, token_requests{0};

    // IAM password credentials: the cached token, and the calls waiting for a refresh.
    struct iam_state {
        std::optional<endpoint> ep;
        std::optional<endpoint> proxy;
        std::string token;
        std::chrono::steady_clock::time_point refresh_at;
        bool refreshing = false;
        std::vector<asio::steady_timer*> waiters;
        std::uint64_t generation = 0;  // bumped when a refresh ends
        error_code last_ec;            // of the last refresh, for the calls that waited on it
        diagnostics last_diag;
    } iam;

    /// A valid IAM token in `token`: the cached one, or one fresh refresh shared by every caller.
    asio::awaitable<error_code> ensure_token(std::string& token, diagnostics& diag,
                                             detail::op_state& st,
                                             std::chrono::steady_clock::time_point deadline);
    /// Ends a refresh: `ec` is what waiters get (empty: they try again themselves).
    void end_refresh(const error_code& ec, const diagnostics& d);
    /// POST /v3/auth/tokens; on success sets iam.token and iam.refresh_at.
    asio::awaitable<error_code> request_token(diagnostics& diag, detail::op_state& st,
                                              std::chrono::steady_clock::time_point deadline);

    /// One call: build, authorize, send on a pooled connection, read, decode; retried per policy.
    /// Reports to the log and metrics hooks when they are set.
    asio::awaitable<error_code> fetch_page(const list_tasks_request& req, page& out,
                                           diagnostics& diag, detail::op_state& st);

    /// What one call did, for the metrics hook.
    struct call_trace {
        std::size_t bytes_sent = 0, bytes_received = 0;
        bool reused = false;
    };
    asio::awaitable<error_code> fetch_page_attempts(const list_tasks_request& req, page& out,
                                                    diagnostics& diag, detail::op_state& st,
                                                    call_trace& trace);
    /// One exchange on a pooled connection, its outcome in `o`; false when the call must end
    /// now with o.ec (no connection before the deadline, or cancelled).
    asio::awaitable<bool> send_attempt(const detail::connect_target& target,
                                       const std::string& wire, detail::http_result& res,
                                       std::chrono::steady_clock::time_point deadline,
                                       detail::op_state& st, call_trace& trace, diagnostics& diag,
                                       detail::attempt_outcome& o);
    /// A response: the page (200), else the status's errc with the service's error fields in
    /// `diag` and the Retry-After hint in `o`.
    error_code read_response(detail::http_result& res, page& out, diagnostics& diag,
                             detail::attempt_outcome& o) const;
    /// Authenticates `request` for the next attempt (a fresh IAM token when that is the way).
    asio::awaitable<error_code> sign(detail::outgoing_request& request, std::string& iam_token,
                                     diagnostics& diag, detail::op_state& st,
                                     std::chrono::steady_clock::time_point deadline);
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

    /// An idle connection, or a new one while under the pool size; false when the call must wait.
    bool try_acquire(std::unique_ptr<detail::connection>& out);
    /// Waits in line for a connection that release() hands over.
    asio::awaitable<error_code> acquire(std::unique_ptr<detail::connection>& out,
                                        detail::op_state& st,
                                        std::chrono::steady_clock::time_point deadline);
    void release(std::unique_ptr<detail::connection> c, bool reusable);
    void close_idle();

    /// Completes a handler on its associated executor (default: the client's executor).
    template <class Handler, class... Args>
    void complete(Handler h, Args&&... args) {
        auto ex = asio::get_associated_executor(h, executor);
        asio::dispatch(ex, [h = std::move(h), ... a = std::forward<Args>(args)]() mutable {
            std::move(h)(std::move(a)...);
        });
    }
};

}  // namespace swr
