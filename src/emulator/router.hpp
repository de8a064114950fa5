#pragma once
// The task-list API's routing: which request targets it serves, and its parameters checked in
// the service's order (path shape, then, after authentication, types and ranges, then whether
// the instance, namespace, policy and execution exist). Sans-io.

#include "emulator/response.hpp"

#include <swr/emulator/data_set.hpp>

#include <boost/url/url_view.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace swr::emulator::detail {

/// A target on the task list's path: `/v2/{project}/instances/{instance}/namespaces/{ns}/
/// signature/policies/{policy}/executions/{execution}/tasks[?offset=&limit=]`.
struct task_list_route {
    boost::urls::url_view url;          ///< Views the request target.
    std::vector<std::string> segments;  ///< Decoded path segments.
};

/// The call's parameters, checked.
struct task_list_call {
    std::int64_t policy = 0;
    std::int64_t execution = 0;
    std::int64_t offset = 0;
    std::int64_t limit = 10;
};

/// The route of `target` (which must outlive it), or the error that answers it: 400 for a
/// malformed target, 404 for any other path.
std::variant<task_list_route, response> route_task_list(std::string_view target);

/// The parameters of a routed call, or the error that answers them (400 for a bad parameter,
/// 404 for what `data` does not have).
std::variant<task_list_call, response> read_task_list_call(const task_list_route& route,
                                                           const data_set& data);

}  // namespace swr::emulator::detail
