#pragma once
// The HTTP CONNECT proxy's URL: `http://[user[:password]@]host:port`. User info becomes the
// Proxy-Authorization value of the CONNECT request and nothing else: the parsed endpoint, every
// message and every log line are free of it.

#include <swr/endpoint.hpp>
#include <swr/error.hpp>
#include <swr/options.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace swr::detail {

/// The Proxy-Authorization value (`Basic base64(user:password)`), or empty when the proxy URL has
/// no user info. Wiped when destroyed; never copied, so no stray copy outlives it.
class proxy_authorization {
public:
    proxy_authorization() = default;
    proxy_authorization(const proxy_authorization&) = delete;
    proxy_authorization& operator=(const proxy_authorization&) = delete;
    ~proxy_authorization() { clear(); }

    const std::string& value() const noexcept { return value_; }
    /// Sets `Basic base64(user:password)`.
    void set_basic(std::string_view user, std::string_view password);
    /// Wipes and empties the value.
    void clear() noexcept;

private:
    std::string value_;
};

/// Parses the proxy URL: an http endpoint (same rules as parse_endpoint) that may carry user info.
/// User and password are percent-decoded; CR, LF or NUL in them, or ':' in the user, is an error.
/// On error `message` says what was wrong, never showing the credentials, and `auth` is empty.
error_code parse_proxy(std::string_view url, endpoint& out, proxy_authorization& auth,
                       std::string* message = nullptr);

/// Whether a NO_PROXY list names `host`: comma-separated hosts, `.suffix` or `suffix` matching
/// subdomains too, a `:port` ignored, `*` for every host.
bool bypasses_proxy(std::string_view no_proxy, std::string_view host);

/// The proxy a client's connections go through, and the NO_PROXY list in force, so that the
/// client's other host (IAM) is checked against the same list.
struct proxy_choice {
    std::optional<endpoint> proxy;  ///< For the service's endpoint; none: connect directly.
    std::string no_proxy;           ///< The option's, else (from_env) the environment's.

    /// The proxy for a connection to `host`: `proxy`, unless no_proxy names the host.
    std::optional<endpoint> for_host(std::string_view host) const;
};

/// proxy_options::url, else (from_env) HTTPS_PROXY/https_proxy or HTTP_PROXY/http_proxy by
/// `target`'s scheme; none when the list names `target`'s host. The proxy URL's user info goes
/// to `auth`. A malformed URL: parse_proxy's error and message.
error_code select_proxy(const proxy_options& o, const endpoint& target, proxy_choice& out,
                        proxy_authorization& auth, std::string* message = nullptr);

}  // namespace swr::detail
