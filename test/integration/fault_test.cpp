// The fault matrix: one test per scripted misbehaviour of the emulator. The client either
// recovers with the right data or fails with a clear error, as the retry policy says.
#include "support/preamble.hpp"

#include <swr/watch.hpp>

#include <boost/asio/as_tuple.hpp>

#include <ctime>

namespace {

page expected(const fixture& f, std::int64_t limit = 10) {
    return f.emu.data().make_page(1, 0, limit, 0ms);
}

list_tasks_request paged(const fixture& f, std::int64_t limit = 10) {
    auto r = f.request(1);
    r.limit = limit;
    r.offset = 0;
    return r;
}

}  // namespace

TEST_CASE("fault: transient failures are retried and the right page comes back") {
    struct row {
        const char* name;
        emulator::fault fault;
        long long retry_after_ms;   // the hint the diagnostics keep: -1 none or ignored
        std::uint64_t connections;  // a failed connection is never reused
    };
    const std::vector<row> rows = {
        {"503", {.what = kind::status, .status = 503}, -1, 1},
        {"500", {.what = kind::status, .status = 500}, -1, 1},
        {"502", {.what = kind::status, .status = 502}, -1, 1},
        {"504", {.what = kind::status, .status = 504}, -1, 1},
        {"429 with Retry-After: 0",
         {.what = kind::status, .status = 429, .retry_after = "0"},
         0,
         1},
        {"429 with garbage Retry-After",
         {.what = kind::status, .status = 429, .retry_after = "soon"},
         -1,
         1},
        {"headers then close", {.what = kind::headers_then_close}, -1, 2},
        {"body cut short then close", {.what = kind::truncated_body}, -1, 2},
        {"reset mid-body", {.what = kind::reset_mid_body}, -1, 2},
        {"close before the response (fresh connection)",
         {.what = kind::close_before_response},
         -1,
         2},
    };
    for (const auto& [name, ft, retry_after_ms, connections] : rows) {
        CAPTURE(name);
        fixture f;
        client c(f.ioc.get_executor(), f.fast_retries());
        f.emu.inject(ft);
        auto o = f.list(c, paged(f));
        CHECK_FALSE(o.ec);
        CHECK(o.p == expected(f));
        CHECK(o.diag.attempts == 2);
        CHECK(o.diag.retry_after.value_or(-1ms).count() == retry_after_ms);
        CHECK(c.stats().retries == 1);
        CHECK(c.stats().connections_opened == connections);
        CHECK(f.emu.counters().connections_accepted == connections);
    }
}

TEST_CASE("fault: a response cut short is bad_response itself, never a partial page") {
    for (auto k : {kind::headers_then_close, kind::truncated_body, kind::reset_mid_body}) {
        CAPTURE(static_cast<int>(k));
        fixture f;
        auto opts = f.fast_retries();
        opts.retry.max_attempts = 1;
        client c(f.ioc.get_executor(), opts);
        f.emu.inject({.what = k});
        auto o = f.list(c, paged(f));
        CHECK(o.ec == errc::bad_response);
        CHECK(is_retryable(o.ec));
        CHECK(o.diag.attempts == 1);
        CHECK(o.p.tasks.empty());
        // The broken connection is dropped: the next call opens another.
        auto again = f.list(c, paged(f));
        CHECK_FALSE(again.ec);
        CHECK(again.p == expected(f));
        CHECK(c.stats().connections_opened == 2);
    }
}

TEST_CASE("fault: a response that never completes times out and is retried") {
    fixture f;
    auto opts = f.fast_retries();
    opts.timeouts.request = 150ms;
    client c(f.ioc.get_executor(), opts);
    SUBCASE("slow loris: one byte every 20 ms") {
        f.emu.inject({.what = kind::slow_body, .delay = 20ms});
    }
    SUBCASE("latency beyond the request timeout") {
        f.emu.inject({.what = kind::latency, .delay = 400ms});
    }
    SUBCASE("accepts the request and never answers") { f.emu.inject({.what = kind::no_response}); }
    auto o = f.list(c, paged(f, 1));
    CHECK_FALSE(o.ec);
    CHECK(o.p == expected(f, 1));
    CHECK(o.diag.attempts == 2);
}

TEST_CASE("fault: every attempt failing ends with the last error after 3 attempts") {
    fixture f;
    client c(f.ioc.get_executor(), f.fast_retries());
    f.emu.inject({.what = kind::status, .status = 503}, 3);
    auto o = f.list(c, paged(f));
    CHECK(o.ec == errc::server_error);
    CHECK(o.diag.attempts == 3);
    CHECK(o.diag.http_status == 503);
    CHECK(o.p.tasks.empty());
    CHECK(f.emu.counters().task_requests == 3);
}

TEST_CASE("fault: what is never retried") {
    struct row {
        const char* name;
        emulator::fault fault;
        errc expected;
        const char* error_code;  // the service's, from the error body
        const char* error_msg;
        const char* message;  // the client's own, a prefix
    };
    const std::vector<row> rows = {
        {"400",
         {.what = kind::status, .status = 400},
         errc::bad_request,
         "SWR.FAULT",
         "injected fault",
         ""},
        {"403",
         {.what = kind::status, .status = 403},
         errc::forbidden,
         "SWR.FAULT",
         "injected fault",
         ""},
        {"404",
         {.what = kind::status, .status = 404},
         errc::not_found,
         "SWR.FAULT",
         "injected fault",
         ""},
        // Only 500, 502, 503 and 504 are retried ("transient failures"); no other 5xx.
        {"501",
         {.what = kind::status, .status = 501},
         errc::http_status,
         "SWR.FAULT",
         "injected fault",
         ""},
        {"505",
         {.what = kind::status, .status = 505},
         errc::http_status,
         "SWR.FAULT",
         "injected fault",
         ""},
        {"507",
         {.what = kind::status, .status = 507},
         errc::http_status,
         "SWR.FAULT",
         "injected fault",
         ""},
        {"malformed JSON",
         {.what = kind::malformed_json},
         errc::decode_failed,
         "",
         "",
         "$: invalid JSON"},
        {"wrong types",
         {.what = kind::wrong_types},
         errc::decode_failed,
         "",
         "",
         "tasks[0].id: expected integer"},
        {"oversized body",
         {.what = kind::oversized_body, .size = 9 * 1024 * 1024},
         errc::body_too_large,
         "",
         "",
         ""},
    };
    for (const auto& [name, ft, e, error_code, error_msg, message] : rows) {
        CAPTURE(name);
        fixture f;
        auto opts = f.fast_retries();
        std::size_t received = 0;
        opts.observe.metrics = [&](const call_metrics& m) { received = m.bytes_received; };
        client c(f.ioc.get_executor(), opts);
        f.emu.inject(ft);
        auto o = f.list(c, paged(f));
        CHECK(o.ec == e);
        CHECK_FALSE(is_retryable(o.ec));
        CHECK(o.diag.attempts == 1);
        CHECK(o.p.tasks.empty());
        CHECK(o.diag.error_code == error_code);
        CHECK(o.diag.error_msg == error_msg);
        CHECK(o.diag.message.starts_with(message));
        if (e == errc::body_too_large) {
            // Reading stopped at the limit (plus at most one read), not at the server's 9 MiB.
            CHECK(received <= opts.limits.max_body_bytes + 128 * 1024);
        } else {
            CHECK(o.diag.http_status == (ft.what == kind::status ? ft.status : 200u));
            CHECK_FALSE(o.diag.request_id.empty());
        }
        CHECK(f.emu.counters().task_requests == 1);
    }
}

TEST_CASE("fault: framing variants give the same page") {
    for (auto k : {kind::chunked_1byte, kind::close_delimited}) {
        fixture f;
        client c(f.ioc.get_executor(), f.options());
        f.emu.inject({.what = k});
        auto o = f.list(c, paged(f, 100));
        CHECK_FALSE(o.ec);
        CHECK(o.p == expected(f, 100));
        CHECK(o.diag.attempts == 1);
        // The connection after a close-delimited body is not reused; the next call still works.
        auto again = f.list(c, paged(f, 100));
        CHECK_FALSE(again.ec);
        CHECK(again.p == expected(f, 100));
    }
}

TEST_CASE("fault: Retry-After beyond the deadline fails at once as throttled, with the hint") {
    fixture f;
    auto opts = f.fast_retries();
    opts.timeouts.deadline = 50s;
    client c(f.ioc.get_executor(), opts);
    f.emu.inject({.what = kind::status, .status = 429, .retry_after = "100"});
    // A client that waited (for the hint, or for the deadline) would still be busy when run()
    // gives up, and fail there.
    auto o = f.run(swr::test::list_once(c, paged(f)), 10s);
    CHECK(o.ec == errc::throttled);
    CHECK(o.diag.retry_after == 100000ms);
    CHECK(o.diag.attempts == 1);
    CHECK(o.diag.message == "the wait would pass the deadline");
    CHECK(f.emu.counters().task_requests == 1);
}

TEST_CASE("fault: the retry budget stops retries during an outage of bulk polling") {
    auto eo = swr::test::emulator_defaults();
    eo.data.executions = 6;
    fixture f(eo);
    auto opts = f.fast_retries();
    opts.retry.budget_capacity = 10;  // two retries' worth
    client c(f.ioc.get_executor(), opts);
    f.emu.inject({.what = kind::status, .status = 503}, 100);
    std::vector<watch_target> targets;
    for (std::int64_t e = 1; e <= 6; ++e) targets.push_back({"ins-emulator", "library", 1, e, ""});
    // One poll at a time, one failure ends an execution: every call is counted on its own.
    watch_options wo{.interval = 1ms, .max_concurrency = 1, .max_consecutive_failures = 1};
    std::vector<unsigned> attempts;
    auto [ec, results] =
        f.run([&]() -> asio::awaitable<std::tuple<error_code, std::vector<watch_result>>> {
            co_return co_await async_watch(
                c, targets, wo,
                [&](const execution_update& u) {
                    if (u.ec) attempts.push_back(u.diag->attempts);
                },
                use_tuple);
        }());
    f.emu.clear_faults();
    REQUIRE_FALSE(ec);
    REQUIRE(results.size() == 6);
    // The first call spends the budget (10 -> 0 tokens); every later one fails at once.
    CHECK(attempts == std::vector<unsigned>{3, 1, 1, 1, 1, 1});
    for (const auto& r : results) {
        CHECK(r.ec == errc::server_error);
        CHECK(r.polls == 1);
    }
    CHECK(results[5].diag.message == "retry budget exhausted");
    CHECK(f.emu.counters().task_requests == 3 + 5);
}

TEST_CASE("fault: a 401 with token credentials calls the refresh hook once, then retries") {
    fixture f;
    auto opts = f.options(credentials::token("expired-token"));
    int refreshes = 0;
    opts.retry.refresh_token = [&] {
        ++refreshes;
        return std::string("test-token");
    };
    client c(f.ioc.get_executor(), opts);
    auto o = f.list(c, paged(f));
    CHECK_FALSE(o.ec);
    CHECK(refreshes == 1);
    CHECK(o.p == expected(f));
    auto again = f.list(c, paged(f));  // the fresh token is kept
    CHECK_FALSE(again.ec);
    CHECK(refreshes == 1);

    auto bad = f.options(credentials::token("expired-token"));
    bad.retry.refresh_token = [&] {
        ++refreshes;
        return std::string("still-wrong");
    };
    client c2(f.ioc.get_executor(), bad);
    auto o2 = f.list(c2, paged(f));
    CHECK(o2.ec == errc::unauthorized);
    CHECK(refreshes == 2);  // once, not in a loop
}

TEST_CASE("fault: a close-delimited body without TLS close_notify is never accepted") {
    fixture f;
    auto opts = f.fast_retries();
    opts.retry.max_attempts = 1;
    client c(f.ioc.get_executor(), opts);
    f.emu.inject({.what = kind::close_delimited_unclean});
    auto o = f.list(c, paged(f, 100));
    CHECK(o.ec == errc::bad_response);
    CHECK(o.p.tasks.empty());
    // With retries on, the next attempt gets the page.
    client retrying(f.ioc.get_executor(), f.fast_retries());
    f.emu.inject({.what = kind::close_delimited_unclean});
    auto r = f.list(retrying, paged(f, 100));
    CHECK_FALSE(r.ec);
    CHECK(r.p == expected(f, 100));
    CHECK(r.diag.attempts == 2);
}

TEST_CASE("fault: a response header over max_header_bytes is header_too_large, not retried") {
    fixture f;
    auto opts = f.fast_retries();
    opts.limits.max_header_bytes = 64;  // the emulator's response header is about 130 bytes
    client c(f.ioc.get_executor(), opts);
    auto o = f.list(c, paged(f));
    CHECK(o.ec == errc::header_too_large);
    CHECK_FALSE(is_retryable(o.ec));
    CHECK(o.diag.attempts == 1);
    CHECK(o.p.tasks.empty());
    CHECK(f.emu.counters().task_requests == 1);

    // The same response fits a limit above its size: the limit is the one configured.
    opts.limits.max_header_bytes = 1024;
    client roomy(f.ioc.get_executor(), opts);
    auto fits = f.list(roomy, paged(f));
    CHECK_FALSE(fits.ec);
    CHECK(fits.p == expected(f));
}

namespace {

// An IMF-fixdate, as a server sends in Retry-After.
std::string http_date(std::chrono::system_clock::time_point t) {
    std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[40];
    return std::string(buf, std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm));
}

}  // namespace

TEST_CASE("fault: a 429 with an HTTP-date Retry-After, through the whole client") {
    fixture f;
    auto opts = f.fast_retries();
    SUBCASE("a date just past: retried at once, the hint kept as 0") {
        client c(f.ioc.get_executor(), opts);
        f.emu.inject({.what = kind::status,
                      .status = 429,
                      .retry_after = http_date(std::chrono::system_clock::now() - 2s)});
        auto o = f.list(c, paged(f));
        CHECK_FALSE(o.ec);
        CHECK(o.p == expected(f));
        CHECK(o.diag.attempts == 2);
        CHECK(o.diag.retry_after == 0ms);
    }
    SUBCASE("a date an hour ahead, past the deadline: throttled at once, the hint kept") {
        opts.timeouts.deadline = 50s;
        client c(f.ioc.get_executor(), opts);
        f.emu.inject({.what = kind::status,
                      .status = 429,
                      .retry_after = http_date(std::chrono::system_clock::now() + 1h)});
        auto o = f.run(swr::test::list_once(c, paged(f)), 10s);
        CHECK(o.ec == errc::throttled);
        CHECK(o.diag.attempts == 1);
        REQUIRE(o.diag.retry_after);  // read as a date (garbage would be none)
        CHECK(*o.diag.retry_after > 3'000'000ms);
        CHECK(*o.diag.retry_after <= 3'600'000ms);
        CHECK(o.diag.message == "the wait would pass the deadline");
    }
}

TEST_CASE("fault: a refresh hook that gives no token leaves the 401; it is called once") {
    fixture f;
    auto opts = f.options(credentials::token("expired-token"));
    int refreshes = 0;
    opts.retry.refresh_token = [&] {
        ++refreshes;
        return std::string();
    };
    client c(f.ioc.get_executor(), opts);
    auto o = f.list(c, paged(f));
    CHECK(o.ec == errc::unauthorized);
    CHECK(o.diag.http_status == 401);
    CHECK(o.diag.error_code == "SWR.0401");
    CHECK(o.diag.attempts == 1);
    CHECK(refreshes == 1);
    CHECK(f.emu.counters().task_requests == 0);  // refused at authentication, before the list
    CHECK(f.emu.counters().auth_failures == 1);
}
