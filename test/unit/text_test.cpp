// swr::text: it reads as a string, and a decoded page's texts stay valid however tasks and pages
// are copied, moved and outlived. Run under ASan in CI: a text left viewing a freed block would
// be a heap-use-after-free there.
#include <swr/json_codec.hpp>
#include <swr/text.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

// A body with strings longer than any small-string buffer, escapes included.
std::string body_of(std::int64_t first_id, std::size_t n) {
    swr::page p;
    p.total = 1000;
    for (std::size_t i = 0; i < n; ++i) {
        swr::task t;
        t.id = first_id + static_cast<std::int64_t>(i);
        t.execution_id = 8;
        t.namespace_name = "library";
        t.repository = "service-" + std::to_string(t.id) + "/a \"quoted\" \\ api name";
        t.job_id = "2d7c874a7407d6c40f016254";
        t.status = "Success";
        t.created_at = "2020-12-01T07:06:35.123456Z";
        t.updated_at = "2020-12-01T07:06:36.123456Z";
        p.tasks.push_back(std::move(t));
    }
    return swr::encode_page(p);
}

swr::page decoded(std::int64_t first_id, std::size_t n = 3) {
    swr::page p;
    REQUIRE_FALSE(swr::decode_page(body_of(first_id, n), p));
    return p;
}

std::string repo_of(std::int64_t id) {
    return "service-" + std::to_string(id) + "/a \"quoted\" \\ api name";
}

}  // namespace

TEST_CASE("text: reads as a string") {
    swr::text t = "Success";
    std::string s = t;
    std::string_view v = t;
    CHECK(s == "Success");
    CHECK(v == "Success");
    CHECK(t == "Success");
    CHECK("Success" == t);
    CHECK(t == std::string("Success"));
    CHECK(t != "Error");
    CHECK(t < swr::text("Z"));
    CHECK(t > "Error");
    CHECK(t.str() + "!" == "Success!");
    CHECK(t + "/x" == "Success/x");
    CHECK(std::string("x/") + t == "x/Success");
    CHECK(t.size() == 7);
    CHECK(t[0] == 'S');
    CHECK(std::string(t.begin(), t.end()) == "Success");
    std::ostringstream os;
    os << t;
    CHECK(os.str() == "Success");
    swr::text empty;
    CHECK(empty.empty());
    swr::text from_null_view = std::string_view{};
    CHECK(from_null_view.empty());
    swr::text exactly_inline(std::string(swr::text::inline_capacity, 'a'));
    swr::text one_more(std::string(swr::text::inline_capacity + 1, 'b'));
    CHECK(exactly_inline == std::string(28, 'a'));
    CHECK(one_more == std::string(29, 'b'));
    swr::text self = one_more;
    self = self;  // NOLINT(clang-diagnostic-self-assign-overloaded)
    CHECK(self == one_more);
    CHECK(empty == "");
    CHECK(empty.data() != nullptr);

    std::string source = "made from a std::string of some length";
    swr::text copy_of_source = source;
    source.assign(source.size(), 'x');  // the text owns a copy
    CHECK(copy_of_source == "made from a std::string of some length");
    swr::text assigned;
    assigned = std::string_view("assigned from a view");
    CHECK(assigned == "assigned from a view");
}

TEST_CASE("text: a task moved or copied out of its page outlives the page") {
    swr::task moved, copied;
    swr::text one_text;
    {
        auto p = decoded(100);
        moved = std::move(p.tasks[0]);
        copied = p.tasks[1];
        one_text = p.tasks[2].repository;
    }  // the page is gone; the block is not
    CHECK(moved.repository == repo_of(100));
    CHECK(copied.repository == repo_of(101));
    CHECK(one_text == repo_of(102));
    CHECK(moved.job_id == "2d7c874a7407d6c40f016254");
    CHECK(copied.updated_at == "2020-12-01T07:06:36.123456Z");
}

TEST_CASE("text: copied and moved pages keep every task valid") {
    std::vector<swr::page> kept;
    {
        auto p = decoded(200);
        kept.push_back(p);             // a copy
        kept.push_back(std::move(p));  // the original, moved
    }
    for (int i = 0; i < 50; ++i) kept.push_back(kept[0]);  // regrowth moves them again
    for (const auto& p : kept) {
        REQUIRE(p.tasks.size() == 3);
        CHECK(p.tasks[2].repository == repo_of(202));
        CHECK(p == kept[1]);
    }
}

TEST_CASE("text: decoding into a page again leaves tasks taken from it alone") {
    auto p = decoded(300);
    swr::task kept = p.tasks[0];
    std::vector<swr::task> all = p.tasks;
    REQUIRE_FALSE(swr::decode_page(body_of(400, 3), p));  // the block is shared: a new one
    CHECK(p.tasks[0].repository == repo_of(400));
    CHECK(kept.repository == repo_of(300));
    CHECK(all[2].repository == repo_of(302));

    // Once nothing else holds it, the block is rewritten in place; the page reads the new page.
    kept = swr::task{};
    all.clear();
    REQUIRE_FALSE(swr::decode_page(body_of(500, 3), p));
    CHECK(p.tasks[1].repository == repo_of(501));
    // A smaller page into the same page, then a larger one (a new block).
    REQUIRE_FALSE(swr::decode_page(body_of(600, 1), p));
    REQUIRE(p.tasks.size() == 1);
    CHECK(p.tasks[0].repository == repo_of(600));
    REQUIRE_FALSE(swr::decode_page(body_of(700, 40), p));
    CHECK(p.tasks[39].repository == repo_of(739));
}

TEST_CASE("text: a failed decode leaves tasks taken from the page valid") {
    auto p = decoded(800);
    auto kept = p.tasks;
    CHECK(swr::decode_page(R"({"total":1,"tasks":[{"id":"x"}]})", p));
    CHECK(p.tasks.empty());
    CHECK(kept[1].repository == repo_of(801));
}

TEST_CASE("text: tasks of one page shared by threads") {
    auto p = decoded(900, 50);
    std::vector<std::thread> threads;
    std::vector<std::size_t> matched(4, 0);
    for (std::size_t k = 0; k < 4; ++k)
        threads.emplace_back([&, k, copy = p] {
            for (int round = 0; round < 100; ++round) {
                auto mine = copy;  // copies and drops references to one block from 4 threads
                for (std::size_t i = 0; i < mine.tasks.size(); ++i)
                    if (mine.tasks[i].repository == repo_of(900 + static_cast<std::int64_t>(i)))
                        ++matched[k];
            }
        });
    p = swr::page{};  // the original goes while the threads read their copies
    for (auto& t : threads) t.join();
    for (auto m : matched) CHECK(m == 100 * 50);
}
