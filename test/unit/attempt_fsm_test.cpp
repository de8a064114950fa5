// One call's attempts, fed scripted outcomes: no sockets.
#include "client/attempt_fsm.hpp"

#include <boost/asio/error.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;
using swr::errc;
using swr::detail::attempt_fsm;
using swr::detail::attempt_outcome;
using swr::detail::next_step;
using swr::detail::retry_budget;
using swr::detail::retry_policy;
using swr::detail::stop_reason;

namespace {

attempt_outcome status(unsigned s, std::optional<std::chrono::milliseconds> retry_after = {}) {
    return {swr::make_error_code(swr::errc_from_status(s)), false, true, s, retry_after};
}

attempt_outcome reset(bool reused, bool got_bytes = false) {
    return {boost::asio::error::connection_reset, reused, got_bytes, 0, std::nullopt};
}

}  // namespace

TEST_CASE("attempts: a dead kept-alive connection is retried once, at once, uncounted") {
    swr::retry_options o;
    retry_policy p(o, nullptr, [] { return 1.0; });
    attempt_fsm f(p, attempt_fsm::auth::fixed);
    CHECK(f.on_failure(reset(true), std::nullopt).step == next_step::retry_on_new_connection);
    CHECK(f.attempt() == 1);
    // The second time it is an ordinary failure: backoff.
    auto d = f.on_failure(reset(true), std::nullopt);
    CHECK(d.step == next_step::wait_then_retry);
    CHECK(d.delay == 100ms);
    CHECK(f.attempt() == 2);
}

TEST_CASE("attempts: no stale retry for a fresh connection, bytes received, or a timeout") {
    swr::retry_options o;
    retry_policy p(o, nullptr, [] { return 0.0; });
    attempt_fsm fresh(p, attempt_fsm::auth::fixed);
    CHECK(fresh.on_failure(reset(false), std::nullopt).step == next_step::wait_then_retry);
    attempt_fsm partial(p, attempt_fsm::auth::fixed);
    CHECK(partial.on_failure(reset(true, true), std::nullopt).step == next_step::wait_then_retry);
    attempt_fsm slow(p, attempt_fsm::auth::fixed);
    attempt_outcome t{swr::make_error_code(errc::request_timeout), true, false, 0, std::nullopt};
    CHECK(slow.on_failure(t, std::nullopt).step == next_step::wait_then_retry);
    attempt_fsm late(p, attempt_fsm::auth::fixed);
    attempt_outcome dl{swr::make_error_code(errc::deadline_exceeded), true, false, 0, std::nullopt};
    auto d = late.on_failure(dl, std::nullopt);
    CHECK(d.step == next_step::give_up);
    CHECK(d.reason == stop_reason::not_retryable);
}

TEST_CASE("attempts: 401 refreshes the IAM token once, then gives up") {
    swr::retry_options o;
    retry_policy p(o, nullptr, [] { return 0.0; });
    attempt_fsm f(p, attempt_fsm::auth::iam_password);
    CHECK(f.on_failure(status(401), std::nullopt).step == next_step::refresh_iam_token);
    CHECK(f.attempt() == 1);
    auto d = f.on_failure(status(401), std::nullopt);
    CHECK(d.step == next_step::give_up);
    CHECK(d.reason == stop_reason::not_retryable);
}

TEST_CASE("attempts: 401 with a token asks the refresh hook once") {
    swr::retry_options o;
    retry_policy p(o, nullptr, [] { return 0.0; });
    attempt_fsm f(p, attempt_fsm::auth::token_with_refresh_hook);
    CHECK(f.on_failure(status(401), std::nullopt).step == next_step::ask_refresh_hook);
    CHECK(f.on_refresh_hook(true, std::nullopt).step == next_step::retry_with_new_token);
    CHECK(f.on_failure(status(401), std::nullopt).step == next_step::give_up);

    attempt_fsm empty(p, attempt_fsm::auth::token_with_refresh_hook);
    CHECK(empty.on_failure(status(401), std::nullopt).step == next_step::ask_refresh_hook);
    auto d = empty.on_refresh_hook(false, std::nullopt);  // no new token: the 401 stands
    CHECK(d.step == next_step::give_up);
    CHECK(d.reason == stop_reason::not_retryable);

    attempt_fsm fixed(p, attempt_fsm::auth::fixed);  // no hook: a 401 is final at once
    CHECK(fixed.on_failure(status(401), std::nullopt).step == next_step::give_up);
}

TEST_CASE(
    "attempts: the policy decides the rest: backoff, Retry-After, attempts, deadline, "
    "budget") {
    swr::retry_options o;
    retry_budget b(15);  // three retries at 5 tokens each
    retry_policy p(o, &b, [] { return 1.0; });
    attempt_fsm f(p, attempt_fsm::auth::fixed);
    auto d1 = f.on_failure(status(503), std::nullopt);
    CHECK(d1.step == next_step::wait_then_retry);
    CHECK(d1.delay == 100ms);
    auto d2 = f.on_failure(status(429, 2s), std::nullopt);
    CHECK(d2.step == next_step::wait_then_retry);
    CHECK(d2.delay == 2s);
    CHECK(f.attempt() == 3);
    auto d3 = f.on_failure(status(503), std::nullopt);
    CHECK(d3.step == next_step::give_up);
    CHECK(d3.reason == stop_reason::attempts_exhausted);

    attempt_fsm g(p, attempt_fsm::auth::fixed);  // 5 tokens left after two retries above
    CHECK(g.on_failure(status(429, 5s), 1s).reason == stop_reason::past_deadline);
    CHECK(g.on_failure(status(503), std::nullopt).step == next_step::wait_then_retry);
    attempt_fsm h(p, attempt_fsm::auth::fixed);
    CHECK(h.on_failure(status(503), std::nullopt).reason == stop_reason::budget_exhausted);
    CHECK(swr::detail::tell_caller(stop_reason::budget_exhausted));
    CHECK_FALSE(swr::detail::tell_caller(stop_reason::attempts_exhausted));
    CHECK(h.on_failure(status(404), std::nullopt).reason == stop_reason::not_retryable);
}
