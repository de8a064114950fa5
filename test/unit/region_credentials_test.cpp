#include <swr/credentials.hpp>
#include <swr/error.hpp>
#include <swr/region.hpp>

#include <doctest/doctest.h>

#include <boost/asio/error.hpp>
#include <boost/json/parse.hpp>

#include <cstdlib>

TEST_CASE("region: table, eu-west-101, unknown region lists the known ones, env override") {
    std::string url, msg;
    CHECK_FALSE(swr::endpoint_for_region("cn-north-4", url));
    CHECK(url == "https://swr-api.cn-north-4.myhuaweicloud.com");
    CHECK_FALSE(swr::endpoint_for_region("eu-west-101", url));
    CHECK(url == "https://swr-api.eu-west-101.myhuaweicloud.eu");
    CHECK(swr::known_regions().size() == 21);
    CHECK(swr::endpoint_for_region("mars-1", url, &msg) == swr::errc::unknown_region);
    CHECK(msg.find("unknown region 'mars-1'") != std::string::npos);
    CHECK(msg.find("ap-southeast-3") != std::string::npos);

    ::setenv("HUAWEICLOUD_SDK_REGION_SWR_CN_NORTH_4", "https://127.0.0.1:9", 1);
    CHECK_FALSE(swr::endpoint_for_region("cn-north-4", url));
    CHECK(url == "https://127.0.0.1:9");
    ::setenv("HUAWEICLOUD_SDK_REGION_SWR_MY_REGION_1", "https://x.example", 1);
    CHECK_FALSE(swr::endpoint_for_region("my-region-1", url));
    CHECK(url == "https://x.example");
    ::unsetenv("HUAWEICLOUD_SDK_REGION_SWR_CN_NORTH_4");
    ::unsetenv("HUAWEICLOUD_SDK_REGION_SWR_MY_REGION_1");
}

TEST_CASE("credentials: from the environment, secrets never in to_string") {
    for (auto v : {"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN",
                   "CLOUD_SDK_AK", "CLOUD_SDK_SK", "SWR_AUTH_TOKEN"})
        ::unsetenv(v);
    CHECK_FALSE(swr::credentials::from_env());
    ::setenv("SWR_AUTH_TOKEN", "tok-secret", 1);
    auto c = swr::credentials::from_env();
    REQUIRE(c);
    CHECK(c->type() == swr::credentials::kind::token);
    CHECK(c->token_value() == "tok-secret");
    CHECK(c->to_string().find("tok-secret") == std::string::npos);
    ::setenv("CLOUD_SDK_AK", "ak2", 1);
    ::setenv("CLOUD_SDK_SK", "sk2-secret", 1);
    c = swr::credentials::from_env();
    CHECK(c->type() == swr::credentials::kind::aksk);
    CHECK(c->access_key() == "ak2");
    ::setenv("HUAWEICLOUD_SDK_AK", "ak1", 1);
    ::setenv("HUAWEICLOUD_SDK_SK", "sk1-secret", 1);
    ::setenv("HUAWEICLOUD_SDK_SECURITY_TOKEN", "sts-secret", 1);
    c = swr::credentials::from_env();
    CHECK(c->access_key() == "ak1");
    CHECK(c->secret_key() == "sk1-secret");
    CHECK(c->security_token() == "sts-secret");
    auto s = c->to_string();
    CHECK(s.find("ak1") != std::string::npos);
    CHECK(s.find("sk1-secret") == std::string::npos);
    CHECK(s.find("sts-secret") == std::string::npos);
    for (auto v : {"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN",
                   "CLOUD_SDK_AK", "CLOUD_SDK_SK", "SWR_AUTH_TOKEN"})
        ::unsetenv(v);
}

TEST_CASE("errors: category, status mapping, diagnostics text") {
    using swr::errc;
    CHECK(swr::make_error_code(errc::not_found).message() == "resource not found (HTTP 404)");
    CHECK(swr::errc_from_status(400) == errc::bad_request);
    CHECK(swr::errc_from_status(401) == errc::unauthorized);
    CHECK(swr::errc_from_status(403) == errc::forbidden);
    CHECK(swr::errc_from_status(404) == errc::not_found);
    CHECK(swr::errc_from_status(429) == errc::throttled);
    // Only the 5xx a retry can help with are server_error (retried); other 5xx are not.
    for (unsigned s : {500u, 502u, 503u, 504u})
        CHECK(swr::errc_from_status(s) == errc::server_error);
    for (unsigned s : {501u, 505u, 506u, 507u, 508u, 511u, 599u})
        CHECK(swr::errc_from_status(s) == errc::http_status);
    CHECK(swr::errc_from_status(418) == errc::http_status);
    // What is retryable: retry_policy_test.cpp "what is retried and what is not".

    swr::diagnostics d;
    d.http_status = 404;
    d.error_code = "SWR.0404";
    d.error_msg = "not found";
    d.request_id = "r-1";
    CHECK(d.to_string() == "HTTP 404, error_code SWR.0404, error_msg not found, request_id r-1");
}

TEST_CASE("iam: the token request body is the IAM JSON, escaped, with the project scope") {
    swr::iam_password_auth a{"acme", "ali\"ce", "pa\\ss\nword"};
    auto v = boost::json::parse(a.request_body("proj-1"));
    const auto& user = v.at("auth").at("identity").at("password").at("user");
    CHECK(user.at("domain").at("name") == "acme");
    CHECK(user.at("name") == "ali\"ce");
    CHECK(user.at("password") == "pa\\ss\nword");
    CHECK(v.at("auth").at("identity").at("methods").at(0) == "password");
    CHECK(v.at("auth").at("scope").at("project").at("id") == "proj-1");
    a.project_name = "cn-north-4";
    CHECK(boost::json::parse(a.request_body("proj-1"))
              .at("auth")
              .at("scope")
              .at("project")
              .at("name") == "cn-north-4");
}
