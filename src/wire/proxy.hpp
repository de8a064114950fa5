#pragma once
// The HTTP CONNECT proxy's URL: `http://[user[:password]@]host:port`. User info becomes the
// Proxy-Authorization value of the CONNECT request and nothing else: the parsed endpoint, every
// message and every log line are free of it.

#include <swr/endpoint.hpp>
#include <swr/error.hpp>

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

}  // namespace swr::detail
