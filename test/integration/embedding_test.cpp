// Living inside another Asio service: errors that keep their diagnostics, per-call bounds, one
// page size, cancellation from any thread, clients that share a TLS context.
#include "client/client_impl.hpp"
#include "support/preamble.hpp"

#include <swr/pager.hpp>
#include <swr/with_diagnostics.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <random>
#include <semaphore>
#include <thread>

using namespace swr::test;

namespace {

// Runs `io` on `n` threads for the scope of the object.
struct io_threads {
    asio::io_context& io;
    asio::executor_work_guard<asio::io_context::executor_type> work;
    std::vector<std::thread> threads;
    io_threads(asio::io_context& i, int n) : io(i), work(i.get_executor()) {
        for (int k = 0; k < n; ++k) threads.emplace_back([this] { io.run(); });
    }
    ~io_threads() {
        work.reset();
        for (auto& t : threads) t.join();
    }
};

// The exception a call threw, or an empty optional when it did not throw.
template <class F>
std::optional<error_with_diagnostics> thrown_by(F&& f) {
    try {
        f();
    } catch (const error_with_diagnostics& e) {
        return e;
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE(
    "with_diagnostics: a failure throws the error with its status, service error, request "
    "id and attempts") {
    fixture f;
    auto o = f.fast_retries();
    o.retry.max_attempts = 2;
    client c{f.ioc.get_executor(), o};

    SUBCASE("use_awaitable, one page") {
        f.emu.inject({.what = kind::status, .status = 404});
        auto e = thrown_by([&] {
            f.run([&]() -> asio::awaitable<int> {
                co_await c.async_list_tasks(f.request(1), with_diagnostics(asio::use_awaitable));
                co_return 0;
            }());
        });
        REQUIRE(e);
        CHECK(e->code() == errc::not_found);
        CHECK(e->diagnostics().http_status == 404);
        CHECK_FALSE(e->diagnostics().error_code.empty());
        CHECK(e->diagnostics().request_id.size() == 16);
        CHECK(e->diagnostics().attempts == 1);
        CHECK(std::string(e->what()).find("HTTP 404") != std::string::npos);
    }
    SUBCASE("use_awaitable, list-all, retried") {
        f.emu.inject({.what = kind::status, .status = 503}, 2);
        auto e = thrown_by([&] {
            f.run([&]() -> asio::awaitable<int> {
                co_await c.async_list_all_tasks(f.request(1),
                                                with_diagnostics(asio::use_awaitable));
                co_return 0;
            }());
        });
        REQUIRE(e);
        CHECK(e->code() == errc::server_error);
        CHECK(e->diagnostics().http_status == 503);
        CHECK(e->diagnostics().attempts == 2);
    }
    SUBCASE("the caller's own diagnostics are filled too") {
        f.emu.inject({.what = kind::status, .status = 404});
        diagnostics mine;
        auto e = thrown_by([&] {
            f.run([&]() -> asio::awaitable<int> {
                co_await c.async_list_tasks(f.request(1), mine,
                                            with_diagnostics(asio::use_awaitable));
                co_return 0;
            }());
        });
        REQUIRE(e);
        CHECK(mine.http_status == 404);
        CHECK(e->diagnostics().request_id == mine.request_id);
    }
    SUBCASE("success: the value, no exception") {
        auto p = f.run([&]() -> asio::awaitable<page> {
            co_return co_await c.async_list_tasks(f.request(1),
                                                  with_diagnostics(asio::use_awaitable));
        }());
        CHECK(p.tasks.size() == 10);  // the service's default limit
        CHECK(p.total == 250);
    }
}

TEST_CASE("with_diagnostics: an adapter kept in a variable is not moved from") {
    fixture f;
    client c{f.ioc.get_executor(), f.options()};
    auto calls = std::make_shared<int>(0);
    auto token = with_diagnostics([calls](std::exception_ptr e, page p) {
        CHECK_FALSE(e);
        CHECK(p.tasks.size() == 10);
        ++*calls;
    });
    c.async_list_tasks(f.request(1), token);
    c.async_list_tasks(f.request(2), token);  // the same lvalue: its handler must be whole
    f.ioc.run();
    f.ioc.restart();
    CHECK(*calls == 2);
}

TEST_CASE("with_diagnostics: use_future and deferred, for list-all and the pager") {
    fixture f;
    auto o = f.fast_retries();
    o.retry.max_attempts = 1;
    client c{f.ioc.get_executor(), o};

    SUBCASE("use_future: list-all") {
        io_threads threads(f.ioc, 1);
        f.emu.inject({.what = kind::status, .status = 403});
        auto fut = c.async_list_all_tasks(f.request(1), with_diagnostics(asio::use_future));
        auto e = thrown_by([&] { fut.get(); });
        REQUIRE(e);
        CHECK(e->code() == errc::forbidden);
        CHECK(e->diagnostics().http_status == 403);
        auto ok = c.async_list_all_tasks(f.request(2), with_diagnostics(asio::use_future));
        CHECK(ok.get().size() == 250);
    }
    SUBCASE("deferred: the pager's async_next, launched later with another token") {
        auto pg = c.list_tasks_pages(f.request(1), {.page_size = 100});
        auto op = pg.async_next(with_diagnostics(asio::deferred));  // nothing starts yet
        CHECK(f.emu.counters().task_requests == 0);
        auto first = f.run([&]() -> asio::awaitable<std::optional<page>> {
            co_return co_await std::move(op)(asio::use_awaitable);
        }());
        REQUIRE(first);
        CHECK(first->tasks.size() == 100);
        // A page answered for another offset breaks the listing: the error carries where.
        f.emu.inject({.what = kind::repeat_page});
        auto e = thrown_by([&] {
            f.run([&]() -> asio::awaitable<int> {
                co_await pg.async_next(with_diagnostics(asio::deferred))(asio::use_awaitable);
                co_return 0;
            }());
        });
        REQUIRE(e);
        CHECK((e->code() == errc::pager_stuck || e->code() == errc::inconsistent_listing));
        CHECK(e->diagnostics().message.find("offset 100") != std::string::npos);
        CHECK(pg.last_diagnostics().message == e->diagnostics().message);
    }
}

TEST_CASE("call options: deadline, attempts and request timeout per call override the client's") {
    fixture f;
    auto o = f.fast_retries();
    o.retry.max_attempts = 4;
    client c{f.ioc.get_executor(), o};

    SUBCASE("max_attempts") {
        f.emu.inject({.what = kind::status, .status = 503}, 4);
        auto r = f.request(1);
        r.call.max_attempts = 2;
        auto res = f.list(c, r);
        CHECK(res.ec == errc::server_error);
        CHECK(res.diag.attempts == 2);
        f.emu.clear_faults();
    }
    SUBCASE("request_timeout") {
        f.emu.inject({.what = kind::latency, .delay = 2s});
        auto r = f.request(1);
        r.call.request_timeout = 50ms;
        r.call.max_attempts = 1;
        auto res = f.list(c, r);
        CHECK(res.ec == errc::request_timeout);
    }
    SUBCASE("deadline") {
        f.emu.inject({.what = kind::latency, .delay = 2s});
        auto r = f.request(1);
        r.call.deadline = 50ms;
        auto res = f.list(c, r);
        CHECK(res.ec == errc::deadline_exceeded);
    }
    SUBCASE("a deadline or timeout past the clock's end means none, not one already past") {
        auto r = f.request(1);
        r.call.deadline = std::chrono::milliseconds::max();
        r.call.request_timeout = std::chrono::milliseconds::max();
        auto res = f.list(c, r);
        CHECK_FALSE(res.ec);
        CHECK(res.p.tasks.size() == 10);
    }
    SUBCASE("a broken rule names the field") {
        auto r = f.request(1);
        r.call.max_attempts = 0;
        auto res = f.list(c, r);
        CHECK(res.ec == errc::invalid_request);
        CHECK(res.diag.message == "call.max_attempts: must be at least 1");
        r.call.max_attempts.reset();
        r.call.deadline = -1ms;
        CHECK(f.list(c, r).diag.message == "call.deadline: must not be negative");
    }
    SUBCASE("list-all applies them to every page") {
        // Page 3 of 3 fails once: with the client's 4 attempts it would be retried.
        auto r = f.request(1);
        r.call.max_attempts = 1;
        diagnostics diag;
        auto [ec, tasks] =
            f.run([&]() -> asio::awaitable<std::tuple<error_code, std::vector<task>>> {
                f.emu.inject({.what = kind::latency, .delay = 0ms}, 2);
                f.emu.inject({.what = kind::status, .status = 503});
                co_return co_await c.async_list_all_tasks(r, {.max_in_flight = 1}, diag,
                                                          asio::as_tuple(asio::use_awaitable));
            }());
        CHECK(ec == errc::server_error);
        CHECK(diag.attempts == 1);
    }
    SUBCASE("the pager applies them to every page") {
        auto r = f.request(1);
        r.call.max_attempts = 1;
        auto pg = c.list_tasks_pages(r);
        auto [ec1, p1] =
            f.run([&]() -> asio::awaitable<std::tuple<error_code, std::optional<page>>> {
                co_return co_await pg.async_next(asio::as_tuple(asio::use_awaitable));
            }());
        REQUIRE_FALSE(ec1);
        f.emu.inject({.what = kind::status, .status = 503});
        diagnostics diag;
        auto [ec2, p2] =
            f.run([&]() -> asio::awaitable<std::tuple<error_code, std::optional<page>>> {
                co_return co_await pg.async_next(diag, asio::as_tuple(asio::use_awaitable));
            }());
        CHECK(ec2 == errc::server_error);
        CHECK(diag.attempts == 1);
    }
}

TEST_CASE(
    "page size: the request's limit is the pager's and list-all's page size; a conflict "
    "is an error") {
    fixture f;
    client c{f.ioc.get_executor(), f.options()};
    auto r = f.request(1);
    r.limit = 30;

    SUBCASE("pager") {
        auto pg = c.list_tasks_pages(r);
        std::vector<std::size_t> sizes;
        f.run([&]() -> asio::awaitable<int> {
            while (auto p = co_await pg.async_next(asio::use_awaitable))
                sizes.push_back(p->tasks.size());
            co_return 0;
        }());
        REQUIRE(sizes.size() == 9);  // 8 x 30 + 10
        CHECK(sizes.front() == 30);
        CHECK(sizes.back() == 10);
    }
    SUBCASE("list-all") {
        auto tasks = f.run([&]() -> asio::awaitable<std::vector<task>> {
            co_return co_await c.async_list_all_tasks(r, asio::use_awaitable);
        }());
        CHECK(tasks.size() == 250);
        CHECK(c.stats().requests_sent == 9);
    }
    SUBCASE("conflict") {
        diagnostics diag;
        auto [ec, tasks] =
            f.run([&]() -> asio::awaitable<std::tuple<error_code, std::vector<task>>> {
                co_return co_await c.async_list_all_tasks(r, {.page_size = 50}, diag,
                                                          asio::as_tuple(asio::use_awaitable));
            }());
        CHECK(ec == errc::invalid_request);
        CHECK(diag.message == "limit: 30 conflicts with page_size 50; set one of them");
        auto pg = c.list_tasks_pages(r, {.page_size = 50});
        diagnostics d2;
        auto [ec2, p] =
            f.run([&]() -> asio::awaitable<std::tuple<error_code, std::optional<page>>> {
                co_return co_await pg.async_next(d2, asio::as_tuple(asio::use_awaitable));
            }());
        CHECK(ec2 == errc::invalid_request);
        CHECK(d2.message == diag.message);
        CHECK(c.stats().requests_sent == 0);
    }
    SUBCASE("list-all starts at offset 0") {
        r.offset = 30;
        diagnostics diag;
        auto [ec, tasks] =
            f.run([&]() -> asio::awaitable<std::tuple<error_code, std::vector<task>>> {
                co_return co_await c.async_list_all_tasks(r, {}, diag,
                                                          asio::as_tuple(asio::use_awaitable));
            }());
        CHECK(ec == errc::invalid_request);
        CHECK(diag.message.starts_with("offset: "));
    }
}

TEST_CASE(
    "cancellation from any thread: 4 io threads, 1000 calls, cancels emitted from other "
    "threads at random points; every call completes exactly once") {
    fixture f;
    asio::io_context io;
    auto o = f.options();
    o.pool.max_connections = 8;
    client c{io.get_executor(), o};
    constexpr int calls = 1000;
    std::vector<std::atomic<int>> completions(calls);
    std::atomic<int> done{0}, aborted{0}, succeeded{0}, other{0};

    // The signals live until both the handler and the emitting thread are through with them.
    struct call_state {
        asio::cancellation_signal signal;
        std::chrono::microseconds emit_after{};
    };
    std::mutex m;
    std::condition_variable cv;
    std::vector<std::shared_ptr<call_state>> to_cancel;  // handed to the cancelling threads
    bool starting = true;
    std::vector<std::thread> cancellers;
    for (int k = 0; k < 2; ++k)
        cancellers.emplace_back([&] {
            for (;;) {
                std::shared_ptr<call_state> s;
                {
                    std::unique_lock lk(m);
                    cv.wait(lk, [&] { return !to_cancel.empty() || !starting; });
                    if (to_cancel.empty()) return;
                    s = std::move(to_cancel.back());
                    to_cancel.pop_back();
                }
                std::this_thread::sleep_for(s->emit_after);
                s->signal.emit(asio::cancellation_type::terminal);
            }
        });
    {
        io_threads threads(io, 4);
        std::mt19937 rng(7);
        std::uniform_int_distribution<int> delay_us(0, 3000);
        std::counting_semaphore<64> in_flight(64);
        for (int i = 0; i < calls; ++i) {
            in_flight.acquire();
            auto s = std::make_shared<call_state>();
            s->emit_after = std::chrono::microseconds(delay_us(rng));
            // Started from an io thread, as a service would; the cancel comes from elsewhere.
            std::promise<void> started;
            asio::post(io, [&, i, s] {
                c.async_list_tasks(
                    f.request(1 + i % 3),
                    asio::bind_cancellation_slot(
                        s->signal.slot(), [&, i, s](error_code ec, page p) {
                            if (completions[static_cast<std::size_t>(i)].fetch_add(1) == 0) {
                                if (ec == asio::error::operation_aborted)
                                    ++aborted;
                                else if (!ec && p.tasks.size() == 10)
                                    ++succeeded;
                                else
                                    ++other;
                            }
                            ++done;
                            in_flight.release();
                        }));
                started.set_value();
            });
            started.get_future().wait();  // the initiating call has returned
            {
                std::lock_guard lk(m);
                to_cancel.push_back(s);
            }
            cv.notify_one();
        }
        {
            std::lock_guard lk(m);
            starting = false;
        }
        cv.notify_all();
        for (auto& t : cancellers) t.join();
        for (int k = 0; k < 6000 && done.load() < calls; ++k) std::this_thread::sleep_for(10ms);
    }
    CHECK(done.load() == calls);
    for (int i = 0; i < calls; ++i) CHECK(completions[static_cast<std::size_t>(i)].load() == 1);
    CHECK(other.load() == 0);
    MESSAGE("aborted " << aborted.load() << ", succeeded " << succeeded.load());
    // Random points: some cancels land before the answer, some after.
    CHECK(aborted.load() > 0);
    CHECK(succeeded.load() > 0);
}

TEST_CASE("clients with default TLS options share one context; tls.context is used as given") {
    fixture f;
    client_options plain;
    plain.endpoint = "https://swr-api.example.com";
    plain.project_id = "p";
    client a{f.ioc.get_executor(), plain}, b{f.ioc.get_executor(), plain};
    CHECK(detail::client_access::impl(a)->ssl_ctx == detail::client_access::impl(b)->ssl_ctx);

    client own{f.ioc.get_executor(), f.options()};  // extra CA: a context of its own
    CHECK(detail::client_access::impl(own)->ssl_ctx != detail::client_access::impl(a)->ssl_ctx);

    auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    ctx->set_verify_mode(asio::ssl::verify_peer);
    ctx->add_certificate_authority(asio::buffer(f.emu.ca_pem()));
    auto given = f.options();
    given.tls.ca_pem.clear();
    given.tls.use_system_trust = true;
    given.tls.context = ctx;
    client shared{f.ioc.get_executor(), given};
    CHECK(detail::client_access::impl(shared)->ssl_ctx == ctx);
    auto res = f.list(shared, f.request(1));
    CHECK_FALSE(res.ec);
    CHECK(res.p.tasks.size() == 10);

    // A context that does not trust the emulator's CA fails verification: the context decides.
    auto strict = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    strict->set_verify_mode(asio::ssl::verify_peer);
    given.tls.context = strict;
    client untrusting{f.ioc.get_executor(), given};
    CHECK(f.list(untrusting, f.request(1)).ec.category() == asio::error::get_ssl_category());

    given.tls.ca_pem = f.emu.ca_pem();
    try {
        client bad{f.ioc.get_executor(), given};
        FAIL("tls.context with ca_pem was accepted");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()).starts_with("tls.context: "));
    }
}

TEST_CASE("pager: a second async_next while one runs is pager_busy and disturbs nothing") {
    fixture f;
    client c{f.ioc.get_executor(), f.options()};
    auto pg = c.list_tasks_pages(f.request(1), {.page_size = 100});
    error_code first_ec, second_ec;
    std::optional<page> first;
    diagnostics second_diag;
    pg.async_next([&](error_code ec, std::optional<page> p) {
        first_ec = ec;
        first = std::move(p);
    });
    pg.async_next(second_diag, [&](error_code ec, std::optional<page>) { second_ec = ec; });
    f.ioc.run();
    f.ioc.restart();
    CHECK(second_ec == errc::pager_busy);
    CHECK(second_diag.message == "pager: one async_next() at a time");
    CHECK_FALSE(first_ec);
    REQUIRE(first);
    CHECK(first->tasks.size() == 100);
    CHECK(pg.last_diagnostics().message.empty());
}

TEST_CASE("a client made with the program's strand runs its hooks in that strand") {
    fixture f;
    auto user = asio::make_strand(f.ioc);
    auto o = f.fast_retries();
    std::atomic<int> hooks{0}, outside{0};
    o.observe.metrics = [&](const call_metrics&) {
        ++hooks;
        if (!user.running_in_this_thread()) ++outside;
    };
    client c{user, o};
    std::atomic<int> done{0};
    {
        io_threads threads(f.ioc, 2);
        std::promise<void> all;
        for (int i = 0; i < 8; ++i)
            c.async_list_tasks(f.request(1), [&](error_code ec, page) {
                CHECK_FALSE(ec);
                if (++done == 8) all.set_value();
            });
        all.get_future().wait();
    }
    CHECK(hooks == 8);
    CHECK(outside == 0);
}
