// Client-side rate limiting fed made-up times and responses: no sockets, no sleeping.
#include "client/rate_limiter.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using swr::detail::rate_limiter;
using time_point = rate_limiter::time_point;

namespace {

const time_point t0 = time_point{} + 1000s;
const time_point never = time_point::max();

swr::rate_options fixed(double rps, unsigned burst = 1) {
    swr::rate_options o;
    o.max_rps = rps;
    o.burst = burst;
    return o;
}

swr::rate_options adaptive(double ceiling = 0) {
    swr::rate_options o;
    o.max_rps = ceiling;
    o.adaptive = true;
    return o;
}

time_point slot_at(rate_limiter& l, time_point now, time_point latest = never) {
    auto s = l.reserve(now, latest);
    REQUIRE(s);
    return s->at;
}

// `n` requests answered `status`, one every `every`, from `from`; returns the time after them.
time_point answer(rate_limiter& l, time_point from, int n, std::chrono::milliseconds every,
                  unsigned status = 200) {
    auto t = from;
    for (int i = 0; i < n; ++i, t += every) l.on_response(t, t, status, std::nullopt);
    return t;
}

std::string refusal(const swr::rate_options& o) {
    try {
        rate_limiter l(o);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return {};
}

}  // namespace

TEST_CASE("rate limit: off by default, every slot is now") {
    rate_limiter l{swr::rate_options{}};
    CHECK_FALSE(l.enabled());
    CHECK_FALSE(l.rate());
    for (int i = 0; i < 5; ++i) CHECK(slot_at(l, t0) == t0);
    // Even a 429 changes nothing when not adaptive.
    l.on_response(t0, t0, 429, 5s);
    CHECK(slot_at(l, t0) == t0);
    CHECK(l.paused_until() == time_point::min());
}

TEST_CASE("rate limit: a fixed rate spaces requests evenly, first come first served") {
    rate_limiter l{fixed(10)};
    CHECK(l.enabled());
    CHECK(l.rate() == doctest::Approx(10));
    CHECK(slot_at(l, t0) == t0);
    CHECK(slot_at(l, t0) == t0 + 100ms);
    CHECK(slot_at(l, t0) == t0 + 200ms);
    // A request made later than its slot would be goes at once; the spacing restarts from it.
    CHECK(slot_at(l, t0 + 5s) == t0 + 5s);
    CHECK(slot_at(l, t0 + 5s) == t0 + 5s + 100ms);
}

TEST_CASE("rate limit: a burst goes at once after an idle spell, then the rate") {
    rate_limiter l{fixed(10, 3)};
    CHECK(slot_at(l, t0) == t0);
    CHECK(slot_at(l, t0) == t0);
    CHECK(slot_at(l, t0) == t0);
    CHECK(slot_at(l, t0) == t0 + 100ms);
    CHECK(slot_at(l, t0) == t0 + 200ms);
    // Idle long enough to fill the bucket again: three at once, not more.
    const auto later = t0 + 10s;
    for (int i = 0; i < 3; ++i) CHECK(slot_at(l, later) == later);
    CHECK(slot_at(l, later) == later + 100ms);
}

TEST_CASE("rate limit: a slot not before the deadline is refused, and nothing is reserved") {
    rate_limiter l{fixed(1)};
    CHECK(slot_at(l, t0) == t0);
    CHECK_FALSE(l.reserve(t0, t0 + 999ms));
    CHECK_FALSE(l.reserve(t0, t0 + 1s));  // a slot at the deadline leaves no time to send
    CHECK(slot_at(l, t0, t0 + 1001ms) == t0 + 1s);
    // The refused calls took nothing: the next slot is one interval on.
    CHECK(slot_at(l, t0) == t0 + 2s);
    // A slot due now is granted whatever the deadline: the send path checks the deadline.
    CHECK(slot_at(l, t0 + 10s, t0) == t0 + 10s);
}

TEST_CASE("rate limit: a slot given back goes to the next caller") {
    rate_limiter l{fixed(10)};
    CHECK(slot_at(l, t0) == t0);
    auto cancelled = l.reserve(t0, never);
    REQUIRE(cancelled);
    CHECK(cancelled->at == t0 + 100ms);
    l.give_back(*cancelled);
    CHECK(slot_at(l, t0) == t0 + 100ms);
}

TEST_CASE("rate limit: options out of range are refused, naming the field") {
    auto o = fixed(10, 0);
    CHECK(refusal(o).find("rate.burst") == 0);
    CHECK(refusal(fixed(-1)).find("rate.max_rps") == 0);
    CHECK(refusal(fixed(std::numeric_limits<double>::quiet_NaN())).find("max_rps") !=
          std::string::npos);
    CHECK(refusal(fixed(1e9)).find("must be between") != std::string::npos);
    o = adaptive();
    o.min_rps = 0;
    CHECK(refusal(o).find("rate.min_rps") == 0);
    o = adaptive(1);
    o.min_rps = 2;
    CHECK(refusal(o).find("must not exceed rate.max_rps") != std::string::npos);
    CHECK(refusal(fixed(0.001)).empty());
    CHECK(refusal(adaptive(1)).empty());
}

TEST_CASE("adaptive: unlimited until a 429, then 70% of the rate measured") {
    rate_limiter l{adaptive()};
    CHECK(l.enabled());
    CHECK_FALSE(l.rate());
    // 100 responses a second for two seconds: the measure says 100.
    auto t = answer(l, t0, 200, 10ms);
    CHECK(l.measured_rate(t) == doctest::Approx(100).epsilon(0.02));
    CHECK_FALSE(l.rate());
    CHECK(slot_at(l, t) == t);
    CHECK(slot_at(l, t) == t);  // still unlimited
    l.on_response(t, t, 429, std::nullopt);
    REQUIRE(l.rate());
    CHECK(*l.rate() == doctest::Approx(0.7 * l.measured_rate(t)));
    CHECK(*l.rate() == doctest::Approx(70).epsilon(0.02));
}

TEST_CASE("adaptive: one drop for the requests sent before it, another for those sent after") {
    rate_limiter l{adaptive()};
    auto t = answer(l, t0, 200, 10ms);
    l.on_response(t - 5ms, t, 429, std::nullopt);
    const double first = *l.rate();
    // More 429s for requests that were in flight under the old rate: no further drop.
    for (int i = 0; i < 10; ++i) l.on_response(t - 1ms, t + 1ms, 429, std::nullopt);
    CHECK(*l.rate() == doctest::Approx(first));
    // A 429 for a request sent under the new rate: it is still too fast.
    l.on_response(t + 2ms, t + 3ms, 429, std::nullopt);
    CHECK(*l.rate() == doctest::Approx(first * 0.7));
}

TEST_CASE("adaptive: successes grow the rate back along the cubic curve, then beyond") {
    rate_limiter l{adaptive()};
    auto t = answer(l, t0, 200, 10ms);
    l.on_response(t, t, 429, std::nullopt);
    const double throttled_at = l.measured_rate(t);
    const double dropped = *l.rate();
    const double k = std::cbrt(throttled_at * (1 - rate_limiter::beta) / rate_limiter::scale);
    // Responses keep coming at 100 a second, so twice the measure does not bind.
    auto now = t;
    double previous = dropped;
    for (double s : {0.5, 1.0, 2.0, 3.0, 6.0}) {
        const auto at = t + std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::duration<double>(s));
        for (now += 10ms; now < at; now += 10ms) l.on_response(now, now, 200, std::nullopt);
        l.on_response(at, at, 200, std::nullopt);
        now = at;
        const double expected = rate_limiter::scale * std::pow(s - k, 3) + throttled_at;
        CHECK(*l.rate() == doctest::Approx(std::min(expected, 2 * l.measured_rate(at))));
        CHECK(*l.rate() > previous);
        previous = *l.rate();
    }
    CHECK(previous > throttled_at);  // past k it probes above the rate that was throttled
}

TEST_CASE(
    "adaptive: the rate never exceeds twice the measure, the ceiling, nor falls below the "
    "floor") {
    SUBCASE("twice the measure") {
        rate_limiter l{adaptive()};
        auto t = answer(l, t0, 200, 10ms);
        l.on_response(t, t, 429, std::nullopt);
        // Then a trickle: one response a second for a minute; the curve alone would be far above.
        t = answer(l, t + 1s, 60, 1000ms);
        CHECK(*l.rate() <= 2 * l.measured_rate(t) + 1e-9);
        CHECK(*l.rate() < 10);
    }
    SUBCASE("the ceiling") {
        rate_limiter l{adaptive(50)};
        CHECK(l.rate() == doctest::Approx(50));  // the ceiling before any 429
        auto t = answer(l, t0, 200, 10ms);       // measured 100: above the ceiling
        l.on_response(t, t, 429, std::nullopt);
        CHECK(*l.rate() == doctest::Approx(35));  // 70% of the ceiling, the lower of the two
        answer(l, t + 10ms, 3000, 10ms);          // 30 s of successes
        CHECK(*l.rate() == doctest::Approx(50));
    }
    SUBCASE("the floor") {
        auto o = adaptive();
        o.min_rps = 2;
        rate_limiter l{o};
        auto t = answer(l, t0, 4, 500ms);  // about 2 a second
        for (int i = 0; i < 10; ++i, t += 1s) l.on_response(t, t, 429, std::nullopt);
        CHECK(*l.rate() == doctest::Approx(2));
    }
}

TEST_CASE("adaptive: a 429's Retry-After holds every request of the client") {
    rate_limiter l{adaptive()};
    l.on_response(t0, t0, 429, 2000ms);
    CHECK(l.paused_until() == t0 + 2s);
    CHECK(slot_at(l, t0 + 1s) >= t0 + 2s);
    // A call whose deadline comes first gets no slot; the caller can say why from paused_until.
    CHECK_FALSE(l.reserve(t0 + 1s, t0 + 1500ms));
    // A shorter hint later does not shorten the pause.
    l.on_response(t0 + 1s, t0 + 1s, 429, 0ms);
    CHECK(l.paused_until() == t0 + 2s);
    // Once it has passed, requests go at the adapted rate.
    const auto after = t0 + 10s;
    CHECK(slot_at(l, after) == after);
}

TEST_CASE("adaptive: a Retry-After past the clock's end pauses until then, never wraps around") {
    rate_limiter l{adaptive()};
    // What parse_retry_after makes of a number too long to read, when the cap lets it through.
    l.on_response(t0, t0, 429, std::chrono::milliseconds(INT64_MAX / 2));
    CHECK(l.paused_until() == time_point::max());
    CHECK_FALSE(l.reserve(t0 + 1s, t0 + 1h));  // no slot before a deadline: held, not released
}

TEST_CASE(
    "adaptive: a Retry-After of one second delays only its own call; the cut paces the rest") {
    rate_limiter l{adaptive()};
    auto t = answer(l, t0, 200, 10ms);
    l.on_response(t, t, 429, 1000ms);
    CHECK(l.paused_until() == time_point::min());
    REQUIRE(l.rate());
    CHECK(*l.rate() == doctest::Approx(70).epsilon(0.02));
    CHECK(slot_at(l, t) == t);
}

TEST_CASE("adaptive: slots handed out before a drop say nothing of the new rate") {
    rate_limiter l{adaptive(100)};
    auto t = answer(l, t0, 200, 10ms);  // 100 a second, at the ceiling
    // Ten slots reserved at the old rate: they run 100 ms into the future.
    time_point last{};
    for (int i = 0; i < 10; ++i) last = slot_at(l, t);
    CHECK(last == t + 90ms);
    l.on_response(t - 1ms, t, 429, std::nullopt);
    const double cut = *l.rate();
    CHECK(cut == doctest::Approx(70).epsilon(0.02));
    // A request sent on one of those slots, after the drop, is throttled too: no second cut.
    l.on_response(last, last + 2ms, 429, std::nullopt);
    CHECK(*l.rate() == doctest::Approx(cut).epsilon(0.01));
    // One sent on a slot of the new schedule is news: the rate is still too high.
    const auto fresh = slot_at(l, t);
    CHECK(fresh > last);
    l.on_response(fresh, fresh + 2ms, 429, std::nullopt);
    CHECK(*l.rate() < cut * 0.75);
}

TEST_CASE("adaptive: the measured rate follows the responses, smoothed over half seconds") {
    rate_limiter l{adaptive()};
    CHECK(l.measured_rate(t0) == 0);
    auto t = answer(l, t0, 100, 5ms);  // 200 a second for half a second
    CHECK(l.measured_rate(t) == doctest::Approx(200).epsilon(0.03));
    // Then 50 a second: when the next half second closes, the measure moves most of the way.
    t = answer(l, t, 26, 20ms);
    const double after_one = l.measured_rate(t);
    CHECK(after_one < 100);
    CHECK(after_one > 50);
    t = answer(l, t, 100, 20ms);  // two more seconds of it: there
    CHECK(l.measured_rate(t) == doctest::Approx(50).epsilon(0.03));
}

TEST_CASE("adaptive: against a simulated 300/s token bucket, near the quota and few 429s") {
    // 16 requests in flight, 4 ms each, against a bucket of 300 a second (30 back to back):
    // counts of requests over a simulated minute, no clock involved.
    rate_limiter l{adaptive()};
    double tokens = 30;
    auto last = t0;
    long ok = 0, throttled = 0;
    std::vector<time_point> free_at(16, t0);
    const auto end = t0 + 60s;
    for (;;) {
        auto w = std::min_element(free_at.begin(), free_at.end());
        if (*w >= end) break;
        const auto sent = slot_at(l, *w);
        if (sent > last) {
            tokens =
                std::min(30.0, tokens + 300 * std::chrono::duration<double>(sent - last).count());
            last = sent;
        }
        const bool admitted = tokens >= 1;
        if (admitted) tokens -= 1;
        ++(admitted ? ok : throttled);
        l.on_response(sent, sent + 4ms, admitted ? 200 : 429, std::nullopt);
        *w = sent + 4ms;
    }
    CHECK(static_cast<double>(ok) >= 0.85 * 300 * 60);
    CHECK(static_cast<double>(throttled) <= 0.02 * static_cast<double>(ok + throttled));
}

TEST_CASE("adaptive: 429s that come back first still leave a rate to cut from, not the floor") {
    // Sixteen requests sent at once; the refusals, small, are answered before the pages.
    rate_limiter l{adaptive()};
    for (int i = 0; i < 12; ++i) l.on_response(t0, t0 + 1ms, 429, std::nullopt);
    REQUIRE(l.rate());
    CHECK(*l.rate() > 10);  // the floor is 0.5
    auto t = t0 + 2ms;
    for (int i = 0; i < 4; ++i) l.on_response(t0, t, 200, std::nullopt);
    CHECK(*l.rate() > 10);
}
