#include "api/request_builder.hpp"

#include <doctest/doctest.h>

using swr::detail::outgoing_request;

namespace {

swr::list_tasks_request make_request(std::string ns) {
    swr::list_tasks_request r;
    r.project_id = "p1";
    r.instance_id = "ins";
    r.namespace_name = std::move(ns);
    r.policy_id = 2;
    r.execution_id = 8;
    return r;
}

swr::endpoint ep(std::string url = "https://swr-api.cn-north-4.myhuaweicloud.com") {
    swr::endpoint e;
    REQUIRE_FALSE(swr::parse_endpoint(url, e));
    return e;
}

}  // namespace

TEST_CASE("request builder: path parameters are encoded exactly once, each one segment") {
    struct row {
        const char* ns;
        const char* encoded;
    };
    for (auto [ns, enc] :
         {row{"my ns", "my%20ns"}, row{"team+ci", "team%2Bci"}, row{"a/b", "a%2Fb"},
          row{"50%", "50%25"}, row{"命名空间", "%E5%91%BD%E5%90%8D%E7%A9%BA%E9%97%B4"}}) {
        CAPTURE(ns);
        outgoing_request out;
        REQUIRE_FALSE(swr::detail::build_list_tasks(make_request(ns), ep(), "", "ua", out));
        auto expected_path = std::string("/v2/p1/instances/ins/namespaces/") + enc +
                             "/signature/policies/2/executions/8/tasks";
        CHECK(out.path == expected_path);
        CHECK(out.target == expected_path);

        // The signed canonical URI is the target that is sent plus '/'.
        REQUIRE_FALSE(swr::detail::authorize(out, swr::credentials::aksk("AK", "SK"),
                                             std::chrono::system_clock::time_point{}));
        swr::signing_input si;
        si.method = "GET";
        si.canonical_uri = out.path + "/";
        si.headers = {{"Host", *out.header("Host")},
                      {"X-Project-Id", "p1"},
                      {"X-Sdk-Date", *out.header("X-Sdk-Date")}};
        auto parts = swr::sign_request(si, "AK", "SK", *out.header("X-Sdk-Date"));
        CHECK(*out.header("Authorization") == parts.authorization);
        CHECK(parts.canonical_request.find(std::string("/namespaces/") + enc + "/signature") !=
              std::string::npos);
    }
}

TEST_CASE("request builder: query, headers, no Content-Type on a GET") {
    auto r = make_request("library");
    r.limit = 20;
    r.offset = 40;
    outgoing_request out;
    REQUIRE_FALSE(swr::detail::build_list_tasks(r, ep("https://127.0.0.1:8443"), "",
                                                "swr-sign-tasks/1", out));
    CHECK(out.target.ends_with("/tasks?offset=40&limit=20"));
    CHECK(*out.header("Host") == "127.0.0.1:8443");
    CHECK(*out.header("User-Agent") == "swr-sign-tasks/1");
    CHECK(*out.header("Accept") == "application/json");
    CHECK(*out.header("X-Project-Id") == "p1");
    CHECK(out.header("Content-Type") == nullptr);

    SUBCASE("limit alone means offset 0") {
        r.offset.reset();
        REQUIRE_FALSE(swr::detail::build_list_tasks(r, ep(), "", "ua", out));
        CHECK(out.target.ends_with("/tasks?offset=0&limit=20"));
    }
    SUBCASE("project id from the client when the request has none") {
        r.project_id.clear();
        REQUIRE_FALSE(swr::detail::build_list_tasks(r, ep(), "fromclient", "ua", out));
        CHECK(out.target.starts_with("/v2/fromclient/"));
        CHECK(*out.header("X-Project-Id") == "fromclient");
    }
}

TEST_CASE("request builder: invalid request names the field and the rule, nothing is built") {
    auto r = make_request("ns");
    r.limit = 0;
    outgoing_request out;
    std::string msg;
    auto ec = swr::detail::build_list_tasks(r, ep(), "", "ua", out, &msg);
    CHECK(ec == swr::errc::invalid_request);
    CHECK(msg == "limit: must be between 1 and 100");
}

TEST_CASE("request builder: the client's project id is validated like the request's") {
    auto r = make_request("ns");
    r.project_id.clear();
    for (std::string dots : {".", ".."}) {
        CAPTURE(dots);
        outgoing_request out;
        std::string msg;
        CHECK(swr::detail::build_list_tasks(r, ep(), dots, "ua", out, &msg) ==
              swr::errc::invalid_request);
        CHECK(msg == "project_id: must not be \".\" or \"..\"");
        CHECK(out.path.empty());
    }
    std::string msg;
    outgoing_request out;
    CHECK(swr::detail::build_list_tasks(r, ep(), "a\r\nb", "ua", out, &msg) ==
          swr::errc::invalid_request);
    CHECK(msg.starts_with("project_id: "));
}

TEST_CASE("request builder: CR, LF or NUL in a header value is refused before sending") {
    for (std::string bad : {std::string("a\rb"), std::string("a\nb"), std::string("a\0b", 3)}) {
        outgoing_request out;
        REQUIRE_FALSE(swr::detail::build_list_tasks(make_request("ns"), ep(), "", "ua", out));
        std::string msg;
        CHECK(swr::detail::authorize(out, swr::credentials::token(bad), {}, &msg) ==
              swr::errc::invalid_header_value);
        CHECK(msg == "header X-Auth-Token: must not contain CR, LF or NUL");
        CHECK(msg.find(bad) == std::string::npos);
        // A user agent with CR LF is refused too.
        CHECK(swr::detail::build_list_tasks(make_request("ns"), ep(), "", "ua\r\nX: y", out,
                                            &msg) == swr::errc::invalid_header_value);
    }
}

TEST_CASE("request builder: token and security token auth; redaction hides every secret") {
    outgoing_request out;
    REQUIRE_FALSE(swr::detail::build_list_tasks(make_request("ns"), ep(), "", "ua", out));
    REQUIRE_FALSE(swr::detail::authorize(out, swr::credentials::token("tok-SECRET"), {}));
    CHECK(*out.header("X-Auth-Token") == "tok-SECRET");
    CHECK(out.header("Authorization") == nullptr);
    auto shown = swr::detail::to_redacted_string(out, ep());
    CHECK(shown.find("tok-SECRET") == std::string::npos);
    CHECK(shown.find("X-Auth-Token: <redacted>") != std::string::npos);

    // Re-authorizing replaces the previous attempt's headers.
    auto creds = swr::credentials::aksk("AKID", "SK-SECRET", "STS-SECRET");
    REQUIRE_FALSE(swr::detail::authorize(out, creds, std::chrono::system_clock::time_point{}));
    CHECK(out.header("X-Auth-Token") == nullptr);
    CHECK(*out.header("X-Sdk-Date") == "19700101T000000Z");
    CHECK(*out.header("X-Security-Token") == "STS-SECRET");
    const auto& auth = *out.header("Authorization");
    CHECK(auth.find("SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,") !=
          std::string::npos);
    shown = swr::detail::to_redacted_string(out, ep());
    auto sig = auth.substr(auth.find("Signature=") + 10);
    CHECK(shown.find(sig) == std::string::npos);
    CHECK(shown.find("STS-SECRET") == std::string::npos);
    CHECK(shown.find("SK-SECRET") == std::string::npos);
    CHECK(shown.find("Authorization: SDK-HMAC-SHA256 Access=AKID, SignedHeaders=host;x-project-id;"
                     "x-sdk-date;x-security-token, Signature=<redacted>\n") != std::string::npos);

    std::string wire;
    swr::detail::serialize(out, wire);
    CHECK(wire.starts_with(
        "GET /v2/p1/instances/ins/namespaces/ns/signature/policies/2/executions/8/tasks "
        "HTTP/1.1\r\nHost: swr-api.cn-north-4.myhuaweicloud.com\r\n"));
    CHECK(wire.ends_with("\r\n\r\n"));
}

TEST_CASE("request builder: the IAM token request's head, checked like every request's") {
    outgoing_request out;
    std::string msg;
    REQUIRE_FALSE(swr::detail::build_iam_token_request(ep("https://iam.example.com:8443"), "ua/1",
                                                       42, out, &msg));
    std::string wire;
    swr::detail::serialize(out, wire);
    CHECK(wire ==
          "POST /v3/auth/tokens HTTP/1.1\r\nHost: iam.example.com:8443\r\nUser-Agent: ua/1\r\n"
          "Accept: application/json\r\nContent-Type: application/json;charset=UTF-8\r\n"
          "Content-Length: 42\r\n\r\n");
    CHECK(swr::detail::build_iam_token_request(ep("https://iam.example.com"), "ua\r\nX-Evil: 1", 42,
                                               out, &msg) == swr::errc::invalid_header_value);
    CHECK(msg == "header User-Agent: must not contain CR, LF or NUL");
}

TEST_CASE("request builder: a builder used again sends what a fresh build would") {
    auto wire_of = [](const outgoing_request& r) {
        std::string w;
        swr::detail::serialize(r, w);
        return w;
    };
    swr::detail::list_tasks_builder b;
    auto same_as_fresh = [&](const swr::list_tasks_request& r, std::string_view project) {
        std::string m1, m2;
        outgoing_request fresh;
        auto e1 = swr::detail::build_list_tasks(r, ep(), project, "ua", fresh, &m1);
        auto e2 = b.build(r, ep(), project, "ua", &m2);
        CHECK(e1 == e2);
        CHECK(m1 == m2);
        if (e1) return;
        CHECK(b.request.target == fresh.target);
        CHECK(b.request.query == fresh.query);
        CHECK(b.request.path == fresh.path);
        // Authorized for the call (the token header of the previous one rewritten, never
        // doubled), the bytes sent are the same.
        REQUIRE_FALSE(swr::detail::authorize(b.request, swr::credentials::token("tok"), {}));
        REQUIRE_FALSE(swr::detail::authorize(fresh, swr::credentials::token("tok"), {}));
        CHECK(wire_of(b.request) == wire_of(fresh));
    };
    auto r = make_request("ns");
    r.limit = 10;
    for (std::int64_t offset : {0, 10, 990}) {
        r.offset = offset;
        same_as_fresh(r, "");
    }
    r.offset = 15;  // not a multiple of the limit: refused on the quick path too
    same_as_fresh(r, "");
    r.offset.reset();
    r.limit.reset();
    same_as_fresh(r, "");
    r.limit = 100;
    r.execution_id = 9;  // another execution: built anew
    same_as_fresh(r, "");
    r.project_id.clear();  // the client's project id
    same_as_fresh(r, "from-client");
    same_as_fresh(r, "other-client");
    same_as_fresh(r, "..");  // and it is checked
    r.namespace_name = "a/b";
    same_as_fresh(r, "from-client");
}
