#include "watch/poll_scheduler.hpp"

namespace swr::detail {

poll_scheduler::poll_scheduler(std::size_t count, std::chrono::milliseconds interval,
                               clock::time_point start)
    : interval_(interval), due_(count, start), remaining_(count) {
    for (std::size_t i = 0; i < count; ++i) queue_.push({start, i});
}

poll_scheduler::decision poll_scheduler::next(clock::time_point now) {
    if (queue_.empty()) return finished{};
    auto top = queue_.top();
    if (top.due > now) return wait_until{top.due};
    queue_.pop();
    ++running_;
    return poll_now{top.index};
}

void poll_scheduler::completed(std::size_t index, clock::time_point started, outcome how) {
    --running_;
    switch (how) {
        case outcome::final: --remaining_; return;
        case outcome::throttled:
            // Its place in the due order: before every execution that fell due after it.
            queue_.push({due_[index], index});
            return;
        case outcome::polled:
            // Never sooner than one interval after the previous poll started.
            due_[index] = started + interval_;
            queue_.push({due_[index], index});
            return;
    }
}

}  // namespace swr::detail
