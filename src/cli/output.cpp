#include "output.hpp"

#include <swr/json_codec.hpp>

#include <algorithm>
#include <array>
#include <vector>

namespace swr::cli {
namespace {

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

void print_tasks(std::ostream& os, const std::string& format, std::int64_t total,
                 std::span<const task> tasks) {
    if (format == "json") {
        page p;
        p.total = total;
        p.has_total = true;
        p.tasks.assign(tasks.begin(), tasks.end());
        os << encode_page(p) << '\n';
    } else if (format == "ndjson") {
        std::string line;
        for (const auto& t : tasks) {
            line.clear();
            encode_task(t, line);
            os << line << '\n';
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
            rows.push_back({std::to_string(t.id), t.repository, t.status, t.job_id, t.updated_at,
                            t.status_text});
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

void print_watch_json(std::ostream& os, std::span<const watch_result> results) {
    std::string out = "[";
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        if (i) out += ',';
        out += "{\"execution_id\":" + std::to_string(r.target.execution_id);
        out += ",\"done\":" + std::string(r.done ? "true" : "false");
        out += ",\"succeeded\":" + std::string(r.succeeded() ? "true" : "false");
        out += ",\"polls\":" + std::to_string(r.polls);
        out += ",\"error\":";
        if (r.ec)
            append_json_string(
                out, r.ec.message() +
                         (r.diag.to_string().empty() ? "" : " (" + r.diag.to_string() + ")"));
        else
            out += "null";
        out += ",\"counts\":{";
        bool first = true;
        for (std::size_t s = 0; s < r.counts.by_state.size(); ++s) {
            if (!first) out += ',';
            first = false;
            out += "\"" + std::string(to_string(static_cast<task_state>(s))) +
                   "\":" + std::to_string(r.counts.by_state[s]);
        }
        out += "}}";
    }
    os << out << "]\n";
}

std::string progress_bar(std::size_t done, std::size_t total, std::size_t width) {
    std::size_t filled = total ? std::min(width, done * width / total) : width;
    return "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] " +
           std::to_string(done) + "/" + std::to_string(total);
}

}  // namespace swr::cli
