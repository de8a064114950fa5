// The general rule, tried at random: whatever mix of good pages and misbehaviour the server sends,
// the pager, list-all and watch each give exactly the data set or fail with an error; the requests
// stay under a stated bound; every handler runs exactly once.
//
// SWR_WHOLE_OR_ERROR_SEEDS (default 500) seeds from SWR_WHOLE_OR_ERROR_FIRST_SEED (default 1).
// A failing seed is printed; replay it alone with SWR_WHOLE_OR_ERROR_FIRST_SEED=<seed>
// SWR_WHOLE_OR_ERROR_SEEDS=1, and keep it as a regular test once fixed.
#include "support/preamble.hpp"

#include <swr/pager.hpp>
#include <swr/watch.hpp>

#include <cstdlib>
#include <functional>
#include <random>

namespace {

constexpr std::int64_t tasks_in_set = 35;  // 4 pages of 10, the last one short
constexpr std::int64_t page_size = 10;
constexpr unsigned max_attempts = 3;
// Every page may take max_attempts attempts plus one stale-connection retry, and one page more
// than the data set holds may be asked for before an error shows.
constexpr std::uint64_t request_bound = (tasks_in_set / page_size + 2) * (max_attempts + 1);

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

/// One draw from the mix: mostly good answers, the rest every misbehaviour the rule covers.
emulator::fault draw(std::mt19937_64& rng) {
    std::uniform_int_distribution<int> pick(0, 39);
    switch (int k = pick(rng)) {
        case 0: return {.what = kind::repeat_page};
        case 1: return {.what = kind::skip_page};
        case 2: return {.what = kind::total_delta, .delta = 1};
        case 3: return {.what = kind::total_delta, .delta = -10};
        case 4: return {.what = kind::empty_page};
        case 5: return {.what = kind::duplicate_ids};
        case 6: return {.what = kind::short_page};
        case 7: return {.what = kind::truncated_body};
        case 8: return {.what = kind::reset_mid_body};
        case 9: return {.what = kind::extra_bytes_after};
        case 10: return {.what = kind::status, .status = 500};
        case 11: return {.what = kind::status, .status = 503};
        case 12: return {.what = kind::status, .status = 429, .retry_after = "0"};
        case 13: return {.what = kind::status, .status = 429};
        case 14: return {.what = kind::interim_1xx, .size = 1 + static_cast<std::size_t>(k % 3)};
        case 15: return {.what = kind::close_before_response};
        case 16: return {.what = kind::headers_then_close};
        case 17: return {.what = kind::chunked_1byte};
        case 18: return {.what = kind::total_value, .delta = 1'000'000'000};
        default: return {.what = kind::latency, .delay = 0ms};  // a good answer
    }
}

void queue_faults(emulator::server& emu, std::mt19937_64& rng) {
    emu.clear_faults();
    for (int i = 0; i < 24; ++i) emu.inject(draw(rng));
}

struct tally {
    unsigned whole = 0, failed = 0;
};

}  // namespace

TEST_CASE("whole or error: pager, list-all and watch against a randomly misbehaving server") {
    auto o = swr::test::emulator_defaults();
    o.data.tasks_per_execution = tasks_in_set;
    o.data.error_percent = 0;  // a whole listing of an execution is then a success
    fixture f(o);
    const auto first = env_or("SWR_WHOLE_OR_ERROR_FIRST_SEED", 1);
    const auto seeds = env_or("SWR_WHOLE_OR_ERROR_SEEDS", 500);
    std::vector<task> expected;
    for (std::int64_t i = 0; i < tasks_in_set; ++i)
        expected.push_back(f.emu.data().make_task(1, i, 0ms));
    tally pager_tally, list_tally, watch_tally;

    for (auto seed = first; seed < first + seeds; ++seed) {
        CAPTURE(seed);
        std::mt19937_64 rng(seed);
        auto opts = f.options();
        opts.retry.base_delay = 0ms;
        opts.retry.throttled_base_delay = 0ms;
        opts.retry.max_attempts = max_attempts;
        client c(f.ioc.get_executor(), opts);
        auto req = f.request(1);

        // The pager, driven by callbacks so that each completion is counted.
        queue_faults(f.emu, rng);
        f.emu.reset_counters();
        {
            auto pg = c.list_tasks_pages(req, {.page_size = page_size});
            unsigned initiated = 0, completed = 0;
            std::vector<task> got;
            error_code ec;
            bool finished = false;
            std::function<void()> step = [&] {
                ++initiated;
                pg.async_next([&](error_code e, std::optional<page> p) {
                    ++completed;
                    if (e) {
                        ec = e;
                        return;
                    }
                    if (!p) {
                        finished = true;
                        return;
                    }
                    got.insert(got.end(), p->tasks.begin(), p->tasks.end());
                    step();
                });
            };
            step();
            f.ioc.run_for(60s);
            REQUIRE(f.ioc.stopped());
            f.ioc.restart();
            CHECK(completed == initiated);
            CHECK(finished != static_cast<bool>(ec));
            if (!ec) CHECK(got == expected);
            (ec ? pager_tally.failed : pager_tally.whole)++;
            CHECK(f.emu.counters().task_requests <= request_bound);
        }

        // list-all, two pages in flight.
        queue_faults(f.emu, rng);
        f.emu.reset_counters();
        {
            unsigned completed = 0;
            error_code ec;
            std::vector<task> got;
            c.async_list_all_tasks(req, {.page_size = page_size, .max_in_flight = 2},
                                   [&](error_code e, std::vector<task> t) {
                                       ++completed;
                                       ec = e;
                                       got = std::move(t);
                                   });
            f.ioc.run_for(60s);
            REQUIRE(f.ioc.stopped());
            f.ioc.restart();
            CHECK(completed == 1);
            if (ec)
                CHECK(got.empty());
            else
                CHECK(got == expected);
            (ec ? list_tally.failed : list_tally.whole)++;
            CHECK(f.emu.counters().task_requests <= request_bound);
        }

        // watch: one execution, every task terminal from the start.
        queue_faults(f.emu, rng);
        f.emu.reset_counters();
        {
            unsigned completed = 0;
            std::vector<watch_result> results;
            std::vector<task> final_tasks;
            watch_options wo{
                .interval = 1ms, .page_size = page_size, .max_consecutive_failures = 2};
            std::vector<watch_target> targets{{req.instance_id, req.namespace_name, 1, 1, ""}};
            async_watch(
                c, targets, wo,
                [&](const execution_update& u) {
                    if (u.done && !u.ec) final_tasks.assign(u.tasks.begin(), u.tasks.end());
                },
                [&](error_code e, std::vector<watch_result> r) {
                    ++completed;
                    CHECK_FALSE(e);
                    results = std::move(r);
                });
            f.ioc.run_for(60s);
            REQUIRE(f.ioc.stopped());
            f.ioc.restart();
            CHECK(completed == 1);
            REQUIRE(results.size() == 1);
            const auto& r = results[0];
            if (r.succeeded()) {
                CHECK(final_tasks == expected);
                CHECK(r.counts.total() == static_cast<std::size_t>(tasks_in_set));
            } else {
                CHECK(r.ec);  // never done without an error unless succeeded (no task fails here)
            }
            (r.succeeded() ? watch_tally.whole : watch_tally.failed)++;
            CHECK(r.polls <= wo.max_consecutive_failures);
            CHECK(f.emu.counters().task_requests <= wo.max_consecutive_failures * request_bound);
        }
    }
    MESSAGE("seeds " << first << ".." << first + seeds - 1 << ": pager " << pager_tally.whole
                     << " whole / " << pager_tally.failed << " errors; list-all "
                     << list_tally.whole << " / " << list_tally.failed << "; watch "
                     << watch_tally.whole << " / " << watch_tally.failed);
    // The mix must exercise both outcomes, or the test proves nothing.
    CHECK(list_tally.whole > 0);
    CHECK(list_tally.failed > 0);
}
