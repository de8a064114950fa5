#include "paging/page_check.hpp"

#include <algorithm>
#include <array>

namespace swr::detail {

error_code check_page(const list_tasks_request& req, const page& p, std::string& message) {
    auto fail = [&](std::string why) {
        message = "offset " + std::to_string(req.offset.value_or(0)) + ": " + std::move(why);
        return make_error_code(errc::inconsistent_listing);
    };
    const auto n = static_cast<std::int64_t>(p.tasks.size());
    // Without a limit the service uses its default (10); never more than the maximum.
    const auto limit = req.limit.value_or(max_limit);
    if (n > limit)
        return fail(std::to_string(n) + " tasks on a page of limit " + std::to_string(limit));
    const auto offset = req.offset.value_or(0);
    if (p.total && n > 0 && (*p.total <= offset || n > *p.total - offset))
        return fail(std::to_string(n) + " tasks, but total " + std::to_string(*p.total) +
                    " leaves " + std::to_string(*p.total > offset ? *p.total - offset : 0));
    std::array<std::int64_t, max_limit> ids{};
    for (std::size_t i = 0; i < p.tasks.size(); ++i) {
        const auto& t = p.tasks[i];
        if (t.execution_id != 0 && t.execution_id != req.execution_id)
            return fail("task " + std::to_string(t.id) + " belongs to execution " +
                        std::to_string(t.execution_id) + ", not " +
                        std::to_string(req.execution_id));
        ids[i] = t.id;
    }
    auto end = ids.begin() + n;
    std::sort(ids.begin(), end);
    if (auto dup = std::adjacent_find(ids.begin(), end); dup != end)
        return fail("task id " + std::to_string(*dup) + " appears twice");
    return {};
}

}  // namespace swr::detail
