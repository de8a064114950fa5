// Client-side rate limiting through the whole client, against the emulator over TLS: the waits,
// the deadline, cancellation while waiting, a Retry-After that holds the whole client, and the
// adaptive rate against the emulator's quota (a listing, and a watch: counts, never times).
#include "support/fixture.hpp"

#include <swr/watch.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

using namespace swr;
using namespace std::chrono_literals;
using swr::test::fixture;
using swr::test::list_once;
namespace asio = boost::asio;

namespace {

// One request per 100 s after the first: the second call's slot is far beyond any test's run.
client_options one_per_100s(const fixture& f) {
    auto o = f.options();
    o.rate.max_rps = 0.01;
    return o;
}

list_tasks_request with_deadline(list_tasks_request r, std::chrono::milliseconds d) {
    r.call.deadline = d;
    return r;
}

}  // namespace

TEST_CASE("rate limit: calls beyond the burst wait for their slots, and every one succeeds") {
    fixture f;
    auto opts = f.options();
    opts.rate.max_rps = 4;
    opts.rate.burst = 2;
    client c(f.ioc.get_executor(), opts);
    CHECK(c.stats().send_rate == 4);
    int ok = 0;
    for (int i = 0; i < 4; ++i)
        c.async_list_tasks(f.request(), [&](error_code ec, const page& p) {
            if (!ec && !p.tasks.empty()) ++ok;
        });
    f.ioc.run_for(30s);
    REQUIRE(f.ioc.stopped());
    CHECK(ok == 4);
    // Four calls started together: two go at once (the burst), two wait.
    CHECK(c.stats().rate_limited == 2);
    CHECK(f.emu.counters().task_requests == 4);
}

TEST_CASE("rate limit: a slot after the call's deadline fails it at once, nothing sent") {
    fixture f;
    client c(f.ioc.get_executor(), one_per_100s(f));
    REQUIRE_FALSE(f.list(c, f.request()).ec);
    // A client that waited for the slot would still be busy when run() gives up, and fail there.
    auto o = f.run(list_once(c, with_deadline(f.request(), 2s)), 10s);
    CHECK(o.ec == errc::deadline_exceeded);
    CHECK(o.diag.message.find("rate limit: no send slot before the call's deadline") == 0);
    CHECK(o.diag.attempts == 0);
    CHECK(f.emu.counters().task_requests == 1);
    CHECK(c.stats().rate_limited == 0);
}

TEST_CASE("rate limit: a call cancelled while it waits for its slot sends nothing") {
    fixture f;
    client c(f.ioc.get_executor(), one_per_100s(f));
    REQUIRE_FALSE(f.list(c, f.request()).ec);
    asio::cancellation_signal sig;
    int calls = 0;
    error_code got;
    c.async_list_tasks(f.request(),
                       asio::bind_cancellation_slot(sig.slot(), [&](error_code ec, page) {
                           ++calls;
                           got = ec;
                       }));
    // Cancelled once it waits for the slot, however slow the machine is.
    for (int i = 0; i < 2000 && c.stats().rate_limited < 1; ++i) f.ioc.run_for(5ms);
    REQUIRE_MESSAGE(c.stats().rate_limited == 1, "the call never waited for a slot");
    CHECK(calls == 0);
    sig.emit(asio::cancellation_type::terminal);
    f.ioc.run_for(10s);
    REQUIRE(f.ioc.stopped());
    CHECK(calls == 1);
    CHECK(got == asio::error::operation_aborted);
    CHECK(f.emu.counters().task_requests == 1);
}

TEST_CASE("adaptive: a 429's Retry-After holds every call of the client") {
    fixture f;
    auto opts = f.options();
    opts.retry.max_attempts = 1;
    SUBCASE("adaptive") {
        opts.rate.adaptive = true;
        client c(f.ioc.get_executor(), opts);
        f.emu.inject({.what = emulator::fault::kind::status, .status = 429, .retry_after = "30"});
        auto first = f.list(c, f.request());
        CHECK(first.ec == errc::throttled);
        // Another call, with nothing wrong with it: the server asked the client to wait 30 s.
        auto o = f.run(list_once(c, with_deadline(f.request(), 2s)), 10s);
        CHECK(o.ec == errc::throttled);
        REQUIRE(o.diag.retry_after);
        CHECK(*o.diag.retry_after > 0ms);
        CHECK(*o.diag.retry_after <= 30s);
        CHECK(o.diag.message.find("Retry-After holds requests") != std::string::npos);
        CHECK(f.emu.counters().task_requests == 1);
        CHECK(c.stats().throttled == 1);
        CHECK(c.stats().send_rate > 0);  // and the rate came down
    }
    SUBCASE("not adaptive: only the call that got it") {
        client c(f.ioc.get_executor(), opts);
        f.emu.inject({.what = emulator::fault::kind::status, .status = 429, .retry_after = "30"});
        CHECK(f.list(c, f.request()).ec == errc::throttled);
        CHECK_FALSE(f.run(list_once(c, with_deadline(f.request(), 2s)), 10s).ec);
        CHECK(f.emu.counters().task_requests == 2);
        CHECK(c.stats().send_rate == 0);
    }
}

TEST_CASE("adaptive: against a server that throttles, the listing is whole and the rate adapts") {
    auto eo = swr::test::emulator_defaults();
    eo.data.tasks_per_execution = 300;
    eo.throttle.requests_per_second = 20;
    fixture f(eo);
    auto opts = f.options();
    opts.rate.adaptive = true;
    opts.retry.max_attempts = 10;
    client c(f.ioc.get_executor(), opts);
    list_all_options lo;
    lo.page_size = 10;
    auto tasks = f.run(
        [&]() -> asio::awaitable<std::vector<task>> {
            co_return co_await c.async_list_all_tasks(f.request(), lo, asio::use_awaitable);
        }(),
        60s);
    REQUIRE(tasks.size() == 300);
    for (std::size_t i = 0; i < tasks.size(); ++i)
        CHECK(tasks[i].id == 1'000'000 + static_cast<std::int64_t>(i) + 1);
    // Eight pages asked at once of a server that takes one at a time: some were throttled, and
    // every 429 the server sent reached the limiter.
    CHECK(f.emu.counters().throttled >= 1);
    CHECK(c.stats().throttled == f.emu.counters().throttled);
    CHECK(c.stats().send_rate > 0);
}

TEST_CASE("adaptive: a watch under the emulator's quota loses no execution, and few 429s") {
    // 200 executions polled every 2.5 s need 80 requests a second of a quota of 100: the quota
    // allows the whole set at that interval. The client's share is set too high (150 a
    // second), as when processes share an account, and adaptive mode is the safety net.
    auto eo = swr::test::emulator_defaults();
    eo.data.executions = 200;
    eo.data.tasks_per_execution = 10;
    eo.data.pace = 4s;
    eo.throttle.requests_per_second = 100;
    fixture f(eo);
    auto opts = f.options();
    opts.rate.adaptive = true;
    opts.rate.max_rps = 150;
    client c(f.ioc.get_executor(), opts);
    std::vector<watch_target> targets;
    for (std::int64_t e = 1; e <= 200; ++e)
        targets.push_back({"ins-emulator", "library", 1, e, ""});
    watch_options wo;
    wo.interval = 2500ms;
    wo.max_concurrency = 16;
    std::size_t failed_polls = 0;
    auto [ec, results] =
        f.run([&]() -> asio::awaitable<std::tuple<error_code, std::vector<watch_result>>> {
            co_return co_await async_watch(
                c, targets, wo,
                [&](const execution_update& u) {
                    if (u.ec) ++failed_polls;
                },
                asio::as_tuple(asio::use_awaitable));
        }());
    REQUIRE_FALSE(ec);
    REQUIRE(results.size() == 200);
    for (const auto& r : results) {
        CAPTURE(r.target.execution_id);
        CHECK(r.done);
        CHECK_FALSE(r.ec);
        CHECK(r.counts.terminal() == 10);
    }
    CHECK(failed_polls == 0);
    const auto st = c.stats();
    CHECK(st.throttled == f.emu.counters().throttled);
    CHECK(st.requests_sent >= 200);
    CHECK(static_cast<double>(st.throttled) < 0.05 * static_cast<double>(st.requests_sent));
}

TEST_CASE("rate limit: options out of range are refused when the client is made") {
    fixture f;
    auto opts = f.options();
    opts.rate.max_rps = 5;
    opts.rate.burst = 0;
    try {
        client c(f.ioc.get_executor(), opts);
        FAIL("a burst of 0 was accepted");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()) == "rate.burst: must be between 1 and 1000000");
    }
}
