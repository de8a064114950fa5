// Every vector of test/data/signer-vectors.json (made by the official Node.js SDK's signer),
// reproduced byte for byte: each intermediate value, the signature and the Authorization header.
#include "api/request_builder.hpp"

#include <swr/signer.hpp>

#include <doctest/doctest.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <fstream>
#include <sstream>

namespace json = boost::json;

namespace {

const json::value& vectors() {
    static const json::value v = [] {
        std::ifstream f(SWR_TEST_DATA_DIR "/signer-vectors.json");
        REQUIRE(f.good());
        std::stringstream ss;
        ss << f.rdbuf();
        return json::parse(ss.str());
    }();
    return v;
}

const json::object& find_vector(std::string_view name) {
    for (const auto& v : vectors().at("vectors").as_array())
        if (v.at("name").as_string() == name) return v.as_object();
    FAIL("no vector named " << name);
    throw std::logic_error("unreachable");
}

std::string str(const json::value& v) { return std::string(v.as_string()); }

void check_vector(std::string_view name) {
    const auto& v = find_vector(name);
    const auto& in = v.at("inputs").as_object();
    const auto& sdk = v.at("sdk").as_object();

    swr::signing_input si;
    std::string method = str(in.at("method"));
    si.method = method;
    si.canonical_uri = swr::canonical_uri_from_raw_path(str(in.at("path")));
    for (const auto& q : in.at("query").as_array())
        si.query.emplace_back(str(q.as_array()[0]), str(q.as_array()[1]));
    bool has_date = false;
    for (const auto& h : in.at("headers").as_array()) {
        si.headers.emplace_back(str(h.as_array()[0]), str(h.as_array()[1]));
        if (si.headers.back().first == "X-Sdk-Date") has_date = true;
    }
    si.headers.emplace_back("host", str(in.at("host")));
    std::string date = str(in.at("date"));
    if (!has_date) {
        // The signer takes the time from an injected clock, as the SDK's pinned moment.now().
        REQUIRE(str(in.at("date_source")) == "clock");
        auto ms = std::chrono::milliseconds(in.at("clock_ms").to_number<std::int64_t>());
        date = swr::format_sdk_date(std::chrono::system_clock::time_point(ms));
        si.headers.emplace_back("X-Sdk-Date", date);
    }
    std::string body = in.at("body").is_string() ? str(in.at("body")) : std::string();
    si.body = body;

    auto parts = swr::sign_request(si, str(in.at("ak")), str(in.at("sk")), date);
    CHECK(date == str(sdk.at("signing_date")));
    CHECK(si.canonical_uri == str(sdk.at("canonical_uri")));
    CHECK(parts.canonical_query == str(sdk.at("canonical_query_string")));
    CHECK(parts.canonical_headers == str(sdk.at("canonical_headers")));
    CHECK(parts.signed_headers == str(sdk.at("signed_headers")));
    CHECK(parts.payload_hash == str(sdk.at("payload_hash")));
    CHECK(parts.canonical_request == str(sdk.at("canonical_request")));
    CHECK(swr::sha256_hex(parts.canonical_request) == str(sdk.at("canonical_request_sha256")));
    CHECK(parts.string_to_sign == str(sdk.at("string_to_sign")));
    CHECK(parts.signature == str(sdk.at("signature")));
    CHECK(parts.authorization == str(sdk.at("authorization")));

    // API vectors: the request builder sends the target the SDK sent, and signs that target.
    if (v.contains("api")) {
        const auto& api = v.at("api").as_object();
        swr::list_tasks_request r;
        r.project_id = str(api.at("project_id"));
        r.instance_id = str(api.at("instance_id"));
        r.namespace_name = str(api.at("namespace_name"));
        r.policy_id = api.at("policy_id").to_number<std::int64_t>();
        r.execution_id = api.at("execution_id").to_number<std::int64_t>();
        if (!api.at("offset").is_null()) r.offset = api.at("offset").to_number<std::int64_t>();
        if (!api.at("limit").is_null()) r.limit = api.at("limit").to_number<std::int64_t>();
        swr::endpoint ep;
        REQUIRE_FALSE(swr::parse_endpoint("https://" + str(in.at("host")), ep));
        swr::detail::outgoing_request out;
        REQUIRE_FALSE(swr::detail::build_list_tasks(r, ep, "", "ua", out));
        CHECK(out.target == str(v.at("wire").at("target")));
        CHECK(swr::canonical_uri_from_encoded_path(out.path) == str(sdk.at("canonical_uri")));
    }
}

}  // namespace

#define SIGNER_VECTOR(name) \
    TEST_CASE("signer vector " name) { check_vector(name); }

SIGNER_VECTOR("api-01-basic-no-query")
SIGNER_VECTOR("api-02-offset-limit")
SIGNER_VECTOR("api-03-other-ids-paging")
SIGNER_VECTOR("api-06-namespace-tilde")
SIGNER_VECTOR("api-07-namespace-unicode")
SIGNER_VECTOR("api-10-sdk-adds-date")
SIGNER_VECTOR("api-11-extra-headers")
SIGNER_VECTOR("sig-01-minimal-headers")
SIGNER_VECTOR("sig-02-query-encoding")
SIGNER_VECTOR("sig-03-json-body")
SIGNER_VECTOR("sig-04-unsigned-payload")
SIGNER_VECTOR("sig-05-header-values-verbatim")
SIGNER_VECTOR("sig-06-host-with-port")
SIGNER_VECTOR("sig-08-clock-date")

TEST_CASE("signer vectors: the file holds exactly the 14 vectors tested above") {
    CHECK(vectors().at("vectors").as_array().size() == 14);
}

TEST_CASE("signer: header order is one byte-wise order for list and block") {
    swr::signing_input si;
    si.method = "GET";
    si.canonical_uri = "/";
    si.headers = {{"X-B_c", "1"}, {"X-B-c", "2"}, {"Host", "h"}};
    auto p = swr::sign_request(si, "ak", "sk", "20201201T070635Z");
    CHECK(p.signed_headers == "host;x-b-c;x-b_c");
    CHECK(p.canonical_headers == "host:h\nx-b-c:2\nx-b_c:1\n");
}

TEST_CASE("signer: encode_rfc3986 keeps only the unreserved set") {
    CHECK(swr::encode_rfc3986("aZ09-_.~") == "aZ09-_.~");
    CHECK(swr::encode_rfc3986("a b+c/%") == "a%20b%2Bc%2F%25");
    CHECK(swr::encode_rfc3986("\xc3\xa9") == "%C3%A9");
}
