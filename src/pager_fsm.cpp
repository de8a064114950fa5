#include "pager_fsm.hpp"

namespace swr::detail {

pager_fsm::pager_fsm(std::int64_t page_size, std::int64_t start_offset)
    : page_size_(page_size), offset_(start_offset) {}

std::string pager_fsm::stuck_message() const {
    return "offset " + std::to_string(stuck_at_) +
           ": the server repeated a page or sent nothing new";
}

std::optional<std::int64_t> pager_fsm::next_offset() const {
    if (finished_) return std::nullopt;
    return offset_;
}

pager_fsm::result pager_fsm::on_page(page p) {
    ++report_.pages;
    stuck_at_ = offset_;  // the offset this page answered
    if (p.has_total) {
        if (total_ && *total_ != p.total) report_.total_changed = true;
        if (!total_) report_.first_total = p.total;
        total_ = p.total;
        report_.last_total = p.total;
    }

    // Rule: an empty page ends the listing, even when total says more (reported as short).
    if (p.tasks.empty()) {
        finished_ = true;
        if (total_ && offset_ < *total_) report_.came_up_short = true;
        return {verdict::done, {}};
    }

    // Rule: the same ids as the previous page means the server ignores offset.
    std::vector<std::int64_t> ids;
    ids.reserve(p.tasks.size());
    for (const auto& t : p.tasks) ids.push_back(t.id);
    if (ids == previous_ids_) {
        finished_ = true;
        report_.stuck = true;
        return {verdict::stuck, {}};
    }
    previous_ids_ = std::move(ids);

    // Rule: a task already handed out (rows moved between pages) is not handed out again.
    page out;
    out.total = p.total;
    out.has_total = p.has_total;
    out.tasks.reserve(p.tasks.size());
    for (auto& t : p.tasks) {
        if (seen_.insert(t.id).second)
            out.tasks.push_back(std::move(t));
        else
            ++report_.duplicates_dropped;
    }

    auto received = static_cast<std::int64_t>(p.tasks.size());
    offset_ += page_size_;
    // Rule: stop when offset reaches the latest total; without a total, on a short page.
    if (total_ ? offset_ >= *total_ : received < page_size_) finished_ = true;

    if (out.tasks.empty()) {
        // Rule: two pages in a row with nothing new is a server that does not advance.
        if (++no_progress_ >= 2) {
            finished_ = true;
            report_.stuck = true;
            return {verdict::stuck, {}};
        }
        return {finished_ ? verdict::done : verdict::skip, {}};
    }
    no_progress_ = 0;
    report_.tasks += out.tasks.size();
    return {verdict::deliver, std::move(out)};
}

}  // namespace swr::detail
