// The pager, list-all and watch against the emulator over TLS.
#include "support/preamble.hpp"

#include <swr/pager.hpp>
#include <swr/watch.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>

#include <map>

namespace {

struct listing {
    error_code ec;
    std::vector<page> pages;
    std::optional<std::int64_t> total_after_first;
    pager_report report;
    diagnostics diag;
};

asio::awaitable<listing> drain(pager pg, unsigned extra_nexts = 0) {
    listing l;
    for (;;) {
        auto [ec, p] = co_await pg.async_next(use_tuple);
        if (ec) {
            l.ec = ec;
            break;
        }
        if (!p) break;
        if (l.pages.empty()) l.total_after_first = pg.total();
        l.pages.push_back(std::move(*p));
    }
    for (unsigned i = 0; i < extra_nexts; ++i) {
        auto [ec, p] = co_await pg.async_next(use_tuple);
        CHECK_FALSE(ec);
        CHECK_FALSE(p);
    }
    l.report = pg.report();
    l.diag = pg.last_diagnostics();
    co_return l;
}

std::vector<task> flatten(const std::vector<page>& pages) {
    std::vector<task> out;
    for (const auto& p : pages) out.insert(out.end(), p.tasks.begin(), p.tasks.end());
    return out;
}

std::vector<task> expected_tasks(const fixture& f, std::int64_t exec) {
    return f.emu.data().make_page(exec, 0, f.emu.data().total(exec), 0ms).tasks;
}

}  // namespace

TEST_CASE("pager: lazy, pages of 100 until total, then nullopt for good") {
    fixture f;
    client c(f.ioc.get_executor(), f.options());
    auto pg = c.list_tasks_pages(f.request(2));
    CHECK_FALSE(pg.total());
    CHECK(f.emu.counters().task_requests == 0);  // nothing sent yet
    auto l = f.run(drain(std::move(pg), 2));
    REQUIRE_FALSE(l.ec);
    REQUIRE(l.pages.size() == 3);
    CHECK(l.pages[0].tasks.size() == 100);
    CHECK(l.pages[2].tasks.size() == 50);
    CHECK(l.total_after_first == 250);
    CHECK(flatten(l.pages) == expected_tasks(f, 2));
    CHECK(f.emu.counters().task_requests == 3);  // the extra nexts sent nothing
    CHECK(l.report.tasks == 250);
    CHECK_FALSE(l.report.came_up_short);
}

TEST_CASE("pager: page size option, and bad options fail the first next naming the option") {
    fixture f;
    client c(f.ioc.get_executor(), f.options());
    auto l = f.run(drain(c.list_tasks_pages(f.request(1), {.page_size = 7})));
    REQUIRE_FALSE(l.ec);
    CHECK(l.pages.size() == 36);
    CHECK(flatten(l.pages) == expected_tasks(f, 1));
    auto bad = f.run(drain(c.list_tasks_pages(f.request(1), {.page_size = 101})));
    CHECK(bad.ec == errc::invalid_request);
    CHECK(bad.diag.message == "page_size: must be between 1 and 100");
}

TEST_CASE("pager: read-ahead has page k+1 in flight while the caller works on page k") {
    auto o = swr::test::emulator_defaults();
    o.latency = 50ms;
    fixture f(o);
    client c(f.ioc.get_executor(), f.options());
    auto result = f.run([&]() -> asio::awaitable<std::pair<std::uint64_t, std::vector<task>>> {
        auto pg = c.list_tasks_pages(f.request(3), {.page_size = 100, .read_ahead = true});
        std::vector<task> all;
        auto first = co_await pg.async_next(asio::use_awaitable);
        all.insert(all.end(), first->tasks.begin(), first->tasks.end());
        // The caller "works" without asking for page 2: the server still gets asked for it.
        // Bounded by a count of pauses, not a clock.
        for (int i = 0; i < 1000 && f.emu.counters().task_requests < 2; ++i) {
            asio::steady_timer t(co_await asio::this_coro::executor, 5ms);
            co_await t.async_wait(asio::use_awaitable);
        }
        auto requested_while_working = f.emu.counters().task_requests;
        while (auto p = co_await pg.async_next(asio::use_awaitable))
            all.insert(all.end(), p->tasks.begin(), p->tasks.end());
        co_return std::pair{requested_while_working, all};
    }());
    CHECK(result.first == 2);
    CHECK(result.second == expected_tasks(f, 3));
}

TEST_CASE("pager: a server that repeats a page makes the pager fail, not loop") {
    fixture f;
    client c(f.ioc.get_executor(), f.options());
    // Page 1 normal, page 2 answered as if offset were 0.
    f.run([&]() -> asio::awaitable<int> {
        auto pg = c.list_tasks_pages(f.request(1), {.page_size = 50});
        auto first = co_await pg.async_next(asio::use_awaitable);
        CHECK(first->tasks.size() == 50);
        emulator::fault ft;
        ft.what = emulator::fault::kind::repeat_page;
        f.emu.inject(ft);
        auto [ec, p] = co_await pg.async_next(use_tuple);
        CHECK(ec == errc::pager_stuck);
        CHECK_FALSE(p);
        CHECK(pg.report().stuck);
        auto [ec2, p2] = co_await pg.async_next(use_tuple);  // terminal
        CHECK(ec2 == errc::pager_stuck);
        co_return 0;
    }());
}

TEST_CASE("pager: an empty page before total fails the listing, saying how much arrived") {
    fixture f;
    client c(f.ioc.get_executor(), f.options());
    f.run([&]() -> asio::awaitable<int> {
        auto pg = c.list_tasks_pages(f.request(1), {.page_size = 100});
        CHECK((co_await pg.async_next(asio::use_awaitable))->tasks.size() == 100);
        emulator::fault ft;
        ft.what = emulator::fault::kind::empty_page;
        f.emu.inject(ft);
        auto [ec, p] = co_await pg.async_next(use_tuple);
        CHECK(ec == errc::inconsistent_listing);
        CHECK_FALSE(p);
        CHECK(pg.report().came_up_short);
        CHECK(pg.last_diagnostics().message ==
              "offset 100: empty page before total 250 (received 100 of 250 tasks)");
        auto [ec2, p2] = co_await pg.async_next(use_tuple);  // terminal
        CHECK(ec2 == errc::inconsistent_listing);
        co_return 0;
    }());
}

TEST_CASE("pager: a total that changes between pages fails the listing") {
    fixture f;
    client c(f.ioc.get_executor(), f.options());
    f.run([&]() -> asio::awaitable<int> {
        auto pg = c.list_tasks_pages(f.request(1), {.page_size = 100});
        CHECK((co_await pg.async_next(asio::use_awaitable))->tasks.size() == 100);
        emulator::fault ft;
        ft.what = emulator::fault::kind::total_delta;
        ft.delta = -200;  // the server now says 50
        f.emu.inject(ft);
        auto [ec, p] = co_await pg.async_next(use_tuple);
        CHECK(ec == errc::inconsistent_listing);
        CHECK_FALSE(p);
        CHECK(pg.total() == 250);
        CHECK(pg.report().total_changed);
        CHECK(pg.last_diagnostics().message ==
              "offset 100: total changed from 250 to 50 (received 100 of 250 tasks)");
        co_return 0;
    }());
}

TEST_CASE("list-all: complete, in order, concurrency bounded as the server sees it") {
    auto o = swr::test::emulator_defaults();
    o.data.tasks_per_execution = 2000;
    o.latency = 20ms;
    fixture f(o);
    client c(f.ioc.get_executor(), f.options());
    std::size_t last_pages = 0, calls = 0, last_tasks = 0;
    list_all_options lo;
    lo.max_in_flight = 4;
    lo.on_progress = [&](std::size_t done, std::size_t total, std::size_t tasks) {
        ++calls;
        CHECK(done <= total);
        CHECK(total == 20);
        last_pages = done;
        last_tasks = tasks;
    };
    auto all = f.run([&]() -> asio::awaitable<std::vector<task>> {
        co_return co_await c.async_list_all_tasks(f.request(1), lo, asio::use_awaitable);
    }());
    CHECK(all == expected_tasks(f, 1));
    CHECK(f.emu.counters().task_requests == 20);
    CHECK(f.emu.counters().max_in_flight <= 4);
    CHECK(f.emu.counters().max_in_flight >= 2);  // really concurrent
    CHECK(calls == 20);
    CHECK(last_pages == 20);
    CHECK(last_tasks == 2000);
}

TEST_CASE("list-all: a failing page fails the call and nothing partial is returned") {
    fixture f;
    auto opts = f.options();
    opts.retry.max_attempts = 1;
    client c(f.ioc.get_executor(), opts);
    f.emu.inject({.what = emulator::fault::kind::latency, .delay = 0ms});  // page 1 fine
    f.emu.inject({.what = emulator::fault::kind::status, .status = 404});
    diagnostics diag;
    auto [ec, tasks] = f.run([&]() -> asio::awaitable<std::tuple<error_code, std::vector<task>>> {
        co_return co_await c.async_list_all_tasks(f.request(1), {.page_size = 50}, diag, use_tuple);
    }());
    CHECK(ec == errc::not_found);
    CHECK(tasks.empty());
    CHECK(diag.http_status == 404);
}

TEST_CASE("watch: 1,000 executions watched until done, final statuses right, interval respected") {
    auto o = swr::test::emulator_defaults();
    o.data.executions = 1000;
    o.data.tasks_per_execution = 20;
    o.data.pace = 600ms;
    fixture f(o);
    client c(f.ioc.get_executor(), f.options());

    std::vector<watch_target> targets;
    for (int e = 1; e <= 1000; ++e) targets.push_back({"ins-emulator", "library", 1, e, ""});
    targets.push_back({"ins-emulator", "library", 1, 5000, ""});  // no such execution

    watch_options wo;
    wo.interval = 200ms;
    wo.max_concurrency = 16;
    std::map<std::int64_t, std::vector<task>> final_tasks;
    std::size_t updates = 0, changes = 0;
    auto t0 = std::chrono::steady_clock::now();
    auto [ec, results] =
        f.run([&]() -> asio::awaitable<std::tuple<error_code, std::vector<watch_result>>> {
            co_return co_await async_watch(
                c, targets, wo,
                [&](const execution_update& u) {
                    ++updates;
                    changes += u.changes.size();
                    if (u.done && !u.ec)
                        final_tasks[u.target->execution_id].assign(u.tasks.begin(), u.tasks.end());
                },
                use_tuple);
        }());
    auto elapsed = std::chrono::steady_clock::now() - t0;
    REQUIRE_FALSE(ec);
    REQUIRE(results.size() == 1001);
    auto max_polls = static_cast<unsigned>(elapsed / wo.interval) + 1;
    for (std::size_t i = 0; i < 1000; ++i) {
        CAPTURE(i);
        const auto& r = results[i];
        CHECK(r.done);
        CHECK_FALSE(r.ec);
        CHECK(r.counts.total() == 20);
        CHECK(r.counts.terminal() == 20);
        CHECK(r.polls <= max_polls);
        const auto& tasks = final_tasks[r.target.execution_id];
        REQUIRE(tasks.size() == 20);
        for (std::size_t k = 0; k < tasks.size(); ++k)
            CHECK(tasks[k].status ==
                  f.emu.data().final_status(r.target.execution_id, static_cast<std::int64_t>(k)));
    }
    CHECK(results[1000].ec == errc::not_found);
    CHECK_FALSE(results[1000].done);
    CHECK(results[1000].polls == 1);  // a 404 is final at once
    CHECK(changes >= 20000);          // every task appeared at least once
    CHECK(updates >= 1001);
    CHECK(c.stats().connections_opened <= c.options().pool.max_connections);
}

TEST_CASE("watch: the deadline ends executions that never finish") {
    auto o = swr::test::emulator_defaults();
    o.data.pace = 1h;
    o.data.tasks_per_execution = 20;  // one page: one request per poll
    fixture f(o);
    client c(f.ioc.get_executor(), f.options());
    watch_options wo;
    wo.interval = 50ms;
    wo.deadline = 300ms;
    watch_target one;
    one.instance_id = "ins-emulator";
    one.namespace_name = "library";
    one.policy_id = 1;
    one.execution_id = 1;
    std::vector<watch_target> targets{one};
    watch_callback no_callback;
    auto [ec, results] =
        f.run([&]() -> asio::awaitable<std::tuple<error_code, std::vector<watch_result>>> {
            co_return co_await async_watch(c, targets, wo, no_callback, use_tuple);
        }());
    CHECK_FALSE(ec);
    REQUIRE(results.size() == 1);
    CHECK(results[0].ec == errc::deadline_exceeded);
    CHECK_FALSE(results[0].done);
    CHECK(results[0].polls >= 1);
    CHECK(f.emu.counters().task_requests == results[0].polls);  // each poll one whole request
}

TEST_CASE("pager: a failed fetch is terminal: the next async_next repeats it and sends nothing") {
    fixture f;
    auto opts = f.options();
    opts.retry.max_attempts = 1;
    client c(f.ioc.get_executor(), opts);
    f.run([&]() -> asio::awaitable<int> {
        auto pg = c.list_tasks_pages(f.request(1), {.page_size = 100});
        CHECK((co_await pg.async_next(asio::use_awaitable))->tasks.size() == 100);
        f.emu.inject({.what = emulator::fault::kind::status, .status = 404});
        auto [ec, p] = co_await pg.async_next(use_tuple);
        CHECK(ec == errc::not_found);
        CHECK_FALSE(p);
        auto requests = f.emu.counters().task_requests;
        auto [ec2, p2] = co_await pg.async_next(use_tuple);
        CHECK(ec2 == errc::not_found);
        CHECK_FALSE(p2);
        CHECK(f.emu.counters().task_requests == requests);
        co_return 0;
    }());
}

TEST_CASE("watch: a transient failure is tried again at the next interval") {
    fixture f;
    auto opts = f.options();
    opts.retry.max_attempts = 1;
    client c(f.ioc.get_executor(), opts);
    watch_target one{"ins-emulator", "library", 1, 1, ""};
    std::vector<watch_target> targets{one};
    watch_callback no_callback;
    auto watch = [&](watch_options wo) {
        return f.run([&]() -> asio::awaitable<std::tuple<error_code, std::vector<watch_result>>> {
            co_return co_await async_watch(c, targets, wo, no_callback, use_tuple);
        }());
    };
    SUBCASE("one failed poll, then a whole one") {
        f.emu.inject({.what = emulator::fault::kind::status, .status = 503});
        auto [ec, results] = watch({.interval = 1ms});
        REQUIRE_FALSE(ec);
        CHECK_FALSE(results[0].ec);
        CHECK(results[0].done);
        CHECK(results[0].polls == 2);
    }
    SUBCASE("max_consecutive_failures in a row end the execution") {
        f.emu.inject({.what = emulator::fault::kind::status, .status = 503}, 100);
        auto [ec, results] = watch({.interval = 1ms, .max_consecutive_failures = 4});
        f.emu.clear_faults();
        REQUIRE_FALSE(ec);
        CHECK(results[0].ec == errc::server_error);
        CHECK_FALSE(results[0].done);
        CHECK(results[0].polls == 4);
    }
    SUBCASE("a non-retryable failure is final at once") {
        f.emu.inject({.what = emulator::fault::kind::status, .status = 403}, 100);
        auto [ec, results] = watch({.interval = 1ms});
        f.emu.clear_faults();
        CHECK(results[0].ec == errc::forbidden);
        CHECK(results[0].polls == 1);
    }
}
