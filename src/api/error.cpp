#include <swr/error.hpp>
#include <swr/observability.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

namespace swr {
namespace {

class swr_category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "swr"; }
    std::string message(int ev) const override {
        switch (static_cast<errc>(ev)) {
            case errc::invalid_request: return "invalid request";
            case errc::invalid_option: return "invalid client option";
            case errc::unknown_region: return "unknown region";
            case errc::invalid_header_value: return "header value contains CR, LF or NUL";
            case errc::bad_response: return "malformed or truncated HTTP response";
            case errc::header_too_large:
                return "response header, chunk header or trailer too large";
            case errc::body_too_large: return "response body too large";
            case errc::decode_failed: return "response body could not be decoded";
            case errc::bad_request: return "bad request (HTTP 400)";
            case errc::unauthorized: return "authentication failed (HTTP 401)";
            case errc::forbidden: return "access denied (HTTP 403)";
            case errc::not_found: return "resource not found (HTTP 404)";
            case errc::throttled: return "throttled (HTTP 429)";
            case errc::server_error: return "server error (HTTP 5xx)";
            case errc::http_status: return "unexpected HTTP status";
            case errc::connect_timeout: return "connect timed out";
            case errc::handshake_timeout: return "TLS handshake timed out";
            case errc::request_timeout: return "request timed out";
            case errc::deadline_exceeded: return "deadline exceeded";
            case errc::proxy_error: return "proxy CONNECT failed";
            case errc::pager_stuck: return "server repeated a page or did not advance";
            case errc::inconsistent_listing:
                return "the server's pages do not add up to a consistent listing";
            case errc::too_many_tasks: return "the listing is larger than max_tasks allows";
            case errc::callback_failed: return "a user callback threw an exception";
            case errc::pager_busy: return "another async_next() of this pager is running";
        }
        return "unknown swr error";
    }
};

}  // namespace

const boost::system::error_category& category() noexcept {
    static const swr_category cat;
    return cat;
}

errc errc_from_status(unsigned status) noexcept {
    switch (status) {
        case 400: return errc::bad_request;
        case 401: return errc::unauthorized;
        case 403: return errc::forbidden;
        case 404: return errc::not_found;
        case 429: return errc::throttled;
        // The 5xx a retry can help with; others (501 Not Implemented, 505, 507...) would only
        // be answered the same way again.
        case 500:
        case 502:
        case 503:
        case 504: return errc::server_error;
        default: return errc::http_status;
    }
}

bool is_retryable(const error_code& ec) noexcept {
    namespace ae = boost::asio::error;
    namespace http = boost::beast::http;
    if (!ec) return false;
    if (ec.category() == category()) {
        switch (static_cast<errc>(ec.value())) {
            case errc::bad_response:
            case errc::throttled:
            case errc::server_error:
            case errc::connect_timeout:
            case errc::handshake_timeout:
            case errc::request_timeout: return true;
            default: return false;
        }
    }
    if (ec == ae::connection_refused || ec == ae::connection_reset ||
        ec == ae::connection_aborted || ec == ae::eof || ec == ae::broken_pipe ||
        ec == ae::network_unreachable || ec == ae::host_unreachable || ec == ae::timed_out ||
        ec == ae::try_again || ec == ae::host_not_found_try_again ||
        ec == boost::asio::ssl::error::stream_truncated || ec == http::error::end_of_stream ||
        ec == http::error::partial_message || ec == boost::beast::error::timeout)
        return true;
    return false;
}

std::string_view to_string(log_level l) noexcept {
    switch (l) {
        case log_level::debug: return "debug";
        case log_level::info: return "info";
        case log_level::warning: return "warning";
        case log_level::error: return "error";
    }
    return "unknown";
}

std::string diagnostics::to_string() const {
    std::string out;
    auto add = [&](std::string_view k, const std::string& v) {
        if (v.empty()) return;
        if (!out.empty()) out += ", ";
        out += k;
        out += v;
    };
    if (http_status) add("HTTP ", std::to_string(http_status));
    add("error_code ", error_code);
    add("error_msg ", error_msg);
    add("request_id ", request_id);
    add("", message);
    if (attempts > 1) add("attempts ", std::to_string(attempts));
    return out;
}

}  // namespace swr
