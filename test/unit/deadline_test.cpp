// Deadlines computed from durations saturate at the clock's end instead of overflowing.
#include "async/deadline.hpp"

#include <doctest/doctest.h>

#include <chrono>

using namespace std::chrono;
using swr::detail::saturating_after;

TEST_CASE("deadline: now + d, saturated at the clock's end") {
    using tp = steady_clock::time_point;
    const auto now = tp(hours(1000));
    CHECK(saturating_after<steady_clock>(now, seconds(5)) == now + seconds(5));
    CHECK(saturating_after<steady_clock>(now, milliseconds(0)) == now);
    CHECK(saturating_after<steady_clock>(now, milliseconds(-5)) == now);
    CHECK(saturating_after<steady_clock>(now, hours::max()) == tp::max());
    CHECK(saturating_after<steady_clock>(now, milliseconds::max()) == tp::max());
    CHECK(saturating_after<steady_clock>(now, tp::max() - now) == tp::max());
    CHECK(saturating_after<steady_clock>(now, (tp::max() - now) - nanoseconds(1)) ==
          tp::max() - nanoseconds(1));
    // A point already at the end stays there.
    CHECK(saturating_after<steady_clock>(tp::max(), seconds(1)) == tp::max());
}

TEST_CASE("deadline: zero means none") {
    CHECK(swr::detail::deadline_after(milliseconds(0)) == steady_clock::time_point::max());
    CHECK(swr::detail::deadline_after(hours::max()) == steady_clock::time_point::max());
    const auto before = steady_clock::now();
    const auto d = swr::detail::deadline_after(seconds(10));
    CHECK(d >= before + seconds(10));
    CHECK(d < steady_clock::time_point::max());
}
