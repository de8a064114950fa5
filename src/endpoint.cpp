#include <swr/endpoint.hpp>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace swr {

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
