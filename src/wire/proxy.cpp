#include "wire/proxy.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdlib>

namespace swr::detail {
namespace {

// Decoded credentials live in these only as long as the parse: wiped on the way out.
struct wiped_string {
    std::string s;
    ~wiped_string() { OPENSSL_cleanse(s.data(), s.size()); }
};

bool has_cr_lf_nul(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || !c; });
}

// The first of the variables that is set and not empty.
std::string getenv_first(const char* a, const char* b) {
    for (const char* name : {a, b})
        if (const char* v = std::getenv(name); v && *v) return v;
    return {};
}

}  // namespace

void proxy_authorization::set_basic(std::string_view user, std::string_view password) {
    wiped_string plain{std::string(user) + ':' + std::string(password)};
    wiped_string encoded{std::string(4 * ((plain.s.size() + 2) / 3) + 1, '\0')};
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.s.data()),
                            reinterpret_cast<const unsigned char*>(plain.s.data()),
                            static_cast<int>(plain.s.size()));
    clear();
    value_.reserve(6 + static_cast<std::size_t>(n));
    value_ = "Basic ";
    value_.append(encoded.s.data(), static_cast<std::size_t>(n));
}

void proxy_authorization::clear() noexcept {
    OPENSSL_cleanse(value_.data(), value_.size());
    value_.clear();
}

error_code parse_proxy(std::string_view text, endpoint& out, proxy_authorization& auth,
                       std::string* message) {
    auth.clear();
    auto fail = [&](std::string why) {
        if (message) *message = "proxy: " + why;
        return make_error_code(errc::invalid_option);
    };
    auto r = boost::urls::parse_absolute_uri(text);
    if (!r) return fail("endpoint: not an absolute URL (expected http://host:port)");
    // The endpoint is checked without the user info, so no message can echo it.
    boost::urls::url without_userinfo(*r);
    without_userinfo.remove_userinfo();
    std::string why;
    if (parse_endpoint(without_userinfo.buffer(), out, &why)) return fail(why);
    if (out.tls) return fail("must be http://host:port");
    if (!r->has_userinfo()) return {};

    wiped_string user{r->user()}, password{r->password()};
    if (has_cr_lf_nul(user.s) || has_cr_lf_nul(password.s))
        return fail("user name and password must not contain CR, LF or NUL");
    if (user.s.find(':') != std::string::npos) return fail("user name must not contain ':'");
    if (user.s.empty() && password.s.empty()) return {};  // `http://@host`: nothing to send
    auth.set_basic(user.s, password.s);
    return {};
}

bool bypasses_proxy(std::string_view no_proxy, std::string_view host) {
    std::size_t start = 0;
    while (start <= no_proxy.size()) {
        auto comma = no_proxy.find(',', start);
        auto item = no_proxy.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (auto colon = item.find(':');
            colon != std::string_view::npos && item.find(']') == std::string_view::npos)
            item = item.substr(0, colon);
        if (item == "*") return true;
        if (!item.empty() && item.front() == '.') item.remove_prefix(1);
        if (!item.empty() && (host == item || (host.size() > item.size() && host.ends_with(item) &&
                                               host[host.size() - item.size() - 1] == '.')))
            return true;
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return false;
}

std::optional<endpoint> proxy_choice::for_host(std::string_view host) const {
    if (proxy && !bypasses_proxy(no_proxy, host)) return proxy;
    return std::nullopt;
}

error_code select_proxy(const proxy_options& o, const endpoint& target, proxy_choice& out,
                        proxy_authorization& auth, std::string* message) {
    out = proxy_choice{};
    std::string url = o.url;
    out.no_proxy = o.no_proxy;
    if (o.from_env) {
        if (url.empty())
            url = target.tls ? getenv_first("HTTPS_PROXY", "https_proxy")
                             : getenv_first("HTTP_PROXY", "http_proxy");
        if (out.no_proxy.empty()) out.no_proxy = getenv_first("NO_PROXY", "no_proxy");
    }
    if (url.empty() || bypasses_proxy(out.no_proxy, target.host)) return {};
    endpoint p;
    if (auto ec = parse_proxy(url, p, auth, message)) return ec;
    out.proxy = std::move(p);
    return {};
}

}  // namespace swr::detail
