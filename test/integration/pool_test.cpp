// The connection pool: idle timeout, first-come-first-served waiters, and a deadline that passes
// while a call waits for a connection. Checked by counting connections and completions.
#include "support/preamble.hpp"

#include "client/client_impl.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include <numeric>

namespace {

asio::awaitable<int> pause(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(asio::use_awaitable);
    co_return 0;
}

}  // namespace

TEST_CASE("pool: a connection idle longer than pool.idle_timeout is not reused") {
    fixture f;
    auto opts = f.options();
    SUBCASE("idle past the timeout: a new connection") {
        opts.pool.idle_timeout = 1ms;
        client c(f.ioc.get_executor(), opts);
        REQUIRE_FALSE(f.list(c, f.request()).ec);
        f.run(pause(20ms));  // the assertion is on the connections, not on the time
        REQUIRE_FALSE(f.list(c, f.request()).ec);
        CHECK(c.stats().connections_opened == 2);
        CHECK(f.emu.counters().connections_accepted == 2);
    }
    SUBCASE("the same pause within the timeout: the same connection") {
        opts.pool.idle_timeout = 50s;
        client c(f.ioc.get_executor(), opts);
        REQUIRE_FALSE(f.list(c, f.request()).ec);
        f.run(pause(20ms));
        REQUIRE_FALSE(f.list(c, f.request()).ec);
        CHECK(c.stats().connections_opened == 1);
        CHECK(f.emu.counters().connections_accepted == 1);
    }
}

TEST_CASE("pool: calls waiting for a connection get it first come, first served") {
    fixture f;
    auto opts = f.options();
    opts.pool.max_connections = 1;
    client c(f.ioc.get_executor(), opts);
    // All issued before the io_context runs: the first takes the one connection, the other
    // seven wait in line for it.
    std::vector<int> order;
    for (int i = 0; i < 8; ++i) {
        auto r = f.request(1);
        r.limit = 1;
        r.offset = i;
        c.async_list_tasks(r, [&, i](error_code ec, page p) {
            CHECK_FALSE(ec);
            CHECK(p == f.emu.data().make_page(1, i, 1, {}));
            order.push_back(i);
        });
    }
    f.ioc.run_for(30s);
    REQUIRE(f.ioc.stopped());
    std::vector<int> issued(8);
    std::iota(issued.begin(), issued.end(), 0);
    CHECK(order == issued);
    CHECK(c.stats().connections_opened == 1);
    CHECK(f.emu.counters().max_in_flight == 1);
}

TEST_CASE("pool: a deadline that passes while waiting for a connection fails the waiter") {
    fixture f;
    auto opts = f.options();
    opts.pool.max_connections = 1;
    opts.timeouts.request = 0ms;
    opts.timeouts.deadline = 0ms;  // the holder: only its cancellation ends it
    client c(f.ioc.get_executor(), opts);
    f.emu.inject({.what = kind::no_response});
    asio::cancellation_signal cancel_holder;
    std::optional<error_code> holder;
    c.async_list_tasks(f.request(),
                       asio::bind_cancellation_slot(cancel_holder.slot(),
                                                    [&](error_code ec, page) { holder = ec; }));
    for (int i = 0; i < 2000 && f.emu.counters().task_requests == 0; ++i) f.ioc.run_for(5ms);
    REQUIRE_MESSAGE(f.emu.counters().task_requests == 1, "the holder's request never arrived");

    // Every call of a client shares timeouts.deadline, and the holder's, started first, would
    // free the connection before the waiter's passed. So the waiter alone gets one, set on the
    // client's state while its io_context (run by this thread) is idle.
    detail::client_access::impl(c)->options.timeouts.deadline = 100ms;
    std::optional<error_code> waiter;
    diagnostics diag;
    c.async_list_tasks(f.request(), diag, [&](error_code ec, page) { waiter = ec; });
    for (int i = 0; i < 2000 && !waiter; ++i) f.ioc.run_for(5ms);
    REQUIRE_MESSAGE(waiter, "the waiter never completed");
    CHECK(*waiter == errc::deadline_exceeded);
    CHECK(diag.attempts == 0);  // it never had a connection to try
    CHECK_FALSE(holder);        // the connection is still held
    CHECK(f.emu.counters().task_requests == 1);
    CHECK(c.stats().connections_opened == 1);

    cancel_holder.emit(asio::cancellation_type::terminal);
    f.ioc.run_for(10s);
    REQUIRE(f.ioc.stopped());
    f.ioc.restart();
    REQUIRE(holder);
    CHECK(*holder == asio::error::operation_aborted);
}
