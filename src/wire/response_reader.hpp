#pragma once
// Reads one HTTP/1.1 response out of a byte buffer, sans-io: the connection reads bytes from the
// socket into the buffer and feeds them here until the reader says done or failed.
//
// What it guarantees, whatever the server sends:
// - Memory stays bounded: the buffer never holds more than max_header_bytes + 64 KiB, so an
//   endless header line, chunk extension or trailer fails (errc::header_too_large) instead of
//   growing; the body is bounded by max_body_bytes (errc::body_too_large).
// - Interim responses (1xx other than 101) are skipped, at most max_interim in a row; a 101 or
//   one interim response too many is errc::bad_response.
// - A response that ends early (close, reset, truncation) is never handed back as data.
// - Bytes left after the final response mean the connection's framing cannot be trusted:
//   leftover() is true and the connection must not be reused.

#include <swr/error.hpp>
#include <swr/options.hpp>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace swr::detail {

class response_reader {
public:
    /// Interim (1xx) responses skipped before the final one.
    static constexpr unsigned max_interim = 8;
    /// Room in the read buffer beyond max_header_bytes (one TLS record and then some).
    static constexpr std::size_t buffer_slack = 64 * 1024;

    using message = boost::beast::http::response<boost::beast::http::string_body>;

    /// `body` is storage to reuse for the response body (its capacity is kept).
    response_reader(const limit_options& limits, std::string body);

    /// The most the read buffer may hold for these limits.
    static std::size_t buffer_limit(const limit_options& limits) noexcept {
        return limits.max_header_bytes + buffer_slack;
    }

    enum class state { need_more, done, failed };

    /// Parses what `buf` holds and consumes it. need_more: read more bytes into `buf` (at most
    /// buffer_limit() in all; a full buffer is failed, not need_more).
    state put(boost::beast::flat_buffer& buf);
    /// Reading more failed with `read_ec` (asio::error::eof for a clean close): done for a
    /// close-delimited body ended by a clean close, failed otherwise. A failure before any byte
    /// keeps `read_ec` (eof as http::error::end_of_stream); after some bytes it is bad_response.
    state on_read_error(const error_code& read_ec);

    /// Why the reader failed (errc values, or the read error given to put_eof).
    error_code error() const noexcept { return ec_; }
    /// Any response byte arrived (a stale kept-alive connection sends none).
    bool got_bytes() const noexcept { return got_bytes_; }
    /// Bytes were left after the final response: never reuse the connection.
    bool leftover() const noexcept { return leftover_; }
    /// Interim responses skipped.
    unsigned interim() const noexcept { return interim_; }
    /// The final response, after state::done.
    message& get() { return msg_; }

private:
    void start_parser(std::string body);
    /// The final response is parsed: take it, if its framing and encoding are ones we read.
    state finish();
    state fail(errc e);

    limit_options limits_;
    std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>> parser_;
    message msg_;
    error_code ec_;
    bool got_bytes_ = false;
    bool leftover_ = false;
    unsigned interim_ = 0;
};

}  // namespace swr::detail
