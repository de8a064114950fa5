// The proxy URL: user info becomes the Proxy-Authorization value and appears nowhere else.
#include "wire/proxy.hpp"

#include <swr/client.hpp>

#include <doctest/doctest.h>
#include <boost/asio/io_context.hpp>

using swr::detail::parse_proxy;
using swr::detail::proxy_authorization;

TEST_CASE("proxy URL: user info becomes Basic credentials, percent-decoded") {
    swr::endpoint ep;
    proxy_authorization auth;
    std::string msg;
    REQUIRE_FALSE(parse_proxy("http://127.0.0.1:3128", ep, auth, &msg));
    CHECK(ep.host == "127.0.0.1");
    CHECK(ep.port == 3128);
    CHECK(auth.value().empty());

    REQUIRE_FALSE(parse_proxy("http://user:pass@proxy.example.com:8080", ep, auth, &msg));
    CHECK(auth.value() == "Basic dXNlcjpwYXNz");  // base64("user:pass")
    CHECK(ep.host == "proxy.example.com");
    CHECK(ep.port == 8080);
    CHECK(ep.host_header == "proxy.example.com:8080");
    CHECK(ep.url() == "http://proxy.example.com:8080");

    REQUIRE_FALSE(parse_proxy("http://us%40er:p%3As%20s@[::1]:3128", ep, auth, &msg));
    CHECK(auth.value() == "Basic dXNAZXI6cDpzIHM=");  // base64("us@er:p:s s")
    CHECK(ep.host == "::1");

    REQUIRE_FALSE(parse_proxy("http://user@proxy:1", ep, auth, &msg));
    CHECK(auth.value() == "Basic dXNlcjo=");  // base64("user:")

    // Parsing a URL without user info drops the previous value.
    REQUIRE_FALSE(parse_proxy("http://proxy:1", ep, auth, &msg));
    CHECK(auth.value().empty());
}

TEST_CASE("proxy URL: CR, LF, NUL or a bad URL are refused without showing the credentials") {
    struct row {
        const char* url;
        const char* message;
    };
    for (auto [url, expected] : {
             row{"http://user:s3cret%0d%0aX-Injected:%20y@proxy:1",
                 "proxy: user name and password must not contain CR, LF or NUL"},
             row{"http://us%0aer:s3cret@proxy:1",
                 "proxy: user name and password must not contain CR, LF or NUL"},
             row{"http://user:s3cret%00@proxy:1",
                 "proxy: user name and password must not contain CR, LF or NUL"},
             row{"http://us%3Aer:s3cret@proxy:1", "proxy: user name must not contain ':'"},
             row{"https://user:s3cret@proxy:1", "proxy: must be http://host:port"},
             row{"http://user:s3cret@pro%0axy:1",
                 "proxy: endpoint: host must not be percent-encoded"},
             row{"http://user:s3cret@proxy:1/path", "proxy: endpoint: must not have a path"},
             row{"http://user:s3cret@proxy:0", "proxy: endpoint: port must be 1..65535"},
             row{"http://user:s3cret@proxy:1 x",
                 "proxy: endpoint: not an absolute URL (expected http://host:port)"},
             row{"socks5://user:s3cret@proxy:1", "proxy: endpoint: scheme must be https or http"},
         }) {
        CAPTURE(url);
        swr::endpoint ep;
        proxy_authorization auth;
        REQUIRE_FALSE(parse_proxy("http://user:pass@proxy:1", ep, auth));
        std::string msg;
        CHECK(parse_proxy(url, ep, auth, &msg) == swr::errc::invalid_option);
        CHECK(msg == expected);
        CHECK(msg.find("s3cret") == std::string::npos);
        CHECK(auth.value().empty());
    }
}

TEST_CASE("proxy URL: the client accepts credentials for the proxy only") {
    boost::asio::io_context io;
    swr::client_options o;
    o.endpoint = "https://127.0.0.1:8443";
    o.project_id = "p";
    o.proxy.from_env = false;
    o.proxy.url = "http://user:s3cret@127.0.0.1:3128";
    swr::client c(io.get_executor(), o);
    swr::list_tasks_request r;
    r.instance_id = "i";
    r.namespace_name = "n";
    std::string shown;
    REQUIRE_FALSE(c.describe_request(r, shown));
    CHECK(shown.find("s3cret") == std::string::npos);
    CHECK(shown.find("dXNlcjpzM2NyZXQ") == std::string::npos);  // base64("user:s3cret")

    // The SWR and IAM endpoints still refuse user info, and say so without echoing it.
    o.proxy.url.clear();
    o.endpoint = "https://user:s3cret@127.0.0.1:8443";
    CHECK_THROWS_WITH_AS(swr::client(io.get_executor(), o), "endpoint: must not contain user info",
                         std::invalid_argument);
    o.endpoint = "https://127.0.0.1:8443";
    swr::iam_password_auth auth;
    auth.domain_name = "d";
    auth.user_name = "u";
    auth.password = "pw";
    auth.iam_endpoint = "https://user:s3cret@iam.example.com";
    o.credentials = swr::credentials::iam_password(auth);
    CHECK_THROWS_WITH_AS(swr::client(io.get_executor(), o),
                         "iam_endpoint: endpoint: must not contain user info",
                         std::invalid_argument);
}

TEST_CASE("proxy choice: the option's URL unless NO_PROXY names the host; IAM checked alike") {
    swr::endpoint swr_ep, iam_ep;
    REQUIRE_FALSE(swr::parse_endpoint("https://swr.example.com", swr_ep));
    REQUIRE_FALSE(swr::parse_endpoint("https://iam.internal.example", iam_ep));
    swr::proxy_options o;
    o.from_env = false;
    o.url = "http://u:p@proxy.example.com:3128";
    o.no_proxy = "localhost, .internal.example";
    swr::detail::proxy_choice choice;
    proxy_authorization auth;
    REQUIRE_FALSE(swr::detail::select_proxy(o, swr_ep, choice, auth));
    REQUIRE(choice.proxy);
    CHECK(choice.proxy->host == "proxy.example.com");
    CHECK(auth.value() == "Basic dTpw");  // base64("u:p")
    CHECK(choice.for_host("swr.example.com"));
    CHECK_FALSE(choice.for_host("iam.internal.example"));  // a subdomain of a listed suffix

    // A host the list names connects directly, and the URL is not even parsed.
    o.url = "http://bad url";
    REQUIRE_FALSE(swr::detail::select_proxy(o, iam_ep, choice, auth));
    CHECK_FALSE(choice.proxy);
    CHECK_FALSE(choice.for_host("swr.example.com"));  // no proxy for the client at all
    std::string msg;
    CHECK(swr::detail::select_proxy(o, swr_ep, choice, auth, &msg));
    CHECK_FALSE(msg.empty());

    o.url.clear();  // and from_env off: no proxy whatever the environment says
    REQUIRE_FALSE(swr::detail::select_proxy(o, swr_ep, choice, auth));
    CHECK_FALSE(choice.proxy);
}

TEST_CASE("proxy choice: NO_PROXY items") {
    using swr::detail::bypasses_proxy;
    CHECK(bypasses_proxy("*", "anything.example"));
    CHECK(bypasses_proxy("example.com", "example.com"));
    CHECK(bypasses_proxy("example.com", "a.example.com"));
    CHECK(bypasses_proxy(".example.com", "a.example.com"));
    CHECK_FALSE(bypasses_proxy("example.com", "badexample.com"));
    CHECK(bypasses_proxy(" other , example.com:443 ", "example.com"));  // port ignored
    CHECK_FALSE(bypasses_proxy("", "example.com"));
    CHECK_FALSE(bypasses_proxy("other.com", "example.com"));
}
