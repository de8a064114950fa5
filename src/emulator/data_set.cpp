#include <swr/emulator/data_set.hpp>

#include "api/hex.hpp"
#include "emulator/splitmix.hpp"
#include "wire/http_time.hpp"

#include <array>

namespace swr::emulator {
namespace {

constexpr std::array<std::string_view, 12> repo_names{
    "nginx", "redis",  "postgres", "alpine", "busybox", "python",
    "node",  "golang", "envoy",    "etcd",   "coredns", "prometheus"};

// 2026-01-01T00:00:00Z: executions start an hour apart from here.
constexpr std::int64_t epoch_base = 1767225600;

using detail::splitmix;

std::string rfc3339(std::int64_t secs) {
    return swr::detail::format_rfc3339(std::chrono::sys_seconds{std::chrono::seconds{secs}});
}

}  // namespace

std::uint64_t data_set::mix(std::int64_t execution, std::int64_t index, std::uint64_t salt) const {
    return splitmix(o_.seed ^ splitmix(static_cast<std::uint64_t>(execution) * 0x10001ULL ^
                                       splitmix(static_cast<std::uint64_t>(index) + salt)));
}

std::string data_set::final_status(std::int64_t execution, std::int64_t index) const {
    return mix(execution, index, 3) % 100 < o_.error_percent ? "Error" : "Success";
}

task data_set::make_task(std::int64_t execution, std::int64_t index,
                         std::chrono::milliseconds elapsed) const {
    task t;
    t.id = execution * 1'000'000 + index + 1;
    t.execution_id = execution;
    t.namespace_name = o_.namespace_name;
    auto h = mix(execution, index, 1);
    t.repository = std::string(repo_names[h % repo_names.size()]) + "-" + std::to_string(index);
    auto j1 = mix(execution, index, 2), j2 = splitmix(j1);
    std::string job_id;
    job_id.reserve(24);
    swr::detail::append_hex(job_id, j1);
    swr::detail::append_hex(job_id, static_cast<std::uint32_t>(j2));
    t.job_id = job_id;

    // Each task starts within the first half of `pace` and ends within the second.
    auto pace = o_.pace.count();
    std::int64_t start =
        pace ? static_cast<std::int64_t>(h % static_cast<std::uint64_t>(pace / 2 + 1)) : 0;
    std::int64_t end =
        pace ? pace / 2 + static_cast<std::int64_t>(j1 % static_cast<std::uint64_t>(pace / 2 + 1))
             : 0;
    auto e = elapsed.count();
    std::int64_t created = epoch_base + execution * 3600;
    t.created_at = rfc3339(created);
    if (pace && e < start) {
        t.status = "Pending";
        t.updated_at = t.created_at;
    } else if (pace && e < end) {
        t.status = "Running";
        t.updated_at = rfc3339(created + start / 1000);
    } else {
        t.status = final_status(execution, index);
        if (t.status == "Error") t.status_text = "signing failed: key unavailable";
        t.updated_at = rfc3339(created + end / 1000 + 1);
    }
    return t;
}

page data_set::make_page(std::int64_t execution, std::int64_t offset, std::int64_t limit,
                         std::chrono::milliseconds elapsed) const {
    page p;
    p.total = total(execution);
    for (std::int64_t i = offset; i < offset + limit && i < *p.total; ++i)
        p.tasks.push_back(make_task(execution, i, elapsed));
    return p;
}

}  // namespace swr::emulator
