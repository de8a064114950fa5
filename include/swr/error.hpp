#pragma once
// Errors by origin: the library's own errc (with its category) in the error_code, and the details
// of a failed call (HTTP status, the service's error fields, request id) in a diagnostics value.

#include <boost/system/error_code.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <type_traits>

namespace swr {

using boost::system::error_code;

/// Errors raised by this library. Transport errors keep their own categories (asio, ssl, beast).
enum class errc {
    invalid_request = 1,   ///< A request field breaks a rule; diagnostics::message names it.
    invalid_option,        ///< A client option is unusable (endpoint URL, proxy URL, ...).
    unknown_region,        ///< No endpoint is known for the region.
    invalid_header_value,  ///< A CR, LF or NUL in a header value; nothing was sent.
    bad_response,          ///< The response is not valid HTTP/1.1 or is cut short.
    header_too_large,      ///< Response header (or a chunk header or trailer) over the limits.
    body_too_large,        ///< Response body over client_options::limits.max_body_bytes.
    decode_failed,         ///< A 2xx body that is not the expected JSON; message names the path.
    bad_request,           ///< HTTP 400.
    unauthorized,          ///< HTTP 401.
    forbidden,             ///< HTTP 403.
    not_found,             ///< HTTP 404.
    throttled,             ///< HTTP 429.
    server_error,          ///< HTTP 500, 502, 503 or 504: retried.
    http_status,           ///< Any other non-2xx status, other 5xx (501, 505...) included: not
                           ///< retried.
    connect_timeout,       ///< TCP connect or proxy CONNECT took too long.
    handshake_timeout,     ///< TLS handshake took too long.
    request_timeout,       ///< One attempt (write + read) took too long.
    deadline_exceeded,     ///< The call's overall deadline passed.
    proxy_error,           ///< The HTTP CONNECT proxy refused or failed the tunnel.
    pager_stuck,           ///< The server repeated a page or did not advance.
    inconsistent_listing,  ///< The pages do not add up to `total` (short, empty, duplicate ids,
                           ///< a changed total); diagnostics::message says where.
    too_many_tasks,        ///< `total` above the call's max_tasks; nothing was allocated for it.
    callback_failed,       ///< A user hook (progress, update, log, metrics, refresh) threw.
    pager_busy,  ///< async_next() while another async_next() of the same pager is running.
};

const boost::system::error_category& category() noexcept;

inline error_code make_error_code(errc e) noexcept {
    return error_code(static_cast<int>(e), category());
}

/// Maps an HTTP status (>= 300) to the errc that names it.
errc errc_from_status(unsigned status) noexcept;

/// True when trying the same call again may succeed: timeouts, connection failures, a response
/// cut short, 429 and 500/502/503/504. Never for TLS verification failures, other 4xx, bad input
/// or a well-framed body that does not decode.
bool is_retryable(const error_code& ec) noexcept;

/// What went wrong, beside the error_code. Text from the server is untrusted: it is kept as sent
/// (bounded in size) and never interpreted.
struct diagnostics {
    unsigned http_status = 0;  ///< 0: no response was received.
    std::string error_code;    ///< Service `error_code` (or `code`).
    std::string error_msg;     ///< Service `error_msg` (or `message`, or raw body).
    std::string encoded_authorization_message;  ///< Encrypted reason of a 403, as sent.
    std::string request_id;                     ///< `X-Request-Id` response header.
    std::string message;                        ///< Client-side detail (field and rule, JSON path).
    unsigned attempts = 0;                      ///< Attempts the call made.
    /// The server's Retry-After hint, when it sent one that could be read.
    std::optional<std::chrono::milliseconds> retry_after;

    /// Back to empty.
    void clear() { *this = diagnostics{}; }
    /// One line for a person: the fields that are set.
    std::string to_string() const;
};

}  // namespace swr

/// \cond INTERNAL
template <>
struct boost::system::is_error_code_enum<swr::errc> : std::true_type {};
/// \endcond
