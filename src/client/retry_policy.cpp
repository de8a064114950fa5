#include "client/retry_policy.hpp"

#include "wire/http_time.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>

#include <algorithm>
#include <charconv>

namespace swr::detail {

using std::chrono::milliseconds;

retry_policy::retry_policy(const retry_options& opts, retry_budget* budget,
                           std::function<double()> random01)
    : opts_(opts), budget_(budget), random01_(std::move(random01)) {}

std::string_view to_string(stop_reason r) noexcept {
    switch (r) {
        case stop_reason::none: return "retried";
        case stop_reason::not_retryable: return "not retryable";
        case stop_reason::attempts_exhausted: return "attempts exhausted";
        case stop_reason::past_deadline: return "the wait would pass the deadline";
        case stop_reason::budget_exhausted: return "retry budget exhausted";
    }
    return "unknown";
}

bool is_timeout(const error_code& ec) noexcept {
    return ec == errc::connect_timeout || ec == errc::handshake_timeout ||
           ec == errc::request_timeout || ec == boost::asio::error::timed_out ||
           ec == boost::beast::error::timeout;
}

retry_decision retry_policy::on_failure(unsigned attempt, const error_code& ec,
                                        std::optional<milliseconds> retry_after,
                                        std::optional<milliseconds> remaining) {
    if (!is_retryable(ec)) return {false, {}, stop_reason::not_retryable};
    if (attempt >= max_attempts_.value_or(opts_.max_attempts))
        return {false, {}, stop_reason::attempts_exhausted};

    milliseconds delay;
    if (retry_after && opts_.honor_retry_after) {
        delay = std::min(*retry_after, opts_.max_retry_after);
    } else {
        auto base = ec == errc::throttled ? opts_.throttled_base_delay : opts_.base_delay;
        // Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))].
        auto exp = base * (1LL << std::min(attempt - 1, 20u));
        auto ceiling = std::min<milliseconds::rep>(exp.count(), opts_.max_delay.count());
        delay = milliseconds(
            static_cast<milliseconds::rep>(random01_() * static_cast<double>(ceiling)));
    }
    if (remaining && delay >= *remaining) return {false, {}, stop_reason::past_deadline};
    if (opts_.budget && budget_) {
        unsigned cost = is_timeout(ec) ? opts_.timeout_retry_cost : opts_.retry_cost;
        if (!budget_->try_take(cost)) return {false, {}, stop_reason::budget_exhausted};
    }
    return {true, delay, {}};
}

void retry_policy::on_success() {
    if (opts_.budget && budget_) budget_->refund(opts_.success_refund);
}

std::optional<milliseconds> parse_retry_after(std::string_view v,
                                              std::chrono::system_clock::time_point now) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    if (v.empty()) return std::nullopt;
    if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        long long secs = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), secs);
        if (ec != std::errc() || p != v.data() + v.size()) return milliseconds(INT64_MAX / 2);
        if (secs > 1'000'000'000) secs = 1'000'000'000;
        return milliseconds(secs * 1000);
    }
    auto when = parse_http_date(v);
    if (!when) return std::nullopt;
    if (*when <= now) return milliseconds(0);
    return std::chrono::duration_cast<milliseconds>(*when - now);
}

}  // namespace swr::detail
