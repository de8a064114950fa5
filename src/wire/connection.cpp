#include "wire/connection.hpp"

#include "async/deadline.hpp"
#include "wire/response_reader.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

namespace swr::detail {

namespace http = beast::http;
using asio::ip::tcp;
using namespace std::chrono;

namespace {
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
}

connection::connection(detail::strand_executor ex, asio::ssl::context& ctx, bool tls)
    : stream_(beast::tcp_stream(std::move(ex)), ctx), tls_(tls) {
    // Room for a whole TLS record per read: fewer, larger reads than Beast's 512-byte start.
    buffer_.reserve(64 * 1024);
}

bool connection::has_unread() noexcept {
    if (tls_ && ::SSL_pending(stream_.native_handle()) > 0) return true;
    error_code ec;
    auto n = beast::get_lowest_layer(stream_).socket().available(ec);
    return ec || n > 0;
}

void connection::close() {
    closed_ = true;
    if (auto r = resolving_.lock()) r->cancel();
    beast::error_code ec;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(stream_).close();
    connected_ = false;
}

bool connection::arm(milliseconds step, steady_clock::time_point deadline) {
    auto& tcp_layer = beast::get_lowest_layer(stream_);
    if (deadline != steady_clock::time_point::max() && deadline <= steady_clock::now())
        return false;
    auto [when, bound] = step_end(step, deadline);
    deadline_bound_ = bound;
    if (when == steady_clock::time_point::max())
        tcp_layer.expires_never();
    else
        tcp_layer.expires_at(when);
    return true;
}

error_code connection::timeout_error(const error_code& ec, errc step) const {
    if (ec == beast::error::timeout)
        return make_error_code(deadline_bound_ ? errc::deadline_exceeded : step);
    return ec;
}

std::pair<steady_clock::time_point, bool> connection::step_end(milliseconds step,
                                                               steady_clock::time_point deadline) {
    auto step_end = detail::deadline_after(step);
    bool bound = deadline != steady_clock::time_point::max() && deadline < step_end;
    return {bound ? deadline : step_end, bound};
}

asio::awaitable<error_code> connection::resolve(const endpoint& hop, const connect_target& t,
                                                steady_clock::time_point deadline,
                                                tcp::resolver::results_type& out) {
    // Name resolution runs on Asio's resolver thread: bound it by the connect timeout and the
    // deadline with a timer of its own, and let close() (cancellation) stop it.
    if (deadline != steady_clock::time_point::max() && deadline <= steady_clock::now())
        co_return make_error_code(errc::deadline_exceeded);
    auto resolver = std::make_shared<tcp::resolver>(stream_.get_executor());
    resolving_ = resolver;
    auto [when, bound] = step_end(t.timeouts.connect, deadline);
    auto expired = std::make_shared<bool>(false);
    asio::steady_timer guard(stream_.get_executor(), when);
    guard.async_wait([weak = std::weak_ptr<tcp::resolver>(resolver), expired](error_code ec) {
        if (ec) return;
        *expired = true;
        if (auto r = weak.lock()) r->cancel();
    });
    auto [rec, results] =
        co_await resolver->async_resolve(hop.host, std::to_string(hop.port), use_tuple);
    guard.cancel();
    resolving_.reset();
    if (closed_) co_return make_error_code(asio::error::operation_aborted);
    if (*expired)
        co_return make_error_code(bound ? errc::deadline_exceeded : errc::connect_timeout);
    if (rec) co_return rec;
    out = std::move(results);
    co_return error_code{};
}

asio::awaitable<error_code> connection::connect(const connect_target& t,
                                                steady_clock::time_point deadline) {
    const endpoint& hop = t.proxy ? *t.proxy : t.ep;
    tcp::resolver::results_type results;
    if (auto ec = co_await resolve(hop, t, deadline, results)) co_return ec;

    auto& tcp_layer = beast::get_lowest_layer(stream_);
    if (!arm(t.timeouts.connect, deadline)) co_return make_error_code(errc::deadline_exceeded);
    auto [cec, ep] = co_await tcp_layer.async_connect(results, use_tuple);
    if (closed_) co_return make_error_code(asio::error::operation_aborted);
    if (cec) co_return timeout_error(cec, errc::connect_timeout);
    tcp_layer.socket().set_option(tcp::no_delay(true));

    if (t.proxy) {
        // HTTP CONNECT tunnel to the real endpoint; TLS runs inside it.
        auto authority =
            (t.ep.host.find(':') != std::string::npos ? "[" + t.ep.host + "]" : t.ep.host) + ":" +
            std::to_string(t.ep.port);
        std::string req = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
        if (!t.proxy_authorization.empty())
            req += "Proxy-Authorization: " + t.proxy_authorization + "\r\n";
        req += "\r\n";
        auto [wec, wn] = co_await asio::async_write(tcp_layer, asio::buffer(req), use_tuple);
        if (wec) co_return timeout_error(wec, errc::connect_timeout);
        http::response_parser<http::empty_body> p;
        p.skip(true);  // a 2xx to CONNECT has no body
        p.header_limit(static_cast<std::uint32_t>(t.limits.max_header_bytes));
        auto [pec, pn] = co_await http::async_read_header(tcp_layer, buffer_, p, use_tuple);
        if (pec) co_return timeout_error(pec, errc::connect_timeout);
        if (p.get().result_int() / 100 != 2) co_return make_error_code(errc::proxy_error);
        // The server speaks first only after our ClientHello: any byte already here came from
        // the proxy, and would later be read as the server's response (a forgery).
        if (buffer_.size() != 0) co_return make_error_code(errc::proxy_error);
    }

    if (tls_) {
        // SNI for host names only (never for an IP literal).
        if (!t.ep.host_is_ip &&
            !SSL_ctrl(stream_.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME,
                      TLSEXT_NAMETYPE_host_name, const_cast<char*>(t.ep.host.c_str())))
            co_return error_code(static_cast<int>(::ERR_get_error()),
                                 asio::error::get_ssl_category());
        stream_.set_verify_callback(asio::ssl::host_name_verification(t.ep.host));
        if (!arm(t.timeouts.handshake, deadline))
            co_return make_error_code(errc::deadline_exceeded);
        auto [hec] = co_await stream_.async_handshake(asio::ssl::stream_base::client, use_tuple);
        if (hec) co_return timeout_error(hec, errc::handshake_timeout);
    }
    connected_ = true;
    co_return error_code{};
}

template <class Stream>
asio::awaitable<error_code> connection::roundtrip(Stream& s, const connect_target& t,
                                                  const std::string& wire, http_result& out,
                                                  steady_clock::time_point deadline) {
    if (!arm(t.timeouts.request, deadline)) co_return make_error_code(errc::deadline_exceeded);
    auto [wec, wn] = co_await asio::async_write(s, asio::buffer(wire), use_tuple);
    out.bytes_sent = wn;
    if (wec) co_return timeout_error(wec, errc::request_timeout);

    // The response goes into the caller's strings, reused across calls: no 20 KB allocation
    // (and malloc_consolidate) per page, none per header.
    response_reader reader(t.limits, out);
    for (;;) {
        auto state = reader.put(buffer_);
        if (state == response_reader::state::done) break;
        if (state == response_reader::state::failed) {
            out.got_bytes = reader.got_bytes();
            co_return reader.error();
        }
        auto room = std::min<std::size_t>(buffer_.max_size() - buffer_.size(), 64 * 1024);
        auto [rec, rn] = co_await s.async_read_some(buffer_.prepare(room), use_tuple);
        buffer_.commit(rn);
        out.bytes_received += rn;
        if (rec) {
            if (rec == beast::error::timeout) {
                out.got_bytes = reader.got_bytes() || buffer_.size() != 0;
                co_return timeout_error(rec, errc::request_timeout);
            }
            if (rec == asio::error::operation_aborted) co_return rec;
            if (buffer_.size() != 0 && reader.put(buffer_) == response_reader::state::done) break;
            if (reader.on_read_error(rec) == response_reader::state::done) break;
            out.got_bytes = reader.got_bytes();
            co_return reader.error();
        }
    }
    out.got_bytes = true;
    // Leftover bytes after the response: the framing of what follows cannot be trusted.
    if (reader.leftover()) out.keep_alive = false;
    ++responses_;
    co_return error_code{};
}

asio::awaitable<error_code> connection::exchange(const connect_target& t, const std::string& wire,
                                                 http_result& out,
                                                 steady_clock::time_point deadline,
                                                 std::atomic<std::uint64_t>& connections_opened) {
    // Not a coroutine itself: on a connection already open, it hands back the round trip's (one
    // coroutine frame fewer per request).
    out.reset();
    if (closed_) return ready(make_error_code(asio::error::operation_aborted));
    // Every byte read is bounded by the limits, whatever the server sends.
    buffer_.max_size(response_reader::buffer_limit(t.limits));
    if (!connected_) return connect_then_roundtrip(t, wire, out, deadline, connections_opened);
    return roundtrip_any(t, wire, out, deadline);
}

asio::awaitable<error_code> connection::ready(error_code ec) { co_return ec; }

asio::awaitable<error_code> connection::roundtrip_any(const connect_target& t,
                                                      const std::string& wire, http_result& out,
                                                      steady_clock::time_point deadline) {
    if (tls_) return roundtrip(stream_, t, wire, out, deadline);
    return roundtrip(beast::get_lowest_layer(stream_), t, wire, out, deadline);
}

asio::awaitable<error_code> connection::connect_then_roundtrip(
    const connect_target& t, const std::string& wire, http_result& out,
    steady_clock::time_point deadline, std::atomic<std::uint64_t>& connections_opened) {
    connections_opened.fetch_add(1, std::memory_order_relaxed);
    if (auto ec = co_await connect(t, deadline)) co_return ec;
    co_return co_await roundtrip_any(t, wire, out, deadline);
}

}  // namespace swr::detail
