#pragma once
// Client-side rate limiting, sans-io: when the next request may be sent, and, when adaptive, how
// the send rate follows the server's 429s. The client's strand feeds it times and responses and
// waits as told; the rules are unit-tested with made-up times (rate_limiter_test.cpp).
//
// Send slots are a token bucket written as a schedule (GCRA): `next_` is the time the schedule
// has reached, one interval (1 / rate) per request, and a request may go as soon as it is no more
// than `burst - 1` intervals ahead of now. Callers reserve slots in turn, so waits are first come,
// first served, without a queue.
//
// Adaptive mode follows the AWS SDKs' adaptive retry mode: unlimited until the first 429, then
// CUBIC congestion control over the rate measured from responses. A 429 drops the rate to
// `beta` (0.7) of what was measured, at most once for all the requests sent before the drop or on
// slots handed out before it (they went under the old rate and say nothing of the new one; a
// drop for each would cut the rate to the floor in one burst of 429s). Successes grow it along
// `scale * (t - k)^3 + rate_at_429`: fast back towards the rate that was throttled, flat around
// it, then probing above. The rate never exceeds twice the measured one, so an idle spell does
// not let it grow unbounded.

#include <swr/options.hpp>

#include <chrono>
#include <optional>

namespace swr::detail {

class rate_limiter {
public:
    using clock = std::chrono::steady_clock;
    using time_point = clock::time_point;

    static constexpr double beta = 0.7;   ///< The share of the measured rate kept after a 429.
    static constexpr double scale = 0.4;  ///< CUBIC's growth constant (requests/s per s^3).

    /// Throws std::invalid_argument naming the field (`rate.burst`, ...) and the rule.
    explicit rate_limiter(const rate_options& opts);

    /// Whether requests wait for slots at all: a fixed ceiling, or adaptive.
    bool enabled() const noexcept { return ceiling_ > 0 || adaptive_; }

    /// A reserved send slot.
    struct slot {
        time_point at;               ///< When the request may go.
        clock::duration interval{};  ///< What it took of the schedule.
    };
    /// Reserves the next send slot, `now` at the earliest. nullopt, with nothing reserved, when
    /// it is later than `now` and not before `latest` (the call's deadline).
    std::optional<slot> reserve(time_point now, time_point latest);
    /// Returns a reserved slot, unused (its call was cancelled while waiting).
    void give_back(const slot& s) noexcept { next_ -= s.interval; }

    /// A response with HTTP `status` arrived at `now` for a request sent at `sent`;
    /// `retry_after` is the server's hint, already capped, when a 429 carried one. Adaptive: a
    /// hint of 2 s or more holds every request (a shorter one only its own call's retry).
    void on_response(time_point sent, time_point now, unsigned status,
                     std::optional<std::chrono::milliseconds> retry_after);

    /// Requests a second the slots are spaced by; nullopt: not limited.
    std::optional<double> rate() const noexcept;
    /// Until when a 429's Retry-After holds every request; time_point::min() when none.
    time_point paused_until() const noexcept { return paused_until_; }
    /// Responses a second, as measured so far (0 before any).
    double measured_rate(time_point now) const noexcept;

private:
    void record_response(time_point now) noexcept;
    void on_throttled(time_point sent, time_point now) noexcept;
    void on_success(time_point now) noexcept;
    clock::duration interval() const noexcept;

    // Options.
    double ceiling_;  // 0: none
    double floor_;
    unsigned burst_;
    bool adaptive_;

    // The schedule of send slots.
    time_point next_{};
    time_point paused_until_ = time_point::min();

    // Adaptive: the rate, and CUBIC's state since the last drop.
    bool throttled_once_ = false;  // before the first 429 the rate is the ceiling, if any
    double rate_ = 0;
    double rate_at_429_ = 0;
    double k_ = 0;  // seconds after the drop at which the curve is back at rate_at_429_
    time_point last_drop_ = time_point::min();
    time_point old_slots_end_ = time_point::min();  // the schedule reached at the last drop

    // The measured response rate: counts in windows of half a second, smoothed.
    bool measuring_ = false;
    bool measured_once_ = false;
    time_point first_response_{}, window_start_{};
    double window_count_ = 0;
    double measured_ = 0;
};

}  // namespace swr::detail
