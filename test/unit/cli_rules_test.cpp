// The command-line tool's rules that need no socket or process, tested directly (src/cli).
#include "cli/args.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "cli/watch_report.hpp"

#include <swr/json_codec.hpp>

#include <doctest/doctest.h>
#include <boost/asio/error.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <sstream>

namespace {

using namespace std::string_literals;

// Status text as a hostile server could send it: retitle the window, clear the screen, a fake
// second line, a C1 CSI (0xC2 0x9B), DEL, and a backslash.
const std::string hostile =
    "\x1b]0;pwned\x07\x1b[2J bad\r\nfake line\t\xc2\x9b"
    "31m\x7f end\\";

swr::task hostile_task() {
    swr::task t;
    t.id = 7;
    t.execution_id = 3;
    t.namespace_name = "library";
    t.repository = "nginx\x1b[8m";
    t.job_id = "0123456789abcdef01234567";
    t.status = "Error";
    t.status_text = hostile;
    t.created_at = "2026-01-01T00:00:00Z";
    t.updated_at = "2026-01-01T00:00:01Z";
    return t;
}

std::string print(const std::string& format, const swr::task& t) {
    std::ostringstream os;
    swr::cli::print_tasks(os, format, 1, std::span<const swr::task>(&t, 1));
    return os.str();
}

// No byte a terminal acts on: C0 (but the line ends), DEL, or a UTF-8 C1 control.
bool terminal_inert(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto b = static_cast<unsigned char>(s[i]);
        if ((b < 0x20 && b != '\n') || b == 0x7f) return false;
        if (b == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xa0)
            return false;
    }
    return true;
}

swr::cli::arguments parse(std::vector<std::string> extra, std::string command = "watch") {
    std::vector<std::string> args{command, "--endpoint",     "https://h", "--instance-id",
                                  "i",     "--namespace",    "n",         "--policy-id",
                                  "1",     "--execution-id", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    return swr::cli::parse(args);
}

swr::watch_result result(std::int64_t id, bool done, swr::error_code ec,
                         std::initializer_list<std::pair<swr::task_state, std::size_t>> counts) {
    swr::watch_result r;
    r.target.execution_id = id;
    r.done = done;
    r.ec = ec;
    for (auto [s, n] : counts) r.counts.by_state[static_cast<std::size_t>(s)] = n;
    return r;
}

}  // namespace

TEST_CASE("terminal_safe: control characters shown as escapes, a backslash doubled") {
    using swr::cli::terminal_safe;
    CHECK(terminal_safe("plain text, 100% ok") == "plain text, 100% ok");
    CHECK(terminal_safe("a\nb\rc\td") == R"(a\nb\rc\td)");
    CHECK(terminal_safe("\x1b[2J") == R"(\x1b[2J)");
    CHECK(terminal_safe("\x07\x01\x1f\x7f"s) == R"(\x07\x01\x1f\x7f)");
    CHECK(terminal_safe("\0x"s) == R"(\x00x)");
    // A literal backslash cannot be mistaken for an escape: "\x1b" typed as text stays text.
    CHECK(terminal_safe(R"(C:\path)") == R"(C:\\path)");
    CHECK(terminal_safe(R"(\x1b)") == R"(\\x1b)");
    CHECK(terminal_safe(hostile) ==
          R"(\x1b]0;pwned\x07\x1b[2J bad\r\nfake line\t\u009b31m\x7f end\\)");
}

TEST_CASE("terminal_safe: C1 controls, overlong forms and stray bytes escaped, UTF-8 kept") {
    using swr::cli::terminal_safe;
    CHECK(terminal_safe("\xc2\x80|\xc2\x9b|\xc2\x9f") == R"(\u0080|\u009b|\u009f)");
    // U+00A0 and up are printable: kept, as are other scripts and emoji.
    CHECK(terminal_safe("\xc2\xa0\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x94\x91") ==
          "\xc2\xa0\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x94\x91");
    // An overlong ESC (0xC0 0x9B) and a lone C1 byte (CSI on an 8-bit terminal) are not UTF-8.
    CHECK(terminal_safe("\xc0\x9b[2J") == R"(\xc0\x9b[2J)");
    CHECK(terminal_safe("\x9b"
                        "31m") == R"(\x9b31m)");
    CHECK(terminal_safe("\xe0\x80\x9b") == R"(\xe0\x80\x9b)");  // overlong, three bytes
    CHECK(terminal_safe("\xed\xa0\x80") == R"(\xed\xa0\x80)");  // a UTF-16 surrogate
    CHECK(terminal_safe("cut \xe4\xb8") == R"(cut \xe4\xb8)");  // truncated at the end
}

TEST_CASE("print_tasks: server text reaches table and csv output escaped") {
    auto t = hostile_task();
    auto table = print("table", t);
    CHECK(terminal_inert(table));
    CHECK(table.find(R"(\x1b]0;pwned\x07\x1b[2J bad\r\nfake line\t\u009b31m\x7f end\\)") !=
          std::string::npos);
    CHECK(table.find(R"(nginx\x1b[8m)") != std::string::npos);
    CHECK(std::count(table.begin(), table.end(), '\n') == 3);  // header, the task, the count

    auto csv = print("csv", t);
    CHECK(terminal_inert(csv));
    CHECK(csv.find(R"(7,3,library,nginx\x1b[8m,0123456789abcdef01234567,Error,)"
                   R"(\x1b]0;pwned\x07\x1b[2J bad\r\nfake line\t\u009b31m\x7f end\\,)") !=
          std::string::npos);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 2);  // no record split by the text

    t.status_text = "a, \"quoted\" b\n";
    CHECK(print("csv", t).find(R"(,"a, ""quoted"" b\n",)") != std::string::npos);
}

TEST_CASE("print_tasks: json and ndjson escape control characters and parse back unchanged") {
    auto t = hostile_task();
    for (std::string format : {"json", "ndjson"}) {
        CAPTURE(format);
        auto out = print(format, t);
        CHECK(terminal_inert(out));
        CHECK(
            out.find(R"(\u001b]0;pwned\u0007\u001b[2J bad\r\nfake line\t\u009b31m\u007f end\\)") !=
            std::string::npos);
        auto body = format == "json" ? out : "{\"total\":1,\"tasks\":[" + out + "]}";
        CHECK_NOTHROW(boost::json::parse(body));  // a strict parser accepts it
        swr::page p;
        REQUIRE_FALSE(swr::decode_page(body, p));
        REQUIRE(p.tasks.size() == 1);
        CHECK(p.tasks[0] == t);
    }
    // Text with nothing to escape is left as the library encodes it.
    auto plain = swr::encode_page(swr::page{});
    CHECK(swr::cli::json_terminal_safe(plain) == plain);
    CHECK(swr::cli::json_terminal_safe("[\"\xe4\xb8\xad\xc2\xa0\"]") ==
          "[\"\xe4\xb8\xad\xc2\xa0\"]");
    CHECK(swr::cli::json_terminal_safe("[\"\x9b\"]") == R"(["\ufffd"])");
}

TEST_CASE("exit_for: listings that do not add up are exit 5, a throwing callback exit 6") {
    using swr::errc;
    using swr::cli::exit_for;
    namespace codes = swr::cli::exit_codes;
    CHECK(exit_for(errc::inconsistent_listing) == 5);
    CHECK(exit_for(errc::pager_stuck) == 5);
    CHECK(exit_for(errc::too_many_tasks) == 5);
    CHECK(exit_for(errc::decode_failed) == codes::bad_response);
    CHECK(exit_for(errc::callback_failed) == 6);
    CHECK(exit_for(errc::callback_failed) == codes::internal_error);
    // The documented ones stay where they were.
    CHECK(exit_for(errc::invalid_request) == 2);
    CHECK(exit_for(errc::not_found) == 3);
    CHECK(exit_for(errc::throttled) == 3);
    CHECK(exit_for(errc::request_timeout) == 4);
    CHECK(exit_for(errc::deadline_exceeded) == 4);
    CHECK(exit_for(boost::asio::error::connection_refused) == 4);
}

TEST_CASE("parse: --allow-http, --deadline and --allow-empty") {
    auto plain = parse({});
    CHECK_FALSE(plain.allow_http);
    CHECK_FALSE(plain.allow_empty);
    CHECK(plain.deadline_s == 0);

    auto a = parse({"--allow-http", "--deadline", "2.5", "--allow-empty"});
    CHECK(a.allow_http);
    CHECK(a.allow_empty);
    CHECK(a.deadline_s == 2.5);
    CHECK(parse({"--deadline", "0"}).deadline_s == 0);
    CHECK(parse({"--allow-http"}, "list").allow_http);

    auto rule = [](std::vector<std::string> extra, std::string command = "watch") {
        try {
            parse(std::move(extra), std::move(command));
        } catch (const swr::cli::usage_error& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(rule({"--deadline", "-1"}).starts_with("--deadline: must be a number of seconds"));
    CHECK(rule({"--deadline", "soon"}).starts_with("--deadline: must be a number of seconds"));
    CHECK(rule({"--deadline"}) == "--deadline: requires a value");
    CHECK(rule({"--deadline", "1e300"}) ==
          "--deadline: must be at most 1000000000 seconds (got '1e300')");
    CHECK(rule({"--deadline", "5"}, "list") == "accepted");  // list --all's whole listing
    CHECK(rule({"--allow-empty"}, "list") == "--allow-empty: not an option of 'list'");
    for (auto flag : {"--allow-http", "--deadline", "--allow-empty"})
        CHECK(std::string(swr::cli::usage()).find(std::string("\n  ") + flag) != std::string::npos);
}

TEST_CASE("watch verdict: no tasks fails unless allowed; unfinished executions are named") {
    using swr::task_state;
    using swr::cli::outcome_of;
    using swr::cli::watch_outcome;
    const auto deadline = make_error_code(swr::errc::deadline_exceeded);
    std::vector<swr::watch_result> rs{
        result(1, true, {}, {{task_state::success, 3}}),
        result(2, true, {}, {}),
        result(3, true, {}, {{task_state::success, 2}, {task_state::error, 1}}),
        result(4, false, deadline, {{task_state::running, 5}}),
        result(5, false, make_error_code(swr::errc::not_found), {}),
        result(6, false, boost::asio::error::operation_aborted, {}),
    };
    CHECK(outcome_of(rs[0]) == watch_outcome::succeeded);
    CHECK(outcome_of(rs[1]) == watch_outcome::no_tasks);
    CHECK(outcome_of(rs[2]) == watch_outcome::failed);
    CHECK(outcome_of(rs[3]) == watch_outcome::unfinished);
    CHECK(outcome_of(rs[4]) == watch_outcome::error);
    CHECK(outcome_of(rs[5]) == watch_outcome::unfinished);
    CHECK(std::string(to_string(watch_outcome::no_tasks)) == "no tasks");

    auto v = swr::cli::judge(rs, true);
    CHECK_FALSE(v.ok);
    CHECK(v.unfinished == std::vector<std::int64_t>{4, 6});
    CHECK(v.empty == std::vector<std::int64_t>{2});

    // The flag the library sets counts the same as counts that are all zero.
    auto flagged = result(8, true, {}, {});
    flagged.no_tasks = true;
    CHECK(outcome_of(flagged) == watch_outcome::no_tasks);

    std::vector<swr::watch_result> good_and_empty{rs[0], rs[1], flagged};
    CHECK_FALSE(swr::cli::judge(good_and_empty, false).ok);
    CHECK(swr::cli::judge(good_and_empty, true).ok);
    CHECK(swr::cli::judge(std::span(rs).first(1), false).ok);

    std::vector<std::int64_t> ids(25);
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int64_t>(i + 1);
    CHECK(swr::cli::id_list(std::span(ids).first(3)) == "1, 2, 3");
    CHECK(swr::cli::id_list(ids).ends_with("19, 20 and 5 more"));
}
