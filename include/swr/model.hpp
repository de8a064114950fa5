#pragma once
// The data of ListInstanceSignPolicyExecTasks: the request, one task, one page, and task status.

#include <swr/text.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace swr {

/// Bounds of one call that override the client's options (each unset: the client's value).
/// The pager, list-all and watch apply them to every request they send.
struct call_options {
    /// The whole call, retries and backoff included (client_options::timeouts.deadline); 0: none.
    std::optional<std::chrono::milliseconds> deadline;
    /// Attempts in total, >= 1 (client_options::retry.max_attempts); 1: no retries.
    std::optional<unsigned> max_attempts;
    /// One attempt: write the request, read the response (client_options::timeouts.request);
    /// 0: none.
    std::optional<std::chrono::milliseconds> request_timeout;
};

/// Which execution to list, and which slice of its tasks.
///
/// Rules (checked by validate()): `limit` is 1..100; `offset` is 0 or a multiple of `limit`;
/// `offset` without `limit` is an error; `limit` alone means offset 0; ids are non-negative;
/// strings are non-empty and free of control characters; `project_id`, `instance_id` and
/// `namespace_name` (each one path segment) are not `.` or `..`, which a gateway would normalise
/// to another path. The client's project id, when it fills the request in, is checked the same.
/// `call.max_attempts` is at least 1; `call`'s durations are not negative.
struct list_tasks_request {
    std::string project_id;              ///< Empty: taken from the client's options.
    std::string instance_id;             ///< SWR Enterprise Edition instance.
    std::string namespace_name;          ///< Namespace name (sent percent-encoded).
    std::int64_t policy_id = 0;          ///< Signing policy.
    std::int64_t execution_id = 0;       ///< Execution of the policy.
    std::optional<std::int64_t> offset;  ///< Unset: not sent (the service starts at 0).
    std::optional<std::int64_t> limit;   ///< Unset: not sent (the service's default is 10).
    call_options call;                   ///< Per-call bounds; unset fields: the client's.
};

/// Maximum page size the service accepts.
inline constexpr std::int64_t max_limit = 100;

/// The failure of validate(): which field, which rule. Empty `field` means valid.
struct validation_error {
    std::string field;  ///< The field that breaks a rule (request field name).
    std::string rule;   ///< The rule it breaks.
    /// True when a rule is broken.
    explicit operator bool() const noexcept { return !field.empty(); }
    /// "field: rule".
    std::string to_string() const { return field + ": " + rule; }
};

/// Checks the rules of call_options (max_attempts >= 1, no negative duration); `field` is
/// prefixed with `call.`.
validation_error validate(const call_options& c);

/// Checks every rule above. `require_project_id` is false when the client fills it in.
validation_error validate(const list_tasks_request& r, bool require_project_id = true);

/// The classification of a task's status string. The raw text is always kept beside it.
enum class task_state : std::uint8_t {
    pending,
    scheduled,
    running,
    success,
    error,
    stopped,
    unknown
};

std::string_view to_string(task_state s) noexcept;

/// Classifies the service's status text, case-insensitively and tolerant of spelling variants
/// (`Succeed`, `Succeeded`, `Failed`, `Canceled`...). Anything else is `unknown`.
task_state classify_status(std::string_view raw) noexcept;

/// True for success, error and stopped: the task will not change any more.
constexpr bool is_terminal(task_state s) noexcept {
    return s == task_state::success || s == task_state::error || s == task_state::stopped;
}

/// One task of an execution: it signs the images of one repository.
/// Missing or null fields of the response are left empty (0 for integers).
/// The string fields are swr::text (text.hpp): they read as strings, and a decoded page's texts
/// share one buffer, so copying or moving tasks and pages copies no characters. A task stays
/// valid on its own: moved or copied out of its page, it keeps that buffer alive.
struct task {
    std::int64_t id = 0;            ///< Task ID.
    std::int64_t execution_id = 0;  ///< Execution ID.
    text namespace_name;            ///< JSON field `namespace`.
    text repository;                ///< Image repository name.
    text job_id;                    ///< Job ID (24 hex characters in practice).
    text status;                    ///< Raw text as the service sent it.
    text status_text;               ///< Status details.
    text created_at;                ///< RFC 3339, as sent.
    text updated_at;                ///< RFC 3339, as sent.

    /// The classification of `status`.
    task_state state() const noexcept { return classify_status(status); }
    /// The task will not change any more.
    bool is_terminal() const noexcept { return swr::is_terminal(state()); }
    /// Field by field.
    bool operator==(const task&) const = default;
};

/// One page of the listing. `total` counts the tasks of the whole execution, not this page.
struct page {
    /// Tasks of the whole execution (all pages); empty when the response carried no `total`.
    std::optional<std::int64_t> total;
    std::vector<task> tasks;  ///< This page.
    /// Field by field.
    bool operator==(const page&) const = default;
};

}  // namespace swr
