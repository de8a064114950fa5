#include "emulator/aksk_verifier.hpp"

#include "auth/authorization.hpp"
#include "wire/http_time.hpp"

#include <swr/signer.hpp>

#include <boost/url/parse.hpp>

namespace swr::emulator::detail {
namespace {

namespace http = boost::beast::http;

// The signed headers' values as received; false when one is missing or host or x-sdk-date is
// not among them.
bool add_signed_headers(const request& req, std::string_view signed_headers, signing_input& in) {
    bool has_host = false, has_date = false;
    std::string_view rest = signed_headers;
    while (!rest.empty()) {
        auto semi = rest.find(';');
        auto name = rest.substr(0, semi);
        auto h = req.find(name);
        if (h == req.end()) return false;
        in.headers.emplace_back(std::string(name), std::string(h->value()));
        has_host |= name == "host";
        has_date |= name == "x-sdk-date";
        if (semi == std::string_view::npos) break;
        rest.remove_prefix(semi + 1);
    }
    return has_host && has_date;
}

}  // namespace

bool aksk_verifier::date_is_recent(std::string_view sdk_date) const {
    auto when = swr::detail::parse_sdk_date(sdk_date);
    if (!when) return false;
    auto skew = std::chrono::system_clock::now() - *when;
    return skew <= max_clock_skew_ && skew >= -max_clock_skew_;
}

bool aksk_verifier::verify(const request& req, std::string_view target) const {
    if (ak_.empty()) return false;
    auto auth_it = req.find(http::field::authorization);
    if (auth_it == req.end()) return false;
    auto fields = swr::detail::parse_authorization(auth_it->value());
    if (!fields || fields->access != ak_ || fields->signature.empty()) return false;
    auto date_it = req.find("X-Sdk-Date");
    if (date_it == req.end() || !date_is_recent(date_it->value())) return false;

    signing_input in;
    in.method = "GET";
    in.canonical_uri = canonical_uri_from_encoded_path(target.substr(0, target.find('?')));
    auto u = boost::urls::parse_origin_form(target);
    if (!u) return false;
    for (auto p : u->params()) in.query.emplace_back(p.key, p.has_value ? p.value : "");
    if (!add_signed_headers(req, fields->signed_headers, in)) return false;
    auto parts = sign_request(in, ak_, sk_, date_it->value());
    return parts.signed_headers == fields->signed_headers &&
           constant_time_equal(parts.signature, fields->signature);
}

}  // namespace swr::emulator::detail
