#include "emulator/faults.hpp"

#include <swr/json_codec.hpp>

#include <algorithm>

namespace swr::emulator::detail {

void fault_queue::push(const fault& f, unsigned count) {
    std::lock_guard lk(m_);
    for (unsigned k = 0; k < count; ++k) faults_.push_back(f);
}

void fault_queue::clear() {
    std::lock_guard lk(m_);
    faults_.clear();
}

std::optional<fault> fault_queue::next() {
    std::lock_guard lk(m_);
    if (faults_.empty()) return std::nullopt;
    auto f = faults_.front();
    faults_.pop_front();
    return f;
}

namespace {

// The right page, then made inconsistent the way `f` says.
page distorted_page(const task_list_call& c, const fault& f, const data_set& data,
                    std::chrono::milliseconds elapsed) {
    auto p = data.make_page(c.execution, c.offset, c.limit, elapsed);
    switch (f.what) {
        case fault::kind::total_delta: *p.total += f.delta; break;
        case fault::kind::total_value: p.total = f.delta; break;
        case fault::kind::duplicate_ids:
            if (p.tasks.size() > 1) p.tasks.back().id = p.tasks.front().id;
            break;
        case fault::kind::short_page:
            if (!p.tasks.empty()) p.tasks.pop_back();
            break;
        case fault::kind::drop_last_task:
            if (*p.total > 0) {
                auto last = data.make_task(c.execution, *p.total - 1, elapsed).id;
                std::erase_if(p.tasks, [&](const task& t) { return t.id == last; });
                --*p.total;
            }
            break;
        case fault::kind::unknown_status:
            for (auto& t : p.tasks) t.status = "Quarantined";
            break;
        default: break;
    }
    return p;
}

// The answer a content fault makes on its own; nullopt when the call's page is still served
// (at the offset the fault may have moved), with any transport fault left in `r.behaviour`.
std::optional<response> content_fault(task_list_call& c, const fault& f, const data_set& data,
                                      page_cache& pages, std::chrono::milliseconds elapsed,
                                      response& r) {
    switch (f.what) {
        case fault::kind::status:
            r = error(f.status, "SWR.FAULT", "injected fault");
            if (!f.retry_after.empty()) r.extra_headers = "Retry-After: " + f.retry_after + "\r\n";
            return r;
        case fault::kind::malformed_json: r.body = R"({"total":3,"tasks":[{"id":1,)"; return r;
        case fault::kind::wrong_types: r.body = R"({"total":1,"tasks":[{"id":"1"}]})"; return r;
        case fault::kind::oversized_body: r.body = std::string(f.size, ' '); return r;
        case fault::kind::repeat_page: c.offset = 0; return std::nullopt;
        case fault::kind::skip_page: c.offset += c.limit; return std::nullopt;
        case fault::kind::empty_page: {
            page p;
            p.total = data.total(c.execution);
            r.body = encode_page(p);
            return r;
        }
        case fault::kind::total_delta:
        case fault::kind::total_value:
        case fault::kind::duplicate_ids:
        case fault::kind::short_page:
        case fault::kind::unknown_status:
        case fault::kind::drop_last_task:
            r.body = encode_page(distorted_page(c, f, data, elapsed));
            return r;
        case fault::kind::extra_bytes_after:
            r.body = pages.body(c.execution, c.offset, c.limit, elapsed);
            r.trailing_page = pages.body(c.execution, 0, c.limit, elapsed);
            return r;
        default: r.behaviour = f; return std::nullopt;
    }
}

}  // namespace

response answer_task_list(const task_list_call& call, const std::optional<fault>& f,
                          const data_set& data, page_cache& pages,
                          std::chrono::milliseconds elapsed) {
    response r;
    task_list_call c = call;
    if (f)
        if (auto done = content_fault(c, *f, data, pages, elapsed, r)) return std::move(*done);
    r.body = pages.body(c.execution, c.offset, c.limit, elapsed);
    return r;
}

}  // namespace swr::emulator::detail
