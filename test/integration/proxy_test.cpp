// HTTPS through an HTTP CONNECT proxy (tinyproxy, started here with a config written now).
#include "support/fixture.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <spawn.h>
#include <sys/wait.h>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace swr;
using namespace std::chrono_literals;
using swr::test::fixture;
namespace asio = boost::asio;
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
            kill(pid, SIGTERM);
            waitpid(pid, nullptr, 0);
        }
        std::filesystem::remove_all(dir);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
    std::string log() const {
        std::ifstream f(dir / "log");
        return std::string(std::istreambuf_iterator<char>(f), {});
    }
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
