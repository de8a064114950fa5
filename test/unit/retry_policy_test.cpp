// Retry decisions with a pinned random source and clock: no test sleeps.
#include "client/retry_policy.hpp"

#include <doctest/doctest.h>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>

#include <vector>

using namespace std::chrono_literals;
using swr::errc;
using swr::detail::retry_budget;
using swr::detail::retry_policy;

TEST_CASE("retry policy: full-jitter exponential backoff, capped, 3 attempts in total") {
    swr::retry_options o;
    retry_budget b(500);
    double r = 1.0;  // the top of the jitter range
    retry_policy p(o, &b, [&] { return r; });
    auto d1 = p.on_failure(1, errc::server_error, std::nullopt, std::nullopt);
    CHECK(d1.retry);
    CHECK(d1.delay == 100ms);
    auto d2 = p.on_failure(2, errc::server_error, std::nullopt, std::nullopt);
    CHECK(d2.delay == 200ms);
    auto d3 = p.on_failure(3, errc::server_error, std::nullopt, std::nullopt);
    CHECK_FALSE(d3.retry);
    CHECK(d3.reason == swr::detail::stop_reason::attempts_exhausted);
    r = 0.5;
    CHECK(p.on_failure(1, errc::throttled, std::nullopt, std::nullopt).delay == 250ms);
    o.max_attempts = 30;
    r = 1.0;
    CHECK(p.on_failure(20, errc::server_error, std::nullopt, std::nullopt).delay == 20s);
    r = 0.0;
    CHECK(p.on_failure(2, errc::server_error, std::nullopt, std::nullopt).delay == 0ms);
}

TEST_CASE("retry policy: what is retried and what is not") {
    // The one list: is_retryable() and the policy's decision must agree on every entry.
    swr::retry_options o;
    retry_policy p(o, nullptr, [] { return 0.0; });
    struct row {
        swr::error_code ec;
        bool retried;
    };
    const swr::error_code tls_verify(static_cast<int>(0x1416F086),
                                     boost::asio::error::get_ssl_category());
    for (const auto& [ec, retried] : std::vector<row>{
             {errc::server_error, true},
             {errc::throttled, true},
             {errc::bad_response, true},
             {errc::connect_timeout, true},
             {errc::handshake_timeout, true},
             {errc::request_timeout, true},
             {boost::asio::error::connection_refused, true},
             {boost::asio::error::connection_reset, true},
             {boost::asio::error::eof, true},
             {boost::asio::ssl::error::stream_truncated, true},
             {errc::not_found, false},
             {errc::unauthorized, false},
             {errc::forbidden, false},
             {errc::bad_request, false},
             {errc::http_status, false},
             {errc::decode_failed, false},
             {errc::header_too_large, false},
             {errc::body_too_large, false},
             {errc::invalid_request, false},
             {errc::deadline_exceeded, false},
             {errc::proxy_error, false},
             {errc::callback_failed, false},
             {boost::asio::error::operation_aborted, false},
             {tls_verify, false},
             {swr::error_code{}, false},
         }) {
        CAPTURE(ec.message());
        CHECK(swr::is_retryable(ec) == retried);
        if (ec) CHECK(p.on_failure(1, ec, std::nullopt, std::nullopt).retry == retried);
    }
}

TEST_CASE("retry policy: Retry-After is honoured, capped, and never past the deadline") {
    swr::retry_options o;
    retry_policy p(o, nullptr, [] { return 0.0; });
    auto d = p.on_failure(1, errc::throttled, 3000ms, std::nullopt);
    CHECK(d.retry);
    CHECK(d.delay == 3000ms);
    CHECK(p.on_failure(1, errc::throttled, 3600s, std::nullopt).delay == 60s);
    auto late = p.on_failure(1, errc::throttled, 3000ms, 1000ms);
    CHECK_FALSE(late.retry);
    CHECK(late.reason == swr::detail::stop_reason::past_deadline);
    o.honor_retry_after = false;
    CHECK(p.on_failure(1, errc::throttled, 3000ms, std::nullopt).delay == 0ms);
}

TEST_CASE("retry budget: retries take tokens, timeouts more, successes refund") {
    swr::retry_options o;
    retry_budget b(12);
    retry_policy p(o, &b, [] { return 0.0; });
    CHECK(p.on_failure(1, errc::server_error, std::nullopt, std::nullopt).retry);  // 12 -> 7
    CHECK(b.tokens() == 7);
    auto d = p.on_failure(1, errc::request_timeout, std::nullopt, std::nullopt);  // needs 10
    CHECK_FALSE(d.retry);
    CHECK(d.reason == swr::detail::stop_reason::budget_exhausted);
    CHECK(p.on_failure(1, errc::server_error, std::nullopt, std::nullopt).retry);  // 7 -> 2
    CHECK_FALSE(p.on_failure(1, errc::server_error, std::nullopt, std::nullopt).retry);
    for (int i = 0; i < 3; ++i) p.on_success();
    CHECK(b.tokens() == 5);
    CHECK(p.on_failure(1, errc::server_error, std::nullopt, std::nullopt).retry);
    for (int i = 0; i < 100; ++i) p.on_success();
    CHECK(b.tokens() == 12);  // never above capacity
    o.budget = false;
    retry_budget empty(0);
    retry_policy q(o, &empty, [] { return 0.0; });
    CHECK(q.on_failure(1, errc::server_error, std::nullopt, std::nullopt).retry);
}

TEST_CASE("Retry-After parsing: seconds, HTTP-dates, garbage") {
    using swr::detail::parse_retry_after;
    auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
    CHECK(parse_retry_after("120", now) == 120s);
    CHECK(parse_retry_after(" 0 ", now) == 0s);
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now) == 10s);
    CHECK(parse_retry_after("Sunday, 06-Nov-94 08:50:37 GMT", now) == 60s);
    CHECK(parse_retry_after("Sun Nov  6 08:49:57 1994", now) == 20s);
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now) == 0s);  // in the past
    CHECK_FALSE(parse_retry_after("-5", now));
    CHECK_FALSE(parse_retry_after("soon", now));
    CHECK_FALSE(parse_retry_after("", now));
    CHECK_FALSE(parse_retry_after("1.5", now));
    CHECK_FALSE(parse_retry_after("Sun, 06 Foo 1994 08:49:47 GMT", now));
    CHECK(parse_retry_after("99999999999999999999999", now) >= 60s);  // huge: capped later
    CHECK_FALSE(parse_retry_after("Sun Nov  6 08:49:3 71994", now));  // found by fuzzing: overflow
}

TEST_CASE("retry policy: a call's own max_attempts overrides the client's") {
    swr::retry_options o;
    o.max_attempts = 5;
    retry_policy p(o, nullptr, [] { return 0.0; });
    p.limit_attempts(1);
    auto d = p.on_failure(1, errc::server_error, std::nullopt, std::nullopt);
    CHECK_FALSE(d.retry);
    CHECK(d.reason == swr::detail::stop_reason::attempts_exhausted);
    retry_policy q(o, nullptr, [] { return 0.0; });
    CHECK(q.on_failure(4, errc::server_error, std::nullopt, std::nullopt).retry);
}
