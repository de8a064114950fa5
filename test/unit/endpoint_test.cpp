// Endpoint URLs: what parse_endpoint accepts, and the host rule every configured URL goes through.
#include <swr/client.hpp>
#include <swr/endpoint.hpp>
#include <swr/error.hpp>

#include <doctest/doctest.h>
#include <boost/asio/io_context.hpp>

#include <cstdlib>
#include <stdexcept>

namespace {

// The message of the client constructor's exception, or "" when it accepted the options.
std::string construction_error(swr::client_options o) {
    boost::asio::io_context io;
    try {
        swr::client c(io.get_executor(), std::move(o));
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return {};
}

}  // namespace

TEST_CASE("endpoint: parse and reject") {
    swr::endpoint ep;
    std::string msg;
    REQUIRE_FALSE(swr::parse_endpoint("https://127.0.0.1:8443", ep));
    CHECK(ep.host == "127.0.0.1");
    CHECK(ep.port == 8443);
    CHECK(ep.host_is_ip);
    CHECK(ep.host_header == "127.0.0.1:8443");
    REQUIRE_FALSE(swr::parse_endpoint("https://swr-api.cn-north-4.myhuaweicloud.com/", ep));
    CHECK(ep.port == 443);
    CHECK_FALSE(ep.host_is_ip);
    CHECK(ep.host_header == "swr-api.cn-north-4.myhuaweicloud.com");
    REQUIRE_FALSE(swr::parse_endpoint("http://localhost", ep));
    CHECK_FALSE(ep.tls);
    CHECK(ep.port == 80);
    CHECK(swr::parse_endpoint("ftp://x", ep, &msg) == swr::errc::invalid_option);
    CHECK(msg == "endpoint: scheme must be https or http");
    CHECK(swr::parse_endpoint("https://x/v2", ep, &msg) == swr::errc::invalid_option);
    CHECK(msg == "endpoint: must not have a path");
    CHECK(swr::parse_endpoint("not a url", ep, &msg) == swr::errc::invalid_option);
    CHECK(swr::parse_endpoint("https://u:p@x", ep, &msg) == swr::errc::invalid_option);
    CHECK(msg.find("p@") == std::string::npos);
}

TEST_CASE("endpoint: host is a DNS name, an IPv4 literal or a bracketed IPv6 literal") {
    swr::endpoint ep;
    std::string msg;
    REQUIRE_FALSE(swr::parse_endpoint("https://my_registry.example-1.com.", ep, &msg));
    CHECK(ep.host == "my_registry.example-1.com.");
    CHECK_FALSE(ep.host_is_ip);
    REQUIRE_FALSE(swr::parse_endpoint("http://[::1]:8080", ep, &msg));
    CHECK(ep.host == "::1");
    CHECK(ep.host_is_ip);
    CHECK(ep.host_header == "[::1]:8080");
    REQUIRE_FALSE(swr::parse_endpoint("https://[2001:db8::ffff:1.2.3.4]", ep, &msg));
    CHECK(ep.host_is_ip);
    REQUIRE_FALSE(swr::parse_endpoint("https://10.1.2.3:9443", ep, &msg));
    CHECK(ep.host_is_ip);
    const std::string label63(63, 'a');
    REQUIRE_FALSE(swr::parse_endpoint("https://" + label63 + ".com", ep, &msg));
    // 253 characters: three labels of 63, one of 61, and three dots.
    const std::string longest =
        label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
    REQUIRE(longest.size() == 253);
    REQUIRE_FALSE(swr::parse_endpoint("https://" + longest, ep, &msg));
    REQUIRE_FALSE(swr::parse_endpoint("https://" + longest + ".", ep, &msg));

    struct row {
        std::string url;
        std::string message;  // empty: any "endpoint: ..." message
    };
    const std::string pct = "endpoint: host must not be percent-encoded";
    const std::string chars =
        "endpoint: host must be a DNS name (labels of letters, digits, '-' and '_' separated by "
        "dots), an IPv4 address or a bracketed IPv6 address";
    for (const auto& [url, expected] : {
             // Percent-encoded CR LF would reach the CONNECT line and the Host header decoded.
             row{"https://evil%0d%0aX-Injected%3a%20y.example.com", pct},
             row{"https://a%0ab.example.com", pct},
             row{"https://a%20b.example.com", pct},
             row{"https://a%00b.example.com", pct},
             row{"https://H%41.example.com", pct},
             row{"https://a%2eexample.com", pct},
             row{"https://ex!ample.com", chars},
             row{"https://a*b.com", chars},
             row{"https://a~b.com", chars},
             row{"https://a;b=c.com", chars},
             row{"https://[v1.x]", chars},
             row{"https://a..b.com", "endpoint: host must not have an empty label"},
             row{"https://.a.com", "endpoint: host must not have an empty label"},
             row{"https://a.com..", "endpoint: host must not have an empty label"},
             row{"https://.", "endpoint: host must not have an empty label"},
             row{"https://" + std::string(64, 'a') + ".com",
                 "endpoint: host label must be at most 63 characters"},
             row{"https://" + longest + "x", "endpoint: host must be at most 253 characters"},
             // Raw CR, LF and spaces are not URLs at all.
             row{"https://a\r\nX: y.example.com", ""},
             row{"https://a b.example.com", ""},
             row{"https://a" + std::string(1, '\0') + "b.example.com", ""},
         }) {
        CAPTURE(url);
        msg.clear();
        CHECK(swr::parse_endpoint(url, ep, &msg) == swr::errc::invalid_option);
        if (expected.empty())
            CHECK(msg.starts_with("endpoint: "));
        else
            CHECK(msg == expected);
        CHECK(msg.find("Injected") == std::string::npos);
    }
}

TEST_CASE("endpoint: the host rule applies to region overrides, IAM and proxy URLs") {
    swr::client_options base;
    base.proxy.from_env = false;
    base.region = "cn-north-4";
    CHECK(construction_error(base).empty());

    auto o = base;
    ::setenv("HUAWEICLOUD_SDK_REGION_SWR_CN_NORTH_4", "https://a%0d%0aX%3a%20y.example.com", 1);
    CHECK(construction_error(o) == "endpoint: host must not be percent-encoded");
    ::unsetenv("HUAWEICLOUD_SDK_REGION_SWR_CN_NORTH_4");

    o = base;
    o.endpoint = "https://swr%0d%0a.example.com";
    CHECK(construction_error(o) == "endpoint: host must not be percent-encoded");

    o = base;
    swr::iam_password_auth auth;
    auth.domain_name = "d";
    auth.user_name = "u";
    auth.password = "pw";
    auth.iam_endpoint = "https://iam%0d%0aX%3a%20y.example.com";
    o.credentials = swr::credentials::iam_password(auth);
    CHECK(construction_error(o) == "iam_endpoint: endpoint: host must not be percent-encoded");

    o = base;
    o.proxy.url = "http://proxy%0d%0aX%3a%20y.example.com:3128";
    auto why = construction_error(o);
    CHECK(why.starts_with("proxy: "));
    CHECK(why.find('\n') == std::string::npos);
    o.proxy.url = "http://proxy_1.example.com:3128";
    CHECK(construction_error(o).empty());
}
