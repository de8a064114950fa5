// One page over real TLS against the emulator: auth, errors and diagnostics, TLS failures,
// timeouts, cancellation, completion tokens, and connection reuse seen by the server's counters.
#include "support/preamble.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

void check_page_matches(const fixture& f, const page& p, std::int64_t exec, std::int64_t off,
                        std::int64_t lim) {
    auto expected = f.emu.data().make_page(exec, off, lim, std::chrono::milliseconds(0));
    CHECK(p == expected);
}

}  // namespace

TEST_CASE("client: a page over TLS with token and with AK/SK, verified against the emulator's CA") {
    fixture f;
    for (auto creds :
         {credentials::token("test-token"), credentials::aksk("TESTAK", "test-secret-key")}) {
        client c(f.ioc.get_executor(), f.options(creds));
        auto r = f.request(2);
        r.limit = 20;
        r.offset = 40;
        auto o = f.run(list_once(c, r));
        REQUIRE_FALSE(o.ec);
        CHECK(o.diag.http_status == 200);
        CHECK(o.diag.request_id.size() == 16);
        CHECK(o.diag.attempts == 1);
        CHECK(o.p.tasks.size() == 20);
        check_page_matches(f, o.p, 2, 40, 20);
    }
    CHECK(f.emu.counters().auth_failures == 0);
}

TEST_CASE("client: AK/SK with a namespace that needs escaping is signed as sent") {
    auto opts = swr::test::emulator_defaults();
    opts.data.namespace_name = "team+ci/my ns 命名";
    fixture f(opts);
    client c(f.ioc.get_executor(), f.options(credentials::aksk("TESTAK", "test-secret-key")));
    auto o = f.run(list_once(c, f.request(1)));
    REQUIRE_FALSE(o.ec);
    CHECK(o.p.tasks.size() == 10);  // the service's default limit
    CHECK(o.p.tasks[0].namespace_name == "team+ci/my ns 命名");
}

TEST_CASE("client: authentication failures are 401 with the service's diagnostics, not retried") {
    fixture f;
    for (auto creds : {credentials::token("wrong"), credentials::aksk("TESTAK", "wrong-secret"),
                       credentials::aksk("OTHERAK", "test-secret-key"), credentials{}}) {
        client c(f.ioc.get_executor(), f.options(creds));
        auto o = f.run(list_once(c, f.request()));
        CHECK(o.ec == errc::unauthorized);
        CHECK(o.diag.http_status == 401);
        CHECK(o.diag.error_code == "SWR.0401");
        CHECK(o.diag.error_msg == "authentication failed");
        CHECK(o.diag.request_id.size() == 16);
        CHECK(o.diag.attempts == 1);
        CHECK(o.p.tasks.empty());
    }
}

TEST_CASE("client: a signature dated more than 15 minutes off is refused") {
    fixture f;
    auto opts = f.options(credentials::aksk("TESTAK", "test-secret-key"));
    opts.clock = [] { return std::chrono::system_clock::now() - 16min; };
    client c(f.ioc.get_executor(), opts);
    auto o = f.run(list_once(c, f.request()));
    CHECK(o.ec == errc::unauthorized);
    opts.clock = [] { return std::chrono::system_clock::now() - 14min; };
    client c2(f.ioc.get_executor(), opts);
    CHECK_FALSE(f.run(list_once(c2, f.request())).ec);
}

TEST_CASE("client: each error status carries its diagnostics") {
    fixture f;
    auto opts = f.options();
    opts.retry.max_attempts = 1;
    client c(f.ioc.get_executor(), opts);

    auto missing = f.request(99);
    auto o = f.run(list_once(c, missing));
    CHECK(o.ec == errc::not_found);
    CHECK(o.diag.http_status == 404);
    CHECK(o.diag.error_code == "SWR.1005");
    CHECK(o.diag.error_msg == "execution not found");

    auto other_instance = f.request();
    other_instance.instance_id = "nope";
    o = f.run(list_once(c, other_instance));
    CHECK(o.diag.error_code == "SWR.1002");

    struct row {
        unsigned status;
        errc e;
    };
    for (auto [status, e] : {row{400, errc::bad_request}, row{403, errc::forbidden},
                             row{429, errc::throttled}, row{500, errc::server_error},
                             row{503, errc::server_error}, row{418, errc::http_status}}) {
        emulator::fault ft;
        ft.status = status;
        f.emu.inject(ft);
        o = f.run(list_once(c, f.request()));
        CHECK(o.ec == e);
        CHECK(o.diag.http_status == status);
        CHECK(o.diag.error_code == "SWR.FAULT");
        CHECK(o.diag.error_msg == "injected fault");
        CHECK_FALSE(o.diag.request_id.empty());
    }
}

TEST_CASE("client: invalid request is refused before anything is sent") {
    fixture f;
    client c(f.ioc.get_executor(), f.options());
    auto r = f.request();
    r.offset = 5;
    r.limit = 10;
    auto o = f.run(list_once(c, r));
    CHECK(o.ec == errc::invalid_request);
    CHECK(o.diag.message == "offset: must be 0 or a multiple of limit");
    CHECK(c.stats().requests_sent == 0);
    CHECK(f.emu.counters().connections_accepted == 0);
}

TEST_CASE("client: an untrusted certificate fails with a TLS error and is not retried") {
    fixture f;
    auto opts = f.options();
    opts.tls.ca_pem.clear();
    opts.tls.use_system_trust = true;
    client c(f.ioc.get_executor(), opts);
    auto o = f.run(list_once(c, f.request()));
    CHECK(o.ec.category() == asio::error::get_ssl_category());
    CHECK_FALSE(is_retryable(o.ec));
    CHECK(c.stats().requests_sent == 1);
    CHECK(c.stats().connections_opened == 1);
}

TEST_CASE("client: tls.ca_dir, a hashed CA directory, is trusted; an empty one is not") {
    fixture f;
    char tmpl[] = "/tmp/swr-ca-dir-XXXXXX";
    REQUIRE(::mkdtemp(tmpl));
    const std::filesystem::path dir = tmpl, empty = dir / "empty";
    std::filesystem::create_directory(empty);
    // The file name `openssl rehash` gives it: the subject name hash, then ".0".
    const auto& pem = f.emu.ca_pem();
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    X509* ca = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    REQUIRE(ca);
    char name[16];
    std::snprintf(name, sizeof name, "%08lx.0", X509_subject_name_hash(ca));
    X509_free(ca);
    BIO_free(bio);
    std::ofstream(dir / name) << pem;

    auto opts = f.options();
    opts.tls.ca_pem.clear();
    opts.tls.use_system_trust = false;
    opts.tls.ca_dir = dir.string();
    client c(f.ioc.get_executor(), opts);
    auto o = f.list(c, f.request());
    CHECK_FALSE(o.ec);
    CHECK(o.p.tasks.size() == 10);

    opts.tls.ca_dir = empty.string();
    opts.retry.base_delay = 1ms;
    client untrusting(f.ioc.get_executor(), opts);
    auto refused = f.list(untrusting, f.request());
    CHECK(refused.ec.category() == asio::error::get_ssl_category());
    CHECK(refused.diag.attempts == 1);  // a verification failure is never retried
    std::filesystem::remove_all(dir);
}

TEST_CASE("client: certificates for another host, expired or self-signed fail verification") {
    struct row {
        const char* name;
        emulator::certificate_options cert;
    };
    emulator::certificate_options other, expired, self;
    other.names = {"other.example"};
    expired.expired = true;
    self.self_signed = true;
    for (const auto& [name, cert] : {row{"other host", other}, row{"expired", expired}}) {
        CAPTURE(name);
        auto opts = swr::test::emulator_defaults();
        opts.certificate = cert;
        fixture f(opts);
        client c(f.ioc.get_executor(), f.options());
        auto o = f.run(list_once(c, f.request()));
        CHECK(o.ec.category() == asio::error::get_ssl_category());
        CHECK(c.stats().requests_sent == 1);
    }
    // Self-signed: trusted only when that very certificate is trusted; otherwise refused.
    auto opts = swr::test::emulator_defaults();
    opts.certificate = self;
    fixture f(opts);
    auto copts = f.options();
    copts.tls.ca_pem = emulator::generate_certificate().ca_pem;  // some other CA
    client c(f.ioc.get_executor(), copts);
    CHECK(f.run(list_once(c, f.request())).ec.category() == asio::error::get_ssl_category());
    client trusting(f.ioc.get_executor(), f.options());
    CHECK_FALSE(f.run(list_once(trusting, f.request())).ec);
}

TEST_CASE("client: request timeout, handshake timeout and the overall deadline") {
    fixture f;
    SUBCASE("request timeout: the server never answers") {
        auto opts = f.options();
        opts.timeouts.request = 200ms;
        opts.retry.max_attempts = 1;
        client c(f.ioc.get_executor(), opts);
        emulator::fault ft;
        ft.what = emulator::fault::kind::no_response;
        f.emu.inject(ft);
        auto o = f.run(list_once(c, f.request()));
        CHECK(o.ec == errc::request_timeout);
        CHECK(is_retryable(o.ec));
    }
    SUBCASE("deadline: retries stop when the call's deadline passes") {
        auto opts = f.options();
        opts.timeouts.request = 10s;
        opts.timeouts.deadline = 300ms;
        client c(f.ioc.get_executor(), opts);
        emulator::fault ft;
        ft.what = emulator::fault::kind::no_response;
        f.emu.inject(ft, 5);
        auto o = f.run(list_once(c, f.request()));
        CHECK(o.ec == errc::deadline_exceeded);
        CHECK(o.diag.attempts == 1);  // no retry once the deadline has passed
        f.emu.clear_faults();
    }
    SUBCASE("handshake timeout: a listener that accepts and never speaks TLS") {
        asio::io_context silent_ioc;
        asio::ip::tcp::acceptor acc(silent_ioc, {asio::ip::make_address("127.0.0.1"), 0});
        auto opts = f.options();
        opts.endpoint = "https://127.0.0.1:" + std::to_string(acc.local_endpoint().port());
        opts.timeouts.handshake = 200ms;
        opts.retry.max_attempts = 1;
        client c(f.ioc.get_executor(), opts);
        auto o = f.run(list_once(c, f.request()));
        CHECK(o.ec == errc::handshake_timeout);
    }
    SUBCASE("connection refused") {
        asio::ip::tcp::acceptor acc(f.ioc, {asio::ip::make_address("127.0.0.1"), 0});
        auto port = acc.local_endpoint().port();
        acc.close();
        auto opts = f.options();
        opts.endpoint = "https://127.0.0.1:" + std::to_string(port);
        opts.retry.base_delay = 1ms;
        client c(f.ioc.get_executor(), opts);
        auto o = f.run(list_once(c, f.request()));
        CHECK(o.ec == asio::error::connection_refused);
        CHECK(o.diag.attempts == 3);  // retried per the default policy
    }
}

TEST_CASE("client: cancellation mid-request completes once with operation_aborted") {
    fixture f;
    client c(f.ioc.get_executor(), f.options());
    // Warm the pool with one connection.
    REQUIRE_FALSE(f.run(list_once(c, f.request())).ec);
    CHECK(c.stats().connections_opened == 1);

    emulator::fault ft;
    ft.what = emulator::fault::kind::no_response;
    f.emu.inject(ft);
    asio::cancellation_signal sig;
    int calls = 0;
    error_code got;
    c.async_list_tasks(f.request(),
                       asio::bind_cancellation_slot(sig.slot(), [&](error_code ec, page) {
                           ++calls;
                           got = ec;
                       }));
    // Cancelled once the server holds the request: mid-request however slow the machine is.
    for (int i = 0; i < 2000 && f.emu.counters().task_requests < 2; ++i) f.ioc.run_for(5ms);
    REQUIRE_MESSAGE(f.emu.counters().task_requests == 2, "the request never reached the server");
    CHECK(calls == 0);
    sig.emit(asio::cancellation_type::terminal);
    f.ioc.run_for(10s);
    REQUIRE(f.ioc.stopped());
    f.ioc.restart();
    CHECK(calls == 1);
    CHECK(got == asio::error::operation_aborted);

    // The cancelled call's connection was closed, not returned to the pool.
    REQUIRE_FALSE(f.run(list_once(c, f.request())).ec);
    CHECK(c.stats().connections_opened == 2);
}

TEST_CASE("client: racing a timer with awaitable operators cancels the loser") {
    using namespace asio::experimental::awaitable_operators;
    fixture f;
    auto opts = f.options();
    // No timeout and no deadline: only the cancellation can end the call. If it does not, the
    // operator waits for the loser forever and run() fails at its limit instead of hanging.
    opts.timeouts.request = 0ms;
    opts.timeouts.deadline = 0ms;
    client c(f.ioc.get_executor(), opts);
    f.emu.inject({.what = emulator::fault::kind::no_response});
    int completions = 0;
    error_code loser;
    auto call = [&]() -> asio::awaitable<void> {
        auto [ec, p] = co_await c.async_list_tasks(f.request(), use_tuple);
        ++completions;
        loser = ec;
    };
    auto winner = f.run(
        [&]() -> asio::awaitable<std::size_t> {
            asio::steady_timer t(co_await asio::this_coro::executor, 10ms);
            auto r = co_await (call() || t.async_wait(asio::use_awaitable));
            co_return r.index();
        }(),
        10s);
    CHECK(winner == 1);
    CHECK(completions == 1);
    CHECK(loser == asio::error::operation_aborted);
}

TEST_CASE("client: every completion token: use_awaitable, deferred, callback, use_future") {
    fixture f;
    client c(f.ioc.get_executor(), f.options());
    auto r = f.request(3);

    auto p1 = f.run([&]() -> asio::awaitable<page> {
        co_return co_await c.async_list_tasks(r, asio::use_awaitable);
    }());
    CHECK(p1.tasks.size() == 10);

    auto p2 = f.run([&]() -> asio::awaitable<page> {
        // deferred awaited directly: the error_code becomes an exception.
        page p = co_await c.async_list_tasks(r, asio::deferred);
        co_return p;
    }());
    CHECK(p2 == p1);

    page p3;
    c.async_list_tasks(r, [&](error_code ec, page p) {
        CHECK_FALSE(ec);
        p3 = std::move(p);
    });
    f.ioc.run_for(10s);
    f.ioc.restart();
    CHECK(p3 == p1);

    std::thread runner;
    auto work = asio::make_work_guard(f.ioc);
    runner = std::thread([&] { f.ioc.run(); });
    auto fut = c.async_list_tasks(r, asio::use_future);
    auto p4 = fut.get();
    work.reset();
    runner.join();
    f.ioc.restart();
    CHECK(p4 == p1);
}

TEST_CASE("client: 1,000 sequential calls open one connection") {
    fixture f;
    client c(f.ioc.get_executor(), f.options());
    auto n = f.run([&]() -> asio::awaitable<int> {
        int ok = 0;
        for (int i = 0; i < 1000; ++i) {
            auto r = f.request(1 + i % 3);
            r.limit = 10;
            r.offset = (i % 25) * 10;
            auto [ec, p] = co_await c.async_list_tasks(r, use_tuple);
            if (!ec && p.tasks.size() == 10 &&
                p.tasks[0].id == (1 + i % 3) * 1'000'000 + (i % 25) * 10 + 1)
                ++ok;
        }
        co_return ok;
    }());
    CHECK(n == 1000);
    CHECK(f.emu.counters().connections_accepted == 1);
    CHECK(c.stats().connections_opened == 1);
}

TEST_CASE("client: 200 concurrent calls use at most the pool size, all results correct") {
    fixture f;
    auto opts = f.options();
    opts.pool.max_connections = 8;
    client c(f.ioc.get_executor(), opts);
    int ok = 0, done = 0;
    for (int i = 0; i < 200; ++i) {
        auto r = f.request(1 + i % 3);
        r.limit = 5;
        r.offset = (i % 50) * 5;
        c.async_list_tasks(r, [&, i, r](error_code ec, page p) {
            ++done;
            auto expected = f.emu.data().make_page(r.execution_id, *r.offset, 5, {});
            if (!ec && p == expected) ++ok;
            (void)i;
        });
    }
    f.ioc.run_for(30s);
    REQUIRE(f.ioc.stopped());
    CHECK(done == 200);
    CHECK(ok == 200);
    CHECK(f.emu.counters().connections_accepted <= 8);
    CHECK(c.stats().connections_opened <= 8);
}

TEST_CASE("client: a kept-alive connection the server dropped is replaced without failing") {
    fixture f;
    auto opts = f.options();
    opts.retry.max_attempts = 1;  // the stale retry is outside the attempt count
    client c(f.ioc.get_executor(), opts);
    REQUIRE_FALSE(f.run(list_once(c, f.request())).ec);
    emulator::fault ft;
    ft.what = emulator::fault::kind::close_before_response;
    f.emu.inject(ft);
    auto o = f.run(list_once(c, f.request()));
    CHECK_FALSE(o.ec);
    CHECK(o.p.tasks.size() == 10);
    CHECK(c.stats().stale_retries == 1);
    CHECK(c.stats().connections_opened == 2);
}

TEST_CASE("client: plain HTTP on request") {
    auto opts = swr::test::emulator_defaults();
    opts.tls = false;
    fixture f(opts);
    auto co = f.options();
    CHECK(f.emu.endpoint().starts_with("http://"));
    client c(f.ioc.get_executor(), co);
    auto o = f.run(list_once(c, f.request()));
    CHECK_FALSE(o.ec);
    CHECK(o.p.tasks.size() == 10);
}

TEST_CASE("client: bad options are refused at construction, naming the option") {
    asio::io_context ioc;
    client_options o;
    CHECK_THROWS_WITH_AS(client(ioc.get_executor(), o),
                         "endpoint: either endpoint or region must be set", std::invalid_argument);
    o.region = "mars-1";
    CHECK_THROWS_AS(client(ioc.get_executor(), o), std::invalid_argument);
    o.endpoint = "https://x/path";
    CHECK_THROWS_WITH_AS(client(ioc.get_executor(), o), "endpoint: must not have a path",
                         std::invalid_argument);
    o.endpoint = "https://127.0.0.1:1";
    o.tls.ca_file = "/nonexistent/ca.pem";
    CHECK_THROWS_AS(client(ioc.get_executor(), o), std::invalid_argument);
    o.tls.ca_file.clear();
    o.proxy.url = "https://proxy:1";
    CHECK_THROWS_WITH_AS(client(ioc.get_executor(), o), "proxy: must be http://host:port",
                         std::invalid_argument);
    o.proxy.url.clear();
    o.region = "cn-north-4";
    o.endpoint.clear();
    client ok(ioc.get_executor(), o);
    CHECK(ok.options().region == "cn-north-4");
}

TEST_CASE("client: log and metrics hooks; no secret ever reaches the log sink") {
    fixture f;
    for (auto creds : {credentials::token("test-token"),
                       credentials::aksk("TESTAK", "test-secret-key", "sts-secret")}) {
        auto opts = f.options(creds);
        std::vector<std::pair<log_level, std::string>> lines;
        std::vector<call_metrics> metrics;
        opts.observe.min_level = log_level::debug;
        opts.observe.log = [&](log_level l, std::string_view s) {
            lines.emplace_back(l, std::string(s));
        };
        opts.observe.metrics = [&](const call_metrics& m) { metrics.push_back(m); };
        opts.retry.base_delay = 1ms;
        client c(f.ioc.get_executor(), opts);
        f.emu.inject({.what = emulator::fault::kind::status, .status = 503});
        auto o = f.run(list_once(c, f.request()));  // one retry, then success
        CHECK_FALSE(o.ec);
        auto again = f.run(list_once(c, f.request(99)));  // 404
        CHECK(again.ec == errc::not_found);

        REQUIRE(metrics.size() == 2);
        CHECK(metrics[0].attempts == 2);
        CHECK(metrics[0].http_status == 200);
        CHECK(metrics[0].bytes_sent > 100);
        CHECK(metrics[0].bytes_received > 1000);
        CHECK(metrics[0].connection_reused);  // the retry ran on the kept-alive connection
        CHECK(metrics[0].latency.count() > 0);
        CHECK(metrics[1].ec == errc::not_found);
        CHECK(metrics[1].http_status == 404);
        CHECK(metrics[1].execution_id == 99);

        bool saw_retry = false, saw_error = false;
        for (const auto& [level, line] : lines) {
            CAPTURE(line);
            CHECK(line.find("test-token") == std::string::npos);
            CHECK(line.find("test-secret-key") == std::string::npos);
            CHECK(line.find("sts-secret") == std::string::npos);
            CHECK(line.find("Signature") == std::string::npos);
            saw_retry |=
                level == log_level::warning && line.find("attempt 1 failed") != std::string::npos;
            saw_error |= level == log_level::error && line.find("SWR.1005") != std::string::npos;
        }
        CHECK(saw_retry);
        CHECK(saw_error);
    }
}

TEST_CASE("client: calls from several threads on a multi-threaded io_context") {
    fixture f;
    auto opts = f.options();
    opts.pool.max_connections = 4;
    client c(f.ioc.get_executor(), opts);
    std::atomic<int> ok{0}, done{0};
    auto work = asio::make_work_guard(f.ioc);
    std::vector<std::thread> runners;
    for (int t = 0; t < 2; ++t) runners.emplace_back([&] { f.ioc.run(); });
    std::vector<std::thread> callers;
    for (int t = 0; t < 4; ++t)
        callers.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                auto r = f.request(1 + (t + i) % 3);
                r.limit = 10;
                r.offset = (i % 25) * 10;
                c.async_list_tasks(r, [&, r](error_code ec, page p) {
                    if (!ec && p == f.emu.data().make_page(r.execution_id, *r.offset, 10, {})) ++ok;
                    ++done;
                });
                (void)c.stats();
            }
        });
    for (auto& t : callers) t.join();
    // Bounded: a lost completion fails the test instead of hanging it.
    for (int i = 0; i < 3000 && done < 200; ++i) std::this_thread::sleep_for(10ms);
    const bool all_done = done == 200;
    work.reset();
    if (!all_done) f.ioc.stop();
    for (auto& t : runners) t.join();
    f.ioc.restart();
    REQUIRE_MESSAGE(all_done, "only " << done.load() << " of 200 calls completed");
    CHECK(ok == 200);
    CHECK(c.stats().connections_opened <= 4);
}

TEST_CASE("emulator: a given certificate and key are used instead of a generated one") {
    auto cert = emulator::generate_certificate();
    auto o = swr::test::emulator_defaults();
    o.cert_pem = cert.cert_pem;
    o.key_pem = cert.key_pem;
    fixture f(o);
    CHECK(f.emu.ca_pem() == cert.cert_pem);
    auto opts = f.options();
    opts.tls.ca_pem = cert.ca_pem;
    client c(f.ioc.get_executor(), opts);
    auto r = f.list(c, f.request());
    CHECK_FALSE(r.ec);
    CHECK(r.p.tasks.size() == 10);
}

TEST_CASE("client: connect timeout against a listener whose accept queue is full") {
    // A listener with a backlog of 0 that never accepts: once its queue holds a connection,
    // further SYNs are dropped and connect() waits.
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd, 0) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    auto port = ntohs(addr.sin_port);
    asio::io_context filler_io;
    std::vector<std::unique_ptr<asio::ip::tcp::socket>> fillers;
    for (int i = 0; i < 4; ++i) {  // fill the queue; later ones may themselves hang: non-blocking
        auto s = std::make_unique<asio::ip::tcp::socket>(filler_io);
        s->async_connect({asio::ip::make_address("127.0.0.1"), port}, [](error_code) {});
        fillers.push_back(std::move(s));
    }
    filler_io.run_for(200ms);

    fixture f;
    auto opts = f.options();
    opts.endpoint = "https://127.0.0.1:" + std::to_string(port);
    opts.timeouts.connect = 300ms;
    opts.retry.max_attempts = 1;
    client c(f.ioc.get_executor(), opts);
    auto o = f.list(c, f.request());
    CHECK(o.ec == errc::connect_timeout);
    CHECK(is_retryable(o.ec));
    ::close(fd);
}
