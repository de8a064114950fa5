#include "async/deadline.hpp"
#include "async/launch.hpp"
#include "auth/iam_endpoint.hpp"
#include "client/attempt_fsm.hpp"
#include "client/client_impl.hpp"
#include "paging/page_check.hpp"
#include "wire/tls_context.hpp"

#include <swr/json_codec.hpp>
#include <swr/region.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace swr {

using namespace std::chrono;
using detail::connection;
using detail::op_state;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

std::string getenv_str(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? v : std::string();
}

// Loopback: plain HTTP there never leaves the machine.
bool is_loopback(const endpoint& e) {
    return e.host == "localhost" || e.host == "::1" || (e.host_is_ip && e.host.starts_with("127."));
}

// Plain HTTP sends tokens, signatures and the IAM password in clear text: refused beyond
// loopback unless the caller opts in, and logged whenever used.
void check_plain_http(const endpoint& e, std::string_view field, const client_options& o) {
    if (e.tls) return;
    if (!is_loopback(e) && !o.allow_plain_http)
        throw std::invalid_argument(std::string(field) + ": plain http:// to " + e.host +
                                    " sends credentials in clear text; use https:// or set "
                                    "allow_plain_http");
    if (o.observe.log && log_level::warning >= o.observe.min_level)
        o.observe.log(log_level::warning, std::string(field) + ": plain HTTP to " + e.url() +
                                              ": credentials travel unencrypted");
}

}  // namespace

client_options client_options::from_env() {
    client_options o;
    if (auto c = credentials::from_env()) o.credentials = std::move(*c);
    o.project_id = getenv_str("HUAWEICLOUD_SDK_PROJECT_ID");
    o.region = getenv_str("HUAWEICLOUD_SDK_REGION");
    return o;
}

client::impl::impl(asio::any_io_executor ex, client_options opts)
    : executor(ex),
      strand(detail::make_client_strand(ex)),
      options(std::move(opts)),
      budget(options.retry.budget_capacity),
      limiter(options.rate),
      rng(std::random_device{}()),
      pool(strand, options.pool) {
    std::string url = options.endpoint, msg;
    if (url.empty()) {
        if (options.region.empty())
            throw std::invalid_argument("endpoint: either endpoint or region must be set");
        if (endpoint_for_region(options.region, url, &msg)) throw std::invalid_argument(msg);
    }
    if (parse_endpoint(url, ep, &msg)) throw std::invalid_argument(msg);
    check_plain_http(ep, "endpoint", options);
    if (options.pool.max_connections == 0)
        throw std::invalid_argument("pool.max_connections: must be at least 1");
    if (options.retry.max_attempts == 0)
        throw std::invalid_argument("retry.max_attempts: must be at least 1");

    detail::proxy_choice route;
    if (detail::select_proxy(options.proxy, ep, route, proxy_auth, &msg))
        throw std::invalid_argument(msg);
    proxy = route.proxy;

    send_rate = limiter.rate().value_or(0);
    ssl_ctx = detail::make_tls_context(options.tls);
    pool.configure(ssl_ctx, ep.tls);
    if (!options.clock) options.clock = [] { return system_clock::now(); };

    if (const auto* auth = options.credentials.iam()) {
        std::string iam_url = detail::resolve_iam_endpoint(*auth, options.region);
        endpoint iep;
        if (parse_endpoint(iam_url, iep, &msg)) throw std::invalid_argument("iam_endpoint: " + msg);
        check_plain_http(iep, "iam_endpoint", options);
        if (auth->domain_name.empty() || auth->user_name.empty() || auth->password.empty())
            throw std::invalid_argument(
                "credentials: IAM password authentication needs domain, user and password");
        iam.emplace(detail::iam_token_cache::context{strand, options, ssl_ctx, proxy_auth.value(),
                                                     token_requests, connections_opened},
                    iep, route.for_host(iep.host));
    }
}

asio::awaitable<error_code> client::impl::fetch_page(const list_tasks_request& req, page& out,
                                                     diagnostics& diag, op_state& st) {
    if (!options.observe.log && !options.observe.metrics)
        return fetch_page_attempts(req, out, diag, st, nullptr);
    return fetch_page_observed(req, out, diag, st);
}

asio::awaitable<error_code> client::impl::fetch_page_observed(const list_tasks_request& req,
                                                              page& out, diagnostics& diag,
                                                              op_state& st) {
    auto t0 = steady_clock::now();
    call_trace trace;
    auto ec = co_await fetch_page_attempts(req, out, diag, st, &trace);
    auto latency = duration_cast<microseconds>(steady_clock::now() - t0);
    if (ec ? logs(log_level::error) : logs(log_level::debug)) {
        std::string line =
            "ListInstanceSignPolicyExecTasks execution " + std::to_string(req.execution_id) +
            (req.offset ? " offset " + std::to_string(*req.offset) : std::string()) + ": ";
        line += ec ? ec.message() : "ok";
        if (auto d = diag.to_string(); !d.empty()) line += " (" + d + ")";
        line += ", " + std::to_string(latency.count() / 1000) + " ms";
        log(ec ? log_level::error : log_level::debug, line);
    }
    if (options.observe.metrics) {
        call_metrics m;
        m.operation = "ListInstanceSignPolicyExecTasks";
        m.ec = ec;
        m.http_status = diag.http_status;
        m.attempts = diag.attempts;
        m.latency = latency;
        m.bytes_sent = trace.bytes_sent;
        m.bytes_received = trace.bytes_received;
        m.connection_reused = trace.reused;
        m.execution_id = req.execution_id;
        options.observe.metrics(m);
    }
    co_return ec;
}

namespace {

// A call's buffers borrowed from the client for one call, given back when the call ends (one
// set per connection kept, none with a body over 1 MiB).
class borrowed_call {
public:
    using buffers = client::impl::call_buffers;
    borrowed_call(std::vector<std::unique_ptr<buffers>>& spares, std::size_t keep)
        : spares_(spares), keep_(keep) {
        if (spares_.empty()) {
            b_ = std::make_unique<buffers>();
        } else {
            b_ = std::move(spares_.back());
            spares_.pop_back();
        }
    }
    ~borrowed_call() {
        if (spares_.size() < keep_ && b_->res.body.capacity() <= 1024 * 1024)
            spares_.push_back(std::move(b_));
    }
    borrowed_call(const borrowed_call&) = delete;
    borrowed_call& operator=(const borrowed_call&) = delete;
    buffers* operator->() const noexcept { return b_.get(); }

private:
    std::vector<std::unique_ptr<buffers>>& spares_;
    std::size_t keep_;
    std::unique_ptr<buffers> b_;
};

}  // namespace

asio::awaitable<bool> client::impl::send_attempt(const detail::connect_target& target,
                                                 const std::string& wire, detail::http_result& res,
                                                 steady_clock::time_point deadline, op_state& st,
                                                 call_trace* trace, diagnostics& diag,
                                                 detail::attempt_outcome& o) {
    std::unique_ptr<connection> conn;
    // The common case needs no suspension (and no coroutine frame): a free connection.
    if (!pool.try_acquire(conn))
        if ((o.ec = co_await pool.acquire(conn, st, deadline))) co_return false;
    o.reused = conn->reused();
    st.active = conn.get();
    diag.attempts++;
    requests_sent.fetch_add(1, std::memory_order_relaxed);
    o.ec = co_await conn->exchange(target, wire, res, deadline, connections_opened);
    o.got_bytes = res.got_bytes;
    if (trace) {
        trace->reused = o.reused;
        trace->bytes_sent += res.bytes_sent;
        trace->bytes_received += res.bytes_received;
    }
    st.active = nullptr;
    if (st.cancelled) {
        pool.release(std::move(conn), false);
        o.ec = asio::error::operation_aborted;
        co_return false;
    }
    pool.release(std::move(conn), !o.ec && res.keep_alive);
    co_return true;
}

error_code client::impl::read_response(detail::http_result& res, page& out, diagnostics& diag,
                                       detail::attempt_outcome& o) const {
    diag.http_status = o.status = res.status;
    diag.request_id = res.request_id;
    // 200 only: a 206 or 299 is not a page of this API.
    if (res.status == 200)
        return decode_page(res.body, out, &diag.message, {options.limits.max_body_bytes});
    auto body = decode_error_body(res.body);
    diag.error_code = std::move(body.error_code);
    diag.error_msg = std::move(body.error_msg);
    diag.encoded_authorization_message = std::move(body.encoded_authorization_message);
    if (res.has_retry_after) {
        o.retry_after = detail::parse_retry_after(res.retry_after, system_clock::now());
        diag.retry_after = o.retry_after;
    }
    return o.ec = make_error_code(errc_from_status(res.status));
}

asio::awaitable<error_code> client::impl::fetch_page_attempts(const list_tasks_request& req,
                                                              page& out, diagnostics& diag,
                                                              op_state& st, call_trace* trace) {
    out = page{};
    diag.clear();
    borrowed_call call(spare_calls, options.pool.max_connections);
    auto& request = call->builder.request;
    if (auto ec =
            call->builder.build(req, ep, options.project_id, options.user_agent, &diag.message))
        co_return ec;
    // The request's own bounds (call_options) before the client's.
    const auto deadline = call_deadline(req.call, st);
    auto timeouts = options.timeouts;
    if (req.call.request_timeout) timeouts.request = *req.call.request_timeout;
    detail::connect_target target{ep, proxy, timeouts, options.limits, proxy_auth.value()};
    detail::retry_policy policy(options.retry, &budget, [this] {
        return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    });
    if (req.call.max_attempts) policy.limit_attempts(*req.call.max_attempts);
    detail::attempt_fsm fsm(policy, auth_kind());
    auto& res = call->res;
    auto& wire = call->wire;
    std::string iam_token;

    for (;;) {
        if (st.cancelled) co_return asio::error::operation_aborted;
        if (limiter.enabled())
            if (auto ec = co_await wait_for_send_slot(st, deadline, diag)) co_return ec;
        if (iam)
            if (auto ec = co_await iam->ensure(iam_token, diag, st, deadline)) co_return ec;
        if (auto ec = sign(request, iam_token, diag)) co_return ec;
        detail::serialize(request, wire);
        const auto sent = steady_clock::now();
        detail::attempt_outcome o;
        if (!co_await send_attempt(target, wire, res, deadline, st, trace, diag, o)) co_return o.ec;
        if (!o.ec) {
            auto ec = read_response(res, out, diag, o);
            note_response(sent, o);
            if (res.status == 200) {
                // A well-framed body that does not decode is never retried.
                if (!ec) fsm.on_success();
                co_return ec;
            }
        }
        auto d = fsm.on_failure(o, remaining(deadline));
        if (d.step == detail::next_step::ask_refresh_hook) d = ask_refresh_hook(fsm, deadline);
        if (d.step == detail::next_step::give_up) {
            if (detail::tell_caller(d.reason)) diag.message = std::string(to_string(d.reason));
            co_return o.ec;
        }
        note_retry(d, o, fsm.attempt() - 1, diag, iam_token);
        if (d.step == detail::next_step::wait_then_retry && d.delay.count() > 0) {
            asio::steady_timer timer(strand, d.delay);
            detail::scoped_wait wait_scope(st, timer);
            co_await timer.async_wait(use_tuple);
        }
    }
}

asio::awaitable<error_code> client::impl::wait_for_send_slot(op_state& st,
                                                             steady_clock::time_point deadline,
                                                             diagnostics& diag) {
    const auto now = steady_clock::now();
    const auto slot = limiter.reserve(now, deadline);
    if (!slot) {
        // A pause from a Retry-After (paused_until() is min() when there is none).
        if (limiter.paused_until() > now) {
            const auto wait = ceil<milliseconds>(limiter.paused_until() - now);
            diag.retry_after = wait;
            diag.message = "rate limit: the server's Retry-After holds requests for " +
                           std::to_string(wait.count()) + " ms, past the call's deadline";
            co_return make_error_code(errc::throttled);
        }
        std::array<char, 32> rate{};
        std::snprintf(rate.data(), rate.size(), "%g", limiter.rate().value_or(0));
        diag.message = "rate limit: no send slot before the call's deadline (" +
                       std::string(rate.data()) + " requests a second)";
        co_return make_error_code(errc::deadline_exceeded);
    }
    if (slot->at <= now) co_return error_code{};
    rate_limited.fetch_add(1, std::memory_order_relaxed);
    asio::steady_timer timer(strand, slot->at);
    {
        detail::scoped_wait wait_scope(st, timer);
        co_await timer.async_wait(use_tuple);
    }
    if (st.cancelled) {
        limiter.give_back(*slot);
        co_return asio::error::operation_aborted;
    }
    co_return error_code{};
}

void client::impl::note_response(steady_clock::time_point sent, const detail::attempt_outcome& o) {
    if (o.status == 429) throttled.fetch_add(1, std::memory_order_relaxed);
    if (!limiter.enabled()) return;
    const auto before = limiter.rate();
    std::optional<milliseconds> hint;
    if (o.retry_after && options.retry.honor_retry_after)
        hint = std::min(*o.retry_after, options.retry.max_retry_after);
    limiter.on_response(sent, steady_clock::now(), o.status, hint);
    const auto after = limiter.rate();
    send_rate.store(after.value_or(0), std::memory_order_relaxed);
    if (o.status == 429 && after != before && logs(log_level::info)) {
        std::array<char, 32> rate{};
        std::snprintf(rate.data(), rate.size(), "%.1f", after.value_or(0));
        log(log_level::info,
            "HTTP 429: send rate lowered to " + std::string(rate.data()) + " requests a second");
    }
}

steady_clock::time_point client::impl::call_deadline(const call_options& call,
                                                     const op_state& st) const {
    const auto d = call.deadline.value_or(options.timeouts.deadline);
    return std::min(detail::deadline_after(d), st.deadline);
}

std::optional<milliseconds> client::impl::remaining(steady_clock::time_point deadline) {
    if (deadline == steady_clock::time_point::max()) return std::nullopt;
    return duration_cast<milliseconds>(deadline - steady_clock::now());
}

detail::attempt_fsm::auth client::impl::auth_kind() const {
    if (options.credentials.type() == credentials::kind::iam_password)
        return detail::attempt_fsm::auth::iam_password;
    if (options.credentials.type() == credentials::kind::token && options.retry.refresh_token)
        return detail::attempt_fsm::auth::token_with_refresh_hook;
    return detail::attempt_fsm::auth::fixed;
}

error_code client::impl::sign(detail::outgoing_request& request, const std::string& iam_token,
                              diagnostics& diag) const {
    // Signed anew on every attempt: a fresh X-Sdk-Date.
    if (iam)
        return detail::authorize(request, credentials::token(iam_token), options.clock(),
                                 &diag.message);
    // A token from the refresh hook replaces the configured one (kept apart, so options() stays
    // as given). Referred to, not copied: no copy of the secret per request.
    const credentials& c = refreshed_token ? *refreshed_token : options.credentials;
    return detail::authorize(request, c, options.clock(), &diag.message);
}

detail::attempt_decision client::impl::ask_refresh_hook(detail::attempt_fsm& fsm,
                                                        steady_clock::time_point deadline) {
    if (logs(log_level::info))
        log(log_level::info, "HTTP 401 with a token: asking refresh_token for a new one");
    auto fresh = options.retry.refresh_token();
    const bool got = !fresh.empty();
    if (got) refreshed_token = credentials::token(std::move(fresh));
    return fsm.on_refresh_hook(got, remaining(deadline));
}

void client::impl::note_retry(const detail::attempt_decision& d, const detail::attempt_outcome& o,
                              unsigned failed_attempt, diagnostics& diag,
                              const std::string& iam_token) {
    retries.fetch_add(1, std::memory_order_relaxed);
    switch (d.step) {
        case detail::next_step::retry_on_new_connection:
            stale_retries.fetch_add(1, std::memory_order_relaxed);
            diag.attempts--;  // the request never reached a live server
            if (logs(log_level::info))
                log(log_level::info, "kept-alive connection closed by the server (" +
                                         o.ec.message() + "); retrying on a new connection");
            break;
        case detail::next_step::refresh_iam_token:
            iam->invalidate(iam_token);
            if (logs(log_level::info))
                log(log_level::info, "HTTP 401: refreshing the IAM token once");
            break;
        case detail::next_step::wait_then_retry:
            if (logs(log_level::warning))
                log(log_level::warning,
                    "attempt " + std::to_string(failed_attempt) + " failed: " + o.ec.message() +
                        (diag.http_status ? " (HTTP " + std::to_string(diag.http_status) + ")"
                                          : "") +
                        "; retrying in " + std::to_string(d.delay.count()) + " ms");
            break;
        default: break;
    }
}

// ---- client ----------------------------------------------------------------------------------

client::client(executor_type ex, client_options opts)
    : impl_(std::make_shared<impl>(std::move(ex), std::move(opts))) {}
client::~client() {
    if (impl_) asio::post(impl_->strand, [i = impl_] { i->close_idle(); });
}
client::client(client&&) noexcept = default;
client& client::operator=(client&&) noexcept = default;

client::executor_type client::get_executor() const noexcept { return impl_->executor; }
const client_options& client::options() const noexcept { return impl_->options; }

client_stats client::stats() const {
    return {impl_->connections_opened.load(), impl_->requests_sent.load(),  impl_->retries.load(),
            impl_->stale_retries.load(),      impl_->token_requests.load(), impl_->throttled.load(),
            impl_->rate_limited.load(),       impl_->send_rate.load()};
}

error_code client::describe_request(const list_tasks_request& req, std::string& out,
                                    std::string* message) const {
    const auto& i = *impl_;
    detail::outgoing_request r;
    if (auto ec = detail::build_list_tasks(req, i.ep, i.options.project_id, i.options.user_agent, r,
                                           message))
        return ec;
    // With IAM password credentials the token is obtained when sending; shown redacted here.
    const bool use_iam = i.options.credentials.type() == credentials::kind::iam_password;
    if (auto ec = detail::authorize(r, use_iam ? credentials::token("iam") : i.options.credentials,
                                    i.options.clock(), message))
        return ec;
    out = detail::to_redacted_string(r, i.ep);
    return {};
}

void client::close_idle() {
    asio::post(impl_->strand, [i = impl_] { i->close_idle(); });
}

void client::do_list_tasks(list_tasks_request req, diagnostics* diag,
                           asio::any_completion_handler<void(error_code, page)> handler) {
    detail::launch<page>(impl_, std::move(handler),
                         [i = impl_, req = std::move(req),
                          diag](op_state& st) -> asio::awaitable<std::pair<error_code, page>> {
                             diagnostics local;
                             auto& d = diag ? *diag : local;
                             page p;
                             auto ec = co_await i->fetch_page(req, p, d, st);
                             // A page on its own; the pager, list-all and watch judge whole
                             // listings by pager_fsm.
                             if (!ec) ec = detail::check_page(req, p, d.message);
                             if (ec) p = page{};
                             co_return std::pair{ec, std::move(p)};
                         });
}

}  // namespace swr
