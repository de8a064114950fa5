// One page on its own (client::async_list_tasks): no sockets.
#include "paging/page_check.hpp"

#include <doctest/doctest.h>

using swr::errc;

namespace {

swr::page make(std::int64_t total, std::vector<std::int64_t> ids, std::int64_t execution = 8) {
    swr::page p;
    p.total = total;
    for (auto id : ids) p.tasks.push_back({.id = id, .execution_id = execution});
    return p;
}

swr::list_tasks_request at(std::int64_t offset, std::int64_t limit) {
    return {.instance_id = "i",
            .namespace_name = "n",
            .policy_id = 1,
            .execution_id = 8,
            .offset = offset,
            .limit = limit};
}

std::string why(const swr::list_tasks_request& r, const swr::page& p) {
    std::string m;
    auto ec = swr::detail::check_page(r, p, m);
    CHECK((ec == errc::inconsistent_listing) == !m.empty());
    return m;
}

}  // namespace

TEST_CASE("page check: a page that fits its request passes") {
    CHECK(why(at(0, 2), make(3, {1, 2})).empty());
    CHECK(why(at(2, 2), make(3, {3})).empty());
    CHECK(why(at(4, 2), make(3, {})).empty());
    CHECK(why(at(0, 10), make(3, {1, 2}, 0)).empty());  // execution not said: not checked
}

TEST_CASE("page check: more than the limit, more than total leaves, ids twice, another execution") {
    CHECK(why(at(4, 2), make(3, {1, 1, 9, 2, 2})) == "offset 4: 5 tasks on a page of limit 2");
    CHECK(why(at(2, 2), make(3, {3, 4})) == "offset 2: 2 tasks, but total 3 leaves 1");
    CHECK(why(at(4, 2), make(3, {7})) == "offset 4: 1 tasks, but total 3 leaves 0");
    CHECK(why(at(0, 10), make(3, {1, 2, 1})) == "offset 0: task id 1 appears twice");
    CHECK(why(at(0, 10), make(3, {1, 2}, 9)) == "offset 0: task 1 belongs to execution 9, not 8");
}
