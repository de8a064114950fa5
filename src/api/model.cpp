#include <swr/model.hpp>

#include "api/text_block.hpp"

#include <boost/beast/core/string.hpp>

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>

namespace swr {
namespace {

bool has_control_char(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
}

validation_error check_string(std::string_view field, std::string_view value) {
    if (value.empty()) return {std::string(field), "must not be empty"};
    if (has_control_char(value))
        return {std::string(field), "must not contain control characters (CR, LF, NUL, ...)"};
    return {};
}

// A path segment: '.' is unreserved, so "." and ".." would be sent as is, and a gateway that
// normalises the path would then serve another resource.
validation_error check_segment(std::string_view field, std::string_view value) {
    if (auto e = check_string(field, value)) return e;
    if (value == "." || value == "..") return {std::string(field), R"(must not be "." or "..")"};
    return {};
}

using boost::beast::iequals;

}  // namespace

void detail::free_text_block(text_block* b) noexcept {
    b->~text_block();
    ::operator delete(b);
}

void text::assign_copy(std::string_view s) {
    if (s.size() > std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("swr::text: longer than 4 GiB");
    if (s.size() <= inline_capacity) {
        detail::text_access::set_inline(*this, s);
        return;
    }
    auto* block = detail::text_access::make_block(s.size());
    std::memcpy(detail::text_access::chars(block), s.data(), s.size());
    detail::text_access::attach(*this, block, 0, s.size());
    block->refs.store(1, std::memory_order_relaxed);
}

validation_error validate(const call_options& c) {
    if (c.max_attempts && *c.max_attempts < 1) return {"call.max_attempts", "must be at least 1"};
    if (c.deadline && c.deadline->count() < 0) return {"call.deadline", "must not be negative"};
    if (c.request_timeout && c.request_timeout->count() < 0)
        return {"call.request_timeout", "must not be negative"};
    return {};
}

validation_error validate(const list_tasks_request& r, bool require_project_id) {
    if (require_project_id || !r.project_id.empty())
        if (auto e = check_segment("project_id", r.project_id)) return e;
    if (auto e = check_segment("instance_id", r.instance_id)) return e;
    if (auto e = check_segment("namespace_name", r.namespace_name)) return e;
    if (r.policy_id < 0) return {"policy_id", "must be non-negative"};
    if (r.execution_id < 0) return {"execution_id", "must be non-negative"};
    if (r.limit && (*r.limit < 1 || *r.limit > max_limit))
        return {"limit", "must be between 1 and 100"};
    if (r.offset) {
        if (!r.limit) return {"offset", "requires limit (offset and limit must be used together)"};
        if (*r.offset < 0) return {"offset", "must be non-negative"};
        if (*r.offset % *r.limit != 0) return {"offset", "must be 0 or a multiple of limit"};
    }
    return validate(r.call);
}

std::string_view to_string(task_state s) noexcept {
    switch (s) {
        case task_state::pending: return "pending";
        case task_state::scheduled: return "scheduled";
        case task_state::running: return "running";
        case task_state::success: return "success";
        case task_state::error: return "error";
        case task_state::stopped: return "stopped";
        case task_state::unknown: break;
    }
    return "unknown";
}

task_state classify_status(std::string_view raw) noexcept {
    struct entry {
        std::string_view text;
        task_state state;
    };
    static constexpr std::array<entry, 22> table{{
        {"pending", task_state::pending},    {"queued", task_state::pending},
        {"waiting", task_state::pending},    {"scheduled", task_state::scheduled},
        {"running", task_state::running},    {"in_progress", task_state::running},
        {"processing", task_state::running}, {"success", task_state::success},
        {"succeed", task_state::success},    {"succeeded", task_state::success},
        {"successful", task_state::success}, {"finished", task_state::success},
        {"completed", task_state::success},  {"error", task_state::error},
        {"failed", task_state::error},       {"failure", task_state::error},
        {"fail", task_state::error},         {"stopped", task_state::stopped},
        {"stop", task_state::stopped},       {"canceled", task_state::stopped},
        {"cancelled", task_state::stopped},  {"aborted", task_state::stopped},
    }};
    for (const auto& e : table)
        if (iequals(raw, e.text)) return e.state;
    return task_state::unknown;
}

}  // namespace swr
