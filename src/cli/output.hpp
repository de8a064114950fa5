#pragma once
// How the CLI prints tasks and watch progress: table, json, ndjson, csv. Text from the server
// is untrusted: it reaches the terminal only through terminal_safe() or JSON escaping.

#include "watch_report.hpp"

#include <swr/model.hpp>
#include <swr/watch.hpp>

#include <chrono>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

namespace swr::cli {

/// `s` with every control character shown as an escape, so that server text cannot move the
/// cursor, retitle the window or fake lines: `\n`, `\r`, `\t`, other C0 bytes and DEL as
/// `\xHH`, C1 controls (UTF-8 0xC2 0x80..0x9F) as `\u0080`..`\u009f`, bytes that are not
/// UTF-8 as `\xHH`, and a backslash as `\\` (so every escape reads one way back).
std::string terminal_safe(std::string_view s);

/// JSON text with DEL and C1 controls written as `\u007f`, `\u0080`..`\u009f` too (JSON
/// itself only requires C0 to be escaped); the value it parses to is unchanged.
std::string json_terminal_safe(std::string json);

/// `format` is table, json, ndjson or csv. json: {"total": N, "tasks": [...]}.
void print_tasks(std::ostream& os, const std::string& format, std::int64_t total,
                 std::span<const task> tasks);

/// Only the tasks whose status is one of `statuses` (as task::state() reads it) are kept;
/// none is dropped when `statuses` is empty.
void keep_statuses(std::vector<task>& tasks, std::span<const task_state> statuses);

/// "pending 3  running 10  success 200  error 2" (states with a count only).
std::string counts_line(const status_counts& c);

/// {"pending":0,"scheduled":0,"running":10,"success":200,"error":2,"stopped":0,"unknown":0}
std::string counts_json(const status_counts& c);

/// RFC 3339 in UTC with milliseconds: "2026-01-02T03:04:05.678Z".
std::string utc_timestamp(std::chrono::system_clock::time_point t);

/// One execution's outcome as a JSON object: {"execution_id":..,"done":..,"succeeded":..,
/// "no_tasks":..,"polls":..,"error":..,"counts":{..},"failed_tasks":[{"id":..,"repository":..,
/// "status":..,"status_text":..}, ...]}. `first_fields` (e.g. `"event":"result",`) goes first.
std::string watch_result_json(const watch_result& r, std::span<const failed_task> failed,
                              std::string_view first_fields = {});

/// A watch summary as JSON: an array of watch_result_json, in the targets' order.
void print_watch_json(std::ostream& os, std::span<const watch_result> results,
                      const failure_log& failures);

/// One poll as an ndjson line (no newline): {"event":"poll","time":..,"execution_id":..,
/// "poll":..,"done":..,"changes":..,"counts":{..}[,"error":..]}.
std::string watch_event_json(const execution_update& u, std::string_view time);

/// The failed and stopped tasks for a person: a header line, then one line each (server text
/// escaped), at most `max` of them and a line saying how many more there are.
void print_failures(std::ostream& os, std::span<const failed_task> failed, std::size_t max = 20);

/// A one-line progress bar for a terminal.
std::string progress_bar(std::size_t done, std::size_t total, std::size_t width = 30);

}  // namespace swr::cli
