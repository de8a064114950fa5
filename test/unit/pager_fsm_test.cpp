// The pager's stop rules, fed scripted pages: no sockets.
#include "paging/pager_fsm.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <limits>

using swr::detail::pager_fsm;
using verdict = pager_fsm::verdict;
using swr::errc;

namespace {

swr::page make(std::int64_t total, std::int64_t first_id, std::int64_t count,
               bool has_total = true) {
    swr::page p;
    if (has_total) p.total = total;
    for (std::int64_t i = 0; i < count; ++i) {
        swr::task t;
        t.id = first_id + i;
        p.tasks.push_back(t);
    }
    return p;
}

}  // namespace

TEST_CASE("pager rules: stops when the offset reaches total") {
    pager_fsm f(10);
    CHECK(f.next_offset() == 0);
    CHECK_FALSE(f.total());
    auto r = f.on_page(make(25, 0, 10));
    CHECK(r.v == verdict::deliver);
    CHECK(r.delivered.tasks.size() == 10);
    CHECK(f.total() == 25);
    CHECK(f.next_offset() == 10);
    CHECK(f.on_page(make(25, 10, 10)).v == verdict::deliver);
    CHECK(f.next_offset() == 20);
    CHECK(f.on_page(make(25, 20, 5)).v == verdict::deliver);
    CHECK_FALSE(f.next_offset());
    CHECK(f.report().tasks == 25);
    CHECK_FALSE(f.report().came_up_short);
}

TEST_CASE("pager rules: total zero ends after the first page") {
    pager_fsm f(100);
    auto r = f.on_page(make(0, 0, 0));
    CHECK(r.v == verdict::done);
    CHECK_FALSE(f.next_offset());
    CHECK_FALSE(f.error());
}

TEST_CASE("pager rules: an empty page before total fails, saying how much arrived") {
    pager_fsm f(10);
    CHECK(f.on_page(make(30, 0, 10)).v == verdict::deliver);
    CHECK(f.on_page(make(30, 10, 0)).v == verdict::failed);
    CHECK(f.error() == errc::inconsistent_listing);
    CHECK(f.message() == "offset 10: empty page before total 30 (received 10 of 30 tasks)");
    CHECK_FALSE(f.next_offset());
    CHECK(f.report().came_up_short);
}

TEST_CASE("pager rules: a short page before total fails") {
    pager_fsm f(10);
    CHECK(f.on_page(make(30, 0, 10)).v == verdict::deliver);
    CHECK(f.on_page(make(30, 10, 9)).v == verdict::failed);
    CHECK(f.error() == errc::inconsistent_listing);
    CHECK(f.message() == "offset 10: 9 tasks where total 30 says 10 (received 10 of 30 tasks)");
    // The spec's own sample: total 2 with one task on a page of 10 is short too.
    pager_fsm g(10);
    CHECK(g.on_page(make(2, 0, 1)).v == verdict::failed);
    CHECK(g.error() == errc::inconsistent_listing);
}

TEST_CASE("pager rules: more tasks than the limit or than total fails") {
    pager_fsm f(10);
    CHECK(f.on_page(make(30, 0, 11)).v == verdict::failed);
    CHECK(f.message() == "offset 0: 11 tasks on a page of limit 10 (received 0 of ? tasks)");
    pager_fsm g(10);
    CHECK(g.on_page(make(5, 0, 6)).v == verdict::failed);
    CHECK(g.error() == errc::inconsistent_listing);
}

TEST_CASE("pager rules: a repeated page is a stuck server, never an endless loop") {
    pager_fsm f(10);
    CHECK(f.on_page(make(100, 0, 10)).v == verdict::deliver);
    CHECK(f.on_page(make(100, 0, 10)).v == verdict::failed);
    CHECK(f.error() == errc::pager_stuck);
    CHECK_FALSE(f.next_offset());
    CHECK(f.report().stuck);
    CHECK(f.message() ==
          "offset 10: the server repeated the previous page (received 10 of 100 tasks)");
}

TEST_CASE("pager rules: a task id seen twice fails the listing") {
    pager_fsm f(10);
    CHECK(f.on_page(make(20, 0, 10)).v == verdict::deliver);
    // A row was inserted at the front: the second page repeats task 9.
    CHECK(f.on_page(make(20, 9, 10)).v == verdict::failed);
    CHECK(f.error() == errc::inconsistent_listing);
    CHECK(f.message() == "offset 10: task id 9 appears twice (received 10 of 20 tasks)");
    pager_fsm g(10);  // twice within one page
    auto p = make(3, 0, 3);
    p.tasks[2].id = 0;
    CHECK(g.on_page(p).v == verdict::failed);
}

TEST_CASE("pager rules: a total that changes between pages fails") {
    for (std::int64_t later : {20, 60}) {
        pager_fsm f(10);
        CHECK(f.on_page(make(50, 0, 10)).v == verdict::deliver);
        CHECK(f.on_page(make(later, 10, 10)).v == verdict::failed);
        CHECK(f.error() == errc::inconsistent_listing);
        CHECK(f.report().total_changed);
        CHECK(f.report().first_total == 50);
        CHECK(f.report().last_total == later);
    }
    pager_fsm g(10);  // a total that disappears
    CHECK(g.on_page(make(50, 0, 10)).v == verdict::deliver);
    CHECK(g.on_page(make(0, 10, 10, false)).v == verdict::failed);
    CHECK(g.message() == "offset 10: total changed from 50 to none (received 10 of 50 tasks)");
}

TEST_CASE("pager rules: a total above max_tasks or below zero fails before anything is kept") {
    pager_fsm f(100, 0, 1000);
    CHECK(f.on_page(make(1001, 0, 100)).v == verdict::failed);
    CHECK(f.error() == errc::too_many_tasks);
    CHECK(f.report().tasks == 0);
    pager_fsm huge(100);
    CHECK(huge.on_page(make(9'000'000'000'000'000'000, 0, 100)).v == verdict::failed);
    CHECK(huge.error() == errc::too_many_tasks);
    pager_fsm negative(100);
    CHECK(negative.on_page(make(-1, 0, 0)).v == verdict::failed);
    CHECK(negative.error() == errc::inconsistent_listing);
}

TEST_CASE("pager rules: without a total, a short page ends the listing, bounded by max_tasks") {
    pager_fsm f(10);
    CHECK(f.on_page(make(0, 0, 10, false)).v == verdict::deliver);
    CHECK(f.next_offset() == 10);
    CHECK(f.on_page(make(0, 10, 3, false)).v == verdict::deliver);
    CHECK_FALSE(f.next_offset());
    CHECK_FALSE(f.total());
    pager_fsm g(10, 0, 25);  // a server without total that never ends
    CHECK(g.on_page(make(0, 0, 10, false)).v == verdict::deliver);
    CHECK(g.on_page(make(0, 10, 10, false)).v == verdict::deliver);
    CHECK(g.on_page(make(0, 20, 10, false)).v == verdict::failed);
    CHECK(g.error() == errc::too_many_tasks);
}

TEST_CASE("pager rules: a start offset, and errors are terminal") {
    pager_fsm f(10, 30);
    CHECK(f.next_offset() == 30);
    f.on_error();
    CHECK_FALSE(f.next_offset());
}

TEST_CASE("pager rules: the next offset is never computed past INT64_MAX") {
    constexpr auto max = std::numeric_limits<std::int64_t>::max();
    const std::int64_t start = max - max % 10;  // the largest multiple of 10
    pager_fsm f(10, start);
    CHECK(f.on_page(make(0, 0, 10, false)).v == verdict::failed);
    CHECK(f.error() == errc::inconsistent_listing);
    CHECK_FALSE(f.next_offset());
}

TEST_CASE("pager rules: a server that ignores offset (total fits one page) stops on its own") {
    pager_fsm f(100);
    CHECK(f.on_page(make(100, 0, 100)).v == verdict::deliver);
    CHECK_FALSE(f.next_offset());
    pager_fsm g(5);  // smaller pages than the server sends: too many tasks on a page
    CHECK(g.on_page(make(10, 0, 10)).v == verdict::failed);
    pager_fsm h(5);  // the server repeats page 1 at limit 5
    CHECK(h.on_page(make(10, 0, 5)).v == verdict::deliver);
    CHECK(h.on_page(make(10, 0, 5)).v == verdict::failed);
    CHECK(h.error() == errc::pager_stuck);
}

TEST_CASE("pager rules: pages answered for another offset break the id order and fail") {
    pager_fsm f(10);  // offset 0 answered with offset 10's page, then offset 10 with offset 0's
    CHECK(f.on_page(make(35, 10, 10)).v == verdict::deliver);
    CHECK(f.on_page(make(35, 0, 10)).v == verdict::failed);
    CHECK(f.error() == errc::inconsistent_listing);
    CHECK(f.message() ==
          "offset 10: task id 0 out of order after 19 (a page answered for another offset) "
          "(received 10 of 35 tasks)");
    pager_fsm desc(10);  // a service that lists ids in descending order is followed
    auto page0 = make(20, 10, 10);
    auto page1 = make(20, 0, 10);
    std::reverse(page0.tasks.begin(), page0.tasks.end());
    std::reverse(page1.tasks.begin(), page1.tasks.end());
    CHECK(desc.on_page(page0).v == verdict::deliver);
    CHECK(desc.on_page(page1).v == verdict::deliver);
    CHECK_FALSE(desc.next_offset());
    pager_fsm unordered(3);  // no order by id on the first page: the rule is off
    auto u0 = make(6, 0, 3);
    u0.tasks[0].id = 50;
    CHECK(unordered.on_page(u0).v == verdict::deliver);
    CHECK(unordered.on_page(make(6, 3, 3)).v == verdict::deliver);
    CHECK_FALSE(unordered.next_offset());
}

TEST_CASE("pager rules: tasks of another execution fail the listing") {
    pager_fsm f(10, 0, 1000, 8);
    auto p = make(3, 0, 3);
    for (auto& t : p.tasks) t.execution_id = 8;
    p.tasks[1].execution_id = 9;
    CHECK(f.on_page(p).v == verdict::failed);
    CHECK(f.message() == "offset 0: task 1 belongs to execution 9, not 8 (received 0 of 3 tasks)");
    pager_fsm unset(10, 0, 1000, 8);  // a task that does not say its execution passes
    CHECK(unset.on_page(make(3, 0, 3)).v == verdict::deliver);
}

TEST_CASE("page size: the option, else the request's limit, else 100; a conflict names both") {
    using swr::detail::resolve_page_size;
    swr::list_tasks_request r;
    std::int64_t ps = 0;
    std::string why;
    CHECK_FALSE(resolve_page_size(r, 0, ps, why));
    CHECK(ps == 100);
    CHECK_FALSE(resolve_page_size(r, 25, ps, why));
    CHECK(ps == 25);
    r.limit = 30;
    CHECK_FALSE(resolve_page_size(r, 0, ps, why));
    CHECK(ps == 30);
    CHECK_FALSE(resolve_page_size(r, 30, ps, why));  // the same value twice is no conflict
    CHECK(resolve_page_size(r, 20, ps, why) == errc::invalid_request);
    CHECK(why == "limit: 30 conflicts with page_size 20; set one of them");
    CHECK(resolve_page_size(r, 101, ps, why) == errc::invalid_request);
    CHECK(why == "page_size: must be between 1 and 100");
    r.limit = 0;
    CHECK(resolve_page_size(r, 0, ps, why) == errc::invalid_request);
    CHECK(why == "limit: must be between 1 and 100");
}
