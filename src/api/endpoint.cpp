#include <swr/endpoint.hpp>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>

namespace swr {
namespace {

constexpr const char* host_grammar =
    "host must be a DNS name (labels of letters, digits, '-' and '_' separated by dots), an IPv4 "
    "address or a bracketed IPv6 address";

bool is_label_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

// A DNS name as written: the host is sent in the CONNECT line, the Host header and SNI, so
// nothing outside the name grammar may get through (Boost.URL's reg-name allows much more).
const char* check_host_name(std::string_view name) {
    if (name.find('%') != std::string_view::npos) return "host must not be percent-encoded";
    if (!std::all_of(name.begin(), name.end(), [](char c) { return c == '.' || is_label_char(c); }))
        return host_grammar;
    if (name.size() > 1 && name.back() == '.') name.remove_suffix(1);  // the root, written out
    if (name.size() > 253) return "host must be at most 253 characters";
    for (std::size_t start = 0;;) {
        auto dot = name.find('.', start);
        auto len = (dot == std::string_view::npos ? name.size() : dot) - start;
        if (len == 0) return "host must not have an empty label";
        if (len > 63) return "host label must be at most 63 characters";
        if (dot == std::string_view::npos) return nullptr;
        start = dot + 1;
    }
}

}  // namespace

std::string endpoint::url() const { return (tls ? "https://" : "http://") + host_header; }

error_code parse_endpoint(std::string_view text, endpoint& out, std::string* message) {
    auto fail = [&](std::string why) {
        if (message) *message = "endpoint: " + why;
        return make_error_code(errc::invalid_option);
    };
    auto r = boost::urls::parse_absolute_uri(text);
    if (!r) return fail("not an absolute URL (expected https://host[:port])");
    auto u = *r;
    if (u.scheme() == "https")
        out.tls = true;
    else if (u.scheme() == "http")
        out.tls = false;
    else
        return fail("scheme must be https or http");
    if (u.has_userinfo()) return fail("must not contain user info");
    if (u.host().empty()) return fail("host must not be empty");
    switch (u.host_type()) {
        case boost::urls::host_type::ipv4:
        case boost::urls::host_type::ipv6: break;
        case boost::urls::host_type::name:
            if (const char* why = check_host_name(u.encoded_host())) return fail(why);
            break;
        default: return fail(host_grammar);  // ipvfuture, or none
    }
    if (!u.path().empty() && u.path() != "/") return fail("must not have a path");
    if (u.has_query() || u.has_fragment()) return fail("must not have a query or fragment");
    out.host = std::string(u.host_address());
    out.host_is_ip = u.host_type() == boost::urls::host_type::ipv4 ||
                     u.host_type() == boost::urls::host_type::ipv6;
    if (u.has_port()) {
        if (u.port_number() == 0) return fail("port must be 1..65535");
        out.port = u.port_number();
    } else {
        out.port = out.tls ? 443 : 80;
    }
    out.host_header = std::string(u.encoded_host_and_port());
    return {};
}

}  // namespace swr
