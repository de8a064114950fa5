#include "watch/poll_scheduler.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

using swr::detail::poll_scheduler;
using namespace std::chrono_literals;

TEST_CASE("poll scheduler: every execution due at start, then one interval after its poll began") {
    auto t0 = poll_scheduler::clock::time_point{} + 1h;
    poll_scheduler s(3, 1000ms, t0);
    for (std::size_t i = 0; i < 3; ++i) {
        auto d = s.next(t0);
        REQUIRE(std::holds_alternative<poll_scheduler::poll_now>(d));
        CHECK(std::get<poll_scheduler::poll_now>(d).index == i);
    }
    CHECK(std::holds_alternative<poll_scheduler::finished>(s.next(t0)));  // all running
    CHECK(s.running() == 3);
    s.completed(0, t0, poll_scheduler::outcome::polled);
    s.completed(1, t0, poll_scheduler::outcome::final);  // final: not polled again
    auto d = s.next(t0 + 200ms);
    REQUIRE(std::holds_alternative<poll_scheduler::wait_until>(d));
    CHECK(std::get<poll_scheduler::wait_until>(d).when == t0 + 1000ms);
    d = s.next(t0 + 1000ms);
    REQUIRE(std::holds_alternative<poll_scheduler::poll_now>(d));
    CHECK(std::get<poll_scheduler::poll_now>(d).index == 0);
    s.completed(0, t0 + 1000ms, poll_scheduler::outcome::final);
    s.completed(2, t0, poll_scheduler::outcome::final);
    CHECK(s.remaining() == 0);
    CHECK(std::holds_alternative<poll_scheduler::finished>(s.next(t0 + 5s)));
}

TEST_CASE("poll scheduler: a slow poll is rescheduled from its start, never sooner") {
    auto t0 = poll_scheduler::clock::time_point{} + 1h;
    poll_scheduler s(1, 500ms, t0);
    REQUIRE(std::holds_alternative<poll_scheduler::poll_now>(s.next(t0)));
    s.completed(
        0, t0,
        poll_scheduler::outcome::polled);  // the poll took a while; due at t0 + 500ms regardless
    auto d = s.next(t0 + 499ms);
    REQUIRE(std::holds_alternative<poll_scheduler::wait_until>(d));
    CHECK(std::get<poll_scheduler::wait_until>(d).when == t0 + 500ms);
}

namespace {

using outcome = poll_scheduler::outcome;

std::size_t poll_index(poll_scheduler& s, poll_scheduler::clock::time_point now) {
    auto d = s.next(now);
    REQUIRE(std::holds_alternative<poll_scheduler::poll_now>(d));
    return std::get<poll_scheduler::poll_now>(d).index;
}

}  // namespace

TEST_CASE("poll scheduler: a throttled poll keeps its place, ahead of what fell due later") {
    auto t0 = poll_scheduler::clock::time_point{} + 1h;
    poll_scheduler s(3, 1000ms, t0);
    CHECK(poll_index(s, t0) == 0);
    CHECK(poll_index(s, t0) == 1);
    s.completed(0, t0, outcome::polled);     // due again at t0 + 1s
    s.completed(1, t0, outcome::throttled);  // still due at t0, before 2
    CHECK(poll_index(s, t0 + 5ms) == 1);
    CHECK(poll_index(s, t0 + 5ms) == 2);
    s.completed(1, t0 + 5ms, outcome::throttled);
    s.completed(2, t0 + 5ms, outcome::polled);
    // Later, with 0 and 2 due too: 1 was due first (t0), then 0 (t0 + 1s), then 2.
    const auto later = t0 + 3s;
    CHECK(poll_index(s, later) == 1);
    CHECK(poll_index(s, later) == 0);
    CHECK(poll_index(s, later) == 2);
    CHECK(s.remaining() == 3);
    CHECK(s.running() == 3);
}

TEST_CASE("poll scheduler: polls that cannot keep up go round in due order, none starves") {
    // 100 executions, one poll every 6 ms, every third throttled: 111 seen a second, enough for
    // the whole set each 1 s interval. Simulated time: the gaps are the scheduler's alone.
    constexpr std::size_t n = 100;
    const auto interval = 1000ms;
    auto t = poll_scheduler::clock::time_point{} + 1h;
    poll_scheduler s(n, interval, t);
    std::vector<poll_scheduler::clock::time_point> last(n, t);
    std::vector<unsigned> polls(n, 0);
    poll_scheduler::clock::duration longest{};
    const auto end = t + 60s;
    for (unsigned k = 0; t < end; ++k) {
        auto d = s.next(t);
        if (auto* w = std::get_if<poll_scheduler::wait_until>(&d)) {
            t = w->when;
            continue;
        }
        REQUIRE(std::holds_alternative<poll_scheduler::poll_now>(d));
        const auto i = std::get<poll_scheduler::poll_now>(d).index;
        const auto started = t;
        t += 6ms;
        if (k % 3 == 2) {
            s.completed(i, started, outcome::throttled);
            continue;
        }
        longest = std::max(longest, t - last[i]);
        last[i] = t;
        ++polls[i];
        s.completed(i, started, outcome::polled);
    }
    CHECK(longest <= 3 * interval);
    const auto [fewest, most] = std::minmax_element(polls.begin(), polls.end());
    CHECK(*fewest > 0);
    CHECK(*most - *fewest <= 1);  // every execution polled as often as the others
}
