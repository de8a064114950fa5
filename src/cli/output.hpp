#pragma once
// How the CLI prints tasks and watch progress: table, json, ndjson, csv. Text from the server
// is untrusted: it reaches the terminal only through terminal_safe() or JSON escaping.

#include <swr/model.hpp>
#include <swr/poll.hpp>

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

/// "pending 3  running 10  success 200  error 2" (states with a count only).
std::string counts_line(const status_counts& c);

/// A watch summary as JSON: [{"execution_id":..,"done":..,"no_tasks":..,"error":..,
/// "counts":{..}}, ...].
void print_watch_json(std::ostream& os, std::span<const watch_result> results);

/// A one-line progress bar for a terminal.
std::string progress_bar(std::size_t done, std::size_t total, std::size_t width = 30);

}  // namespace swr::cli
