#pragma once
// The fault switch: the queue of scripted misbehaviours (server::inject) and what a fault makes
// of a task-list answer. Faults in the content (statuses, bodies, pages) are shaped here; those
// of the transport are handed on in response::behaviour (transport_faults.hpp acts them out).

#include "emulator/page_cache.hpp"
#include "emulator/response.hpp"
#include "emulator/router.hpp"

#include <swr/emulator/emulator.hpp>

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>

namespace swr::emulator::detail {

/// Faults waiting for the next task-list requests, first in first out. Thread-safe.
class fault_queue {
public:
    void push(const fault& f, unsigned count);
    void clear();
    /// The fault for this request, if any is queued.
    std::optional<fault> next();

private:
    std::mutex m_;
    std::deque<fault> faults_;  // under m_
};

/// The answer to a checked call, as `f` (if any) distorts it.
response answer_task_list(const task_list_call& call, const std::optional<fault>& f,
                          const data_set& data, page_cache& pages,
                          std::chrono::milliseconds elapsed);

}  // namespace swr::emulator::detail
