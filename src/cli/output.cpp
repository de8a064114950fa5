#include "output.hpp"

#include "api/hex.hpp"
#include "watch_report.hpp"
#include "wire/http_time.hpp"

#include <swr/json_codec.hpp>

#include <algorithm>
#include <array>
#include <vector>

namespace swr::cli {
namespace {

// `\xXX` or `\u00XX`: a byte a terminal must not see as it is.
void append_escape(std::string& out, const char* prefix, unsigned char b) {
    out += prefix;
    swr::detail::append_hex(out, b);
}

// Length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlong forms, no
// surrogates), or 0. Overlong forms matter: 0xC0 0x9B would otherwise smuggle ESC-[ past us.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    auto b = at(i);
    if (b < 0x80) return 1;
    std::size_t n = b >= 0xC2 && b <= 0xDF   ? 2
                    : b >= 0xE0 && b <= 0xEF ? 3
                    : b >= 0xF0 && b <= 0xF4 ? 4
                                             : 0;
    if (n == 0 || i + n > s.size()) return 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
    if (at(i + 1) < lo || at(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (at(i + k) < 0x80 || at(i + k) > 0xBF) return 0;
    return n;
}

// U+0080..U+009F, encoded as 0xC2 0x80..0x9F: C1 controls (0x9B is CSI, like ESC [).
bool is_c1(std::string_view s, std::size_t i) {
    return static_cast<unsigned char>(s[i]) == 0xC2 && i + 1 < s.size() &&
           static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
           static_cast<unsigned char>(s[i + 1]) <= 0x9F;
}

// Quoted when needed (RFC 4180); control characters are already escaped, so no CR or LF is left.
std::string csv_field(const std::string& raw) {
    auto s = terminal_safe(raw);
    if (s.find_first_of(",\"") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

std::string terminal_safe(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        if (b == '\\') {
            out += "\\\\";
        } else if (b == '\n') {
            out += "\\n";
        } else if (b == '\r') {
            out += "\\r";
        } else if (b == '\t') {
            out += "\\t";
        } else if (b < 0x20 || b == 0x7f) {
            append_escape(out, "\\x", b);
        } else if (is_c1(s, i)) {
            append_escape(out, "\\u00", static_cast<unsigned char>(s[i + 1]));
            i += 2;
            continue;
        } else if (auto n = utf8_length(s, i)) {
            out.append(s.substr(i, n));
            i += n;
            continue;
        } else {
            append_escape(out, "\\x", b);  // not UTF-8: a terminal could read it as C1
        }
        ++i;
    }
    return out;
}

std::string json_terminal_safe(std::string json) {
    // Structural JSON is ASCII, so these bytes can only be inside strings, where an escape
    // means the same character.
    std::size_t i = 0;
    for (; i < json.size(); ++i) {
        auto b = static_cast<unsigned char>(json[i]);
        if (b == 0x7f || b >= 0x80) break;
    }
    if (i == json.size()) return json;  // the common case: nothing to change
    std::string out(json, 0, i);
    while (i < json.size()) {
        auto b = static_cast<unsigned char>(json[i]);
        if (b == 0x7f) {
            out += "\\u007f";
        } else if (is_c1(json, i)) {
            append_escape(out, "\\u00", static_cast<unsigned char>(json[i + 1]));
            i += 2;
            continue;
        } else if (auto n = utf8_length(json, i)) {
            out.append(json, i, n);
            i += n;
            continue;
        } else {
            out += "\\ufffd";  // not UTF-8 (only raw error bodies can be): the replacement
        }
        ++i;
    }
    return out;
}

void print_tasks(std::ostream& os, const std::string& format, std::int64_t total,
                 std::span<const task> tasks) {
    if (format == "json") {
        page p;
        p.total = total;
        p.tasks.assign(tasks.begin(), tasks.end());
        os << json_terminal_safe(encode_page(p)) << '\n';
    } else if (format == "ndjson") {
        std::string line;
        for (const auto& t : tasks) {
            line.clear();
            encode_task(t, line);
            os << json_terminal_safe(std::move(line)) << '\n';
        }
    } else if (format == "csv") {
        os << "id,execution_id,namespace,repository,job_id,status,status_text,created_at,updated_"
              "at\n";
        for (const auto& t : tasks)
            os << t.id << ',' << t.execution_id << ',' << csv_field(t.namespace_name) << ','
               << csv_field(t.repository) << ',' << csv_field(t.job_id) << ','
               << csv_field(t.status) << ',' << csv_field(t.status_text) << ','
               << csv_field(t.created_at) << ',' << csv_field(t.updated_at) << '\n';
    } else {
        const std::array<std::string, 6> head{"ID",     "REPOSITORY", "STATUS",
                                              "JOB ID", "UPDATED",    "DETAIL"};
        std::vector<std::array<std::string, 6>> rows;
        rows.reserve(tasks.size());
        for (const auto& t : tasks)
            rows.push_back({std::to_string(t.id), terminal_safe(t.repository),
                            terminal_safe(t.status), terminal_safe(t.job_id),
                            terminal_safe(t.updated_at), terminal_safe(t.status_text)});
        std::array<std::size_t, 6> w{};
        for (std::size_t c = 0; c < 6; ++c) {
            w[c] = head[c].size();
            for (const auto& r : rows) w[c] = std::max(w[c], r[c].size());
        }
        auto line = [&](const std::array<std::string, 6>& r) {
            std::string out;
            for (std::size_t c = 0; c < 6; ++c) {
                out += r[c];
                if (c + 1 < 6) out += std::string(w[c] - r[c].size() + 2, ' ');
            }
            while (!out.empty() && out.back() == ' ') out.pop_back();
            os << out << '\n';
        };
        line(head);
        for (const auto& r : rows) line(r);
        os << tasks.size() << " of " << total << " tasks\n";
    }
}

std::string counts_line(const status_counts& c) {
    std::string out;
    for (std::size_t s = 0; s < c.by_state.size(); ++s) {
        if (!c.by_state[s]) continue;
        if (!out.empty()) out += "  ";
        out += std::string(to_string(static_cast<task_state>(s))) + " " +
               std::to_string(c.by_state[s]);
    }
    return out.empty() ? "no tasks" : out;
}

void keep_statuses(std::vector<task>& tasks, std::span<const task_state> statuses) {
    if (statuses.empty()) return;
    std::erase_if(tasks, [&](const task& t) {
        return std::find(statuses.begin(), statuses.end(), t.state()) == statuses.end();
    });
}

std::string counts_json(const status_counts& c) {
    std::string out = "{";
    for (std::size_t s = 0; s < c.by_state.size(); ++s) {
        if (s) out += ',';
        out += "\"" + std::string(to_string(static_cast<task_state>(s))) +
               "\":" + std::to_string(c.by_state[s]);
    }
    return out + "}";
}

std::string utc_timestamp(std::chrono::system_clock::time_point t) {
    return swr::detail::format_rfc3339(t, 3);
}

std::string watch_result_json(const watch_result& r, std::span<const failed_task> failed,
                              std::string_view first_fields) {
    std::string out = "{";
    out += first_fields;
    out += "\"execution_id\":" + std::to_string(r.target.execution_id);
    out += ",\"done\":" + std::string(r.done ? "true" : "false");
    out += ",\"succeeded\":" + std::string(r.succeeded() ? "true" : "false");
    out +=
        ",\"no_tasks\":" + std::string(outcome_of(r) == watch_outcome::no_tasks ? "true" : "false");
    out += ",\"polls\":" + std::to_string(r.polls);
    out += ",\"error\":";
    if (r.ec)
        append_json_string(
            out,
            r.ec.message() + (r.diag.to_string().empty() ? "" : " (" + r.diag.to_string() + ")"));
    else
        out += "null";
    out += ",\"counts\":" + counts_json(r.counts);
    out += ",\"failed_tasks\":[";
    for (std::size_t i = 0; i < failed.size(); ++i) {
        if (i) out += ',';
        out += "{\"id\":" + std::to_string(failed[i].id) + ",\"repository\":";
        append_json_string(out, failed[i].repository);
        out += ",\"status\":";
        append_json_string(out, failed[i].status);
        out += ",\"status_text\":";
        append_json_string(out, failed[i].status_text);
        out += '}';
    }
    out += "]}";
    return json_terminal_safe(std::move(out));
}

void print_watch_json(std::ostream& os, std::span<const watch_result> results,
                      const failure_log& failures) {
    os << '[';
    for (std::size_t i = 0; i < results.size(); ++i)
        os << (i ? "," : "") << watch_result_json(results[i], failures.of(i));
    os << "]\n";
}

std::string watch_event_json(const execution_update& u, std::string_view time) {
    std::string line = "{\"event\":\"poll\",\"time\":";
    append_json_string(line, time);
    line += ",\"execution_id\":" + std::to_string(u.target->execution_id) +
            ",\"poll\":" + std::to_string(u.polls) + ",\"done\":" + (u.done ? "true" : "false") +
            ",\"changes\":" + std::to_string(u.changes.size()) +
            ",\"counts\":" + counts_json(u.counts);
    if (u.ec) {
        line += ",\"error\":";
        append_json_string(line, u.ec.message());
    }
    line += '}';
    return json_terminal_safe(std::move(line));
}

void print_failures(std::ostream& os, std::span<const failed_task> failed, std::size_t max) {
    if (failed.empty()) return;
    os << "swr-sign-tasks: watch: " << failed.size() << (failed.size() == 1 ? " task" : " tasks")
       << " failed or stopped:\n";
    for (std::size_t i = 0; i < failed.size() && i < max; ++i) {
        const auto& f = failed[i];
        os << "  execution " << f.execution_id << "  task " << f.id << "  "
           << terminal_safe(f.repository) << "  " << terminal_safe(f.status);
        if (!f.status_text.empty()) os << "  " << terminal_safe(f.status_text);
        os << '\n';
    }
    if (failed.size() > max)
        os << "  and " << failed.size() - max << " more (--output json lists every one)\n";
}

std::string progress_bar(std::size_t done, std::size_t total, std::size_t width) {
    std::size_t filled = total ? std::min(width, done * width / total) : width;
    return "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] " +
           std::to_string(done) + "/" + std::to_string(total);
}

}  // namespace swr::cli
