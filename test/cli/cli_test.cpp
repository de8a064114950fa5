// The built swr-sign-tasks binary, run as a user would, against an in-process emulator (and its
// own `emulator` subcommand): each subcommand, each output format, exit codes, redaction, bad
// flags.
#include <algorithm>
#include <swr/emulator/emulator.hpp>
#include <swr/json_codec.hpp>

#include <doctest/doctest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct result {
    int exit_code = -1;
    std::string out, err;
};

std::string slurp(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

fs::path temp_dir() {
    static fs::path dir = [] {
        char tmpl[] = "/tmp/swr-cli-test-XXXXXX";
        return fs::path(::mkdtemp(tmpl));
    }();
    return dir;
}

// The child's wait status. Bounded: a CLI that does not exit within a minute is killed and the
// test fails, instead of hanging the suite.
int wait_bounded(pid_t pid, const std::string& what) {
    int status = 0;
    for (int i = 0; i < 6000; ++i) {
        pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) return status;
        REQUIRE(done == 0);
        ::poll(nullptr, 0, 10);
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    FAIL("swr-sign-tasks " << what << " did not exit within a minute; killed");
    return status;
}

// The CLI started and not yet waited for: its stdout and stderr go to files.
struct child {
    pid_t pid = -1;
    fs::path out, err;
    std::string what;
};

// Starts `program` with `args`, stdout and stderr to files, in an environment of PATH and
// `env` only. SIGINT and SIGTERM start at their defaults.
child start_program(const std::string& program, std::vector<std::string> args,
                    std::vector<std::string> env) {
    static int n = 0;
    auto out = temp_dir() / ("out" + std::to_string(++n));
    auto err = temp_dir() / ("err" + std::to_string(n));
    std::vector<std::string> argv_s{program};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_s) argv.push_back(s.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s{"PATH=/usr/bin:/bin"};
    env_s.insert(env_s.end(), env.begin(), env.end());
    std::vector<char*> envp;
    for (auto& s : env_s) envp.push_back(s.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    child c{-1, out, err, args.empty() ? "" : args[0]};
    REQUIRE(posix_spawn(&c.pid, argv[0], &fa, &attr, argv.data(), envp.data()) == 0);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return c;
}

// Starts the CLI with `args` (see start_program): the environment is cleared of credentials so
// that only the flags count.
child start(std::vector<std::string> args, std::vector<std::string> env = {}) {
    return start_program(SWR_CLI_PATH, std::move(args), std::move(env));
}

// Waits for the CLI to exit (bounded) and collects what it printed.
result finish(const child& c) {
    int status = wait_bounded(c.pid, c.what);
    result r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(c.out);
    r.err = slurp(c.err);
    return r;
}

// Runs the CLI with `args` to the end (see start()).
result run(std::vector<std::string> args, std::vector<std::string> env = {}) {
    return finish(start(std::move(args), std::move(env)));
}

// Waits until `ready()`, for at most 10 s; false if it never was.
template <class Pred>
bool eventually(Pred ready) {
    for (int i = 0; i < 1000; ++i) {
        if (ready()) return true;
        ::poll(nullptr, 0, 10);
    }
    return ready();
}

// A loopback port nothing listens on (bound, then closed: a connection is refused).
std::uint16_t closed_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(0x7f000001U);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    ::close(fd);
    return ntohs(a.sin_port);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

struct cli_fixture {
    swr::emulator::server emu;
    fs::path ca;
    explicit cli_fixture(swr::emulator::server_options o = defaults()) : emu(std::move(o)) {
        ca = temp_dir() / ("ca-" + std::to_string(emu.port()) + ".pem");
        emu.write_ca(ca.string());
    }
    static swr::emulator::server_options defaults() {
        swr::emulator::server_options o;
        o.token = "cli-token-SECRET";
        o.ak = "CLIAK";
        o.sk = "cli-sk-SECRET";
        return o;
    }
    std::vector<std::string> target(std::string command, std::string exec = "1") const {
        return {command,       "--endpoint",     emu.endpoint(),
                "--ca-file",   ca.string(),      "--project-id",
                "p1",          "--instance-id",  "ins-emulator",
                "--namespace", "library",        "--policy-id",
                "1",           "--execution-id", exec};
    }
    std::vector<std::string> with(std::vector<std::string> a,
                                  std::initializer_list<std::string> more) const {
        a.insert(a.end(), more);
        return a;
    }
};

// A plain-HTTP server on loopback that gives every request the same answer: for answers the
// emulator never gives, such as hostile text. Every wait in it is bounded.
class canned_server {
public:
    canned_server(unsigned status, std::string body) {
        response_ = "HTTP/1.1 " + std::to_string(status) +
                    " Canned\r\nContent-Type: application/json\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd_ >= 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(0x7f000001U);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(fd_, 8) == 0);
        socklen_t len = sizeof a;
        REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0);
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~canned_server() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    canned_server(const canned_server&) = delete;
    canned_server& operator=(const canned_server&) = delete;
    std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
    void serve() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) continue;
            std::string request;
            char buf[4096];
            while (request.find("\r\n\r\n") == std::string::npos) {
                pollfd q{c, POLLIN, 0};
                if (::poll(&q, 1, 5000) <= 0) break;
                auto n = ::read(c, buf, sizeof buf);
                if (n <= 0) break;
                request.append(buf, static_cast<std::size_t>(n));
            }
            for (std::size_t off = 0; off < response_.size();) {
                auto n = ::send(c, response_.data() + off, response_.size() - off, MSG_NOSIGNAL);
                if (n <= 0) break;
                off += static_cast<std::size_t>(n);
            }
            ::close(c);
        }
    }
    std::string response_;
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

// No byte that a terminal acts on: C0 controls (but the line ends), DEL, UTF-8 C1 controls.
bool terminal_inert(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto b = static_cast<unsigned char>(s[i]);
        if ((b < 0x20 && b != '\n') || b == 0x7f) return false;
        if (b == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xa0)
            return false;
    }
    return true;
}

// The CLI on a pseudo-terminal, as a person at a shell runs it: stdin, stdout and stderr are the
// terminal. Every wait is bounded; on timeout the child is killed and the test fails.
class on_terminal {
public:
    explicit on_terminal(std::vector<std::string> args) {
        // Everything the child needs is built before the fork: after it, only exec.
        std::vector<std::string> a{SWR_CLI_PATH};
        a.insert(a.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& s : a) argv.push_back(s.data());
        argv.push_back(nullptr);
        std::string path = "PATH=/usr/bin:/bin";  // no HUAWEICLOUD_SDK_PASSWORD: it must ask
        std::vector<char*> envp{path.data(), nullptr};
        pid_ = ::forkpty(&master_, nullptr, nullptr, nullptr);
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, nullptr);
            signal(SIGINT, SIG_DFL);  // whatever the test runner ignores, the CLI starts clean
            execve(argv[0], argv.data(), envp.data());
            _exit(127);
        }
    }
    ~on_terminal() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        ::close(master_);
    }
    on_terminal(const on_terminal&) = delete;
    on_terminal& operator=(const on_terminal&) = delete;

    /// Whether the terminal has shown `text` so far.
    bool shown(std::string_view text) const { return seen_.find(text) != std::string::npos; }
    /// Whether the terminal echoes input (the master reports the terminal's settings).
    bool echo() const {
        termios t{};
        REQUIRE(::tcgetattr(master_, &t) == 0);
        return (t.c_lflag & ECHO) != 0;
    }
    /// Reads what the CLI shows until `ready()`, for at most 10 s.
    template <class Pred>
    void wait_for(Pred ready, const char* what) {
        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!ready()) {
            if (std::chrono::steady_clock::now() > until)
                FAIL("no " << what << " within 10 s; the terminal showed: " << seen_);
            drain(50);
        }
    }
    /// Keys typed at the terminal.
    void type(std::string_view keys) {
        REQUIRE(::write(master_, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size()));
    }
    /// The child's wait status, within 10 s.
    int wait_exit() {
        int status = 0;
        pid_t done = 0;
        wait_for([&] { return (done = ::waitpid(pid_, &status, WNOHANG)) != 0; }, "exit");
        REQUIRE(done == pid_);
        pid_ = -1;
        while (drain(0)) {
        }
        return status;
    }

private:
    // Reads what is there (waiting up to `timeout_ms` for it); false when nothing was read.
    bool drain(int timeout_ms) {
        pollfd p{master_, POLLIN, 0};
        if (::poll(&p, 1, timeout_ms) <= 0) return false;
        char buf[512];
        auto n = ::read(master_, buf, sizeof buf);
        if (n > 0) {
            seen_.append(buf, static_cast<std::size_t>(n));
            return true;
        }
        if (timeout_ms > 0) ::poll(nullptr, 0, timeout_ms);  // EIO once the child is gone
        return false;
    }
    pid_t pid_ = -1;
    int master_ = -1;
    std::string seen_;
};

std::vector<swr::task> decode_tasks(const boost::json::value& v) {
    std::vector<swr::task> out;
    swr::page p;
    REQUIRE_FALSE(swr::decode_page(boost::json::serialize(v), p));
    return p.tasks;
}

}  // namespace

TEST_CASE("cli list: json output parsed back equals the emulator's data") {
    cli_fixture f;
    auto r = run(f.with(f.target("list", "2"), {"--token", "cli-token-SECRET", "--offset", "20",
                                                "--limit", "10", "--output", "json"}));
    REQUIRE(r.exit_code == 0);
    auto v = boost::json::parse(r.out);
    CHECK(v.at("total").as_int64() == 250);
    CHECK(decode_tasks(v) == f.emu.data().make_page(2, 20, 10, {}).tasks);
}

TEST_CASE("cli list --all: ndjson, csv and table carry every task") {
    cli_fixture f;
    auto base = f.with(f.target("list", "3"),
                       {"--ak", "CLIAK", "--sk", "cli-sk-SECRET", "--all", "--page-size", "40"});
    auto expected = f.emu.data().make_page(3, 0, 250, {}).tasks;

    auto nd = run(f.with(base, {"--output", "ndjson"}));
    REQUIRE(nd.exit_code == 0);
    std::istringstream lines(nd.out);
    std::string line;
    std::vector<swr::task> got;
    while (std::getline(lines, line)) {
        swr::page p;
        REQUIRE_FALSE(swr::decode_page("{\"total\":1,\"tasks\":[" + line + "]}", p));
        got.push_back(p.tasks.at(0));
    }
    CHECK(got == expected);

    auto json = run(f.with(base, {"--output", "json"}));
    REQUIRE(json.exit_code == 0);
    CHECK(decode_tasks(boost::json::parse(json.out)) == expected);

    auto csv = run(f.with(base, {"--output", "csv"}));
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.starts_with(
        "id,execution_id,namespace,repository,job_id,status,status_text,created_at,updated_at\n"));
    CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 251);
    CHECK(csv.out.find(std::to_string(expected[7].id) + ",3,library," + expected[7].repository) !=
          std::string::npos);

    auto table = run(base);
    REQUIRE(table.exit_code == 0);
    CHECK(table.out.starts_with("ID "));
    CHECK(table.out.find("250 of 250 tasks") != std::string::npos);
    CHECK(table.err.empty());  // no progress bar when stderr is not a terminal
}

TEST_CASE("cli list --dry-run: the request with every secret redacted, nothing sent") {
    cli_fixture f;
    for (auto auth : {std::vector<std::string>{"--token", "cli-token-SECRET"},
                      std::vector<std::string>{"--ak", "CLIAK", "--sk", "cli-sk-SECRET",
                                               "--security-token", "sts-SECRET"}}) {
        auto args = f.target("list");
        args.insert(args.end(), auth.begin(), auth.end());
        args.push_back("--dry-run");
        auto r = run(args);
        REQUIRE(r.exit_code == 0);
        CHECK(r.out.starts_with("GET " + f.emu.endpoint() +
                                "/v2/p1/instances/ins-emulator/namespaces/library/signature/"
                                "policies/1/executions/1/tasks\n"));
        CHECK(r.out.find("SECRET") == std::string::npos);
        CHECK(r.err.find("SECRET") == std::string::npos);
        CHECK(r.out.find("<redacted>") != std::string::npos);
    }
    // The env path too: secrets from the environment are not shown either.
    auto r = run(f.with(f.target("list"), {"--dry-run"}),
                 {"HUAWEICLOUD_SDK_AK=ENVAK", "HUAWEICLOUD_SDK_SK=env-SECRET"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("Access=ENVAK") != std::string::npos);
    CHECK(r.out.find("SECRET") == std::string::npos);
    CHECK(f.emu.counters().task_requests == 0);
}

TEST_CASE("cli: bad flags print the rule in one line and where the help is, exit 2") {
    cli_fixture f;
    struct row {
        std::vector<std::string> extra;
        std::string message;
    };
    std::vector<row> rows = {
        {{"--limit", "0"}, "--limit: must be an integer from 1 to 100 (got '0')"},
        {{"--offset", "5", "--limit", "10"}, "--offset: must be 0 or a multiple of --limit"},
        {{"--offset", "10"}, "--offset: requires --limit"},
        {{"--token", "t", "--ak", "a", "--sk", "s"}, "--token: cannot be combined with --ak/--sk"},
        {{"--ak", "a"}, "--ak and --sk: must be given together"},
        {{"--frobnicate"}, "unknown option '--frobnicate'"},
        {{"--output", "xml"}, "--output: must be table, json, ndjson or csv (got 'xml')"},
        {{"--all", "--limit", "10"}, "--all: cannot be combined with --offset/--limit"},
        {{"--timeout", "soon"}, "--timeout: must be a number of seconds"},
        {{"--page-size", "10"}, "--page-size: only with --all"},
    };
    for (const auto& [extra, message] : rows) {
        CAPTURE(message);
        auto args = f.target("list");
        args.insert(args.end(), extra.begin(), extra.end());
        auto r = run(args);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(message) != std::string::npos);
        // The rule, then where to read more: not the whole usage.
        CHECK(r.err.starts_with("swr-sign-tasks: "));
        CHECK(r.err.ends_with("\nsee 'swr-sign-tasks list --help'\n"));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 2);
        CHECK(r.out.empty());
    }
    CHECK(run({}).exit_code == 2);
    auto frob = run({"frob"});
    CHECK(frob.exit_code == 2);
    CHECK(frob.err.ends_with("\nsee 'swr-sign-tasks --help'\n"));
    auto missing = run({"list", "--endpoint", f.emu.endpoint()});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("--instance-id: required") != std::string::npos);
    auto help = run({"--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("Exit codes:") != std::string::npos);
}

TEST_CASE("cli --help names every environment variable the library and the tool read") {
    // Read from the sources, so that a new variable fails here until --help names it: in each
    // file that calls getenv, the upper-case names with an underscore, the lower-case proxy
    // spellings, and the prefix of the per-region endpoint variable.
    const std::regex name(R"re("([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+_?|(?:https?|no)_proxy)")re");
    std::set<std::string> names;
    for (const auto& e : fs::recursive_directory_iterator(SWR_SOURCE_DIR)) {
        auto ext = e.path().extension();
        if (!e.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
        auto text = slurp(e.path());
        if (text.find("getenv") == std::string::npos) continue;
        for (std::sregex_iterator it(text.begin(), text.end(), name), end; it != end; ++it)
            names.insert((*it)[1]);
    }
    // The scan must find what is known to be read, or it proves nothing.
    for (auto known : {"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_PASSWORD", "SWR_AUTH_TOKEN",
                       "HTTPS_PROXY", "no_proxy", "HUAWEICLOUD_SDK_REGION_SWR_"})
        CHECK(names.count(known) == 1);
    auto help = run({"--help"});
    REQUIRE(help.exit_code == 0);
    for (const auto& n : names) {
        CAPTURE(n);
        CHECK(help.out.find(n) != std::string::npos);
    }
}

TEST_CASE("cli: service errors and TLS errors are one clear line with a documented exit code") {
    cli_fixture f;
    auto r = run(f.with(f.target("list", "77"), {"--token", "cli-token-SECRET"}));
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("swr-sign-tasks: list failed: resource not found (HTTP 404) (HTTP 404, "
                     "error_code SWR.1005, error_msg execution not found, request_id ") == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);

    auto unauth = run(f.with(f.target("list"), {"--token", "wrong"}));
    CHECK(unauth.exit_code == 3);
    CHECK(unauth.err.find("SWR.0401") != std::string::npos);
    CHECK(unauth.err.find("wrong") == std::string::npos);

    auto args = f.target("list");
    args[4] =
        "/etc/ssl/certs/ca-certificates.crt";  // a CA bundle that does not hold the emulator's CA
    args.insert(args.end(), {"--token", "cli-token-SECRET"});
    auto tls = run(args);
    CHECK(tls.exit_code == 4);
    CHECK(tls.err.find("certificate verify failed") != std::string::npos);

    args.push_back("--insecure");
    auto insecure = run(args);
    CHECK(insecure.exit_code == 0);
    CHECK(insecure.err.find("warning: --insecure") != std::string::npos);
}

TEST_CASE("cli watch: exit 0 when all tasks succeed, 1 when some fail; json summary") {
    auto o = cli_fixture::defaults();
    o.data.pace = std::chrono::milliseconds(300);
    o.data.error_percent = 0;
    o.data.tasks_per_execution = 30;
    cli_fixture good(o);
    auto r = run(
        good.with(good.target("watch", "1"), {"--execution-id", "2", "--token", "cli-token-SECRET",
                                              "--interval", "0.1", "--output", "json"}));
    CHECK(r.exit_code == 0);
    auto v = boost::json::parse(r.out).as_array();
    REQUIRE(v.size() == 2);
    for (const auto& e : v) {
        CHECK(e.at("done").as_bool());
        CHECK(e.at("succeeded").as_bool());
        CHECK(e.at("counts").at("success").as_int64() == 30);
    }

    o.data.error_percent = 50;
    cli_fixture bad(o);
    auto file = temp_dir() / "executions.txt";
    std::ofstream(file) << "# executions to watch\n1\n\n3\n";
    auto t = run(bad.with(bad.target("watch", "2"), {"--executions-file", file.string(), "--token",
                                                     "cli-token-SECRET", "--interval", "0.1"}));
    CHECK(t.exit_code == 1);
    CHECK(t.out.find("execution 3: finished with failures") != std::string::npos);
    CHECK(t.out.find("execution 1:") != std::string::npos);
    CHECK(t.out.find("execution 2:") != std::string::npos);

    std::ofstream(file) << "1\nabc\n";
    auto badfile = run(bad.with(bad.target("watch", "2"), {"--executions-file", file.string()}));
    CHECK(badfile.exit_code == 2);
    CHECK(badfile.err.find(
              "--executions-file: line 2: expected a non-negative execution id, got 'abc'") !=
          std::string::npos);
}

TEST_CASE("cli emulator: serves until interrupted, prints its endpoint, writes its certificate") {
    auto cert = temp_dir() / "emu-ca.pem";
    int out_pipe[2];
    REQUIRE(pipe(out_pipe) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    posix_spawn_file_actions_addclose(&fa, out_pipe[0]);
    auto errf = temp_dir() / "emu-err";
    posix_spawn_file_actions_addopen(&fa, 2, errf.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<std::string> a{SWR_CLI_PATH, "emulator", "--cert-out", cert.string(),
                               "--tasks",    "12",       "--pace",     "0"};
    std::vector<char*> argv;
    for (auto& s : a) argv.push_back(s.data());
    argv.push_back(nullptr);
    pid_t pid;
    REQUIRE(posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    close(out_pipe[1]);
    // The first line, each read bounded: an emulator that never prints fails the test.
    std::string line;
    for (int waits = 0; waits < 100 && (line.empty() || line.back() != '\n');) {
        pollfd p{out_pipe[0], POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) {
            ++waits;
            continue;
        }
        char c;
        if (read(out_pipe[0], &c, 1) != 1) break;
        line += c;
    }
    if (!line.ends_with('\n')) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        close(out_pipe[0]);
        FAIL("the emulator printed no endpoint line within 10 s; got '" << line << "'");
    }
    line.pop_back();
    REQUIRE(line.starts_with("endpoint: https://127.0.0.1:"));
    auto endpoint = line.substr(10);

    auto r = run({"list", "--endpoint", endpoint, "--ca-file", cert.string(), "--project-id", "p",
                  "--instance-id", "ins-emulator", "--namespace", "library", "--policy-id", "1",
                  "--execution-id", "1", "--output", "json", "--no-auth"});
    CHECK(r.exit_code == 0);
    CHECK(boost::json::parse(r.out).at("total").as_int64() == 12);

    kill(pid, SIGTERM);
    int status = wait_bounded(pid, "emulator");
    close(out_pipe[0]);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(slurp(errf).find("credentials are not checked") != std::string::npos);
}

TEST_CASE("cli demo: runs to completion against the embedded emulator") {
    auto r = run({"demo"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Every task of execution 1 (250 tasks") != std::string::npos);
    CHECK(r.out.find("execution 4: ") != std::string::npos);
    CHECK(r.out.find("<redacted>") != std::string::npos);
    CHECK(r.out.find("demo-token") == std::string::npos);
}

TEST_CASE("cli: IAM password authentication, the password from the environment, never shown") {
    auto o = cli_fixture::defaults();
    o.iam_users = {{"acme", "alice", "pw-SECRET"}};
    cli_fixture f(o);
    auto args =
        f.with(f.target("list"), {"--iam-user", "alice", "--iam-domain", "acme", "--iam-endpoint",
                                  f.emu.endpoint(), "--output", "json", "--verbose"});
    auto r = run(args, {"HUAWEICLOUD_SDK_PASSWORD=pw-SECRET"});
    CHECK(r.exit_code == 0);
    CHECK(boost::json::parse(r.out).at("total").as_int64() == 250);
    CHECK(f.emu.counters().iam_token_requests == 1);
    CHECK(r.err.find("SECRET") == std::string::npos);

    auto wrong = run(args, {"HUAWEICLOUD_SDK_PASSWORD=nope-SECRET"});
    CHECK(wrong.exit_code == 3);
    CHECK(wrong.err.find("The username or password is wrong.") != std::string::npos);
    CHECK(wrong.err.find("SECRET") == std::string::npos);

    auto no_pw = run(args);  // stdin is not a terminal: no prompt, a clear error
    CHECK(no_pw.exit_code == 2);
    CHECK(no_pw.err.find("HUAWEICLOUD_SDK_PASSWORD") != std::string::npos);

    auto dry =
        run(f.with(f.target("list"), {"--iam-user", "alice", "--iam-domain", "acme", "--dry-run"}),
            {"HUAWEICLOUD_SDK_PASSWORD=pw-SECRET"});
    CHECK(dry.exit_code == 0);
    CHECK(dry.out.find("X-Auth-Token: <redacted>") != std::string::npos);
    CHECK(dry.out.find("SECRET") == std::string::npos);
    CHECK(run(f.with(f.target("list"), {"--iam-user", "alice"})).exit_code == 2);
}

TEST_CASE("cli list: control characters from the server are escaped in every output format") {
    swr::task t;
    t.id = 7;
    t.execution_id = 1;
    t.namespace_name = "library";
    t.repository = "nginx\x1b[8m";
    t.job_id = "0123456789abcdef01234567";
    t.status = "Error";
    t.status_text =
        "\x1b]0;pwned\x07\x1b[2J bad\r\nfake line\t\xc2\x9b"
        "31m\x7f end\\";
    t.updated_at = "2026-01-01T00:00:01Z";
    swr::page p;
    p.total = 1;
    p.tasks = {t};
    canned_server server(200, swr::encode_page(p));
    std::vector<std::string> args{"list",
                                  "--endpoint",
                                  server.endpoint(),
                                  "--project-id",
                                  "p",
                                  "--instance-id",
                                  "i",
                                  "--namespace",
                                  "library",
                                  "--policy-id",
                                  "1",
                                  "--execution-id",
                                  "1",
                                  "--token",
                                  "t",
                                  "--output"};
    const std::string shown = R"(\x1b]0;pwned\x07\x1b[2J bad\r\nfake line\t\u009b31m\x7f end\\)";
    for (std::string format : {"table", "csv", "json", "ndjson"}) {
        CAPTURE(format);
        auto a = args;
        a.push_back(format);
        auto r = run(a);
        REQUIRE(r.exit_code == 0);
        CHECK(terminal_inert(r.out));
        CHECK(terminal_inert(r.err));
        if (format == "table" || format == "csv") {
            CHECK(r.out.find(shown) != std::string::npos);
            CHECK(r.out.find(R"(nginx\x1b[8m)") != std::string::npos);
        } else {
            // JSON's own escapes, and the same task once parsed.
            auto body = format == "json" ? r.out : "{\"total\":1,\"tasks\":[" + r.out + "]}";
            CHECK(body.find(R"(\u001b]0;pwned\u0007)") != std::string::npos);
            CHECK(decode_tasks(boost::json::parse(body)) == p.tasks);
        }
    }

    // The service's error text goes to stderr escaped too: the library blanks C0 controls in
    // it, the CLI shows the C1 ones (U+009B is CSI) as escapes.
    canned_server refusing(
        400, R"({"error_code":"SWR.0400","error_msg":"no\u009b2J\u001b]0;x\u0007pe"})");
    args[2] = refusing.endpoint();
    args.pop_back();
    auto r = run(args);
    CHECK(r.exit_code == 3);
    CHECK(terminal_inert(r.err));
    CHECK(r.err.find(R"(error_msg no\u009b2J ]0;x pe)") != std::string::npos);
}

TEST_CASE("cli: Ctrl-C at the IAM password prompt puts the terminal's echo back") {
    on_terminal cli({"list", "--endpoint", "https://127.0.0.1:9", "--project-id", "p",
                     "--instance-id", "i", "--namespace", "n", "--policy-id", "1", "--execution-id",
                     "1", "--iam-user", "alice", "--iam-domain", "acme"});
    // Only once the prompt shows with echo off is there a terminal state to repair.
    cli.wait_for([&] { return cli.shown("password") && !cli.echo(); },
                 "a password prompt with echo off");
    cli.type("\x03");  // the line discipline makes it SIGINT
    int status = cli.wait_exit();
    CHECK(((WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) ||
           (WIFEXITED(status) && WEXITSTATUS(status) != 0)));
    CHECK(cli.echo());
}

TEST_CASE("cli: the IAM password typed at the prompt is not echoed, and echo comes back") {
    auto o = cli_fixture::defaults();
    o.iam_users = {{"acme", "alice", "pw-SECRET"}};
    o.data.tasks_per_execution = 3;
    cli_fixture f(o);
    on_terminal cli(
        f.with(f.target("list"), {"--iam-user", "alice", "--iam-domain", "acme", "--iam-endpoint",
                                  f.emu.endpoint(), "--output", "json"}));
    cli.wait_for([&] { return cli.shown("password") && !cli.echo(); },
                 "a password prompt with echo off");
    cli.type("pw-SECRET\n");
    int status = cli.wait_exit();
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(cli.shown("\"total\":3"));
    CHECK_FALSE(cli.shown("SECRET"));
    CHECK(cli.echo());
    CHECK(f.emu.counters().iam_token_requests == 1);
}

TEST_CASE(
    "cli watch --allow-empty: an execution with no tasks is reported, exit 1 unless allowed") {
    auto o = cli_fixture::defaults();
    o.data.tasks_per_execution = 0;
    cli_fixture f(o);
    auto base = f.with(f.target("watch", "1"),
                       {"--execution-id", "2", "--token", "cli-token-SECRET", "--interval", "0.1"});

    auto strict = run(base);
    CHECK(strict.exit_code == 1);
    CHECK(strict.out.find("execution 1: no tasks\n") != std::string::npos);
    CHECK(strict.out.find("execution 2: no tasks\n") != std::string::npos);
    CHECK(strict.err.find("no tasks at all in executions 1, 2 (--allow-empty accepts that)") !=
          std::string::npos);

    auto allowed = run(f.with(base, {"--allow-empty"}));
    CHECK(allowed.exit_code == 0);
    CHECK(allowed.out.find("execution 1: no tasks\n") != std::string::npos);
    CHECK(allowed.err.empty());

    auto json = run(f.with(base, {"--allow-empty", "--output", "json"}));
    CHECK(json.exit_code == 0);
    auto v = boost::json::parse(json.out).as_array();
    REQUIRE(v.size() == 2);
    CHECK(v[0].at("no_tasks").as_bool());
    CHECK_FALSE(v[0].at("succeeded").as_bool());

    // Allowing empty executions does not hide other failures.
    auto missing = run(f.with(base, {"--allow-empty", "--execution-id", "77"}));
    CHECK(missing.exit_code == 1);
    CHECK(missing.out.find("execution 77: could not be watched - resource not found") !=
          std::string::npos);
}

TEST_CASE("cli watch --deadline: executions unfinished at the deadline are named, exit 1") {
    auto o = cli_fixture::defaults();
    o.data.pace = std::chrono::minutes(10);  // nothing finishes while the test runs
    o.data.tasks_per_execution = 20;
    cli_fixture f(o);
    auto base =
        f.with(f.target("watch", "1"), {"--execution-id", "2", "--token", "cli-token-SECRET",
                                        "--interval", "0.1", "--deadline", "0.5"});
    auto r = run(base);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("execution 1: not finished - ") != std::string::npos);
    CHECK(r.out.find(" - deadline exceeded\n") != std::string::npos);
    CHECK(r.err.find("not finished when the watch ended (deadline passed): executions 1, 2\n") !=
          std::string::npos);

    auto json = run(f.with(base, {"--output", "json"}));
    CHECK(json.exit_code == 1);
    auto summary = boost::json::parse(json.out);
    for (const auto& e : summary.as_array()) {
        CHECK_FALSE(e.at("done").as_bool());
        CHECK(e.at("error").as_string() == "deadline exceeded");
    }
    CHECK(json.err.find("executions 1, 2") != std::string::npos);

    // The = form reads the same.
    auto eq = run(f.with(f.target("watch", "1"),
                         {"--token=cli-token-SECRET", "--interval=0.1", "--deadline=0.3"}));
    CHECK(eq.exit_code == 1);
    CHECK(eq.err.find("not finished when the watch ended (deadline passed): execution 1\n") !=
          std::string::npos);

    CHECK(run(f.with(base, {"--deadline", "-1"})).exit_code == 2);
}

TEST_CASE("cli list --all: a listing that cannot be understood is exit 5, details on stderr") {
    cli_fixture f;
    f.emu.inject({.what = swr::emulator::fault::kind::malformed_json});
    auto r = run(f.with(f.target("list", "1"),
                        {"--token", "cli-token-SECRET", "--all", "--output", "json"}));
    CHECK(r.exit_code == 5);
    CHECK(r.out.empty());  // nothing partial
    CHECK(r.err.starts_with("swr-sign-tasks: list failed: response body could not be decoded ("));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("cli list: a timeout is exit 4, a 200 that cannot be decoded exit 5") {
    cli_fixture f;
    f.emu.inject({.what = swr::emulator::fault::kind::no_response});
    auto slow = run(f.with(f.target("list"),
                           {"--token", "cli-token-SECRET", "--timeout", "0.2", "--retries", "0"}));
    CHECK(slow.exit_code == 4);
    CHECK(slow.out.empty());
    CHECK(slow.err.starts_with("swr-sign-tasks: list failed: request timed out"));
    CHECK(f.emu.counters().task_requests == 1);

    f.emu.inject({.what = swr::emulator::fault::kind::wrong_types});
    auto garbled = run(f.with(f.target("list"), {"--token", "cli-token-SECRET"}));
    CHECK(garbled.exit_code == 5);
    CHECK(garbled.out.empty());
    CHECK(garbled.err.find("tasks[0].id: expected integer") != std::string::npos);
}

TEST_CASE("cli --allow-http: accepted by list and watch, with a warning for http:// endpoints") {
    auto o = cli_fixture::defaults();
    o.tls = false;
    o.data.tasks_per_execution = 5;
    o.data.error_percent = 0;
    swr::emulator::server emu(o);
    REQUIRE(emu.endpoint().starts_with("http://"));
    std::vector<std::string> args{"list",
                                  "--endpoint",
                                  emu.endpoint(),
                                  "--project-id",
                                  "p1",
                                  "--instance-id",
                                  "ins-emulator",
                                  "--namespace",
                                  "library",
                                  "--policy-id",
                                  "1",
                                  "--execution-id",
                                  "1",
                                  "--token",
                                  "cli-token-SECRET",
                                  "--output",
                                  "json"};
    auto loopback = run(args);  // loopback needs no flag
    CHECK(loopback.exit_code == 0);
    CHECK(loopback.err.empty());

    args.push_back("--allow-http");
    auto allowed = run(args);
    CHECK(allowed.exit_code == 0);
    CHECK(boost::json::parse(allowed.out).at("total").as_int64() == 5);
    CHECK(allowed.err.find("warning: --allow-http: credentials go over plain HTTP") !=
          std::string::npos);

    args[0] = "watch";
    args.insert(args.end(), {"--interval", "0.1"});
    CHECK(run(args).exit_code == 0);

    // Beyond loopback, plain HTTP is refused before anything is sent, naming the flag.
    auto remote = args;
    remote[0] = "list";
    remote[2] = "http://swr.example.com";
    remote.erase(std::find(remote.begin(), remote.end(), "--allow-http"));
    remote.erase(std::find(remote.begin(), remote.end(), "--interval"), remote.end());
    auto refused = run(remote);
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("plain http:// to swr.example.com") != std::string::npos);
    CHECK(refused.err.find("--allow-http") != std::string::npos);

    auto emulator = run({"emulator", "--allow-http"});
    CHECK(emulator.exit_code == 2);
    CHECK(emulator.err.find("--allow-http: not an option of 'emulator'") != std::string::npos);
}

TEST_CASE("cli: --flag=value, --flag value, -o json and -ojson read the same") {
    cli_fixture f;
    auto eq = run({"list", "--endpoint=" + f.emu.endpoint(), "--ca-file=" + f.ca.string(),
                   "--project-id=p1", "--instance-id=ins-emulator", "--namespace=library",
                   "--policy-id=1", "--execution-id=2", "--token=cli-token-SECRET", "--offset=20",
                   "--limit=10", "--output=json"});
    REQUIRE(eq.exit_code == 0);
    CHECK(decode_tasks(boost::json::parse(eq.out)) == f.emu.data().make_page(2, 20, 10, {}).tasks);
    auto base = f.with(f.target("list", "2"),
                       {"--token", "cli-token-SECRET", "--offset", "20", "--limit", "10"});
    auto spaced = run(f.with(base, {"--output", "json"}));
    auto short_form = run(f.with(base, {"-o", "json"}));
    auto glued = run(f.with(base, {"-ojson"}));
    CHECK(spaced.out == eq.out);
    CHECK(short_form.out == eq.out);
    CHECK(glued.out == eq.out);
    CHECK(glued.exit_code == 0);
}

TEST_CASE("cli: a mistyped flag, value or command gets the nearest known one, exit 2") {
    cli_fixture f;
    auto flag = run(f.with(f.target("list"), {"--token", "t", "--outptu", "json"}));
    CHECK(flag.exit_code == 2);
    CHECK(flag.err ==
          "swr-sign-tasks: unknown option '--outptu' (did you mean '--output'?)\n"
          "see 'swr-sign-tasks list --help'\n");
    auto value = run(f.with(f.target("list"), {"--token", "t", "--status=eror"}));
    CHECK(value.exit_code == 2);
    CHECK(value.err.find("(got 'eror'; did you mean 'error'?)") != std::string::npos);
    auto other = run(f.with(f.target("watch"), {"--token", "t", "--dry-run"}));
    CHECK(other.exit_code == 2);
    CHECK(other.err.starts_with("swr-sign-tasks: --dry-run: not an option of 'watch'\n"));
    auto command = run({"lsit"});
    CHECK(command.exit_code == 2);
    CHECK(command.err ==
          "swr-sign-tasks: unknown command 'lsit' (expected list, watch, emulator, demo or "
          "help); did you mean 'list'?\nsee 'swr-sign-tasks --help'\n");
    CHECK(f.emu.counters().requests_served == 0);
}

TEST_CASE("cli --version, and list --help and watch --help with meanings, defaults, variables") {
    auto v = run({"--version"});
    CHECK(v.exit_code == 0);
    CHECK(v.out.starts_with("swr-sign-tasks 0.1.0\nBoost 1.81.0, OpenSSL 3."));
    CHECK(v.out.find(", CLI11 2.") != std::string::npos);
    for (std::string command : {"list", "watch"}) {
        CAPTURE(command);
        auto h = run({command, "--help"});
        CHECK(h.exit_code == 0);
        CHECK(h.err.empty());
        CHECK(h.out.find("Usage: swr-sign-tasks " + command + " [OPTIONS]\n") != std::string::npos);
        for (auto text : {"-o, --output FORMAT", "[default: table]", "[env: SWR_INSTANCE_ID]",
                          "[env: SWR_NAMESPACE]", "[env: SWR_POLICY_ID]", "[env: SWR_AUTH_TOKEN]",
                          "HTTPS_PROXY", "NO_PROXY", "HUAWEICLOUD_SDK_REGION_SWR_<REGION>",
                          "SSL_CERT_FILE", "--no-auth", "--ca-file FILE", "[default: 30]",
                          "\nExit codes:\n", "\n  130   interrupted by SIGINT"}) {
            CAPTURE(text);
            CHECK(h.out.find(text) != std::string::npos);
        }
        CHECK(run({"help", command}).out == h.out);
        CHECK(run({command, "--limit", "0", "--help"}).out == h.out);  // help wins
    }
    auto list = run({"list", "--help"}).out;
    CHECK(list.find("--status STATUS") != std::string::npos);
    CHECK(list.find("[>= 0] [default: 600]") != std::string::npos);
    auto watch = run({"watch", "-h"}).out;
    CHECK(watch.find("--interval SECONDS          time between two polls of one execution "
                     "[>= 0.01] [default: 5]") != std::string::npos);
    CHECK(watch.find("--deadline SECONDS") != std::string::npos);
}

TEST_CASE("cli: with no credentials nothing is sent (exit 2) unless --no-auth") {
    cli_fixture f;
    for (std::string command : {"list", "watch"}) {
        auto r = run(f.target(command));
        CHECK(r.exit_code == 2);
        CHECK(
            r.err.starts_with("swr-sign-tasks: no credentials: give --token, --ak and --sk, or "
                              "--iam-user and --iam-domain"));
        CHECK(r.err.ends_with("\nsee 'swr-sign-tasks " + command + " --help'\n"));
    }
    CHECK(f.emu.counters().requests_served == 0);
    // --no-auth sends the request as it is: this emulator checks credentials, so 401.
    auto sent = run(f.with(f.target("list"), {"--no-auth"}));
    CHECK(sent.exit_code == 3);
    CHECK(sent.err.find("SWR.0401") != std::string::npos);
    CHECK(f.emu.counters().auth_failures == 1);
    // --no-auth wins over credentials from the environment.
    auto env_ignored = run(f.with(f.target("list"), {"--no-auth"}), {"SWR_AUTH_TOKEN=x"});
    CHECK(env_ignored.exit_code == 3);
    // Credentials from the environment are credentials.
    auto from_env =
        run(f.with(f.target("list"), {"-o", "json"}), {"SWR_AUTH_TOKEN=cli-token-SECRET"});
    CHECK(from_env.exit_code == 0);
}

TEST_CASE("cli: network errors name host:port; an untrusted certificate suggests --ca-file") {
    auto port = std::to_string(closed_port());
    std::vector<std::string> refused_args{"list",
                                          "--endpoint",
                                          "https://127.0.0.1:" + port,
                                          "--project-id",
                                          "p",
                                          "--instance-id",
                                          "i",
                                          "--namespace",
                                          "n",
                                          "--policy-id",
                                          "1",
                                          "--execution-id",
                                          "1",
                                          "--token",
                                          "t",
                                          "--retries",
                                          "0"};
    auto refused = run(refused_args);
    CHECK(refused.exit_code == 4);
    CHECK(refused.err.starts_with("swr-sign-tasks: list failed: "));
    CHECK(refused.err.ends_with(" (at 127.0.0.1:" + port + ")\n"));
    refused_args[0] = "watch";
    refused_args.push_back("--interval=0.1");  // a refused connection is tried again 3 times
    auto watched = run(refused_args);
    CHECK(watched.exit_code == 1);
    CHECK(watched.out.find("execution 1: could not be watched - ") != std::string::npos);
    CHECK(watched.out.find(" (at 127.0.0.1:" + port + ")\n") != std::string::npos);

    cli_fixture f;
    f.emu.inject({.what = swr::emulator::fault::kind::no_response});
    auto slow = run(f.with(f.target("list"),
                           {"--token", "cli-token-SECRET", "--timeout", "0.2", "--retries", "0"}));
    CHECK(slow.exit_code == 4);
    CHECK(slow.err.find("request timed out") != std::string::npos);
    CHECK(slow.err.find("(at 127.0.0.1:" + std::to_string(f.emu.port()) + ")") !=
          std::string::npos);

    // A CA bundle that does not hold the emulator's CA.
    auto untrusted = f.target("list");
    untrusted[4] = "/etc/ssl/certs/ca-certificates.crt";
    untrusted.insert(untrusted.end(), {"--token", "cli-token-SECRET"});
    auto tls = run(untrusted);
    CHECK(tls.exit_code == 4);
    CHECK(tls.err.find("certificate verify failed") != std::string::npos);
    CHECK(tls.err.find("\nswr-sign-tasks: hint: the server's certificate is not trusted here; if a "
                       "CA of your own signed it, give that CA with --ca-file FILE") !=
          std::string::npos);
    untrusted[0] = "watch";
    auto tls_watch = run(untrusted);
    CHECK(tls_watch.exit_code == 1);
    CHECK(tls_watch.err.find("give that CA with --ca-file FILE") != std::string::npos);
    // A service error is not a network error: no host, no hint.
    auto missing = run(f.with(f.target("list", "77"), {"--token", "cli-token-SECRET"}));
    CHECK(missing.exit_code == 3);
    CHECK(missing.err.find("(at ") == std::string::npos);
    CHECK(missing.err.find("hint") == std::string::npos);
}

TEST_CASE("cli: SWR_INSTANCE_ID, SWR_NAMESPACE, SWR_POLICY_ID stand in for their flags") {
    cli_fixture f;
    const std::vector<std::string> env{"SWR_INSTANCE_ID=ins-emulator", "SWR_NAMESPACE=library",
                                       "SWR_POLICY_ID=1", "HUAWEICLOUD_SDK_PROJECT_ID=p1"};
    std::vector<std::string> args{
        "list", "--endpoint", f.emu.endpoint(),   "--ca-file", f.ca.string(), "--execution-id",
        "2",    "--token",    "cli-token-SECRET", "-o",        "json"};
    auto r = run(args, env);
    REQUIRE(r.exit_code == 0);
    CHECK(decode_tasks(boost::json::parse(r.out)) == f.emu.data().make_page(2, 0, 10, {}).tasks);
    // A flag wins over its variable.
    auto flag_wins = run(f.with(args, {"--namespace", "library"}),
                         {"SWR_INSTANCE_ID=ins-emulator", "SWR_NAMESPACE=other", "SWR_POLICY_ID=1",
                          "HUAWEICLOUD_SDK_PROJECT_ID=p1"});
    CHECK(flag_wins.exit_code == 0);
    auto watch = args;
    watch[0] = "watch";
    watch.insert(watch.end(), {"--interval", "0.1"});
    auto watched = run(watch, env);
    CHECK(watched.exit_code == 1);  // some tasks end in Error
    CHECK(boost::json::parse(watched.out).as_array().at(0).at("done").as_bool());
    // A bad value says which variable it came from.
    auto bad = run(args, {"SWR_INSTANCE_ID=ins-emulator", "SWR_NAMESPACE=library",
                          "SWR_POLICY_ID=one", "HUAWEICLOUD_SDK_PROJECT_ID=p1"});
    CHECK(bad.exit_code == 2);
    CHECK(
        bad.err.starts_with("swr-sign-tasks: --policy-id: must be a non-negative integer "
                            "(got 'one') (from SWR_POLICY_ID)\n"));
    auto missing = run(args);
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.starts_with("swr-sign-tasks: --instance-id: required (or SWR_INSTANCE_ID)"));
}

TEST_CASE("cli list: a page that is not the whole listing says so on stderr") {
    cli_fixture f;  // 250 tasks an execution
    auto base = f.with(f.target("list"), {"--token", "cli-token-SECRET", "-o", "json"});
    auto first = run(base);
    CHECK(first.exit_code == 0);
    CHECK(first.err == "swr-sign-tasks: showing 10 of 250 tasks; --all lists every one\n");
    auto last = run(f.with(base, {"--offset", "240", "--limit", "10"}));
    CHECK(last.err == "swr-sign-tasks: showing 10 of 250 tasks; --all lists every one\n");
    CHECK(run(f.with(base, {"--all"})).err.empty());

    auto o = cli_fixture::defaults();
    o.data.tasks_per_execution = 7;
    cli_fixture small(o);
    auto whole = run(small.with(small.target("list"), {"--token", "cli-token-SECRET"}));
    CHECK(whole.exit_code == 0);
    CHECK(whole.err.empty());  // the page is the whole listing
}

TEST_CASE("cli list --status: only tasks in those statuses, in every output format") {
    cli_fixture f;
    auto every = f.emu.data().make_page(3, 0, 250, {}).tasks;
    std::vector<swr::task> errors;
    for (const auto& t : every)
        if (t.state() == swr::task_state::error) errors.push_back(t);
    REQUIRE(!errors.empty());
    REQUIRE(errors.size() < every.size());
    auto base = f.with(f.target("list", "3"), {"--token", "cli-token-SECRET", "--all"});

    auto json = run(f.with(base, {"--status", "error", "-o", "json"}));
    REQUIRE(json.exit_code == 0);
    auto v = boost::json::parse(json.out);
    CHECK(v.at("total").as_int64() == 250);  // the execution's, not the kept ones
    CHECK(decode_tasks(v) == errors);

    auto nd = run(f.with(base, {"--status=error", "-o", "ndjson"}));
    auto nd_lines = lines_of(nd.out);
    CHECK(nd_lines.size() == errors.size());
    for (const auto& line : nd_lines) CHECK(line.find("\"status\":\"Error\"") != std::string::npos);

    auto csv = run(f.with(base, {"--status", "ERROR", "-o", "csv"}));
    CHECK(lines_of(csv.out).size() == errors.size() + 1);
    CHECK(csv.out.find(",Success,") == std::string::npos);

    auto table = run(f.with(base, {"--status", "error"}));
    CHECK(table.out.find("\n" + std::to_string(errors.size()) + " of 250 tasks\n") !=
          std::string::npos);
    CHECK(table.out.find(" Success ") == std::string::npos);

    // Several statuses: repeated or comma-separated.
    auto repeated = run(f.with(base, {"--status", "error", "--status", "success", "-o", "json"}));
    auto comma = run(f.with(base, {"--status", "error,success", "-o", "json"}));
    CHECK(decode_tasks(boost::json::parse(repeated.out)).size() == 250);
    CHECK(comma.out == repeated.out);

    // On one page, stderr says what the page was.
    auto page = run(f.with(f.target("list", "3"), {"--token", "cli-token-SECRET", "--limit", "100",
                                                   "--status", "error", "-o", "json"}));
    CHECK(page.exit_code == 0);
    CHECK(page.err.find("(those in status error among the 100 of this page); --all lists every "
                        "one\n") != std::string::npos);
}

TEST_CASE("cli watch: the tasks that failed or stopped are reported on stderr and in JSON") {
    auto o = cli_fixture::defaults();
    o.data.tasks_per_execution = 40;
    o.data.error_percent = 30;
    cli_fixture f(o);
    std::vector<swr::task> errors;
    for (const auto& t : f.emu.data().make_page(1, 0, 40, {}).tasks)
        if (t.state() == swr::task_state::error) errors.push_back(t);
    REQUIRE(!errors.empty());
    auto base = f.with(f.target("watch", "1"), {"--token", "cli-token-SECRET", "--interval=0.1"});

    auto table = run(base);
    CHECK(table.exit_code == 1);
    CHECK(table.err.find("swr-sign-tasks: watch: " + std::to_string(errors.size()) +
                         " tasks failed or stopped:\n  execution 1  task " +
                         std::to_string(errors[0].id) + "  " + errors[0].repository + "  Error  " +
                         errors[0].status_text + "\n") != std::string::npos);

    auto json = run(f.with(base, {"-o", "json"}));
    CHECK(json.exit_code == 1);
    auto failed = boost::json::parse(json.out).as_array().at(0).at("failed_tasks").as_array();
    REQUIRE(failed.size() == errors.size());
    for (std::size_t i = 0; i < errors.size(); ++i) {
        CHECK(failed[i].at("id").as_int64() == errors[i].id);
        CHECK(failed[i].at("repository").as_string() == errors[i].repository);
        CHECK(failed[i].at("status").as_string() == "Error");
        CHECK(failed[i].at("status_text").as_string() == errors[i].status_text);
    }
    CHECK(json.err.find("tasks failed or stopped:") != std::string::npos);

    auto nd = run(f.with(base, {"-o", "ndjson"}));
    CHECK(nd.exit_code == 1);
    auto events = lines_of(nd.out);
    REQUIRE(events.size() >= 2);
    const std::regex rfc3339(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
    for (std::size_t i = 0; i + 1 < events.size(); ++i) {
        auto e = boost::json::parse(events[i]);
        CHECK(e.at("event").as_string() == "poll");
        CHECK(std::regex_match(std::string(e.at("time").as_string()), rfc3339));
        CHECK(e.at("counts").is_object());
        CHECK(e.at("counts").at("error").is_int64());
    }
    auto result = boost::json::parse(events.back());
    CHECK(result.at("event").as_string() == "result");
    CHECK(result.at("counts").at("error").as_int64() == static_cast<std::int64_t>(errors.size()));
    CHECK(result.at("failed_tasks").as_array().size() == errors.size());
}

TEST_CASE("cli watch: SIGINT exits 130 and SIGTERM 143, after printing what is known") {
    auto o = cli_fixture::defaults();
    o.data.pace = std::chrono::minutes(10);  // nothing finishes while the test runs
    o.data.tasks_per_execution = 20;
    cli_fixture f(o);
    auto base = f.with(f.target("watch", "1"),
                       {"--execution-id", "2", "--token", "cli-token-SECRET", "--interval", "0.1"});
    struct row {
        int sig;
        int code;
        const char* name;
        const char* format;
    };
    for (auto [sig, code, name, format] :
         {row{SIGINT, 130, "SIGINT", "table"}, row{SIGTERM, 143, "SIGTERM", "json"}}) {
        CAPTURE(name);
        f.emu.reset_counters();
        auto c = start(f.with(base, {"-o", format}));
        // Once both executions have been polled, the watch is under way (and its handler set).
        CHECK(eventually([&] { return f.emu.counters().task_requests >= 2; }));
        ::kill(c.pid, sig);
        auto r = finish(c);
        CHECK(r.exit_code == code);
        CHECK(r.err.find("not finished when the watch ended (interrupted by " + std::string(name) +
                         "): executions 1, 2\n") != std::string::npos);
        CHECK(r.err.ends_with("swr-sign-tasks: watch: interrupted by " + std::string(name) + "\n"));
        if (std::string(format) == "table") {
            CHECK(r.out.find("execution 1: not finished - pending ") != std::string::npos);
            CHECK(r.out.find("execution 2: not finished - pending ") != std::string::npos);
        } else {
            auto summary = boost::json::parse(r.out).as_array();
            REQUIRE(summary.size() == 2);
            CHECK_FALSE(summary[0].at("done").as_bool());
            CHECK(summary[1].at("counts").at("pending").as_int64() +
                      summary[1].at("counts").at("running").as_int64() ==
                  20);
        }
    }

    // list --all too: interrupted mid-listing, nothing partial, exit 130.
    auto slow = cli_fixture::defaults();
    slow.latency = std::chrono::milliseconds(200);
    cli_fixture g(slow);
    auto c = start(g.with(g.target("list"), {"--token", "cli-token-SECRET", "--all", "--page-size",
                                             "10", "--parallel", "1"}));
    CHECK(eventually([&] { return g.emu.counters().task_requests >= 2; }));
    ::kill(c.pid, SIGINT);
    auto r = finish(c);
    CHECK(r.exit_code == 130);
    CHECK(r.out.empty());
    CHECK(r.err == "swr-sign-tasks: list: interrupted by SIGINT\n");
}

namespace {

// 'text' for sh, whatever it holds.
std::string sh_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// A tmux server of its own (its own socket), running one shell command in a detached session
// of 160x24; the server is killed on destruction.
class tmux_session {
public:
    static constexpr const char* tmux = "/usr/bin/tmux";

    explicit tmux_session(const std::string& command)
        : socket_(temp_dir() / ("tmux-" + std::to_string(::getpid()))) {
        auto r = call({"new-session", "-d", "-x", "160", "-y", "24", command});
        REQUIRE_MESSAGE(r.exit_code == 0, "tmux new-session failed: " << r.err);
    }
    ~tmux_session() { call({"kill-server"}); }
    tmux_session(const tmux_session&) = delete;
    tmux_session& operator=(const tmux_session&) = delete;

    /// What the pane shows now.
    std::string screen() { return call({"capture-pane", "-p"}).out; }

private:
    result call(std::vector<std::string> args) {
        args.insert(args.begin(), {"-S", socket_.string()});
        return finish(start_program(tmux, std::move(args), {"TERM=xterm-256color"}));
    }
    fs::path socket_;
};

}  // namespace

TEST_CASE("cli list --all on a terminal (tmux): the progress bar appears, advances, is cleared") {
    REQUIRE_MESSAGE(fs::exists(tmux_session::tmux),
                    "tmux is needed (scripts/setup.sh installs it)");
    auto o = cli_fixture::defaults();
    o.data.tasks_per_execution = 300;
    o.latency = std::chrono::milliseconds(100);  // 30 pages one after another: long enough to see
    cli_fixture f(o);
    auto out = temp_dir() / "progress.json";
    std::string command = sh_quote(SWR_CLI_PATH);
    for (const auto& a :
         f.with(f.target("list"), {"--token", "cli-token-SECRET", "--all", "--page-size", "10",
                                   "--parallel", "1", "--output", "json"}))
        command += " " + sh_quote(a);
    // stdout to a file, stderr (the bar) to the terminal; the pane stays after the CLI exits.
    command += " >" + sh_quote(out.string()) + "; echo \"exit=$?\"; sleep 600";
    tmux_session session(command);

    const std::regex bar(R"(\[[#.]{30}\] (\d+)/30 pages, (\d+) tasks)");
    std::vector<int> pages_seen;
    std::string screen;
    // Bounded: the listing ends (or fails) well within a minute.
    for (int i = 0; i < 3000 && screen.find("exit=") == std::string::npos; ++i) {
        screen = session.screen();
        std::smatch m;
        if (std::regex_search(screen, m, bar)) {
            int pages = std::stoi(m[1].str());
            if (pages_seen.empty() || pages_seen.back() != pages) pages_seen.push_back(pages);
        }
        ::poll(nullptr, 0, 20);
    }
    CAPTURE(screen);
    REQUIRE(screen.find("exit=0") != std::string::npos);
    // It appeared, and it advanced: at least two states, each further than the one before.
    REQUIRE(pages_seen.size() >= 2);
    CHECK(std::is_sorted(pages_seen.begin(), pages_seen.end()));
    CHECK(pages_seen.front() < 30);
    // It was cleared: nothing of it is left on the screen.
    CHECK(screen.find("pages,") == std::string::npos);
    CHECK(screen.find("[#") == std::string::npos);
    CHECK(boost::json::parse(slurp(out)).at("total").as_int64() == 300);
}

TEST_CASE("swr-bench: modes are commands with checked flags; the JSON keeps its fields") {
    auto bench = [](std::vector<std::string> args) {
        return finish(start_program(SWR_BENCH_PATH, std::move(args), {}));
    };
    // The fields, in order, that bench/compare.sh and bench/README.md read.
    auto keys = [](const std::string& out) {
        std::vector<std::string> k;
        auto value = boost::json::parse(out);
        for (const auto& kv : value.as_object()) k.emplace_back(kv.key());
        return k;
    };
    using v = std::vector<std::string>;
    auto page = bench({"page", "--requests=40", "--concurrency", "2", "--limit", "5"});
    CHECK(page.exit_code == 0);
    CHECK(keys(page.out) == v{"mode", "requests", "concurrency", "limit", "seconds", "rps",
                              "tasks_per_s", "p50_us", "p99_us", "errors",
                              "client_cpu_us_per_request", "max_rss_kb", "allocations_per_request",
                              "check_us_per_request", "connections_opened", "server_in_process"});
    auto all = bench({"list-all", "--tasks", "50", "--latency-ms", "0", "--page-size", "10"});
    CHECK(all.exit_code == 0);
    CHECK(keys(all.out) == v{"mode", "tasks", "pages", "parallel", "latency_ms",
                             "sequential_seconds", "parallel_seconds", "speedup", "requests",
                             "client_cpu_us_per_request", "allocations_per_request", "errors",
                             "max_rss_kb"});
    auto watch = bench({"watch", "--executions", "3", "--tasks", "5", "--pace-ms", "0",
                        "--interval-ms", "10", "--concurrency", "2"});
    CHECK(watch.exit_code == 0);
    CHECK(keys(watch.out) == v{"mode", "requests", "concurrency", "limit", "seconds", "rps",
                               "tasks_per_s", "p50_us", "p99_us", "errors",
                               "client_cpu_us_per_request", "max_rss_kb", "executions",
                               "tasks_per_execution", "executions_done", "polls", "throttled",
                               "max_poll_gap_ms", "interval_ms"});
    // Against the emulator's quota: what the client learnt of it, and the time against the ideal.
    auto quota = bench({"watch", "--executions", "3", "--tasks", "5", "--pace-ms", "0",
                        "--interval-ms", "10", "--concurrency", "2", "--server-rate", "1000",
                        "--adaptive", "--max-rps", "500"});
    CHECK(quota.exit_code == 0);
    auto q = boost::json::parse(quota.out).as_object();
    for (auto k : {"throttled", "requests", "seconds", "ideal_seconds", "max_poll_gap_ms",
                   "server_throttled", "time_over_ideal", "throttled_share", "requests_needed"})
        CHECK_MESSAGE(q.contains(k), k);
    CHECK(q.at("adaptive").as_bool());
    CHECK(q.at("server_rate").to_number<double>() == 1000);
    CHECK(q.at("max_rps").to_number<double>() == 500);
    CHECK(q.at("throttled") == q.at("server_throttled"));
    CHECK(bench({"watch", "--server-rate", "-1"}).exit_code == 2);
    CHECK(bench({"watch", "--max-rps", "fast"}).exit_code == 2);
    auto decode = bench({"decode", "--iterations", "20", "--limit", "10"});
    CHECK(decode.exit_code == 0);
    CHECK(keys(decode.out) == v{"mode", "limit", "body_bytes", "iterations", "pages_per_s",
                                "tasks_per_s", "mb_per_s", "dom_value_to_pages_per_s",
                                "ratio_vs_dom", "reused_page_pages_per_s",
                                "allocations_per_request", "reused_page_allocations_per_request",
                                "dom_value_to_allocations_per_request", "errors", "max_rss_kb"});
    auto construct = bench({"construct", "--clients", "2"});
    CHECK(construct.exit_code == 0);
    CHECK(keys(construct.out) ==
          v{"mode", "clients", "first_client_ms", "later_client_ms", "max_rss_kb"});

    auto typo = bench({"page", "--requsts", "5"});
    CHECK(typo.exit_code == 2);
    CHECK(typo.err ==
          "swr-bench: unknown option '--requsts' (did you mean '--requests'?)\n"
          "see 'swr-bench page --help'\n");
    auto range = bench({"construct", "--clients", "0"});
    CHECK(range.exit_code == 2);
    CHECK(range.err.starts_with("swr-bench: --clients: must be an integer from 1 to "));
    CHECK(bench({"decode", "--ak", "a"}).exit_code == 2);  // not a flag of decode
    auto help = bench({"watch", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("--interval-ms N             time between two polls of one execution "
                        "[1..3600000] [default: 1000]") != std::string::npos);
    CHECK(bench({}).exit_code == 2);
}

TEST_CASE("README: the CLI section's help blocks are what the tool prints") {
    // Each block follows `<!-- help: swr-sign-tasks ARGS -->` as a ```text fence
    // (scripts/cli-help.sh rewrites them from a build).
    auto readme = slurp(SWR_README);
    const std::string marker = "<!-- help: swr-sign-tasks ";
    std::set<std::string> seen;
    for (auto at = readme.find(marker); at != std::string::npos; at = readme.find(marker, at + 1)) {
        auto eol = readme.find('\n', at);
        auto args_text = readme.substr(at + marker.size(), eol - at - marker.size() - 4);
        CAPTURE(args_text);
        REQUIRE(readme.compare(eol + 1, 8, "```text\n") == 0);
        auto body = eol + 9;
        auto close = readme.find("\n```\n", body - 1);
        REQUIRE(close != std::string::npos);
        auto shown = readme.substr(body, close + 1 - body);
        std::vector<std::string> args;
        std::istringstream words(args_text);
        for (std::string w; words >> w;) args.push_back(w);
        auto printed = run(args);
        REQUIRE(printed.exit_code == 0);
        CHECK_MESSAGE(shown == printed.out,
                      "README.md differs from `swr-sign-tasks "
                          << args_text << "`; scripts/cli-help.sh rewrites it. The tool prints:\n"
                          << printed.out);
        seen.insert(args_text);
    }
    CHECK(seen ==
          std::set<std::string>{"--help", "list --help", "watch --help", "emulator --help"});
}
