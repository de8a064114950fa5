// Hostile and broken servers and proxies: each misbehaviour ends in the right data or a clear
// error, never in another response's bytes taken as this one's, and never in unbounded memory.
#include "support/connect_proxy.hpp"
#include "support/preamble.hpp"

#include "client/client_impl.hpp"

#include <swr/pager.hpp>
#include <swr/watch.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/post.hpp>

namespace {

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
    std::string forged =
        "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(forged_body.size()) + "\r\n\r\n" +
        forged_body;
    test::connect_proxy proxy(f.emu.port(), forged);
    auto opts = f.fast_retries();
    opts.proxy.url = proxy.url();
    opts.retry.max_attempts = 1;
    client c(f.ioc.get_executor(), opts);
    auto o = f.list(c, at(f, 0));
    CHECK(o.ec == errc::proxy_error);
    CHECK(o.p.tasks.empty());
    CHECK(proxy.tunnels() == 1);
    CHECK(f.emu.counters().task_requests == 0);  // nothing reached the server
}

TEST_CASE("hostile: a connection whose framing cannot be trusted is never reused") {
    // Bytes left after a response (a forged page at offset 0), or a body ended only by the
    // connection closing without `Connection: close`: the next call must get its own page, on a
    // fresh connection, without a stale retry.
    for (auto what : {kind::extra_bytes_after, kind::close_delimited_no_close_header}) {
        CAPTURE(static_cast<int>(what));
        fixture f;
        client c(f.ioc.get_executor(), f.options());
        f.emu.inject({.what = what});
        auto first = f.list(c, at(f, 0));
        REQUIRE_FALSE(first.ec);
        CHECK(first.p == expected(f, 0));
        auto second = f.list(c, at(f, 10));
        REQUIRE_FALSE(second.ec);
        CHECK(second.p == expected(f, 10));
        CHECK(second.diag.attempts == 1);
        CHECK(c.stats().stale_retries == 0);
        CHECK(c.stats().connections_opened == 2);
        CHECK(f.emu.counters().task_requests == 2);
    }
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
        auto opts = f.fast_retries();
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
    auto opts = f.fast_retries();
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
    c.async_list_tasks(at(f, 0), asio::bind_cancellation_slot(
                                     sig.slot(), [&](error_code ec, page) { result = ec; }));
    // Queued on the client's strand behind the call's start: the call is then waiting for the
    // resolver thread, and the cancellation reaches it before the lookup's result can.
    asio::post(detail::client_access::impl(c)->strand,
               [&] { sig.emit(asio::cancellation_type::terminal); });
    f.ioc.run_for(30s);
    REQUIRE(f.ioc.stopped());
    REQUIRE(result);
    CHECK(*result == asio::error::operation_aborted);
    CHECK(f.emu.counters().connections_accepted == 0);
}

namespace {

using all_result = std::tuple<error_code, std::vector<task>>;

all_result list_all(fixture& f, client& c, list_all_options lo, diagnostics& diag,
                    std::int64_t execution = 1) {
    return f.run([&]() -> asio::awaitable<all_result> {
        co_return co_await c.async_list_all_tasks(f.request(execution), std::move(lo), diag,
                                                  asio::as_tuple(asio::use_awaitable));
    }());
}

using watch_outcome = std::tuple<error_code, std::vector<watch_result>>;

watch_outcome watch_one(fixture& f, client& c, watch_options wo, watch_callback cb = {},
                        std::int64_t execution = 1) {
    std::vector<watch_target> targets{{"ins-emulator", "library", 1, execution, ""}};
    return f.run([&]() -> asio::awaitable<watch_outcome> {
        co_return co_await async_watch(c, targets, wo, std::move(cb),
                                       asio::as_tuple(asio::use_awaitable));
    }());
}

}  // namespace

TEST_CASE("hostile: list-all refuses an absurd total before allocating for it") {
    for (std::int64_t total : {std::int64_t{9'000'000'000'000'000'000},
                               std::int64_t{10'000'000'000}, std::int64_t{1'000'001}}) {
        CAPTURE(total);
        fixture f;
        client c(f.ioc.get_executor(), f.options());
        f.emu.inject({.what = kind::total_value, .delta = total});
        diagnostics diag;
        auto [ec, tasks] = list_all(f, c, {}, diag);
        CHECK(ec == errc::too_many_tasks);
        CHECK(tasks.empty());
        CHECK(diag.message.find("above max_tasks 1000000") != std::string::npos);
        CHECK(f.emu.counters().task_requests == 1);
    }
    fixture f;  // a smaller bound of the caller's own
    client c(f.ioc.get_executor(), f.options());
    diagnostics diag;
    auto [ec, tasks] = list_all(f, c, {.max_tasks = 249}, diag);
    CHECK(ec == errc::too_many_tasks);
    CHECK(tasks.empty());
}

TEST_CASE("hostile: list-all is whole or an error, with at most pages + 2 requests") {
    struct row {
        const char* name;
        emulator::fault fault;
        unsigned count;
        errc expected;
    };
    const std::vector<row> rows = {
        // Caught as a repeated page, or earlier as a page of the wrong size: either way an error.
        {"server ignores offset", {.what = kind::repeat_page}, 100, errc::inconsistent_listing},
        {"an empty page before total", {.what = kind::empty_page}, 1, errc::inconsistent_listing},
        {"a page short of a task", {.what = kind::short_page}, 1, errc::inconsistent_listing},
        {"a duplicate task id", {.what = kind::duplicate_ids}, 1, errc::inconsistent_listing},
        {"a total that grows",
         {.what = kind::total_delta, .delta = 100},
         100,
         errc::inconsistent_listing},
        {"a total that shrinks",
         {.what = kind::total_delta, .delta = -100},
         1,
         errc::inconsistent_listing},
    };
    for (const auto& [name, ft, count, expected] : rows) {
        std::string row_name = name;
        CAPTURE(row_name);
        fixture f;  // 250 tasks: 3 pages of 100
        client c(f.ioc.get_executor(), f.options());
        f.emu.inject({.what = kind::latency, .delay = 0ms});  // page 1 as it is
        f.emu.inject(ft, count);
        diagnostics diag;
        auto [ec, tasks] = list_all(f, c, {.max_in_flight = 1}, diag);
        CHECK(ec == expected);
        CHECK(tasks.empty());
        CHECK(diag.message.find("of 250 tasks") != std::string::npos);
        CHECK(f.emu.counters().task_requests <= 3 + 2);
        f.emu.clear_faults();
    }
}

TEST_CASE("hostile: a server that ignores offset everywhere is caught by the pager too") {
    fixture f;
    client c(f.ioc.get_executor(), f.options());
    f.emu.inject({.what = kind::repeat_page}, 100);
    auto [ec, n] = f.run([&]() -> asio::awaitable<std::pair<error_code, std::size_t>> {
        auto pg = c.list_tasks_pages(f.request(1), {.page_size = 50});
        std::size_t got = 0;
        for (;;) {
            auto [e, p] = co_await pg.async_next(asio::as_tuple(asio::use_awaitable));
            if (e || !p) co_return std::pair{e, got};
            got += p->tasks.size();
        }
    }());
    CHECK(ec == errc::pager_stuck);
    CHECK(n == 50);
    CHECK(f.emu.counters().task_requests == 2);
}

TEST_CASE("hostile: a hook that throws completes the operation once with callback_failed") {
    fixture f;
    struct boom : std::runtime_error {
        boom() : std::runtime_error("hook failed") {}
    };
    SUBCASE("list-all on_progress") {
        client c(f.ioc.get_executor(), f.options());
        int completions = 0;
        error_code got;
        list_all_options lo;
        lo.on_progress = [](std::size_t done, std::size_t, std::size_t) {
            if (done == 2) throw boom();
        };
        c.async_list_all_tasks(f.request(1), lo, [&](error_code ec, std::vector<task> t) {
            ++completions;
            got = ec;
            CHECK(t.empty());
        });
        f.ioc.run_for(60s);
        REQUIRE(f.ioc.stopped());
        f.ioc.restart();
        CHECK(completions == 1);
        CHECK(got == errc::callback_failed);
        CHECK_FALSE(f.list(c, at(f, 0)).ec);  // the client is still whole
    }
    SUBCASE("watch on_update") {
        client c(f.ioc.get_executor(), f.options());
        auto [ec, results] =
            watch_one(f, c, {.interval = 1ms}, [](const execution_update&) { throw boom(); });
        CHECK(ec == errc::callback_failed);
        CHECK_FALSE(f.list(c, at(f, 0)).ec);
    }
    SUBCASE("log sink, metrics and refresh hooks, one page and the pager") {
        auto opts = f.options();
        opts.pool.max_connections = 1;  // a slot lost to the exception would hang the next call
        SUBCASE("log") {
            opts.observe.log = [](log_level, std::string_view) { throw boom(); };
            opts.observe.min_level = log_level::debug;
        }
        SUBCASE("metrics") {
            opts.observe.metrics = [](const call_metrics&) { throw std::bad_alloc(); };
        }
        SUBCASE("refresh_token") {
            opts.credentials = credentials::token("expired");
            opts.retry.refresh_token = []() -> std::string { throw boom(); };
        }
        client c(f.ioc.get_executor(), opts);
        auto o = f.list(c, at(f, 0));
        if (opts.observe.metrics)
            CHECK(o.ec == boost::system::errc::not_enough_memory);
        else
            CHECK(o.ec == errc::callback_failed);
        auto [pec, pn] = f.run([&]() -> asio::awaitable<std::pair<error_code, bool>> {
            auto pg = c.list_tasks_pages(f.request(1));
            auto [e, p] = co_await pg.async_next(asio::as_tuple(asio::use_awaitable));
            auto [e2, p2] = co_await pg.async_next(asio::as_tuple(asio::use_awaitable));
            co_return std::pair{e, e2 == e && !p && !p2};
        }());
        CHECK(pec);
        CHECK(pn);  // terminal: the second next repeats the error
    }
}

TEST_CASE("hostile: watch never calls an empty or short listing succeeded") {
    SUBCASE("an execution with no tasks at all is its own outcome") {
        auto o = swr::test::emulator_defaults();
        o.data.tasks_per_execution = 0;
        fixture f(o);
        client c(f.ioc.get_executor(), f.options());
        auto [ec, results] = watch_one(f, c, {.interval = 1ms});
        REQUIRE_FALSE(ec);
        REQUIRE(results.size() == 1);
        CHECK_FALSE(results[0].ec);
        CHECK(results[0].done);
        CHECK(results[0].no_tasks);
        CHECK_FALSE(results[0].succeeded());
    }
    SUBCASE("an empty page under a total of 250 is an error, tried again, then final") {
        fixture f;
        client c(f.ioc.get_executor(), f.options());
        f.emu.inject({.what = kind::empty_page}, 3);
        auto [ec, results] = watch_one(f, c, {.interval = 1ms});
        REQUIRE_FALSE(ec);
        CHECK(results[0].ec == errc::inconsistent_listing);
        CHECK(results[0].polls == 3);  // max_consecutive_failures
        CHECK_FALSE(results[0].succeeded());
        CHECK_FALSE(results[0].no_tasks);
    }
    SUBCASE("one short listing, then a whole one: succeeded on the whole one") {
        fixture f;
        client c(f.ioc.get_executor(), f.options());
        f.emu.inject({.what = kind::short_page});
        auto [ec, results] = watch_one(f, c, {.interval = 1ms});
        REQUIRE_FALSE(ec);
        CHECK_FALSE(results[0].ec);
        CHECK(results[0].polls == 2);
        CHECK(results[0].counts.total() == 250);
    }
}

TEST_CASE("hostile: statuses watch does not know keep it polling (until a deadline or a cancel)") {
    fixture f;
    client c(f.ioc.get_executor(), f.options());
    f.emu.inject({.what = kind::unknown_status}, 1'000'000);
    asio::cancellation_signal sig;
    unsigned polls = 0;
    std::size_t unknown = 0;
    std::optional<std::pair<error_code, std::vector<watch_result>>> out;
    std::vector<watch_target> targets{{"ins-emulator", "library", 1, 1, ""}};
    async_watch(
        c, targets, {.interval = 1ms},
        [&](const execution_update& u) {
            unknown = u.counts[task_state::unknown];
            // Three whole polls, none final: the watch would go on; stop it here.
            if (!u.ec && !u.done && ++polls == 3) sig.emit(asio::cancellation_type::terminal);
        },
        asio::bind_cancellation_slot(sig.slot(), [&](error_code ec, std::vector<watch_result> r) {
            out.emplace(ec, std::move(r));
        }));
    f.ioc.run_for(60s);
    f.emu.clear_faults();
    REQUIRE(f.ioc.stopped());
    REQUIRE(out);
    CHECK(out->first == asio::error::operation_aborted);
    CHECK(polls == 3);
    CHECK(unknown == 250);
    CHECK_FALSE(out->second.at(0).done);
}

TEST_CASE("hostile: a waiter on the IAM token refresh fails only for its own reasons") {
    auto o = swr::test::emulator_defaults();
    o.iam_users = {{"acme", "alice", "pa55-SECRET-word"}};
    fixture f(o);
    iam_password_auth a{"acme", "alice", "pa55-SECRET-word"};
    a.iam_endpoint = f.emu.endpoint();
    client c(f.ioc.get_executor(), f.options(credentials::iam_password(a)));
    asio::cancellation_signal sig;
    std::optional<error_code> refresher, waiter;
    std::optional<page> waiter_page;
    c.async_list_tasks(at(f, 0), asio::bind_cancellation_slot(
                                     sig.slot(), [&](error_code ec, page) { refresher = ec; }));
    c.async_list_tasks(at(f, 0), [&](error_code ec, page p) {
        waiter = ec;
        waiter_page = std::move(p);
    });
    // Both calls have started (the first refreshing, the second waiting) when this runs.
    asio::post(detail::client_access::impl(c)->strand,
               [&] { sig.emit(asio::cancellation_type::terminal); });
    f.ioc.run_for(60s);
    REQUIRE(f.ioc.stopped());
    REQUIRE(refresher);
    REQUIRE(waiter);
    CHECK(*refresher == asio::error::operation_aborted);
    CHECK_FALSE(*waiter);
    CHECK(*waiter_page == expected(f, 0));
    CHECK(c.stats().token_requests == 2);  // the waiter refreshed itself
}

TEST_CASE("hostile: plain http is refused beyond loopback unless allowed, and always logged") {
    fixture f;
    auto opts = f.options();
    opts.endpoint = "http://swr.example.com";
    try {
        client c(f.ioc.get_executor(), opts);
        FAIL("plain http to a remote host was accepted");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()).starts_with("endpoint: plain http:// to swr.example.com"));
        CHECK(std::string(e.what()).find("allow_plain_http") != std::string::npos);
    }
    iam_password_auth a{"acme", "alice", "pw"};
    a.iam_endpoint = "http://iam.example.com";
    auto iam = f.options(credentials::iam_password(a));
    CHECK_THROWS_WITH_AS(client(f.ioc.get_executor(), iam),
                         doctest::Contains("iam_endpoint: plain http://"), std::invalid_argument);

    std::vector<std::string> warnings;
    opts.allow_plain_http = true;
    opts.observe.log = [&](log_level l, std::string_view line) {
        if (l == log_level::warning) warnings.emplace_back(line);
    };
    client allowed(f.ioc.get_executor(), opts);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("plain HTTP to http://swr.example.com") != std::string::npos);

    // Loopback needs no opt-in, and still warns.
    auto plain = swr::test::emulator_defaults();
    plain.tls = false;
    fixture p(plain);
    auto lo = p.options();
    warnings.clear();
    lo.observe.log = opts.observe.log;
    client local(p.ioc.get_executor(), lo);
    CHECK(warnings.size() == 1);
    CHECK_FALSE(p.list(local, at(p, 0)).ec);
}

TEST_CASE("hostile: one page is checked on its own: limit, ids, total, execution, 200 only") {
    fixture f;
    auto opts = f.options();
    opts.retry.max_attempts = 1;
    client c(f.ioc.get_executor(), opts);
    f.emu.inject({.what = kind::duplicate_ids});
    auto dup = f.list(c, at(f, 0));
    CHECK(dup.ec == errc::inconsistent_listing);
    CHECK(dup.diag.message.find("appears twice") != std::string::npos);
    CHECK(dup.p.tasks.empty());
    f.emu.inject({.what = kind::total_value, .delta = 5});
    auto past = f.list(c, at(f, 10));  // offset 10 of a total of 5
    CHECK(past.ec == errc::inconsistent_listing);
    f.emu.inject({.what = kind::status, .status = 206});
    auto partial = f.list(c, at(f, 0));
    CHECK(partial.ec == errc::http_status);
    CHECK(partial.diag.http_status == 206);
}

TEST_CASE("hostile: a huge claimed total with broken pages costs a few requests, not one a page") {
    fixture f;
    client c(f.ioc.get_executor(), f.options());
    f.emu.inject({.what = kind::total_value, .delta = 20'000});  // page 1: full, total 20,000
    f.emu.inject({.what = kind::empty_page}, 1000);              // then nothing
    diagnostics diag;
    auto [ec, tasks] = list_all(f, c, {}, diag);
    f.emu.clear_faults();
    CHECK(ec == errc::inconsistent_listing);
    CHECK(tasks.empty());
    CHECK(diag.message.find("of 20000 tasks") != std::string::npos);
    CHECK(f.emu.counters().task_requests <= 1 + 8 + 8);  // page 1, then what was in flight
}

TEST_CASE("hostile: deadlines bound the whole of list-all and of watch, polls in flight too") {
    SUBCASE("list-all: a slow server cannot stretch the listing page by page") {
        auto o = swr::test::emulator_defaults();
        o.latency = 50ms;
        fixture f(o);
        client c(f.ioc.get_executor(), f.options());
        diagnostics diag;
        auto [ec, tasks] =
            list_all(f, c, {.page_size = 10, .max_in_flight = 1, .deadline = 200ms}, diag);
        CHECK(ec == errc::deadline_exceeded);
        CHECK(tasks.empty());
        CHECK(f.emu.counters().task_requests < 25);  // stopped before the 25 pages
    }
    SUBCASE("watch: a poll that never ends is cut at the watch's deadline") {
        fixture f;
        auto opts = f.options();
        opts.timeouts.request = 0ms;  // off: only the watch's deadline can end the poll
        opts.timeouts.deadline = 0ms;
        client c(f.ioc.get_executor(), opts);
        f.emu.inject({.what = kind::no_response});
        auto [ec, results] = watch_one(f, c, {.interval = 1ms, .deadline = 100ms});
        REQUIRE_FALSE(ec);
        CHECK(results[0].ec == errc::deadline_exceeded);
        CHECK_FALSE(results[0].done);
    }
}

TEST_CASE("hostile: watch never lets a task vanish between polls") {
    auto o = swr::test::emulator_defaults();
    o.data.tasks_per_execution = 5;
    o.data.pace = 1h;  // never terminal: the watch keeps polling
    fixture f(o);
    client c(f.ioc.get_executor(), f.options());
    f.emu.inject({.what = kind::latency, .delay = 0ms});  // poll 1: five tasks
    f.emu.inject({.what = kind::drop_last_task}, 1000);   // then four, consistently
    std::string last_message;
    auto [ec, results] = watch_one(f, c, {.interval = 1ms}, [&](const execution_update& u) {
        if (u.ec) last_message = u.diag->message;
    });
    f.emu.clear_faults();
    REQUIRE_FALSE(ec);
    CHECK(results[0].ec == errc::inconsistent_listing);
    CHECK(results[0].polls == 4);  // one whole poll, then max_consecutive_failures
    CHECK(last_message.find("missing from this one") != std::string::npos);
}
