#include "watch_report.hpp"

#include <boost/asio/error.hpp>

namespace swr::cli {

watch_outcome outcome_of(const watch_result& r) {
    // A done execution that was listed without error and counts no task is the same outcome,
    // whether or not the library has flagged it.
    if (r.no_tasks || (r.done && !r.ec && r.counts.total() == 0)) return watch_outcome::no_tasks;
    if (r.succeeded()) return watch_outcome::succeeded;
    if (r.done && !r.ec) return watch_outcome::failed;
    if (!r.ec || r.ec == make_error_code(errc::deadline_exceeded) ||
        r.ec == boost::asio::error::operation_aborted)
        return watch_outcome::unfinished;
    return watch_outcome::error;
}

const char* to_string(watch_outcome o) {
    switch (o) {
        case watch_outcome::succeeded: return "succeeded";
        case watch_outcome::failed: return "finished with failures";
        case watch_outcome::no_tasks: return "no tasks";
        case watch_outcome::unfinished: return "not finished";
        case watch_outcome::error: return "could not be watched";
    }
    return "unknown";
}

watch_verdict judge(std::span<const watch_result> results, bool allow_empty) {
    watch_verdict v;
    for (const auto& r : results) {
        switch (outcome_of(r)) {
            case watch_outcome::succeeded: break;
            case watch_outcome::no_tasks:
                v.empty.push_back(r.target.execution_id);
                if (!allow_empty) v.ok = false;
                break;
            case watch_outcome::unfinished:
                v.unfinished.push_back(r.target.execution_id);
                v.ok = false;
                break;
            case watch_outcome::failed:
            case watch_outcome::error: v.ok = false; break;
        }
    }
    return v;
}

void failure_log::update(const execution_update& u) {
    if (u.ec) return;
    auto& list = by_execution_.at(u.index);
    list.clear();
    for (const auto& t : u.tasks) {
        auto s = t.state();
        if (s == task_state::error || s == task_state::stopped)
            list.push_back({t.execution_id, t.id, t.repository, t.status, t.status_text});
    }
}

std::vector<failed_task> failure_log::all() const {
    std::vector<failed_task> out;
    for (const auto& list : by_execution_) out.insert(out.end(), list.begin(), list.end());
    return out;
}

std::string id_list(std::span<const std::int64_t> ids, std::size_t max) {
    std::string out;
    for (std::size_t i = 0; i < ids.size() && i < max; ++i) {
        if (i) out += ", ";
        out += std::to_string(ids[i]);
    }
    if (ids.size() > max) out += " and " + std::to_string(ids.size() - max) + " more";
    return out;
}

}  // namespace swr::cli
