// The emulator's routing: which targets are the task list, and its parameters checked in the
// service's order, each refusal with the service's status and error code.
#include "emulator/faults.hpp"
#include "emulator/router.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace swr::emulator::detail;

namespace {

const std::string tasks_path =
    "/v2/p1/instances/ins-emulator/namespaces/library/signature/policies/1/executions/2/tasks";

// The error code an answer carries, or "" when the call was accepted.
std::string refusal(const std::string& target, unsigned* status = nullptr) {
    swr::emulator::data_set data{{}};
    auto route = route_task_list(target);
    const response* r = std::get_if<response>(&route);
    std::variant<task_list_call, response> call;
    if (!r) {
        call = read_task_list_call(std::get<task_list_route>(route), data);
        r = std::get_if<response>(&call);
    }
    if (!r) return "";
    if (status) *status = r->status;
    auto code = r->body.find("\"error_code\":\"");
    return r->body.substr(code + 14, r->body.find('"', code + 14) - code - 14);
}

}  // namespace

TEST_CASE("emulator router: the task list's path, its parameters and their defaults") {
    auto route = route_task_list(tasks_path + "?offset=20&limit=10");
    REQUIRE(std::holds_alternative<task_list_route>(route));
    auto call = read_task_list_call(std::get<task_list_route>(route), swr::emulator::data_set{{}});
    REQUIRE(std::holds_alternative<task_list_call>(call));
    const auto& c = std::get<task_list_call>(call);
    CHECK(c.policy == 1);
    CHECK(c.execution == 2);
    CHECK(c.offset == 20);
    CHECK(c.limit == 10);

    route = route_task_list(tasks_path);
    call = read_task_list_call(std::get<task_list_route>(route), swr::emulator::data_set{{}});
    CHECK(std::get<task_list_call>(call).offset == 0);
    CHECK(std::get<task_list_call>(call).limit == 10);
}

TEST_CASE("emulator router: refusals, in the service's order and shape") {
    unsigned status = 0;
    CHECK(refusal("/v2/p1/instances", &status) == "SWR.0404");
    CHECK(status == 404);
    CHECK(refusal("no-slash", &status) == "SWR.0400");
    CHECK(status == 400);
    CHECK(refusal(tasks_path + "?offset=10") == "SWR.0400");  // offset without limit
    CHECK(refusal(tasks_path + "?limit=0") == "SWR.0400");    // limit 1..100
    CHECK(refusal(tasks_path + "?limit=101") == "SWR.0400");
    CHECK(refusal(tasks_path + "?offset=-10&limit=10") == "SWR.0400");
    CHECK(refusal(tasks_path + "?offset=5&limit=10") == "SWR.0400");  // not a multiple
    CHECK(refusal(tasks_path + "?limit=x") == "SWR.0400");
    CHECK(refusal("/v2/p1/instances/ins-emulator/namespaces/library/signature/policies/x/"
                  "executions/2/tasks") == "SWR.0400");
    CHECK(refusal("/v2/p1/instances/other/namespaces/library/signature/policies/1/"
                  "executions/2/tasks",
                  &status) == "SWR.1002");
    CHECK(status == 404);
    CHECK(refusal("/v2/p1/instances/ins-emulator/namespaces/other/signature/policies/1/"
                  "executions/2/tasks") == "SWR.1003");
    CHECK(refusal("/v2/p1/instances/ins-emulator/namespaces/library/signature/policies/9/"
                  "executions/2/tasks") == "SWR.1004");
    CHECK(refusal("/v2/p1/instances/ins-emulator/namespaces/library/signature/policies/1/"
                  "executions/99/tasks") == "SWR.1005");
    // A bad parameter is reported before a missing resource.
    CHECK(refusal("/v2/p1/instances/other/namespaces/library/signature/policies/1/"
                  "executions/2/tasks?limit=0") == "SWR.0400");
    CHECK(refusal(tasks_path + "?limit=100") == "");
}

TEST_CASE("emulator faults: queued in order, one per request, content faults shape the page") {
    fault_queue q;
    CHECK_FALSE(q.next());
    swr::emulator::fault f;
    f.what = swr::emulator::fault::kind::skip_page;
    q.push(f, 2);
    f.what = swr::emulator::fault::kind::no_response;
    q.push(f, 1);
    CHECK(q.next()->what == swr::emulator::fault::kind::skip_page);
    CHECK(q.next()->what == swr::emulator::fault::kind::skip_page);
    CHECK(q.next()->what == swr::emulator::fault::kind::no_response);
    CHECK_FALSE(q.next());

    swr::emulator::data_set data{{}};
    page_cache pages{data};
    task_list_call call{1, 2, 0, 10};
    auto normal = answer_task_list(call, std::nullopt, data, pages, {});
    f.what = swr::emulator::fault::kind::repeat_page;
    call.offset = 20;
    CHECK(answer_task_list(call, f, data, pages, {}).body == normal.body);  // as if offset 0
    f.what = swr::emulator::fault::kind::no_response;
    auto transport = answer_task_list(call, f, data, pages, {});
    REQUIRE(transport.behaviour);  // left for the connection to act out
    CHECK(transport.behaviour->what == swr::emulator::fault::kind::no_response);
    const swr::emulator::fault throttled{
        .what = swr::emulator::fault::kind::status, .status = 503, .retry_after = "7"};
    auto st = answer_task_list(call, throttled, data, pages, {});
    CHECK(st.status == 503);
    CHECK(st.extra_headers == "Retry-After: 7\r\n");
}
