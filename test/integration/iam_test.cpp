// IAM password authentication against the emulator's /v3/auth/tokens.
#include "support/preamble.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>

namespace {

emulator::server_options iam_emulator(std::chrono::milliseconds ttl = 24h) {
    auto o = swr::test::emulator_defaults();
    o.iam_users = {{"acme", "alice", "pa55-SECRET-word"}};
    o.iam_token_ttl = ttl;
    return o;
}

client_options iam_options(const fixture& f, std::string password = "pa55-SECRET-word") {
    iam_password_auth a;
    a.domain_name = "acme";
    a.user_name = "alice";
    a.password = std::move(password);
    a.iam_endpoint = f.emu.endpoint();
    return f.options(credentials::iam_password(a));
}

}  // namespace

TEST_CASE("iam: one token request serves 500 concurrent calls") {
    fixture f(iam_emulator());
    client c(f.ioc.get_executor(), iam_options(f));
    int ok = 0;
    for (int i = 0; i < 500; ++i)
        c.async_list_tasks(f.request(1 + i % 3), [&](error_code ec, page p) {
            if (!ec && p.tasks.size() == 10) ++ok;
        });
    f.ioc.run_for(60s);
    REQUIRE(f.ioc.stopped());
    CHECK(ok == 500);
    CHECK(f.emu.counters().iam_token_requests == 1);
    CHECK(c.stats().token_requests == 1);
    CHECK(f.emu.counters().auth_failures == 0);
}

TEST_CASE("iam: the token is refreshed before it expires") {
    // A short lifetime (the margin clamps to half of it), so the client soon needs a new token.
    // No clock is asserted: calls are made until the refresh shows in the counters.
    fixture f(iam_emulator(1500ms));
    client c(f.ioc.get_executor(), iam_options(f));
    CHECK_FALSE(f.list(c, f.request()).ec);
    CHECK_FALSE(f.list(c, f.request()).ec);
    CHECK(f.emu.counters().iam_token_requests == 1);
    auto calls = f.run([&]() -> asio::awaitable<int> {
        int n = 0;
        for (; n < 1000 && f.emu.counters().iam_token_requests == 1; ++n) {
            auto [ec, p] = co_await c.async_list_tasks(f.request(), use_tuple);
            CHECK_FALSE(ec);
            asio::steady_timer pause(co_await asio::this_coro::executor, 10ms);
            co_await pause.async_wait(use_tuple);
        }
        co_return n;
    }());
    CHECK(calls < 1000);
    CHECK(f.emu.counters().iam_token_requests == 2);  // one refresh, shared by later calls
    CHECK_FALSE(f.list(c, f.request()).ec);
    CHECK(f.emu.counters().iam_token_requests == 2);
    CHECK(f.emu.counters().auth_failures == 0);  // never sent an expired token
}

TEST_CASE("iam: a 401 after a server-side revoke leads to one refresh and success") {
    fixture f(iam_emulator());
    client c(f.ioc.get_executor(), iam_options(f));
    CHECK_FALSE(f.list(c, f.request()).ec);
    f.emu.revoke_iam_tokens();
    auto o = f.list(c, f.request());
    CHECK_FALSE(o.ec);
    CHECK(o.p.tasks.size() == 10);
    CHECK(f.emu.counters().iam_token_requests == 2);
    CHECK(f.emu.counters().auth_failures == 1);
}

TEST_CASE("iam: a wrong password fails every waiting call with IAM's error, one request") {
    fixture f(iam_emulator());
    std::vector<std::string> lines;
    auto opts = iam_options(f, "wrong-SECRET");
    opts.observe.min_level = log_level::debug;
    opts.observe.log = [&](log_level, std::string_view s) { lines.emplace_back(s); };
    client c(f.ioc.get_executor(), opts);
    int failed = 0;
    diagnostics last;
    std::vector<diagnostics> diags(20);
    for (int i = 0; i < 20; ++i)
        c.async_list_tasks(f.request(), diags[static_cast<std::size_t>(i)],
                           [&](error_code ec, page) {
                               if (ec == errc::unauthorized) ++failed;
                           });
    f.ioc.run_for(30s);
    REQUIRE(f.ioc.stopped());
    CHECK(failed == 20);
    CHECK(f.emu.counters().iam_token_requests == 1);
    CHECK(f.emu.counters().task_requests == 0);  // never a stale or empty token sent to SWR
    for (const auto& d : diags) {
        CHECK(d.http_status == 401);
        CHECK(d.error_code == "1101");
        CHECK(d.error_msg == "The username or password is wrong.");
        CHECK(d.message.find("IAM token request") != std::string::npos);
        CHECK_FALSE(d.request_id.empty());
    }
    for (const auto& l : lines) CHECK(l.find("SECRET") == std::string::npos);
    CHECK(opts.credentials.to_string().find("SECRET") == std::string::npos);
}

TEST_CASE("iam: a token answer IAM cannot have meant is bad_response, nothing sent to SWR") {
    struct row {
        const char* name;
        emulator::server_options emu;
        const char* message;
    };
    auto no_header = iam_emulator();
    no_header.iam_subject_token = false;
    const std::vector<row> rows = {
        {"201 without X-Subject-Token", no_header, "IAM response has no X-Subject-Token header"},
        {"token.expires_at an hour ago", iam_emulator(-1h),
         "IAM returned a token that has already expired"},
    };
    for (const auto& [name, eo, message] : rows) {
        CAPTURE(name);
        fixture f(eo);
        client c(f.ioc.get_executor(), iam_options(f));
        auto o = f.list(c, f.request());
        CHECK(o.ec == errc::bad_response);
        CHECK(o.diag.message == message);
        CHECK(o.diag.http_status == 201);
        CHECK(o.p.tasks.empty());
        CHECK(f.emu.counters().iam_token_requests == 1);
        CHECK(f.emu.counters().task_requests == 0);
        CHECK(f.emu.counters().auth_failures == 0);  // no token was made up and sent
    }
}

TEST_CASE("iam: request body, scope, and the environment") {
    iam_password_auth a;
    a.domain_name = "acme";
    a.user_name = "al\"ice";
    a.password = "pw";
    CHECK(
        a.request_body("proj-1") ==
        R"({"auth":{"identity":{"methods":["password"],"password":{"user":{"domain":{"name":"acme"},"name":"al\"ice","password":"pw"}}},"scope":{"project":{"id":"proj-1"}}}})");
    a.project_name = "cn-north-4";
    CHECK(a.request_body("").find(R"("scope":{"project":{"name":"cn-north-4"}})") !=
          std::string::npos);

    for (auto v : {"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "CLOUD_SDK_AK", "CLOUD_SDK_SK",
                   "SWR_AUTH_TOKEN"})
        ::unsetenv(v);
    ::setenv("HUAWEICLOUD_SDK_DOMAIN_NAME", "acme", 1);
    ::setenv("HUAWEICLOUD_SDK_USERNAME", "bob", 1);
    ::setenv("HUAWEICLOUD_SDK_PASSWORD", "env-SECRET", 1);
    ::setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", "https://127.0.0.1:1", 1);
    auto c = credentials::from_env();
    REQUIRE(c);
    CHECK(c->type() == credentials::kind::iam_password);
    CHECK(c->iam()->user_name == "bob");
    CHECK(c->iam()->iam_endpoint == "https://127.0.0.1:1");
    CHECK(c->to_string().find("env-SECRET") == std::string::npos);
    for (auto v : {"HUAWEICLOUD_SDK_DOMAIN_NAME", "HUAWEICLOUD_SDK_USERNAME",
                   "HUAWEICLOUD_SDK_PASSWORD", "HUAWEICLOUD_SDK_IAM_ENDPOINT"})
        ::unsetenv(v);
}
