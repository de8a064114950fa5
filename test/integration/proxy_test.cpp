// HTTPS through an HTTP CONNECT proxy (tinyproxy, started here with a config written now).
#include "support/connect_proxy.hpp"
#include "support/preamble.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <spawn.h>
#include <sys/wait.h>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

extern char** environ;

namespace {

std::uint16_t free_port() {
    asio::io_context io;
    asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

// tinyproxy in the foreground on a free loopback port; stopped when destroyed.
struct tinyproxy {
    std::uint16_t port = free_port();
    std::filesystem::path dir;
    pid_t pid = -1;

    explicit tinyproxy(const std::string& extra_config = "") {
        char tmpl[] = "/tmp/swr-proxy-XXXXXX";
        dir = ::mkdtemp(tmpl);
        std::ofstream(dir / "tinyproxy.conf")
            << "Port " << port << "\nListen 127.0.0.1\nAllow 127.0.0.1\nTimeout 30\nMaxClients 20\n"
            << "LogFile \"" << (dir / "log").string() << "\"\nLogLevel Connect\n"
            << extra_config;
        std::string conf = (dir / "tinyproxy.conf").string();
        std::vector<std::string> a{"/usr/bin/tinyproxy", "-d", "-c", conf};
        std::vector<char*> argv;
        for (auto& s : a) argv.push_back(s.data());
        argv.push_back(nullptr);
        REQUIRE_MESSAGE(std::filesystem::exists(a[0]),
                        "tinyproxy is required (scripts/setup.sh installs tinyproxy-bin)");
        REQUIRE(posix_spawn(&pid, a[0].c_str(), nullptr, nullptr, argv.data(), environ) == 0);
        // Ready when it accepts.
        for (int i = 0; i < 100; ++i) {
            asio::io_context io;
            asio::ip::tcp::socket s(io);
            boost::system::error_code ec;
            s.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
            if (!ec) return;
            std::this_thread::sleep_for(50ms);
        }
        FAIL("tinyproxy did not start");
    }
    ~tinyproxy() {
        if (pid > 0) {
            // tinyproxy can miss a SIGTERM that lands just before it polls (it then sleeps on):
            // give it a moment to exit cleanly, then make sure.
            kill(pid, SIGTERM);
            bool exited = false;
            for (int i = 0; i < 40 && !exited; ++i) {
                exited = waitpid(pid, nullptr, WNOHANG) == pid;
                if (!exited) std::this_thread::sleep_for(50ms);
            }
            if (!exited) {
                kill(pid, SIGKILL);
                waitpid(pid, nullptr, 0);
            }
        }
        std::filesystem::remove_all(dir);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
    std::string log() const {
        std::ifstream f(dir / "log");
        return std::string(std::istreambuf_iterator<char>(f), {});
    }
};

// Sets an environment variable for one scope.
struct scoped_env {
    const char* name;
    scoped_env(const char* n, const std::string& value) : name(n) { ::setenv(n, value.c_str(), 1); }
    ~scoped_env() { ::unsetenv(name); }
    scoped_env(const scoped_env&) = delete;
    scoped_env& operator=(const scoped_env&) = delete;
};

}  // namespace

TEST_CASE("proxy: HTTPS through an HTTP CONNECT proxy, certificate still verified end to end") {
    fixture f;
    tinyproxy proxy;
    auto opts = f.options();
    opts.proxy.url = proxy.url();
    client c(f.ioc.get_executor(), opts);
    auto o = f.list(c, f.request());
    REQUIRE_FALSE(o.ec);
    CHECK(o.p.tasks.size() == 10);
    auto again = f.list(c, f.request());  // the tunnel is kept alive like any connection
    CHECK_FALSE(again.ec);
    CHECK(c.stats().connections_opened == 1);
    CHECK(proxy.log().find("CONNECT") != std::string::npos);
}

TEST_CASE("proxy: from HTTPS_PROXY, bypassed by NO_PROXY, and a refused tunnel") {
    fixture f;
    tinyproxy proxy;
    ::setenv("HTTPS_PROXY", proxy.url().c_str(), 1);
    {
        client c(f.ioc.get_executor(), f.options());
        CHECK_FALSE(f.list(c, f.request()).ec);
        CHECK(proxy.log().find("CONNECT") != std::string::npos);
    }
    // A proxy that is not there: the client goes through it (and fails) unless NO_PROXY says so.
    ::setenv("HTTPS_PROXY", ("http://127.0.0.1:" + std::to_string(free_port())).c_str(), 1);
    {
        auto opts = f.options();
        opts.retry.max_attempts = 1;
        client c(f.ioc.get_executor(), opts);
        CHECK(f.list(c, f.request()).ec == asio::error::connection_refused);
    }
    ::setenv("NO_PROXY", "localhost,127.0.0.1", 1);
    {
        client c(f.ioc.get_executor(), f.options());
        CHECK_FALSE(f.list(c, f.request()).ec);
    }
    ::unsetenv("HTTPS_PROXY");
    ::unsetenv("NO_PROXY");

    tinyproxy strict("ConnectPort 443\n");  // refuses CONNECT to the emulator's port
    auto opts = f.options();
    opts.proxy.url = strict.url();
    client c(f.ioc.get_executor(), opts);
    auto o = f.list(c, f.request());
    CHECK(o.ec == errc::proxy_error);
    CHECK_FALSE(is_retryable(o.ec));
}

TEST_CASE("proxy: Basic credentials from the proxy URL; none or wrong ones fail, never shown") {
    fixture f;
    tinyproxy proxy("BasicAuth swr-proxy-user s3cret.pw-1\n");
    const std::string host_port = "127.0.0.1:" + std::to_string(proxy.port);
    std::vector<std::string> lines;
    auto opts = f.options();
    opts.proxy.from_env = false;
    opts.retry.max_attempts = 1;
    opts.observe.min_level = log_level::debug;
    opts.observe.log = [&](log_level, std::string_view l) { lines.emplace_back(l); };

    SUBCASE("right credentials: the call goes through the tunnel") {
        // Percent-encoded in the URL ('%2E' is '.'): decoded before they are sent.
        opts.proxy.url = "http://swr-proxy-user:s3cret%2Epw-1@" + host_port;
        client c(f.ioc.get_executor(), opts);
        auto o = f.list(c, f.request());
        REQUIRE_FALSE(o.ec);
        CHECK(o.p.tasks.size() == 10);
        CHECK(proxy.log().find("CONNECT") != std::string::npos);
        std::string shown;
        REQUIRE_FALSE(c.describe_request(f.request(), shown));
        CHECK(shown.find("s3cret") == std::string::npos);
        CHECK(shown.find("swr-proxy-user") == std::string::npos);
        for (const auto& l : lines) CHECK(l.find("s3cret") == std::string::npos);

        // The same from HTTPS_PROXY.
        ::setenv("HTTPS_PROXY", opts.proxy.url.c_str(), 1);
        auto env_opts = opts;
        env_opts.proxy.url.clear();
        env_opts.proxy.from_env = true;
        client from_env(f.ioc.get_executor(), env_opts);
        CHECK_FALSE(f.list(from_env, f.request()).ec);
        ::unsetenv("HTTPS_PROXY");
    }
    SUBCASE("the IAM token request goes through the same authenticated tunnel") {
        auto eo = swr::test::emulator_defaults();
        eo.iam_users = {{"acme", "alice", "pa55-word"}};
        fixture fi(eo);
        iam_password_auth a;
        a.domain_name = "acme";
        a.user_name = "alice";
        a.password = "pa55-word";
        a.iam_endpoint = fi.emu.endpoint();
        auto io = fi.options(credentials::iam_password(a));
        io.proxy.from_env = false;
        io.proxy.url = "http://swr-proxy-user:s3cret.pw-1@" + host_port;
        client c(fi.ioc.get_executor(), io);
        REQUIRE_FALSE(fi.list(c, fi.request()).ec);
        CHECK(fi.emu.counters().iam_token_requests == 1);
        CHECK(c.stats().connections_opened == 2);  // IAM's tunnel, then SWR's
        auto log = proxy.log();
        std::size_t tunnels = 0;
        for (auto at = log.find("): CONNECT "); at != std::string::npos;
             at = log.find("): CONNECT ", at + 1))
            ++tunnels;
        CHECK(tunnels == 2);
    }
    SUBCASE("no or wrong credentials: proxy_error, and the text shows none of them") {
        for (std::string url :
             {"http://" + host_port, "http://swr-proxy-user:wr0ng-pw@" + host_port,
              "http://other-user:s3cret.pw-1@" + host_port}) {
            CAPTURE(url);
            lines.clear();
            opts.proxy.url = url;
            client c(f.ioc.get_executor(), opts);
            auto o = f.list(c, f.request());
            CHECK(o.ec == errc::proxy_error);  // tinyproxy: 407 without, 401 with wrong ones
            CHECK_FALSE(is_retryable(o.ec));
            std::string text = o.ec.message() + "\n" + o.diag.to_string() + "\n" + o.diag.message;
            for (const auto& l : lines) text += "\n" + l;
            CAPTURE(text);
            for (auto secret :
                 {"wr0ng-pw", "s3cret", "swr-proxy-user", "other-user",
                  "c3dyLXByb3h5LXVzZXI6d3Iwbmct"})  // base64 of "swr-proxy-user:wr0ng-"
                CHECK(text.find(secret) == std::string::npos);
        }
    }
}

TEST_CASE("proxy: a proxy that accepts CONNECT and never answers is a connect timeout") {
    fixture f;
    swr::test::connect_proxy silent{swr::test::connect_proxy::never_answer_t{}};
    auto opts = f.options();
    opts.proxy.url = silent.url();
    opts.proxy.from_env = false;
    opts.timeouts.connect = 200ms;
    opts.retry.max_attempts = 1;
    client c(f.ioc.get_executor(), opts);
    auto o = f.list(c, f.request());
    CHECK(o.ec == errc::connect_timeout);
    CHECK(is_retryable(o.ec));
    CHECK(silent.tunnels() == 1);  // the CONNECT was sent: the wait was for its answer
    CHECK(f.emu.counters().connections_accepted == 0);
}

TEST_CASE("proxy: NO_PROXY bypasses an explicit proxy URL too") {
    fixture f;
    auto opts = f.options();
    opts.proxy.url = "http://127.0.0.1:" + std::to_string(free_port());  // nothing listens there
    opts.retry.max_attempts = 1;
    auto call = [&] {
        client c(f.ioc.get_executor(), opts);
        return f.list(c, f.request());
    };
    SUBCASE("not listed: the call goes to the proxy, which is not there") {
        CHECK(call().ec == asio::error::connection_refused);
        CHECK(f.emu.counters().connections_accepted == 0);
    }
    SUBCASE("proxy.no_proxy lists the host: straight to the server") {
        opts.proxy.no_proxy = "localhost, 127.0.0.1";
        CHECK_FALSE(call().ec);
        CHECK(f.emu.counters().connections_accepted == 1);
    }
    SUBCASE("NO_PROXY (or no_proxy) in the environment lists the host") {
        for (auto name : {"NO_PROXY", "no_proxy"}) {
            CAPTURE(name);
            scoped_env no_proxy(name, "example.com,127.0.0.1");
            CHECK_FALSE(call().ec);
        }
        CHECK(f.emu.counters().connections_accepted == 2);
    }
    SUBCASE("with proxy.from_env off, the environment's NO_PROXY is not read") {
        scoped_env no_proxy("NO_PROXY", "127.0.0.1");
        opts.proxy.from_env = false;
        CHECK(call().ec == asio::error::connection_refused);
        CHECK(f.emu.counters().connections_accepted == 0);
    }
}
