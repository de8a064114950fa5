#pragma once
// One keep-alive connection (TLS or plain) and the exchange of one request/response on it, each
// step under its own timeout and the call's deadline. A connection that failed or timed out is
// closed and never reused.

#include "api/request_builder.hpp"
#include "async/strand.hpp"
#include "wire/response_reader.hpp"

#include <swr/endpoint.hpp>
#include <swr/error.hpp>
#include <swr/options.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace swr::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;

/// What came back: the response (empty unless one was read whole), enough to decide success,
/// retry or failure, and how the exchange went. Kept by the caller from call to call: the
/// response's strings keep their storage.
struct http_result : response {
    bool got_bytes = false;  ///< Any response byte arrived (a stale connection sends none).
    std::size_t bytes_sent = 0;
    std::size_t bytes_received = 0;

    /// Empties it for the next exchange, keeping the strings' storage.
    void reset() noexcept {
        clear();
        got_bytes = false;
        bytes_sent = bytes_received = 0;
    }
};

/// Where and how to connect.
struct connect_target {
    const endpoint& ep;
    const std::optional<endpoint>& proxy;
    const timeout_options& timeouts;
    const limit_options& limits;
    const std::string& proxy_authorization;  ///< Sent on CONNECT when not empty.
};

class connection {
public:
    connection(detail::strand_executor ex, asio::ssl::context& ctx, bool tls);

    bool connected() const noexcept { return connected_; }
    bool reused() const noexcept { return responses_ > 0; }
    std::chrono::steady_clock::time_point idle_since() const noexcept { return idle_since_; }
    void mark_idle() { idle_since_ = std::chrono::steady_clock::now(); }
    /// Bytes are waiting to be read (in the socket or in TLS's buffer): an idle connection with
    /// any is not reused.
    bool has_unread() noexcept;

    /// Connects (through the proxy when given) and handshakes when not yet connected, then
    /// writes `wire` and reads one response. `deadline` bounds every step.
    asio::awaitable<error_code> exchange(const connect_target& t, const std::string& wire,
                                         http_result& out,
                                         std::chrono::steady_clock::time_point deadline,
                                         std::atomic<std::uint64_t>& connections_opened);

    /// Closes the socket: pending operations complete with operation_aborted.
    void close();

private:
    static asio::awaitable<error_code> ready(error_code ec);
    /// The round trip on the open connection, TLS or plain.
    asio::awaitable<error_code> roundtrip_any(const connect_target& t, const std::string& wire,
                                              http_result& out,
                                              std::chrono::steady_clock::time_point deadline);
    asio::awaitable<error_code> connect_then_roundtrip(
        const connect_target& t, const std::string& wire, http_result& out,
        std::chrono::steady_clock::time_point deadline,
        std::atomic<std::uint64_t>& connections_opened);
    asio::awaitable<error_code> connect(const connect_target& t,
                                        std::chrono::steady_clock::time_point deadline);
    template <class Stream>
    asio::awaitable<error_code> roundtrip(Stream& s, const connect_target& t,
                                          const std::string& wire, http_result& out,
                                          std::chrono::steady_clock::time_point deadline);
    /// Resolves `hop` under the connect timeout and the deadline; close() cancels it.
    asio::awaitable<error_code> resolve(const endpoint& hop, const connect_target& t,
                                        std::chrono::steady_clock::time_point deadline,
                                        asio::ip::tcp::resolver::results_type& out);
    /// When a step of `step` that starts now ends, and whether the deadline is what bounds it.
    static std::pair<std::chrono::steady_clock::time_point, bool> step_end(
        std::chrono::milliseconds step, std::chrono::steady_clock::time_point deadline);
    /// Arms the socket's timer with min(step, deadline - now). False when the deadline is past.
    bool arm(std::chrono::milliseconds step, std::chrono::steady_clock::time_point deadline);
    /// Maps beast::error::timeout to the step's errc, or deadline_exceeded when the deadline bound.
    error_code timeout_error(const error_code& ec, errc step) const;

    beast::ssl_stream<beast::tcp_stream> stream_;
    bool tls_;
    bool connected_ = false;
    bool closed_ = false;  ///< close() was called: nothing may connect or send any more.
    std::weak_ptr<asio::ip::tcp::resolver> resolving_;  ///< The lookup in progress, if any.
    bool deadline_bound_ = false;
    unsigned responses_ = 0;
    beast::flat_buffer buffer_;
    std::chrono::steady_clock::time_point idle_since_;
};

}  // namespace swr::detail
