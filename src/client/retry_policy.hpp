#pragma once
// Retry decisions, sans-io: fed the outcome of an attempt, returns whether and when to try again.
// Full-jitter exponential backoff, Retry-After, and a per-client token bucket (retry budget).

#include <swr/error.hpp>
#include <swr/options.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace swr::detail {

/// Token bucket shared by every call of a client: retries take tokens, successes refund some.
/// When it runs dry, failures are returned at once instead of multiplying load on an outage.
class retry_budget {
public:
    explicit retry_budget(unsigned capacity) : capacity_(capacity), tokens_(capacity) {}
    bool try_take(unsigned n) {
        if (tokens_ < n) return false;
        tokens_ -= n;
        return true;
    }
    void refund(unsigned n) { tokens_ = std::min(capacity_, tokens_ + n); }
    unsigned tokens() const { return tokens_; }

private:
    unsigned capacity_;
    unsigned tokens_;
};

/// Why a failure is not retried.
enum class stop_reason {
    none,                ///< It is retried.
    not_retryable,       ///< The error is final (is_retryable() says no).
    attempts_exhausted,  ///< max_attempts reached.
    past_deadline,       ///< The wait would pass the call's deadline.
    budget_exhausted,    ///< The client's retry budget is empty.
};

/// For diagnostics and logs: "attempts exhausted", "retry budget exhausted", ...
std::string_view to_string(stop_reason r) noexcept;

/// True for the reasons worth telling the caller in diagnostics::message (the others are plain
/// from the error and the attempt count).
constexpr bool tell_caller(stop_reason r) noexcept {
    return r == stop_reason::past_deadline || r == stop_reason::budget_exhausted;
}

struct retry_decision {
    bool retry = false;
    std::chrono::milliseconds delay{0};
    stop_reason reason = stop_reason::none;  ///< Why not.
};

class retry_policy {
public:
    /// `random01` returns a uniform value in [0, 1); injected so tests are deterministic.
    retry_policy(const retry_options& opts, retry_budget* budget, std::function<double()> random01);

    /// After attempt number `attempt` (1-based) failed with `ec`. `retry_after` is the server's
    /// hint; `remaining` the time left before the call's deadline (nullopt: no deadline).
    retry_decision on_failure(unsigned attempt, const error_code& ec,
                              std::optional<std::chrono::milliseconds> retry_after,
                              std::optional<std::chrono::milliseconds> remaining);

    void on_success();

    /// Overrides retry_options::max_attempts for this call (>= 1).
    void limit_attempts(unsigned n) { max_attempts_ = n; }

private:
    const retry_options& opts_;
    std::optional<unsigned> max_attempts_;  // the call's own; else opts_.max_attempts
    retry_budget* budget_;
    std::function<double()> random01_;
};

/// Parses a Retry-After value: delta-seconds or an HTTP-date (IMF-fixdate, RFC 850 or asctime).
/// nullopt for garbage or negative values. A date in the past gives 0.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

/// True for the timeout errors (they cost more of the budget).
bool is_timeout(const error_code& ec) noexcept;

}  // namespace swr::detail
