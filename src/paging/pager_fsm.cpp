#include "paging/pager_fsm.hpp"

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

pager_fsm::result pager_fsm::fail(errc e, std::string why) {
    finished_ = true;
    ec_ = make_error_code(e);
    message_ = "offset " + std::to_string(offset_) + ": " + std::move(why) + " (received " +
               std::to_string(report_.tasks) + " of " +
               (total_ ? std::to_string(*total_) + " tasks)" : std::string("? tasks)"));
    return {verdict::failed, {}};
}

pager_fsm::result pager_fsm::on_page(page p) {
    ++report_.pages;
    const auto received = static_cast<std::int64_t>(p.tasks.size());

    // Rule: a page never holds more than the limit asked for.
    if (received > page_size_)
        return fail(
            errc::inconsistent_listing,
            std::to_string(received) + " tasks on a page of limit " + std::to_string(page_size_));

    // Rule: `total` is read once, from the first page, and must not change afterwards (nor
    // appear or disappear): a listing whose size moves cannot be whole.
    if (first_) {
        first_ = false;
        has_total_ = p.has_total;
        if (p.has_total) {
            report_.first_total = report_.last_total = p.total;
            if (p.total < 0) return fail(errc::inconsistent_listing, "negative total");
            if (p.total > max_tasks_)
                return fail(errc::too_many_tasks, "total " + std::to_string(p.total) +
                                                      " is above max_tasks " +
                                                      std::to_string(max_tasks_));
            total_ = p.total;
        }
    } else if (p.has_total != has_total_ || (has_total_ && p.total != *total_)) {
        report_.total_changed = true;
        report_.last_total = p.total;
        return fail(errc::inconsistent_listing,
                    "total changed from " + (has_total_ ? std::to_string(*total_) : "none") +
                        " to " + (p.has_total ? std::to_string(p.total) : "none"));
    }

    // Rule: the same ids as the previous page means the server ignores offset.
    if (received > 0) {
        std::vector<std::int64_t> ids;
        ids.reserve(p.tasks.size());
        for (const auto& t : p.tasks) ids.push_back(t.id);
        if (ids == previous_ids_) {
            report_.stuck = true;
            return fail(errc::pager_stuck, "the server repeated the previous page");
        }
        previous_ids_ = std::move(ids);
    }

    // Rule: every task belongs to the execution asked for (when the server says which).
    if (execution_id_ != 0)
        for (const auto& t : p.tasks)
            if (t.execution_id != 0 && t.execution_id != execution_id_)
                return fail(errc::inconsistent_listing,
                            "task " + std::to_string(t.id) + " belongs to execution " +
                                std::to_string(t.execution_id) + ", not " +
                                std::to_string(execution_id_));

    // Rule: every task id appears once in the whole listing.
    for (const auto& t : p.tasks)
        if (!seen_.insert(t.id).second)
            return fail(errc::inconsistent_listing,
                        "task id " + std::to_string(t.id) + " appears twice");

    // Rule: ids keep the order the first page shows (when it shows one by id): pages answered
    // for the wrong offset, swapped or shifted, cannot pass as a whole listing.
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

    // Rule: with a total, each page holds exactly min(limit, total - offset) tasks: an empty or
    // short page before the total is reached is a listing that came up short.
    if (total_) {
        auto left = *total_ > offset_ ? *total_ - offset_ : 0;
        auto want = left < page_size_ ? left : page_size_;
        if (received != want) {
            if (received < want) report_.came_up_short = true;
            return fail(errc::inconsistent_listing,
                        received == 0
                            ? "empty page before total " + std::to_string(*total_)
                            : std::to_string(received) + " tasks where total " +
                                  std::to_string(*total_) + " says " + std::to_string(want));
        }
    } else if (report_.tasks + static_cast<std::size_t>(received) >
               static_cast<std::size_t>(max_tasks_)) {
        return fail(errc::too_many_tasks,
                    "more than max_tasks " + std::to_string(max_tasks_) + " tasks");
    }

    report_.tasks += static_cast<std::size_t>(received);
    // Rule: stop when the next offset reaches the total; without a total, on a short page.
    // The next offset is never computed past INT64_MAX.
    bool last = total_ ? offset_ + received >= *total_ : received < page_size_;
    if (!last && offset_ > std::numeric_limits<std::int64_t>::max() - page_size_)
        return fail(errc::inconsistent_listing, "the next offset would overflow");
    if (last)
        finished_ = true;
    else
        offset_ += page_size_;
    if (received == 0) return {verdict::done, {}};
    return {verdict::deliver, std::move(p)};
}

}  // namespace swr::detail
