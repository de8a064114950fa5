// The pager's stop rules, fed scripted pages: no sockets.
#include "pager_fsm.hpp"

#include <doctest/doctest.h>

using swr::detail::pager_fsm;
using verdict = pager_fsm::verdict;

namespace {

swr::page make(std::int64_t total, std::int64_t first_id, std::int64_t count,
               bool has_total = true) {
    swr::page p;
    p.total = total;
    p.has_total = has_total;
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
    CHECK_FALSE(f.report().came_up_short);
}

TEST_CASE("pager rules: an empty page stops even when total says more, reported as short") {
    pager_fsm f(10);
    CHECK(f.on_page(make(30, 0, 10)).v == verdict::deliver);
    CHECK(f.on_page(make(30, 10, 0)).v == verdict::done);
    CHECK_FALSE(f.next_offset());
    CHECK(f.report().came_up_short);
}

TEST_CASE("pager rules: a repeated page is a stuck server, never an endless loop") {
    pager_fsm f(10);
    CHECK(f.on_page(make(100, 0, 10)).v == verdict::deliver);
    CHECK(f.on_page(make(100, 0, 10)).v == verdict::stuck);
    CHECK_FALSE(f.next_offset());
    CHECK(f.report().stuck);
    CHECK(f.stuck_message() == "offset 10: the server repeated a page or sent nothing new");
}

TEST_CASE("pager rules: two pages in a row with nothing new is a server that does not advance") {
    pager_fsm f(10);
    CHECK(f.on_page(make(100, 0, 10)).v == verdict::deliver);
    CHECK(f.on_page(make(100, 10, 10)).v == verdict::deliver);
    CHECK(f.on_page(make(100, 0, 10)).v == verdict::skip);    // all seen: skipped
    CHECK(f.on_page(make(100, 10, 10)).v == verdict::stuck);  // again nothing new
}

TEST_CASE("pager rules: tasks seen twice are not handed out twice") {
    pager_fsm f(10);
    CHECK(f.on_page(make(20, 0, 10)).v == verdict::deliver);
    // A row was inserted at the front: the second page repeats task 9.
    auto r = f.on_page(make(21, 9, 10));
    CHECK(r.v == verdict::deliver);
    REQUIRE(r.delivered.tasks.size() == 9);
    CHECK(r.delivered.tasks.front().id == 10);
    CHECK(f.report().duplicates_dropped == 1);
    CHECK(f.report().total_changed);
    CHECK(f.next_offset() == 20);  // the total grew to 21: one more page
    CHECK(f.on_page(make(21, 19, 2)).v == verdict::deliver);
    CHECK_FALSE(f.next_offset());
}

TEST_CASE("pager rules: a total that shrinks ends the listing earlier, and is reported") {
    pager_fsm f(10);
    CHECK(f.on_page(make(50, 0, 10)).v == verdict::deliver);
    CHECK(f.on_page(make(20, 10, 10)).v == verdict::deliver);
    CHECK_FALSE(f.next_offset());
    CHECK(f.report().total_changed);
    CHECK(f.report().first_total == 50);
    CHECK(f.report().last_total == 20);
}

TEST_CASE("pager rules: without a total, a short page ends the listing") {
    pager_fsm f(10);
    CHECK(f.on_page(make(0, 0, 10, false)).v == verdict::deliver);
    CHECK(f.next_offset() == 10);
    CHECK(f.on_page(make(0, 10, 3, false)).v == verdict::deliver);
    CHECK_FALSE(f.next_offset());
    CHECK_FALSE(f.total());
}

TEST_CASE("pager rules: a start offset, and errors are terminal") {
    pager_fsm f(10, 30);
    CHECK(f.next_offset() == 30);
    f.on_error();
    CHECK_FALSE(f.next_offset());
}

TEST_CASE("pager rules: a server that ignores offset (total fits one page) stops on its own") {
    pager_fsm f(100);
    CHECK(f.on_page(make(100, 0, 100)).v == verdict::deliver);
    CHECK_FALSE(f.next_offset());
    pager_fsm g(5);  // smaller pages than the server sends: the repeat is caught
    CHECK(g.on_page(make(10, 0, 10)).v == verdict::deliver);
    CHECK(g.on_page(make(10, 0, 10)).v == verdict::stuck);
}
