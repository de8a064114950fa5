#pragma once
// Hooks for the embedding service: a log sink and per-call metrics. Both are off by default and
// cost nothing then (no formatting, no allocation). Secrets never reach either: log lines carry
// the method, the request target and outcomes, never header values.

#include <swr/error.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

namespace swr {

/// Severity of a log line.
enum class log_level { debug, info, warning, error };

std::string_view to_string(log_level l) noexcept;

/// One finished call (after its retries).
struct call_metrics {
    std::string_view operation;           ///< "ListInstanceSignPolicyExecTasks".
    error_code ec;                        ///< The call's outcome.
    unsigned http_status = 0;             ///< Last status received; 0 if none.
    unsigned attempts = 0;                ///< Attempts made.
    std::chrono::microseconds latency{};  ///< From the call's start to its completion.
    std::size_t bytes_sent = 0;           ///< Request bytes written, all attempts.
    std::size_t bytes_received = 0;       ///< Response bytes read, all attempts.
    bool connection_reused = false;       ///< The last attempt ran on a kept-alive connection.
    std::int64_t execution_id = 0;        ///< The execution listed.
};

/// The embedding service's hooks; both off by default.
struct observability_options {
    /// Receives log lines at `min_level` and above; called on the client's strand. Empty: off.
    std::function<void(log_level, std::string_view)> log;
    log_level min_level = log_level::info;  ///< Lines below this level are not formatted or sent.
    /// Receives one record per finished call; called on the client's strand. Empty: off.
    std::function<void(const call_metrics&)> metrics;
};

}  // namespace swr
