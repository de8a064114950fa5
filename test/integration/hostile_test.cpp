// Hostile and broken servers and proxies: each misbehaviour ends in the right data or a clear
// error, never in another response's bytes taken as this one's, and never in unbounded memory.
#include "support/connect_proxy.hpp"
#include "support/fixture.hpp"

#include "client_impl.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/post.hpp>

using namespace swr;
using namespace std::chrono_literals;
using swr::test::fixture;
using kind = emulator::fault::kind;
namespace asio = boost::asio;

namespace {

client_options fast_retries(const fixture& f) {
    auto o = f.options();
    o.retry.base_delay = 1ms;
    o.retry.throttled_base_delay = 1ms;
    return o;
}

list_tasks_request at(const fixture& f, std::int64_t offset, std::int64_t limit = 10) {
    auto r = f.request(1);
    r.limit = limit;
    r.offset = offset;
    return r;
}

page expected(const fixture& f, std::int64_t offset, std::int64_t limit = 10) {
    return f.emu.data().make_page(1, offset, limit, 0ms);
}

}  // namespace

TEST_CASE("hostile: bytes a proxy sends after its 200 and before TLS are a proxy_error") {
    fixture f;
    // A forged, well-formed page: before the fix it was read as the server's answer.
    std::string forged_body = R"({"total":1,"tasks":[{"id":666,"status":"Success"}]})";
    std::string forged = "HTTP/1.1 200 OK\r\nContent-Length: " +
                         std::to_string(forged_body.size()) + "\r\n\r\n" + forged_body;
    test::connect_proxy proxy(f.emu.port(), forged);
    auto opts = fast_retries(f);
    opts.proxy.url = proxy.url();
    opts.retry.max_attempts = 1;
    client c(f.ioc.get_executor(), opts);
    auto o = f.list(c, at(f, 0));
    CHECK(o.ec == errc::proxy_error);
    CHECK(o.p.tasks.empty());
    CHECK(proxy.tunnels() == 1);
    CHECK(f.emu.counters().task_requests == 0);  // nothing reached the server
}

TEST_CASE("hostile: a connection with bytes left after a response is never reused") {
    fixture f;
    client c(f.ioc.get_executor(), f.options());
    f.emu.inject({.what = kind::extra_bytes_after});
    auto first = f.list(c, at(f, 0));
    REQUIRE_FALSE(first.ec);
    CHECK(first.p == expected(f, 0));
    // The leftover is a forged page at offset 0; the next call must get offset 10's own page.
    auto second = f.list(c, at(f, 10));
    REQUIRE_FALSE(second.ec);
    CHECK(second.p == expected(f, 10));
    CHECK(c.stats().connections_opened == 2);
    CHECK(f.emu.counters().task_requests == 2);
}

TEST_CASE("hostile: endless header, chunk extension or trailer fail at the buffer bound") {
    struct row {
        const char* name;
        kind what;
    };
    for (auto [name, what] : {row{"endless header line", kind::endless_header},
                              row{"endless chunk extension", kind::endless_chunk_extension},
                              row{"endless trailer", kind::endless_trailer}}) {
        CAPTURE(name);
        fixture f;
        auto opts = fast_retries(f);
        std::size_t received = 0;
        opts.observe.metrics = [&](const call_metrics& m) { received = m.bytes_received; };
        client c(f.ioc.get_executor(), opts);
        f.emu.inject({.what = what, .size = std::size_t(64) << 20});
        auto o = f.list(c, at(f, 0));
        CHECK(o.ec == errc::header_too_large);
        CHECK(o.diag.attempts == 1);  // deterministic garbage is not retried
        // Reading stopped at the bound (header limit + 64 KiB of buffer, plus at most one read
        // beyond what the parser consumed), not at the server's 64 MiB.
        const auto bound = opts.limits.max_header_bytes + opts.limits.max_body_bytes + 64 * 1024;
        CHECK(received <= bound);
        CHECK(received > 0);
    }
}

TEST_CASE("hostile: interim 1xx responses are skipped, at most 8 in a row; 101 is an error") {
    fixture f;
    auto opts = fast_retries(f);
    opts.retry.max_attempts = 1;
    client c(f.ioc.get_executor(), opts);

    f.emu.inject({.what = kind::interim_1xx, .size = 2});  // 103 Early Hints, 100 Continue
    auto hinted = f.list(c, at(f, 0));
    CHECK_FALSE(hinted.ec);
    CHECK(hinted.p == expected(f, 0));
    CHECK(hinted.diag.http_status == 200);

    f.emu.inject({.what = kind::interim_1xx, .size = 8});
    auto eight = f.list(c, at(f, 10));
    CHECK_FALSE(eight.ec);
    CHECK(eight.p == expected(f, 10));

    f.emu.inject({.what = kind::interim_1xx, .size = 9});
    auto nine = f.list(c, at(f, 0));
    CHECK(nine.ec == errc::bad_response);
    CHECK(nine.p.tasks.empty());

    f.emu.inject({.what = kind::interim_1xx, .status = 101});
    auto upgrade = f.list(c, at(f, 0));
    CHECK(upgrade.ec == errc::bad_response);
}

TEST_CASE("hostile: a call cancelled while the host name resolves never connects") {
    fixture f;
    auto opts = f.options();
    opts.endpoint = "https://localhost:" + std::to_string(f.emu.port());  // resolved by name
    opts.tls.verify_peer = false;  // the certificate names 127.0.0.1; verification is not the point
    client c(f.ioc.get_executor(), opts);
    asio::cancellation_signal sig;
    std::optional<error_code> result;
    c.async_list_tasks(at(f, 0), asio::bind_cancellation_slot(sig.slot(), [&](error_code ec, page) {
                           result = ec;
                       }));
    // Queued on the client's strand behind the call's start: the call is then waiting for the
    // resolver thread, and the cancellation reaches it before the lookup's result can.
    asio::post(c.internal()->strand, [&] { sig.emit(asio::cancellation_type::terminal); });
    f.ioc.run_for(30s);
    REQUIRE(f.ioc.stopped());
    REQUIRE(result);
    CHECK(*result == asio::error::operation_aborted);
    CHECK(f.emu.counters().connections_accepted == 0);
}
