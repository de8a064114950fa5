#include "emulator/router.hpp"

#include <boost/url/parse.hpp>

#include <charconv>
#include <optional>

namespace swr::emulator::detail {
namespace {

std::optional<std::int64_t> to_int(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

bool is_task_list_path(const std::vector<std::string>& seg) {
    return seg.size() == 12 && seg[0] == "v2" && seg[2] == "instances" && seg[4] == "namespaces" &&
           seg[6] == "signature" && seg[7] == "policies" && seg[9] == "executions" &&
           seg[11] == "tasks";
}

// offset and limit: both or neither, limit 1-100, offset a multiple of limit.
std::optional<response> read_paging(const boost::urls::url_view& url, task_list_call& call) {
    std::optional<std::int64_t> offset, limit;
    for (auto p : url.params()) {
        if (p.key == "offset") {
            offset = to_int(p.value);
            if (!offset || *offset < 0)
                return error(400, "SWR.0400", "offset must be a non-negative integer");
        } else if (p.key == "limit") {
            limit = to_int(p.value);
            if (!limit) return error(400, "SWR.0400", "limit must be an integer");
        }
    }
    if (offset && !limit) return error(400, "SWR.0400", "offset and limit must be used together");
    if (limit && (*limit < 1 || *limit > 100))
        return error(400, "SWR.0400", "limit must be between 1 and 100");
    call.offset = offset.value_or(0);
    call.limit = limit.value_or(10);
    if (call.offset % call.limit != 0)
        return error(400, "SWR.0400", "offset must be 0 or a multiple of limit");
    return std::nullopt;
}

}  // namespace

std::variant<task_list_route, response> route_task_list(std::string_view target) {
    auto u = boost::urls::parse_origin_form(target);
    if (!u) return error(400, "SWR.0400", "malformed request target");
    task_list_route route{*u, {}};
    for (auto s : u->segments()) route.segments.push_back(s);
    if (!is_task_list_path(route.segments)) return error(404, "SWR.0404", "no such API");
    return route;
}

std::variant<task_list_call, response> read_task_list_call(const task_list_route& route,
                                                           const data_set& data) {
    const auto& seg = route.segments;
    auto policy = to_int(seg[8]);
    auto execution = to_int(seg[10]);
    if (!policy || !execution)
        return error(400, "SWR.0400", "policy_id and execution_id must be integers");
    task_list_call call{*policy, *execution};
    if (auto e = read_paging(route.url, call)) return *e;
    if (!data.has_instance(seg[3])) return error(404, "SWR.1002", "instance not found");
    if (!data.has_namespace(seg[5])) return error(404, "SWR.1003", "namespace not found");
    if (!data.has_policy(call.policy)) return error(404, "SWR.1004", "signature policy not found");
    if (!data.has_execution(call.execution)) return error(404, "SWR.1005", "execution not found");
    return call;
}

}  // namespace swr::emulator::detail
