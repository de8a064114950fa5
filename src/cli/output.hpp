#pragma once
// How the CLI prints tasks and watch progress: table, json, ndjson, csv.

#include <swr/model.hpp>
#include <swr/poll.hpp>

#include <ostream>
#include <span>
#include <string>

namespace swr::cli {

/// `format` is table, json, ndjson or csv. json: {"total": N, "tasks": [...]}.
void print_tasks(std::ostream& os, const std::string& format, std::int64_t total,
                 std::span<const task> tasks);

/// "pending 3  running 10  success 200  error 2" (states with a count only).
std::string counts_line(const status_counts& c);

/// A watch summary as JSON: [{"execution_id":..,"done":..,"error":..,"counts":{..}}, ...].
void print_watch_json(std::ostream& os, std::span<const watch_result> results);

/// A one-line progress bar for a terminal.
std::string progress_bar(std::size_t done, std::size_t total, std::size_t width = 30);

}  // namespace swr::cli
