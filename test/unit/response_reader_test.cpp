// The response reader fed bytes directly: no sockets.
#include "wire/response_reader.hpp"

#include <doctest/doctest.h>
#include <boost/asio/error.hpp>

#include <cstring>
#include <limits>

using swr::errc;
using swr::detail::response_reader;

namespace {

struct outcome {
    response_reader::state state;
    swr::error_code ec;
    unsigned status = 0;
    std::string body;
    bool leftover = false;
};

/// Feeds `bytes` in pieces of `piece`, then a clean close if the reader still wants more.
outcome read(std::string_view bytes, std::size_t piece = 7, swr::limit_options limits = {}) {
    boost::beast::flat_buffer buf;
    buf.max_size(response_reader::buffer_limit(limits));
    swr::detail::response out;
    response_reader r(limits, out);
    auto st = response_reader::state::need_more;
    for (std::size_t at = 0; st == response_reader::state::need_more && at < bytes.size();) {
        auto n = std::min({piece, bytes.size() - at, buf.max_size() - buf.size()});
        auto mb = buf.prepare(n);
        std::memcpy(mb.data(), bytes.data() + at, n);
        buf.commit(n);
        at += n;
        st = r.put(buf);
    }
    if (st == response_reader::state::need_more) st = r.on_read_error(boost::asio::error::eof);
    outcome o{st, r.error()};
    if (st == response_reader::state::done) {
        o.status = r.get().status;
        o.body = r.get().body;
        o.leftover = r.leftover();
    }
    return o;
}

}  // namespace

TEST_CASE("response reader: length, chunked with extensions and trailers, close-delimited") {
    auto a = read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
    CHECK(a.state == response_reader::state::done);
    CHECK(a.body == "{}");
    auto b = read(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;x=y\r\n{\r\n1\r\n}\r\n"
        "0;last\r\nX-T: v\r\n\r\n");
    CHECK(b.state == response_reader::state::done);
    CHECK(b.body == "{}");
    auto c = read("HTTP/1.1 200 OK\r\n\r\n{}");
    CHECK(c.state == response_reader::state::done);
    CHECK(c.body == "{}");
}

TEST_CASE("response reader: interim responses skipped, at most 8; 101 refused") {
    std::string eight;
    for (int i = 0; i < 8; ++i) eight += "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n";
    auto ok = read(eight + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
    CHECK(ok.state == response_reader::state::done);
    CHECK(ok.status == 200);
    auto nine = read(eight + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n{}");
    CHECK(nine.ec == errc::bad_response);
    auto upgrade = read("HTTP/1.1 101 Switching Protocols\r\n\r\n");
    CHECK(upgrade.ec == errc::bad_response);
    // Statuses outside HTTP's 100..599 (Beast reads any three digits).
    CHECK(read("HTTP/1.1 002 OK\r\nContent-Length: 2\r\n\r\n{}").ec == errc::bad_response);
    CHECK(read("HTTP/1.1 999 Odd\r\nContent-Length: 2\r\n\r\n{}").ec == errc::bad_response);
    CHECK(read("HTTP/1.1 002 OK\r\n\r\n{}").ec == errc::bad_response);  // close-delimited
}

TEST_CASE("response reader: leftovers flagged; endless lines stop at the buffer bound") {
    auto extra = read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\n", 100);
    CHECK(extra.state == response_reader::state::done);
    CHECK(extra.leftover);
    std::string endless_ext =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;x=" + std::string(200 * 1024, 'a');
    CHECK(read(endless_ext, 4096).ec == errc::header_too_large);
    std::string endless_trailer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
    while (endless_trailer.size() < 200 * 1024) endless_trailer += "X-T: v\r\n";
    CHECK(read(endless_trailer, 4096).ec == errc::header_too_large);
}

TEST_CASE("response reader: unknown encodings and cut-short responses are never data") {
    CHECK(read("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}").ec ==
          errc::decode_failed);
    CHECK(
        read("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n1\r\n{\r\n0\r\n\r\n").ec ==
        errc::bad_response);
    CHECK(read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}").ec == errc::bad_response);
    auto nothing = read("");
    CHECK(nothing.state == response_reader::state::failed);
    CHECK(nothing.ec != errc::bad_response);  // no byte at all: a stale connection, retried
}

namespace {
void append(boost::beast::flat_buffer& buf, std::string_view bytes) {
    auto mb = buf.prepare(bytes.size());
    std::memcpy(mb.data(), bytes.data(), bytes.size());
    buf.commit(bytes.size());
}
}  // namespace

TEST_CASE("response reader: any close in Connection or Proxy-Connection ends the connection") {
    for (std::string_view head : {
             "HTTP/1.0 200 OK\r\nConnection: close\r\nConnection: keep-alive\r\n",
             "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nConnection: close\r\n",
             "HTTP/1.1 200 OK\r\nConnection: upgrade, Close\r\n",
             "HTTP/1.1 200 OK\r\nProxy-Connection: close\r\n",
         }) {
        CAPTURE(head);
        std::string bytes = std::string(head) + "Content-Length: 2\r\n\r\n{}";
        boost::beast::flat_buffer buf;
        swr::detail::response out;
        response_reader r({}, out);
        append(buf, bytes);
        REQUIRE(r.put(buf) == response_reader::state::done);
        CHECK_FALSE(out.keep_alive);
    }
}

TEST_CASE("response reader: a length past what a string holds fails, it does not throw") {
    swr::limit_options limits;
    limits.max_body_bytes = std::numeric_limits<std::size_t>::max();
    auto o =
        read("HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\n{}", 4096, limits);
    CHECK(o.state == response_reader::state::failed);
}

TEST_CASE("response reader: a response cut short leaves nothing in its caller's response") {
    std::string part =
        "HTTP/1.1 200 OK\r\nX-Request-Id: req-1\r\nX-Subject-Token: SECRET\r\nRetry-After: 5\r\n"
        "Content-Length: 100\r\n\r\n{\"total\":1,\"tas";
    swr::detail::response out;
    {
        boost::beast::flat_buffer buf;
        response_reader r({}, out);
        append(buf, part);
        REQUIRE(r.put(buf) == response_reader::state::need_more);
    }  // the connection gave up here (a timeout, a cancellation)
    CHECK(out.body.empty());
    CHECK(out.request_id.empty());
    CHECK(out.subject_token.empty());
    CHECK_FALSE(out.has_retry_after);
}
