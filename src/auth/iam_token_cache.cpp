#include "auth/iam_token_cache.hpp"

#include "api/request_builder.hpp"
#include "wire/http_time.hpp"

#include <swr/json_codec.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <openssl/crypto.h>

namespace swr::detail {

using namespace std::chrono;

namespace {

// token.expires_at of IAM's answer, when there and readable.
std::optional<system_clock::time_point> expires_at(std::string_view body) {
    boost::json::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (!ec && v.is_object())
        if (const auto* t = v.as_object().if_contains("token"); t && t->is_object())
            if (const auto* e = t->as_object().if_contains("expires_at"); e && e->is_string())
                if (auto when = parse_rfc3339(e->get_string())) return *when;
    return std::nullopt;
}

}  // namespace

asio::awaitable<error_code> iam_token_cache::request(diagnostics& diag, op_state& st,
                                                     steady_clock::time_point deadline) {
    const auto& options = ctx_.options;
    const auto& auth = *options.credentials.iam();
    const endpoint& iam_ep = ep_;
    // Both buffers hold the password: wiped (OPENSSL_cleanse cannot be optimised away) however
    // this coroutine ends. `wire` is reserved whole, so appending never leaves a copy behind.
    struct wiped {
        std::string s;
        ~wiped() { OPENSSL_cleanse(s.data(), s.size()); }
    } body{auth.request_body(options.project_id)}, wire;
    outgoing_request token_request;
    if (auto ec = build_iam_token_request(iam_ep, options.user_agent, body.s.size(), token_request,
                                          &diag.message))
        co_return ec;
    std::string head;
    serialize(token_request, head);
    wire.s.reserve(head.size() + body.s.size());
    wire.s += head;
    wire.s += body.s;

    connection conn(ctx_.strand, *ctx_.ssl_ctx, iam_ep.tls);
    connect_target target{iam_ep, proxy_, options.timeouts, options.limits,
                          ctx_.proxy_authorization};
    http_result res;
    ctx_.token_requests.fetch_add(1, std::memory_order_relaxed);
    st.active = &conn;
    auto ec = co_await conn.exchange(target, wire.s, res, deadline, ctx_.connections_opened);
    st.active = nullptr;
    conn.close();
    if (st.cancelled) co_return asio::error::operation_aborted;
    if (ec) {
        diag.message = "IAM token request to " + iam_ep.url() + " failed";
        co_return ec;
    }
    co_return take_token(res, diag);
}

error_code iam_token_cache::take_token(http_result& res, diagnostics& diag) {
    const auto& options = ctx_.options;
    const auto& auth = *options.credentials.iam();
    diag.http_status = res.status;
    diag.request_id = res.request_id;
    if (res.status / 100 != 2) {
        auto e = decode_error_body(res.body);
        diag.error_code = std::move(e.error_code);
        diag.error_msg = std::move(e.error_msg);
        diag.message = "IAM token request to " + ep_.url() + " failed";
        return make_error_code(errc_from_status(res.status));
    }
    if (res.subject_token.empty()) {
        diag.message = "IAM response has no X-Subject-Token header";
        return make_error_code(errc::bad_response);
    }
    // The lifetime from token.expires_at; without one, assume IAM's usual 24 hours.
    auto now_sys = system_clock::now();
    auto lifetime =
        duration_cast<milliseconds>(expires_at(res.body).value_or(now_sys + hours(24)) - now_sys);
    if (lifetime.count() <= 0) {
        diag.message = "IAM returned a token that has already expired";
        return make_error_code(errc::bad_response);
    }
    auto margin = std::min<milliseconds>(auth.refresh_margin, lifetime / 2);
    token_ = std::move(res.subject_token);
    refresh_at_ = steady_clock::now() + lifetime - margin;
    if (options.observe.log && log_level::info >= options.observe.min_level)
        options.observe.log(
            log_level::info,
            "IAM token obtained for " + auth.domain_name + "/" + auth.user_name + ", refresh in " +
                std::to_string(duration_cast<seconds>(lifetime - margin).count()) + " s");
    return error_code{};
}

void iam_token_cache::end_refresh(const error_code& ec, const diagnostics& d) {
    refreshing_ = false;
    ++generation_;
    last_ec_ = ec;
    last_diag_ = d;
    for (auto* w : waiters_) w->cancel();
}

asio::awaitable<error_code> iam_token_cache::wait_for_refresh(diagnostics& diag, op_state& st,
                                                              steady_clock::time_point deadline) {
    auto gen = generation_;
    asio::steady_timer wake(ctx_.strand, deadline);
    waiters_.push_back(&wake);
    {
        scoped_wait wait_scope(st, wake);
        co_await wake.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    std::erase(waiters_, &wake);
    if (st.cancelled) co_return asio::error::operation_aborted;
    if (generation_ == gen) {
        diag.message = "timed out waiting for the IAM token";
        co_return make_error_code(errc::deadline_exceeded);
    }
    if (last_ec_) diag = last_diag_;
    co_return last_ec_;
}

asio::awaitable<error_code> iam_token_cache::ensure(std::string& token, diagnostics& diag,
                                                    op_state& st,
                                                    steady_clock::time_point deadline) {
    for (;;) {
        if (st.cancelled) co_return asio::error::operation_aborted;
        if (!token_.empty() && steady_clock::now() < refresh_at_) {
            token = token_;
            co_return error_code{};
        }
        if (refreshing_) {
            // Another call is refreshing: wait for it, then take its token or IAM's error. If it
            // gave up for reasons of its own (cancelled, its deadline), go round and refresh.
            if (auto ec = co_await wait_for_refresh(diag, st, deadline)) co_return ec;
            continue;
        }
        refreshing_ = true;
        token_.clear();
        // However the refresh ends (an exception from a hook included), the waiters wake.
        struct refresh_end {
            iam_token_cache& self;
            bool ended = false;
            ~refresh_end() {
                if (!ended) self.end_refresh({}, {});
            }
        } guard{*this};
        diagnostics d;
        auto ec = co_await request(d, st, deadline);
        // The refresher's own cancellation or deadline is not IAM's answer: waiters retry.
        bool own_reason =
            st.cancelled || ec == asio::error::operation_aborted || ec == errc::deadline_exceeded;
        guard.ended = true;
        end_refresh(own_reason ? error_code{} : ec, d);
        if (st.cancelled) co_return asio::error::operation_aborted;
        if (ec) {
            diag = std::move(d);
            co_return ec;
        }
    }
}

}  // namespace swr::detail
