#include <swr/json_codec.hpp>
#include <swr/model.hpp>

#include <doctest/doctest.h>

namespace {
swr::list_tasks_request valid() {
    swr::list_tasks_request r;
    r.project_id = "p";
    r.instance_id = "i";
    r.namespace_name = "n";
    r.policy_id = 1;
    r.execution_id = 1;
    return r;
}
std::string why(const swr::list_tasks_request& r) { return swr::validate(r).to_string(); }
}  // namespace

TEST_CASE("validate: a complete request is valid, with or without paging") {
    auto r = valid();
    CHECK_FALSE(swr::validate(r));
    r.limit = 100;
    CHECK_FALSE(swr::validate(r));
    r.offset = 300;
    CHECK_FALSE(swr::validate(r));
    r.limit = 1;
    r.offset = 7;
    CHECK_FALSE(swr::validate(r));
}

TEST_CASE("validate: each rule names its field") {
    auto r = valid();
    r.limit = 0;
    CHECK(why(r) == "limit: must be between 1 and 100");
    r.limit = 101;
    CHECK(why(r) == "limit: must be between 1 and 100");
    r = valid();
    r.offset = 0;
    CHECK(why(r) == "offset: requires limit (offset and limit must be used together)");
    r.limit = 10;
    r.offset = 15;
    CHECK(why(r) == "offset: must be 0 or a multiple of limit");
    r.offset = -10;
    CHECK(why(r) == "offset: must be non-negative");
    r = valid();
    r.policy_id = -1;
    CHECK(why(r) == "policy_id: must be non-negative");
    r = valid();
    r.execution_id = -5;
    CHECK(why(r) == "execution_id: must be non-negative");
    r = valid();
    r.instance_id.clear();
    CHECK(why(r) == "instance_id: must not be empty");
    r = valid();
    r.namespace_name = "a\nb";
    CHECK(why(r) == "namespace_name: must not contain control characters (CR, LF, NUL, ...)");
    r = valid();
    r.project_id = std::string("a\0b", 3);
    CHECK(swr::validate(r).field == "project_id");
    r.project_id.clear();
    CHECK(why(r) == "project_id: must not be empty");
    CHECK_FALSE(swr::validate(r, /*require_project_id=*/false));
    r = valid();
    r.call.max_attempts = 0;
    CHECK(why(r) == "call.max_attempts: must be at least 1");
    r.call.max_attempts = 1;
    CHECK_FALSE(swr::validate(r));
    r.call.deadline = std::chrono::milliseconds(-1);
    CHECK(why(r) == "call.deadline: must not be negative");
    r.call.deadline = std::chrono::milliseconds(0);  // 0: no deadline for this call
    r.call.request_timeout = std::chrono::milliseconds(-5);
    CHECK(why(r) == "call.request_timeout: must not be negative");
}

TEST_CASE("validate: \".\" and \"..\" are refused as path segments") {
    // A gateway normalises /namespaces/../ to another resource: never send one.
    for (std::string dots : {".", ".."}) {
        CAPTURE(dots);
        auto r = valid();
        r.namespace_name = dots;
        CHECK(why(r) == "namespace_name: must not be \".\" or \"..\"");
        r = valid();
        r.instance_id = dots;
        CHECK(why(r) == "instance_id: must not be \".\" or \"..\"");
        r = valid();
        r.project_id = dots;
        CHECK(why(r) == "project_id: must not be \".\" or \"..\"");
        CHECK(swr::validate(r, /*require_project_id=*/false).field == "project_id");
    }
    // Dots inside a longer name are ordinary characters.
    auto r = valid();
    r.namespace_name = "...";
    r.instance_id = ".i";
    r.project_id = "p..";
    CHECK_FALSE(swr::validate(r));
}

TEST_CASE("task status: classification keeps the raw text") {
    using s = swr::task_state;
    CHECK(swr::classify_status("Pending") == s::pending);
    CHECK(swr::classify_status("Scheduled") == s::scheduled);
    CHECK(swr::classify_status("Running") == s::running);
    CHECK(swr::classify_status("Success") == s::success);
    CHECK(swr::classify_status("Succeed") == s::success);
    CHECK(swr::classify_status("SUCCEEDED") == s::success);
    CHECK(swr::classify_status("Error") == s::error);
    CHECK(swr::classify_status("Failed") == s::error);
    CHECK(swr::classify_status("Stopped") == s::stopped);
    CHECK(swr::classify_status("Cancelled") == s::stopped);
    CHECK(swr::classify_status("Exploding") == s::unknown);
    CHECK(swr::classify_status("") == s::unknown);

    swr::task t;
    t.status = "Exploding";
    CHECK(t.state() == s::unknown);
    CHECK_FALSE(t.is_terminal());
    // Classification never rewrites the text: spellings of one state stay different tasks.
    swr::task shouted = t, plain = t;
    shouted.status = "SUCCEEDED";
    plain.status = "Success";
    CHECK(shouted.state() == plain.state());
    CHECK(shouted != plain);
    // Nor does decoding: the service's spelling comes through as sent.
    swr::page p;
    REQUIRE_FALSE(swr::decode_page(R"({"total":1,"tasks":[{"id":1,"status":"SUCCEEDED"}]})", p));
    REQUIRE(p.tasks.size() == 1);
    CHECK(p.tasks[0].status == "SUCCEEDED");
    CHECK(p.tasks[0].state() == s::success);
    t.status = "Failed";
    CHECK(t.is_terminal());
    CHECK(swr::is_terminal(s::success));
    CHECK(swr::is_terminal(s::stopped));
    CHECK_FALSE(swr::is_terminal(s::running));
    CHECK(swr::to_string(s::scheduled) == "scheduled");
}
