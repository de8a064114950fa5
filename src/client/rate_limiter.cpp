#include "client/rate_limiter.hpp"

#include "async/deadline.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace swr::detail {

using namespace std::chrono;

namespace {

// Rates from one request in 1,000 s to a million a second: the schedule's arithmetic stays far
// from overflowing its nanoseconds.
constexpr double min_rate = 0.001, max_rate = 1e6;
constexpr unsigned max_burst = 1'000'000;
// The measured rate is counted over windows of half a second and smoothed (AWS's figures).
constexpr auto window = milliseconds(500);
constexpr double smoothing = 0.8;
// Retry-After speaks in whole seconds: one second, the least it can say, under a per-second
// quota means "within a second", mostly milliseconds. Holding the whole client for it would idle
// a second of quota at every 429, so the cut rate paces the client and only the throttled call
// waits it out (the retry policy). From this long on, it holds every request.
constexpr auto client_wide_retry_after = seconds(2);
// Before the first window closes, the responses so far over at least this long: a handful of
// responses within microseconds says nothing of a rate.
constexpr auto shortest_measure = milliseconds(10);

double seconds_between(rate_limiter::time_point a, rate_limiter::time_point b) {
    return duration<double>(b - a).count();
}

void check_rate(double r, const char* field) {
    if (!(r >= min_rate && r <= max_rate))  // NaN fails too
        throw std::invalid_argument(std::string("rate.") + field +
                                    ": must be between 0.001 and 1000000 requests a second");
}

}  // namespace

rate_limiter::rate_limiter(const rate_options& o)
    : ceiling_(o.max_rps), floor_(o.min_rps), burst_(o.burst), adaptive_(o.adaptive) {
    if (ceiling_ != 0) check_rate(ceiling_, "max_rps");
    check_rate(floor_, "min_rps");
    if (burst_ < 1 || burst_ > max_burst)
        throw std::invalid_argument("rate.burst: must be between 1 and 1000000");
    if (adaptive_ && ceiling_ > 0 && floor_ > ceiling_)
        throw std::invalid_argument("rate.min_rps: must not exceed rate.max_rps");
    rate_ = ceiling_;
}

std::optional<double> rate_limiter::rate() const noexcept {
    if (adaptive_ && throttled_once_) return rate_;
    if (ceiling_ > 0) return ceiling_;
    return std::nullopt;
}

rate_limiter::clock::duration rate_limiter::interval() const noexcept {
    auto r = rate();
    return r ? duration_cast<clock::duration>(duration<double>(1.0 / *r)) : clock::duration{};
}

std::optional<rate_limiter::slot> rate_limiter::reserve(time_point now, time_point latest) {
    const auto earliest = std::max(now, paused_until_);
    const auto step = interval();
    auto at = earliest;
    // A request may run up to burst - 1 intervals ahead of the schedule.
    if (step.count() > 0) at = std::max(earliest, next_ - step * (burst_ - 1));
    if (at > now && at >= latest) return std::nullopt;
    if (step.count() > 0) next_ = std::max(next_, at) + step;
    return slot{at, step};
}

void rate_limiter::on_response(time_point sent, time_point now, unsigned status,
                               std::optional<milliseconds> retry_after) {
    // Every response, 429s included (as AWS's measured rate): counting only the accepted ones
    // left nothing measured when a 429 came first, and the cut went to the floor.
    record_response(now);
    if (!adaptive_) return;
    if (status == 429) {
        if (retry_after && *retry_after >= client_wide_retry_after)
            paused_until_ = std::max(paused_until_, saturating_after<clock>(now, *retry_after));
        on_throttled(sent, now);
    } else if (status >= 200 && status < 300) {
        on_success(now);
    }
}

void rate_limiter::on_throttled(time_point sent, time_point now) noexcept {
    // Sent under the rate before the last drop (in flight then, or on a slot handed out
    // before it): the drop has answered it already.
    if (sent < old_slots_end_) return;
    double base = measured_rate(now);
    if (throttled_once_ || ceiling_ > 0) base = std::min(base, rate_);
    rate_at_429_ = base;
    k_ = std::cbrt(rate_at_429_ * (1 - beta) / scale);
    last_drop_ = now;
    old_slots_end_ = std::max(now, next_);
    rate_ = std::max(floor_, base * beta);
    throttled_once_ = true;
}

void rate_limiter::on_success(time_point now) noexcept {
    if (!throttled_once_) return;
    const double t = seconds_between(last_drop_, now) - k_;
    double r = scale * t * t * t + rate_at_429_;
    r = std::min(r, 2 * measured_rate(now));
    if (ceiling_ > 0) r = std::min(r, ceiling_);
    rate_ = std::max(floor_, r);
}

void rate_limiter::record_response(time_point now) noexcept {
    if (!measuring_) {
        measuring_ = true;
        first_response_ = window_start_ = now;
    }
    window_count_ += 1;
    if (now - window_start_ < window) return;
    const double current = window_count_ / seconds_between(window_start_, now);
    measured_ = measured_once_ ? current * smoothing + measured_ * (1 - smoothing) : current;
    measured_once_ = true;
    window_count_ = 0;
    window_start_ = now;
}

double rate_limiter::measured_rate(time_point now) const noexcept {
    if (measured_once_) return measured_;
    if (!measuring_) return 0;
    return window_count_ / std::max(seconds_between(first_response_, now),
                                    duration<double>(shortest_measure).count());
}

}  // namespace swr::detail
