// The SDK-HMAC-SHA256 Authorization header: written by the signer, read back by a verifier.
#include "auth/authorization.hpp"

#include <swr/signer.hpp>

#include <doctest/doctest.h>

using swr::detail::format_authorization;
using swr::detail::parse_authorization;

TEST_CASE("Authorization header: the fields written are the fields read") {
    auto value = format_authorization("AK1", "host;x-sdk-date", "abc123");
    CHECK(value == "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=abc123");
    auto f = parse_authorization(value);
    REQUIRE(f);
    CHECK(f->access == "AK1");
    CHECK(f->signed_headers == "host;x-sdk-date");
    CHECK(f->signature == "abc123");
}

TEST_CASE("Authorization header: the signer's value parses to its own parts") {
    swr::signing_input in;
    in.method = "GET";
    in.canonical_uri = "/v2/";
    in.headers = {{"Host", "example.com"}, {"X-Sdk-Date", "20261129T091522Z"}};
    auto parts = swr::sign_request(in, "MYAK", "MYSK", "20261129T091522Z");
    auto f = parse_authorization(parts.authorization);
    REQUIRE(f);
    CHECK(f->access == "MYAK");
    CHECK(f->signed_headers == parts.signed_headers);
    CHECK(f->signature == parts.signature);
}

TEST_CASE("Authorization header: other schemes refused, items in any order, unknown ignored") {
    CHECK_FALSE(parse_authorization(""));
    CHECK_FALSE(parse_authorization("Bearer abc"));
    CHECK_FALSE(parse_authorization("SDK-HMAC-SHA256Access=AK"));
    CHECK_FALSE(parse_authorization("sdk-hmac-sha256 Access=AK"));

    auto f = parse_authorization("SDK-HMAC-SHA256 Signature=s,Extra=1,  Access=AK");
    REQUIRE(f);
    CHECK(f->access == "AK");
    CHECK(f->signature == "s");
    CHECK(f->signed_headers.empty());  // absent: empty, for the verifier to refuse

    f = parse_authorization("SDK-HMAC-SHA256 ");
    REQUIRE(f);
    CHECK(f->access.empty());
    CHECK(f->signature.empty());
}
