// The command-line tool's rules that need no socket or process, tested directly (src/cli).
#include "cli/args.hpp"
#include "cli/command_line.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "cli/watch_report.hpp"

#include <swr/json_codec.hpp>

#include <doctest/doctest.h>
#include <boost/asio/error.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <cstdlib>
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

// The usage error's message, or "accepted".
std::string rule(std::vector<std::string> extra, std::string command = "watch") {
    try {
        parse(std::move(extra), std::move(command));
    } catch (const swr::cli::usage_error& e) {
        return std::string(e.what());
    }
    return std::string("accepted");
}

// Sets an environment variable for one scope.
struct scoped_env {
    std::string name;
    scoped_env(std::string n, const char* value) : name(std::move(n)) {
        ::setenv(name.c_str(), value, 1);
    }
    ~scoped_env() { ::unsetenv(name.c_str()); }
    scoped_env(const scoped_env&) = delete;
    scoped_env& operator=(const scoped_env&) = delete;
};

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

    CHECK(rule({"--deadline", "-1"}).starts_with("--deadline: must be a number of seconds"));
    CHECK(rule({"--deadline", "soon"}).starts_with("--deadline: must be a number of seconds"));
    CHECK(rule({"--deadline"}) == "--deadline: requires a value");
    CHECK(rule({"--deadline", "1e300"}) ==
          "--deadline: must be at most 1000000000 seconds (got '1e300')");
    CHECK(rule({"--deadline", "5"}, "list") == "accepted");  // list --all's whole listing
    CHECK(rule({"--allow-empty"}, "list") == "--allow-empty: not an option of 'list'");
    for (auto flag : {"--allow-http", "--deadline", "--allow-empty"})
        CHECK(swr::cli::help("watch").find(std::string("\n  ") + flag) != std::string::npos);
}

TEST_CASE("parse: --max-rps and --adaptive on list and watch") {
    auto plain = parse({});
    CHECK(plain.max_rps == 0);
    CHECK_FALSE(plain.adaptive);
    for (auto command : {"list", "watch"}) {
        auto a = parse({"--max-rps", "2.5", "--adaptive"}, command);
        CHECK(a.max_rps == 2.5);
        CHECK(a.adaptive);
    }
    CHECK(rule({"--max-rps", "-1"}) == "--max-rps: must be a number from 0 to 1000000 (got '-1')");
    CHECK(rule({"--max-rps", "fast"}) ==
          "--max-rps: must be a number from 0 to 1000000 (got 'fast')");
    CHECK(rule({"--max-rps", "nan"}).starts_with("--max-rps: must be a number"));
    CHECK(rule({"--adaptive=yes"}) == "--adaptive: takes no value");
    // The old names are gone, and the server's quota is the emulator's alone.
    CHECK(rule({"--adaptive-rate"}) == "unknown option '--adaptive-rate'");
    CHECK(rule({"--rate-limit", "5"}, "list") == "--rate-limit: not an option of 'list'");
}

TEST_CASE("parse: emulator --rate-limit, the server's quota") {
    CHECK(swr::cli::parse({"emulator"}).rate_limit == 0);
    CHECK(swr::cli::parse({"emulator", "--rate-limit", "300"}).rate_limit == 300);
    auto emulator_rule = [](std::vector<std::string> extra) {
        extra.insert(extra.begin(), "emulator");
        try {
            swr::cli::parse(extra);
        } catch (const swr::cli::usage_error& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(emulator_rule({"--rate-limit", "-3"}) ==
          "--rate-limit: must be a number from 0 to 1000000 (got '-3')");
    CHECK(emulator_rule({"--rate-limit"}) == "--rate-limit: requires a value");
    CHECK(emulator_rule({"--max-rps", "3"}) == "--max-rps: not an option of 'emulator'");
    CHECK(swr::cli::help("emulator").find("\n  --rate-limit") != std::string::npos);
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

TEST_CASE("parse: --flag=value, --flag value, short forms, and commands") {
    CHECK(parse({"--output=json"}).output == "json");
    CHECK(parse({"--output", "ndjson"}).output == "ndjson");
    CHECK(parse({"-o", "json"}).output == "json");
    CHECK(parse({"-ojson"}).output == "json");
    CHECK(parse({"-o", "JSON"}).output == "json");  // values are read without regard to case
    CHECK(parse({"--interval=0.5", "--concurrency=3"}).interval_s == 0.5);
    CHECK(parse({"-v"}).verbose);
    auto l = parse({"--limit=20", "--offset=40"}, "list");
    CHECK(l.command == "list");
    CHECK(*l.limit == 20);
    CHECK(*l.offset == 40);
    CHECK_FALSE(parse({}, "list").limit);
    CHECK(parse({}).command == "watch");
    CHECK(*parse({}).policy_id == 1);
    CHECK(parse({"--output", "csv"}, "list").output == "csv");
    CHECK(rule({"--output", "csv"}) == "--output: must be table, json or ndjson (got 'csv')");
    // Numbers are decimal only: CLI11 alone would read 0x10 as 16 and 010 as 8.
    CHECK(rule({"--limit", "0x10"}, "list") ==
          "--limit: must be an integer from 1 to 100 (got '0x10')");
    CHECK(*parse({"--limit", "010"}, "list").limit == 10);
    CHECK(rule({"--all=false"}, "list") == "--all: takes no value");
    CHECK(rule({"--limit"}, "list") == "--limit: requires a value");
}

TEST_CASE("parse: rules between flags are CLI11's, told in the tool's words") {
    CHECK(rule({"--token", "t", "--ak", "a", "--sk", "s"}) ==
          "--token: cannot be combined with --ak/--sk");
    CHECK(rule({"--ak", "a"}) == "--ak and --sk: must be given together");
    CHECK(rule({"--sk", "s"}) == "--ak and --sk: must be given together");
    CHECK(rule({"--iam-user", "u"}) == "--iam-user and --iam-domain: must be given together");
    CHECK(rule({"--iam-endpoint", "https://iam"}) == "--iam-endpoint: requires --iam-user");
    CHECK(rule({"--security-token", "x"}) == "--security-token: requires --ak and --sk");
    CHECK(rule({"--no-auth", "--token", "t"}) ==
          "--no-auth: cannot be combined with --token, --ak/--sk or --iam-user");
    CHECK(parse({"--no-auth"}).no_auth);
    CHECK(rule({"--offset", "10"}, "list") ==
          "--offset: requires --limit (offset and limit go together)");
    CHECK(rule({"--all", "--limit", "10"}, "list") ==
          "--all: cannot be combined with --offset/--limit");
    CHECK(rule({"--page-size", "10"}, "list") == "--page-size: only with --all");
    CHECK(rule({"--parallel", "2"}, "list") == "--parallel: only with --all");
    CHECK(rule({"--all", "--page-size", "10", "--parallel", "2"}, "list") == "accepted");
    CHECK(rule({"--page-size", "10"}) == "accepted");  // watch pages every poll
    CHECK(rule({"--execution-id", "2"}, "list") == "--execution-id: list takes exactly one");
    CHECK(rule({"--region", "cn-north-4"}) == "--endpoint and --region: give one, not both");
    try {
        swr::cli::parse({"list", "--endpoint", "https://h"});
        FAIL("accepted");
    } catch (const swr::cli::usage_error& e) {
        CHECK(std::string(e.what()) == "--instance-id: required (or SWR_INSTANCE_ID)");
        CHECK(e.command == "list");  // whose help the error points to
    }
}

TEST_CASE("parse: unknown commands and flags, with the nearest known one") {
    CHECK(rule({"--outptu", "json"}) == "unknown option '--outptu' (did you mean '--output'?)");
    CHECK(rule({"--exection-id=3"}) ==
          "unknown option '--exection-id' (did you mean '--execution-id'?)");
    CHECK(rule({"--frobnicate"}) == "unknown option '--frobnicate'");
    CHECK(rule({"--allow-empty"}, "list") == "--allow-empty: not an option of 'list'");
    CHECK(rule({"--dry-run"}) == "--dry-run: not an option of 'watch'");
    CHECK(rule({"stray"}) == "unexpected argument 'stray' ('watch' takes flags)");
    CHECK(rule({"--status", "errror"}, "list") ==
          "--status: must be pending, scheduled, running, success, error, stopped or unknown "
          "(got 'errror'; did you mean 'error'?)");
    auto top = [](std::vector<std::string> args) {
        try {
            swr::cli::parse(args);
        } catch (const swr::cli::usage_error& e) {
            CHECK(e.command.empty());
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(top({}) == "a command is required: list, watch, emulator, demo or help");
    CHECK(top({"lsit"}) ==
          "unknown command 'lsit' (expected list, watch, emulator, demo or help); did you mean "
          "'list'?");
    CHECK(top({"frob"}) == "unknown command 'frob' (expected list, watch, emulator, demo or help)");
    CHECK(top({"--verison"}) == "unknown option '--verison' (did you mean '--version'?)");

    using swr::cli::nearest;
    CHECK(nearest("--ouput", {"--output", "--offset"}) == "--output");
    CHECK(nearest("-x", {"-o", "-v"}).empty());  // one letter is too short to guess from
    CHECK(nearest("--zzz", {"--output"}).empty());
}

TEST_CASE("parse: --help, help COMMAND and --version print, whatever else is on the line") {
    auto h = swr::cli::parse({"list", "--limit", "0", "--help"});
    CHECK(h.command == "help");
    CHECK(h.info == swr::cli::help("list"));
    CHECK(swr::cli::parse({"help", "watch"}).info == swr::cli::help("watch"));
    CHECK(swr::cli::parse({"-h"}).info == swr::cli::help());
    auto v = swr::cli::parse({"--version"});
    CHECK(v.command == "help");
    CHECK(v.info.starts_with("swr-sign-tasks 0.1.0\nBoost 1.81.0, OpenSSL 3."));
    CHECK(v.info.find(", CLI11 2.") != std::string::npos);
    CHECK_THROWS_AS(swr::cli::help("frob"), swr::cli::usage_error);
}

TEST_CASE("help: each flag's meaning, accepted values, default and environment variable") {
    auto list = swr::cli::help("list");
    for (auto line : {
             "\n  -o, --output FORMAT         table: aligned columns",
             "[table|json|ndjson|csv] [default: table]",
             "\n  --limit N                   tasks in the page; without it, the service's "
             "default (10) [1..100]\n",
             "--page-size N               tasks per request with --all [1..100] [default: 100] "
             "[needs --all]",
             "[>= 0] [default: 600]",
             "[env: SWR_INSTANCE_ID] [required]",
             "[env: SWR_NAMESPACE] [required]",
             "[env: SWR_POLICY_ID] [required]",
             "[env: HUAWEICLOUD_SDK_PROJECT_ID] [required]",
             "[env: HUAWEICLOUD_SDK_REGION]",
             "[env: SWR_AUTH_TOKEN]",
             "\n  --status STATUS ",
             "\n  --no-auth ",
         }) {
        CAPTURE(line);
        CHECK(list.find(line) != std::string::npos);
    }
    auto watch = swr::cli::help("watch");
    CHECK(watch.find("[table|json|ndjson] [default: table]") != std::string::npos);
    CHECK(watch.find("[>= 0.01] [default: 5]") != std::string::npos);   // --interval
    CHECK(watch.find("[1..1024] [default: 16]") != std::string::npos);  // --concurrency
    for (const auto& text : {list, watch, swr::cli::help()}) {
        for (auto var : {"HTTPS_PROXY", "NO_PROXY", "HUAWEICLOUD_SDK_REGION_SWR_<REGION>",
                         "SSL_CERT_FILE", "HUAWEICLOUD_SDK_AK", "SWR_POLICY_ID"})
            CHECK(text.find(var) != std::string::npos);
        CHECK(text.find("\nExit codes:\n  0     success\n") != std::string::npos);
        CHECK(text.find("\n  130   interrupted by SIGINT") != std::string::npos);
        // Fits a terminal of 100 columns.
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            CAPTURE(line);
            CHECK(line.size() <= 100);
            CHECK_FALSE(line.ends_with(' '));
        }
    }
    // The exit codes' table is the one the tool uses.
    CHECK(swr::cli::documented_exits().size() == 8);
    CHECK(std::string(swr::cli::documented_exits()[2].code) == "2");
    CHECK(swr::cli::exit_codes::interrupted_by(2) == 130);
    CHECK(swr::cli::exit_codes::interrupted_by(15) == 143);
}

TEST_CASE("parse: SWR_INSTANCE_ID, SWR_NAMESPACE, SWR_POLICY_ID stand in for their flags") {
    scoped_env ins("SWR_INSTANCE_ID", "ins-env");
    scoped_env ns("SWR_NAMESPACE", "ns-env");
    scoped_env pol("SWR_POLICY_ID", "42");
    scoped_env proj("HUAWEICLOUD_SDK_PROJECT_ID", "proj-env");
    auto a = swr::cli::parse({"list", "--endpoint", "https://h", "--execution-id", "1"});
    CHECK(a.instance_id == "ins-env");
    CHECK(a.namespace_name == "ns-env");
    CHECK(*a.policy_id == 42);
    CHECK(a.project_id == "proj-env");
    // A flag wins over its variable.
    auto b = swr::cli::parse({"watch", "--endpoint", "https://h", "--execution-id", "1",
                              "--namespace", "ns-flag", "--policy-id=7"});
    CHECK(b.namespace_name == "ns-flag");
    CHECK(*b.policy_id == 7);
    // A bad value says where it came from.
    scoped_env bad("SWR_POLICY_ID", "x");
    try {
        swr::cli::parse({"list", "--endpoint", "https://h", "--execution-id", "1"});
        FAIL("accepted");
    } catch (const swr::cli::usage_error& e) {
        CHECK(std::string(e.what()) ==
              "--policy-id: must be a non-negative integer (got 'x') (from SWR_POLICY_ID)");
    }
}

TEST_CASE("parse: --status, repeated or comma-separated, as task states") {
    using swr::task_state;
    auto a = parse({"--status", "error", "--status=Stopped,running", "--status", "error"}, "list");
    CHECK(a.statuses ==
          std::vector<task_state>{task_state::error, task_state::stopped, task_state::running});
    CHECK(parse({}, "list").statuses.empty());

    std::vector<swr::task> tasks(4);
    tasks[0].status = "Success";
    tasks[1].status = "Failed";  // read as error
    tasks[2].status = "Error";
    tasks[3].status = "Running";
    auto kept = tasks;
    swr::cli::keep_statuses(kept, a.statuses);
    REQUIRE(kept.size() == 3);
    CHECK(kept[0].status == "Failed");
    CHECK(kept[2].status == "Running");
    kept = tasks;
    swr::cli::keep_statuses(kept, {});
    CHECK(kept.size() == 4);
}

TEST_CASE("wrap: lines at most the width, a bracketed note kept whole") {
    using swr::cli::wrap;
    CHECK(wrap("a bb ccc dddd", 6) == "a bb\nccc\ndddd");
    CHECK(wrap("one two [default: 600] x", 12) == "one two\n[default: 600]\nx");
    CHECK(wrap("first\nsecond line", 100) == "first\nsecond line");
    CHECK(wrap("", 10).empty());
}

TEST_CASE("watch report: failed and stopped tasks are collected; ndjson carries counts") {
    using swr::task_state;
    swr::watch_target target{"i", "n", 1, 9, ""};
    std::vector<swr::task> tasks(3);
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        tasks[i].id = static_cast<std::int64_t>(i) + 1;
        tasks[i].execution_id = 9;
        tasks[i].repository = "repo-" + std::to_string(i);
    }
    tasks[0].status = "Success";
    tasks[1].status = "Error";
    tasks[1].status_text = "key \x1b[2J unavailable";
    tasks[2].status = "Stopped";
    swr::execution_update u;
    u.index = 1;
    u.target = &target;
    u.tasks = tasks;
    u.counts.by_state[static_cast<std::size_t>(task_state::success)] = 1;
    u.counts.by_state[static_cast<std::size_t>(task_state::error)] = 1;
    u.counts.by_state[static_cast<std::size_t>(task_state::stopped)] = 1;
    u.polls = 2;
    u.done = true;

    swr::cli::failure_log log(2);
    log.update(u);
    CHECK(log.of(0).empty());
    REQUIRE(log.of(1).size() == 2);
    CHECK(log.of(1)[0].id == 2);
    CHECK(log.of(1)[1].status == "Stopped");
    auto failed_poll = u;
    failed_poll.ec = make_error_code(swr::errc::server_error);
    failed_poll.tasks = {};
    log.update(failed_poll);  // keeps what the last good poll said
    CHECK(log.all().size() == 2);

    std::ostringstream err;
    swr::cli::print_failures(err, log.all());
    CHECK(err.str() ==
          "swr-sign-tasks: watch: 2 tasks failed or stopped:\n"
          "  execution 9  task 2  repo-1  Error  key \\x1b[2J unavailable\n"
          "  execution 9  task 3  repo-2  Stopped\n");
    std::ostringstream few;
    swr::cli::print_failures(few, log.all(), 1);
    CHECK(few.str().ends_with("\n  and 1 more (--output json lists every one)\n"));

    auto event = boost::json::parse(swr::cli::watch_event_json(u, "2026-01-02T03:04:05.678Z"));
    CHECK(event.at("event").as_string() == "poll");
    CHECK(event.at("time").as_string() == "2026-01-02T03:04:05.678Z");
    CHECK(event.at("execution_id").as_int64() == 9);
    CHECK(event.at("counts").at("error").as_int64() == 1);
    CHECK(event.at("counts").at("running").as_int64() == 0);

    swr::watch_result r;
    r.target = target;
    r.done = true;
    r.counts = u.counts;
    auto summary =
        boost::json::parse(swr::cli::watch_result_json(r, log.of(1), "\"event\":\"result\","));
    CHECK(summary.at("event").as_string() == "result");
    auto& listed = summary.at("failed_tasks").as_array();
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].at("repository").as_string() == "repo-1");
    CHECK(listed[0].at("status_text").as_string() == "key \x1b[2J unavailable");

    using namespace std::chrono;
    CHECK(swr::cli::utc_timestamp(system_clock::time_point(milliseconds(1767323045678))) ==
          "2026-01-02T03:04:05.678Z");
}

TEST_CASE("parse: the environment fills only the chosen command's flags") {
    scoped_env bad("SWR_POLICY_ID", "not-a-number");
    CHECK(swr::cli::parse({"demo"}).command == "demo");
    CHECK(swr::cli::parse({"emulator", "--tasks", "3"}).tasks == 3);
    scoped_env ns("SWR_NAMESPACE", "from-env");
    auto a = parse({"--namespace", "from-flag"}, "list");
    CHECK(a.namespace_name == "from-flag");
}

TEST_CASE("parse: a flag given twice counts once, the last; list flags accumulate") {
    auto a = parse({"--output", "json", "--output", "ndjson", "--interval", "2", "--interval=3"});
    CHECK(a.output == "ndjson");
    CHECK(a.interval_s == 3);
    CHECK(parse({"--execution-id", "5"}).execution_ids == std::vector<std::int64_t>{1, 5});
}
