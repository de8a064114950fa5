#pragma once
// Integration fixture: an emulator on loopback (its own thread) and a client on an io_context
// that the test drives. run() fails the test if the io_context still has work after the call.

#include <swr/client.hpp>
#include <swr/emulator/emulator.hpp>

#include <doctest/doctest.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <exception>
#include <optional>

namespace swr::test {

namespace asio = boost::asio;

inline emulator::server_options emulator_defaults() {
    emulator::server_options o;
    o.token = "test-token";
    o.ak = "TESTAK";
    o.sk = "test-secret-key";
    return o;
}

/// What one call gave back: the error, the page and the diagnostics.
struct outcome {
    error_code ec;
    page p;
    diagnostics diag;
};

/// One async_list_tasks from a coroutine.
inline asio::awaitable<outcome> list_once(client& c, list_tasks_request r) {
    outcome o;
    std::tie(o.ec, o.p) =
        co_await c.async_list_tasks(std::move(r), o.diag, asio::as_tuple(asio::use_awaitable));
    co_return o;
}

struct fixture {
    emulator::server emu;
    asio::io_context ioc;

    explicit fixture(emulator::server_options o = emulator_defaults()) : emu(std::move(o)) {}

    client_options options(credentials creds = credentials::token("test-token")) const {
        client_options o;
        o.endpoint = emu.endpoint();
        o.project_id = "proj-1";
        o.credentials = std::move(creds);
        o.tls.ca_pem = emu.ca_pem();
        o.tls.use_system_trust = false;
        return o;
    }

    /// options() with retries that wait 1 ms: fault tests stay fast.
    client_options fast_retries(credentials creds = credentials::token("test-token")) const {
        auto o = options(std::move(creds));
        o.retry.base_delay = std::chrono::milliseconds(1);
        o.retry.throttled_base_delay = std::chrono::milliseconds(1);
        return o;
    }

    list_tasks_request request(std::int64_t execution = 1) const {
        list_tasks_request r;
        r.instance_id = emu.data().options().instance_id;
        r.namespace_name = emu.data().options().namespace_name;
        r.policy_id = emu.data().options().policy_id;
        r.execution_id = execution;
        return r;
    }

    /// Runs a coroutine to completion; requires that nothing is left running afterwards.
    template <class Awaitable>
    auto run(Awaitable a, std::chrono::seconds limit = std::chrono::seconds(60)) {
        using T = typename Awaitable::value_type;
        std::optional<T> result;
        std::exception_ptr error;
        asio::co_spawn(ioc, std::move(a), [&](std::exception_ptr e, T v) {
            error = e;
            result.emplace(std::move(v));
        });
        ioc.run_for(limit);
        REQUIRE_MESSAGE(ioc.stopped(), "the io_context still has work after the call");
        ioc.restart();
        if (error) std::rethrow_exception(error);
        REQUIRE(result);
        return std::move(*result);
    }

    /// One call, run to completion.
    outcome list(client& c, list_tasks_request r) { return run(list_once(c, std::move(r))); }
};

}  // namespace swr::test
