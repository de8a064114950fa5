#include "watch/poll_scheduler.hpp"

#include <doctest/doctest.h>

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
    s.completed(0, t0, false);
    s.completed(1, t0, true);  // final: not polled again
    auto d = s.next(t0 + 200ms);
    REQUIRE(std::holds_alternative<poll_scheduler::wait_until>(d));
    CHECK(std::get<poll_scheduler::wait_until>(d).when == t0 + 1000ms);
    d = s.next(t0 + 1000ms);
    REQUIRE(std::holds_alternative<poll_scheduler::poll_now>(d));
    CHECK(std::get<poll_scheduler::poll_now>(d).index == 0);
    s.completed(0, t0 + 1000ms, true);
    s.completed(2, t0, true);
    CHECK(s.remaining() == 0);
    CHECK(std::holds_alternative<poll_scheduler::finished>(s.next(t0 + 5s)));
}

TEST_CASE("poll scheduler: a slow poll is rescheduled from its start, never sooner") {
    auto t0 = poll_scheduler::clock::time_point{} + 1h;
    poll_scheduler s(1, 500ms, t0);
    REQUIRE(std::holds_alternative<poll_scheduler::poll_now>(s.next(t0)));
    s.completed(0, t0, false);  // the poll took a while; due at t0 + 500ms regardless
    auto d = s.next(t0 + 499ms);
    REQUIRE(std::holds_alternative<poll_scheduler::wait_until>(d));
    CHECK(std::get<poll_scheduler::wait_until>(d).when == t0 + 500ms);
}
