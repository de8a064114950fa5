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
#include <boost/beast/http/basic_parser.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace swr::detail {

/// What the client reads of a final response. The reader fills one its caller keeps: strings are
/// cleared and refilled, so their storage serves response after response without allocating.
struct response {
    unsigned status = 0;
    bool keep_alive = false;  ///< HTTP/1.1 without "Connection: close", and not close-delimited.
    std::string body;
    std::string request_id;     ///< X-Request-Id (the first given); empty when absent.
    std::string subject_token;  ///< X-Subject-Token (IAM token responses).
    std::string retry_after;    ///< Retry-After (the first given), when has_retry_after.
    bool has_retry_after = false;

    /// Empties every field, keeping the strings' storage.
    void clear() noexcept {
        status = 0;
        keep_alive = has_retry_after = false;
        body.clear();
        request_id.clear();
        subject_token.clear();
        retry_after.clear();
    }
};

/// Beast's HTTP/1 parser keeping only what `response` holds: no header container (one
/// allocation per field in Beast's), the body appended to the caller's string.
class response_parser final : public boost::beast::http::basic_parser<false> {
public:
    explicit response_parser(response& out) : out_(out) {}

    unsigned status() const noexcept { return status_; }
    /// Transfer-Encoding other than chunked, or Content-Encoding other than identity, was given.
    bool unknown_transfer_encoding() const noexcept { return bad_te_; }
    bool unknown_content_encoding() const noexcept { return bad_ce_; }
    /// Any Connection or Proxy-Connection field lists `close` (the connection is not reused,
    /// whatever else the fields say).
    bool says_close() const noexcept { return close_; }

private:
    using string_view = boost::beast::string_view;
    using field = boost::beast::http::field;
    void on_request_impl(boost::beast::http::verb, string_view, string_view, int,
                         error_code&) override {}
    void on_response_impl(int code, string_view, int, error_code&) override {
        status_ = static_cast<unsigned>(code);
    }
    void on_field_impl(field name, string_view name_string, string_view value,
                       error_code&) override;
    void on_header_impl(error_code&) override {}
    void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                           error_code&) override;
    std::size_t on_body_impl(string_view body, error_code&) override {
        out_.body.append(body.data(), body.size());
        return body.size();
    }
    void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override {
        out_.body.append(body.data(), body.size());
        return body.size();
    }
    void on_finish_impl(error_code&) override {}

    response& out_;
    unsigned status_ = 0;
    bool seen_id_ = false, seen_token_ = false, seen_te_ = false, seen_ce_ = false;
    bool close_ = false;  // a Connection or Proxy-Connection field says close
    bool bad_te_ = false, bad_ce_ = false;
};

class response_reader {
public:
    /// Interim (1xx) responses skipped before the final one.
    static constexpr unsigned max_interim = 8;
    /// Room in the read buffer beyond max_header_bytes (one TLS record and then some).
    static constexpr std::size_t buffer_slack = 64 * 1024;

    /// Reads into `out` (emptied first; its strings' storage is reused). Unless the reader ends
    /// done, `out` is emptied again when it goes: nothing of a response cut short (a timeout,
    /// a cancellation) is left in it.
    response_reader(const limit_options& limits, response& out);
    ~response_reader() {
        if (!done_) out_.clear();
    }
    response_reader(const response_reader&) = delete;
    response_reader& operator=(const response_reader&) = delete;

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
    /// The final response, after state::done (the `out` given).
    response& get() { return out_; }

private:
    void start_parser();
    /// The final response is parsed: take it, if its framing and encoding are ones we read.
    state finish();
    state fail(errc e);
    /// Empties the caller's response (nothing of a failed one is handed on) and keeps `ec`.
    state fail(error_code ec);

    limit_options limits_;
    response& out_;
    std::optional<response_parser> parser_;
    error_code ec_;
    bool got_bytes_ = false;
    bool leftover_ = false;
    bool done_ = false;
    unsigned interim_ = 0;
};

}  // namespace swr::detail
