#pragma once
// Which execution to poll next, and when: sans-io, fed the clock by the caller.
//
// Executions are polled in the order they fall due (ties: the lower index first), so when
// polls cannot keep up (a quota, a slow service) every execution waits about as long as the
// others and none starves. A poll the service throttled did not see the execution: it goes back
// at the time it was due, ahead of everything due later, instead of one interval on.

#include <chrono>
#include <cstddef>
#include <queue>
#include <variant>
#include <vector>

namespace swr::detail {

class poll_scheduler {
public:
    using clock = std::chrono::steady_clock;

    /// Every one of `count` executions is due at `start`.
    poll_scheduler(std::size_t count, std::chrono::milliseconds interval, clock::time_point start);

    struct poll_now {
        std::size_t index;
    };
    struct wait_until {
        clock::time_point when;
    };
    struct finished {};
    using decision = std::variant<poll_now, wait_until, finished>;

    /// What a free worker should do at `now`. finished: nothing is due and nothing runs (or
    /// everything left runs in another worker: then wait_until the deadline of the caller).
    decision next(clock::time_point now);

    /// How a poll ended.
    enum class outcome {
        polled,     ///< Seen (or failed transiently): due again one interval after it started.
        final,      ///< Done, or failed for good: never polled again.
        throttled,  ///< Refused by the service's quota: due again when it was due, its place kept.
    };
    /// The poll of `index` that started at `started` ended.
    void completed(std::size_t index, clock::time_point started, outcome how);

    std::size_t remaining() const noexcept { return remaining_; }
    std::size_t running() const noexcept { return running_; }

private:
    struct entry {
        clock::time_point due;
        std::size_t index;
        bool operator>(const entry& o) const {
            return due != o.due ? due > o.due : index > o.index;
        }
    };
    std::chrono::milliseconds interval_;
    std::priority_queue<entry, std::vector<entry>, std::greater<>> queue_;
    std::vector<clock::time_point> due_;  // when each execution was last due
    std::size_t remaining_;
    std::size_t running_ = 0;
};

}  // namespace swr::detail
