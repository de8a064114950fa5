#include "paging/pager_fsm.hpp"

#include <algorithm>
#include <limits>

namespace swr::detail {

error_code resolve_page_size(const list_tasks_request& req, std::int64_t option, std::int64_t& out,
                             std::string& message) {
    if (option != 0 && (option < 1 || option > max_limit)) {
        message = "page_size: must be between 1 and 100";
        return make_error_code(errc::invalid_request);
    }
    if (option != 0 && req.limit && *req.limit != option) {
        message = "limit: " + std::to_string(*req.limit) + " conflicts with page_size " +
                  std::to_string(option) + "; set one of them";
        return make_error_code(errc::invalid_request);
    }
    out = option != 0 ? option : req.limit.value_or(max_limit);
    if (out < 1 || out > max_limit) {
        message = "limit: must be between 1 and 100";
        return make_error_code(errc::invalid_request);
    }
    return {};
}

pager_fsm::pager_fsm(std::int64_t page_size, std::int64_t start_offset, std::int64_t max_tasks,
                     std::int64_t execution_id)
    : page_size_(page_size),
      offset_(start_offset),
      max_tasks_(max_tasks),
      execution_id_(execution_id) {}

std::optional<std::int64_t> pager_fsm::next_offset() const {
    if (finished_) return std::nullopt;
    return offset_;
}

std::string total_change(std::optional<std::int64_t> was, std::optional<std::int64_t> now) {
    if (was == now) return {};
    auto text = [](std::optional<std::int64_t> t) { return t ? std::to_string(*t) : "none"; };
    return "total changed from " + text(was) + " to " + text(now);
}

std::string count_misfit(std::int64_t received, std::int64_t total, std::int64_t offset,
                         std::int64_t page_size) {
    const auto left = total > offset ? total - offset : 0;
    const auto want = left < page_size ? left : page_size;
    if (received == want) return {};
    if (received == 0) return "empty page before total " + std::to_string(total);
    return std::to_string(received) + " tasks where total " + std::to_string(total) + " says " +
           std::to_string(want);
}

std::string listing_message(std::int64_t offset, const std::string& why, std::size_t received,
                            std::optional<std::int64_t> total) {
    return "offset " + std::to_string(offset) + ": " + why + " (received " +
           std::to_string(received) + " of " +
           (total ? std::to_string(*total) + " tasks)" : std::string("? tasks)"));
}

bool pager_fsm::fail(errc e, const std::string& why) {
    finished_ = true;
    ec_ = make_error_code(e);
    message_ = listing_message(offset_, why, report_.tasks, total_);
    return false;
}

pager_fsm::result pager_fsm::on_page(page p) {
    ++report_.pages;
    const auto received = static_cast<std::int64_t>(p.tasks.size());
    const bool fits = within_limit(received) && same_total(p) && not_repeated(p) &&
                      of_this_execution(p) && ids_unique(p) && in_id_order(p) &&
                      count_fits(received);
    if (!fits) return {verdict::failed, {}};
    return advance(std::move(p), received);
}

// Rule: a page never holds more than the limit asked for.
bool pager_fsm::within_limit(std::int64_t received) {
    if (received <= page_size_) return true;
    return fail(
        errc::inconsistent_listing,
        std::to_string(received) + " tasks on a page of limit " + std::to_string(page_size_));
}

// Rule: `total` is read once, from the first page, and must not change afterwards (nor appear
// or disappear): a listing whose size moves cannot be whole.
bool pager_fsm::same_total(const page& p) {
    if (!first_) {
        auto why = total_change(total_, p.total);
        if (why.empty()) return true;
        report_.total_changed = true;
        report_.last_total = p.total.value_or(0);
        return fail(errc::inconsistent_listing, why);
    }
    first_ = false;
    if (!p.total) return true;
    report_.first_total = report_.last_total = *p.total;
    if (*p.total < 0) return fail(errc::inconsistent_listing, "negative total");
    if (*p.total > max_tasks_)
        return fail(errc::too_many_tasks, "total " + std::to_string(*p.total) +
                                              " is above max_tasks " + std::to_string(max_tasks_));
    total_ = p.total;
    return true;
}

// Rule: the same ids as the previous page means the server ignores offset.
bool pager_fsm::not_repeated(const page& p) {
    if (p.tasks.empty()) return true;
    std::vector<std::int64_t> ids;
    ids.reserve(p.tasks.size());
    for (const auto& t : p.tasks) ids.push_back(t.id);
    if (ids == previous_ids_) {
        report_.stuck = true;
        return fail(errc::pager_stuck, "the server repeated the previous page");
    }
    previous_ids_ = std::move(ids);
    return true;
}

// Rule: every task belongs to the execution asked for (when the server says which).
bool pager_fsm::of_this_execution(const page& p) {
    if (execution_id_ == 0) return true;
    for (const auto& t : p.tasks)
        if (t.execution_id != 0 && t.execution_id != execution_id_)
            return fail(errc::inconsistent_listing, "task " + std::to_string(t.id) +
                                                        " belongs to execution " +
                                                        std::to_string(t.execution_id) + ", not " +
                                                        std::to_string(execution_id_));
    return true;
}

// Rule: every task id appears once in the whole listing.
bool pager_fsm::ids_unique(const page& p) {
    for (const auto& t : p.tasks)
        if (!seen_.insert(t.id))
            return fail(errc::inconsistent_listing,
                        "task id " + std::to_string(t.id) + " appears twice");
    return true;
}

// Rule: ids keep the order the first page shows (when it shows one by id): pages answered for
// the wrong offset, swapped or shifted, cannot pass as a whole listing.
bool pager_fsm::in_id_order(const page& p) {
    const bool first_page = report_.pages == 1;
    for (const auto& t : p.tasks) {
        if (last_id_ && order_ != id_order::none) {
            auto here = t.id > *last_id_ ? id_order::ascending : id_order::descending;
            if (order_ == id_order::unknown)
                order_ = here;
            else if (here != order_) {
                if (!first_page)
                    return fail(errc::inconsistent_listing,
                                "task id " + std::to_string(t.id) + " out of order after " +
                                    std::to_string(*last_id_) +
                                    " (a page answered for another offset)");
                order_ = id_order::none;  // the service does not order by id
            }
        }
        last_id_ = t.id;
    }
    return true;
}

// Rule: with a total, each page holds exactly min(limit, total - offset) tasks: an empty or
// short page before the total is reached is a listing that came up short. Without one, no more
// than max_tasks in all.
bool pager_fsm::count_fits(std::int64_t received) {
    if (total_) {
        auto why = count_misfit(received, *total_, offset_, page_size_);
        if (why.empty()) return true;
        if (received < std::min(page_size_, *total_ - offset_)) report_.came_up_short = true;
        return fail(errc::inconsistent_listing, why);
    }
    if (report_.tasks + static_cast<std::size_t>(received) <= static_cast<std::size_t>(max_tasks_))
        return true;
    return fail(errc::too_many_tasks,
                "more than max_tasks " + std::to_string(max_tasks_) + " tasks");
}

// Rule: stop when the next offset reaches the total; without a total, on a short page. The next
// offset is never computed past INT64_MAX.
pager_fsm::result pager_fsm::advance(page p, std::int64_t received) {
    report_.tasks += static_cast<std::size_t>(received);
    bool last = total_ ? offset_ + received >= *total_ : received < page_size_;
    if (!last && offset_ > std::numeric_limits<std::int64_t>::max() - page_size_) {
        fail(errc::inconsistent_listing, "the next offset would overflow");
        return {verdict::failed, {}};
    }
    if (last)
        finished_ = true;
    else
        offset_ += page_size_;
    if (received == 0) return {verdict::done, {}};
    return {verdict::deliver, std::move(p)};
}

}  // namespace swr::detail
