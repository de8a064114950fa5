#pragma once
// The emulator's data: deterministic from a seed, computed on demand (nothing stored per task),
// so 10,000 executions of 250 tasks cost no memory. Statuses advance with time: Pending, then
// Running, then Success or Error, each task at its own moment within `pace`.

#include <swr/model.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace swr::emulator {

/// The shape of the data set.
struct data_set_options {
    std::uint64_t seed = 1;                    ///< Same seed, same data.
    std::string instance_id = "ins-emulator";  ///< The one instance served.
    std::string namespace_name = "library";    ///< The one namespace served.
    std::int64_t policy_id = 1;                ///< The one signing policy served.
    std::int64_t executions = 3;               ///< Execution ids 1..executions.
    std::int64_t tasks_per_execution = 250;    ///< Tasks of every execution.
    /// Every task is terminal after this long (0: terminal from the start).
    std::chrono::milliseconds pace{0};
    unsigned error_percent = 10;  ///< Share of tasks that end in Error.
};

/// Deterministic tasks of every execution, computed on demand.
class data_set {
public:
    /// A data set of the given shape.
    explicit data_set(data_set_options o) : o_(std::move(o)) {}
    /// The shape of the data set.
    const data_set_options& options() const noexcept { return o_; }

    /// Whether the instance exists.
    bool has_instance(std::string_view id) const { return id == o_.instance_id; }
    /// Whether the namespace exists.
    bool has_namespace(std::string_view ns) const { return ns == o_.namespace_name; }
    /// Whether the signing policy exists.
    bool has_policy(std::int64_t id) const { return id == o_.policy_id; }
    /// Whether the execution exists.
    bool has_execution(std::int64_t id) const { return id >= 1 && id <= o_.executions; }

    /// Number of tasks of an execution.
    std::int64_t total(std::int64_t /*execution*/) const { return o_.tasks_per_execution; }

    /// Task number `index` (0-based) of `execution` as it is `elapsed` after the start.
    task make_task(std::int64_t execution, std::int64_t index,
                   std::chrono::milliseconds elapsed) const;

    /// The final status a task will reach ("Success" or "Error").
    std::string final_status(std::int64_t execution, std::int64_t index) const;

    /// Tasks [offset, offset + limit) of the execution.
    page make_page(std::int64_t execution, std::int64_t offset, std::int64_t limit,
                   std::chrono::milliseconds elapsed) const;

private:
    std::uint64_t mix(std::int64_t execution, std::int64_t index, std::uint64_t salt) const;
    data_set_options o_;
};

}  // namespace swr::emulator
