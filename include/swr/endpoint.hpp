#pragma once
// A parsed service endpoint URL: scheme, host, port, and the Host header as it is sent and signed.

#include <swr/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace swr {

/// A service endpoint: where to connect and what to send as Host.
struct endpoint {
    bool tls = true;           ///< https (true) or http (false).
    std::string host;          ///< Host name or IP literal, without brackets.
    std::uint16_t port = 443;  ///< Explicit port, or the scheme's default.
    std::string host_header;   ///< `host` or `host:port` exactly as written in the URL.
    bool host_is_ip = false;   ///< IP literal: no SNI is sent.

    /// `https://host[:port]`, for messages and logs.
    std::string url() const;
};

/// Parses `https://host[:port]` (or `http://`). A path other than `/`, a query, a fragment or user
/// info is an error; `message` (when given) says which part was wrong, never quoting the URL.
/// The host is a DNS name (dot-separated labels of letters, digits, `-` and `_`, each 1..63
/// characters, 253 in all, one trailing dot allowed), an IPv4 address or a bracketed IPv6
/// address; anything else, percent-encoding included, is an error (`endpoint: host ...`).
error_code parse_endpoint(std::string_view url, endpoint& out, std::string* message = nullptr);

}  // namespace swr
