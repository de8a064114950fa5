#include "emulator/transport_faults.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace swr::emulator::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

template <class Stream>
asio::awaitable<bool> write_all(Stream& s, std::string out) {
    auto [ec, n] = co_await asio::async_write(s, asio::buffer(out), use_tuple);
    co_return !ec;
}

// Reads until the client gives up: the request is never answered.
template <class Stream>
asio::awaitable<bool> never_answer(Stream& s, beast::tcp_stream& tcp) {
    tcp.expires_never();
    char c = 0;
    co_await s.async_read_some(asio::buffer(&c, 1), use_tuple);
    co_return false;
}

// Half the body announced, then a close (or a reset: linger 0 sends RST).
template <class Stream>
asio::awaitable<bool> cut_body(Stream& s, beast::tcp_stream& tcp, const response& res, bool reset,
                               head_writer& head) {
    co_await write_all(
        s, head(200, {}, res.body.size(), true) + res.body.substr(0, res.body.size() / 2));
    if (reset) {
        beast::error_code ig;
        tcp.socket().set_option(tcp::socket::linger(true, 0), ig);
        tcp.socket().close(ig);
    }
    co_return false;
}

// The body one byte every `delay`.
template <class Stream>
asio::awaitable<bool> slow_body(Stream& s, const response& res, std::chrono::milliseconds delay,
                                bool keep_alive, head_writer& head) {
    co_await write_all(s, head(200, {}, res.body.size(), keep_alive));
    for (char c : res.body) {
        asio::steady_timer t(s.get_executor(), delay);
        co_await t.async_wait(use_tuple);
        if (!co_await write_all(s, std::string(1, c))) co_return false;
    }
    co_return keep_alive;
}

std::string one_byte_chunks(std::string_view body) {
    std::string out;
    for (char c : body) {
        out += "1\r\n";
        out += c;
        out += "\r\n";
    }
    return out + "0\r\n\r\n";
}

// `f.size` interim responses (103 and 100 in turn), or a 101, before the answer.
std::string interim_responses(const fault& f) {
    if (f.status == 101) return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n";
    std::string out;
    for (std::size_t k = 0; k < f.size; ++k)
        out += k % 2 ? "HTTP/1.1 100 Continue\r\n\r\n"
                     : "HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\n";
    return out;
}

// Bounded here too: the emulator stops after `size` bytes (or when the client hangs up, which
// is what a bounded client does much earlier).
template <class Stream>
asio::awaitable<bool> endless(Stream& s, const fault& f, head_writer& head) {
    std::string out = head(200, "Transfer-Encoding: chunked\r\n", std::nullopt, true);
    if (f.what == fault::kind::endless_header) out = "HTTP/1.1 200 OK\r\nX-Long: ";
    if (f.what == fault::kind::endless_chunk_extension) out += "1;x=";
    if (f.what == fault::kind::endless_trailer) out += "1\r\n{\r\n0\r\n";
    if (!co_await write_all(s, std::move(out))) co_return false;
    std::string filler;
    if (f.what == fault::kind::endless_trailer)
        while (filler.size() < 64 * 1024) filler += "X-T: v\r\n";
    else
        filler.assign(64 * 1024, 'a');
    std::size_t limit = f.size ? f.size : std::size_t(64) << 20;
    for (std::size_t sent = 0; sent < limit; sent += filler.size())
        if (!co_await write_all(s, filler)) co_return false;
    co_return false;
}

// No length and no chunking: the body ends where the connection does, with or without saying
// so in `Connection: close`.
template <class Stream>
asio::awaitable<bool> close_delimited(Stream& s, beast::tcp_stream& tcp, const response& res,
                                      fault::kind what, head_writer& head) {
    co_await write_all(
        s, head(200, {}, std::nullopt, what == fault::kind::close_delimited_no_close_header) +
               res.body);
    if (what == fault::kind::close_delimited_unclean) {
        beast::error_code ig;
        tcp.socket().close(ig);  // no close_notify: the body's end is unproven
    }
    co_return false;  // otherwise the caller shuts TLS down cleanly
}

}  // namespace

template <class Stream>
asio::awaitable<bool> act_out(Stream& s, beast::tcp_stream& tcp, const response& res,
                              bool keep_alive, head_writer& head) {
    const fault& f = *res.behaviour;
    switch (f.what) {
        case fault::kind::no_response: co_return co_await never_answer(s, tcp);
        case fault::kind::close_before_response: co_return false;
        case fault::kind::headers_then_close:
            co_await write_all(s, head(200, {}, res.body.size(), true));
            co_return false;
        case fault::kind::truncated_body:
        case fault::kind::reset_mid_body:
            co_return co_await cut_body(s, tcp, res, f.what == fault::kind::reset_mid_body, head);
        case fault::kind::slow_body:
            co_return co_await slow_body(s, res, f.delay, keep_alive, head);
        case fault::kind::chunked_1byte:
            co_return co_await write_all(
                s, head(200, "Transfer-Encoding: chunked\r\n", std::nullopt, keep_alive) +
                       one_byte_chunks(res.body)) &&
                keep_alive;
        case fault::kind::interim_1xx:
            co_return co_await write_all(
                s, interim_responses(f) +
                       head(res.status, res.extra_headers, res.body.size(), keep_alive) +
                       res.body) &&
                keep_alive;
        case fault::kind::endless_header:
        case fault::kind::endless_chunk_extension:
        case fault::kind::endless_trailer: co_return co_await endless(s, f, head);
        case fault::kind::close_delimited:
        case fault::kind::close_delimited_unclean:
        case fault::kind::close_delimited_no_close_header:
            co_return co_await close_delimited(s, tcp, res, f.what, head);
        default: co_return false;
    }
}

template asio::awaitable<bool> act_out(beast::tcp_stream&, beast::tcp_stream&, const response&,
                                       bool, head_writer&);
template asio::awaitable<bool> act_out(beast::ssl_stream<beast::tcp_stream&>&, beast::tcp_stream&,
                                       const response&, bool, head_writer&);

}  // namespace swr::emulator::detail
