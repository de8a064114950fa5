#pragma once
// One call's attempts, sans-io: fed the outcome of each attempt, says what to do next — retry
// at once on a new connection, refresh the IAM token, ask the refresh hook, wait and retry, or
// give up. The coroutine in client.cpp only does what it is told; these decisions are
// unit-tested without sockets (attempt_fsm_test.cpp).

#include "client/retry_policy.hpp"

#include <swr/error.hpp>

#include <chrono>
#include <optional>

namespace swr::detail {

/// What one attempt gave.
struct attempt_outcome {
    error_code ec;           ///< Transport failure, or the errc of a status other than 200.
    bool reused = false;     ///< Sent on a kept-alive connection.
    bool got_bytes = false;  ///< Some of a response arrived.
    unsigned status = 0;     ///< HTTP status, when a response arrived.
    std::optional<std::chrono::milliseconds> retry_after;  ///< The server's hint, parsed.
};

/// What the call does next.
enum class next_step {
    retry_on_new_connection,  ///< A kept-alive connection was dead: once, at once, not counted.
    refresh_iam_token,        ///< 401 with an IAM token: drop it, get a fresh one, retry at once.
    ask_refresh_hook,         ///< 401 with a token: call retry_options::refresh_token.
    retry_with_new_token,     ///< The hook gave a token: retry at once with it.
    wait_then_retry,          ///< Back off `delay`, then the next attempt.
    give_up,                  ///< Return the error; `reason` says why it was not retried.
};

struct attempt_decision {
    next_step step = next_step::give_up;
    std::chrono::milliseconds delay{0};      ///< For wait_then_retry.
    stop_reason reason = stop_reason::none;  ///< For give_up.
};

class attempt_fsm {
public:
    /// How the call authenticates, as far as a 401 is concerned.
    enum class auth { fixed, iam_password, token_with_refresh_hook };

    attempt_fsm(retry_policy& policy, auth a) : policy_(policy), auth_(a) {}

    /// After a failed attempt; `remaining` is the time left before the call's deadline.
    attempt_decision on_failure(const attempt_outcome& o,
                                std::optional<std::chrono::milliseconds> remaining);
    /// After ask_refresh_hook: whether the hook gave a new token.
    attempt_decision on_refresh_hook(bool got_token,
                                     std::optional<std::chrono::milliseconds> remaining);
    /// After a page was received: refunds the retry budget.
    void on_success() { policy_.on_success(); }

    /// The number of the current attempt (1-based); refreshes and the stale retry do not count.
    unsigned attempt() const noexcept { return attempt_; }

private:
    attempt_decision by_policy(const attempt_outcome& o,
                               std::optional<std::chrono::milliseconds> remaining);

    retry_policy& policy_;
    auth auth_;
    unsigned attempt_ = 1;
    bool stale_retried_ = false;
    bool refreshed_ = false;
    attempt_outcome pending_;  // the 401 the refresh hook was asked about
};

}  // namespace swr::detail
