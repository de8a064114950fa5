// libFuzzer: a whole HTTP response through the client's response reader (the one the connection
// uses, with its limits and buffer bound), fed in pieces as a socket would deliver them, into the
// page decoder. The first input byte picks the piece size. Checks the reader's promises: the
// buffer never exceeds its bound, and a response is either done, failed, or waiting for bytes.
#include "wire/response_reader.hpp"

#include <swr/json_codec.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using swr::detail::response_reader;
    if (size == 0) return 0;
    const std::size_t piece = 1 + data[0] % 64;
    ++data;
    --size;
    swr::limit_options limits;
    limits.max_header_bytes = 1024;
    limits.max_body_bytes = 16 * 1024;
    boost::beast::flat_buffer buf;
    buf.max_size(response_reader::buffer_limit(limits));
    swr::detail::response out;
    response_reader reader(limits, out);
    auto state = response_reader::state::need_more;
    std::size_t at = 0;
    while (state == response_reader::state::need_more && at < size) {
        auto room = buf.max_size() - buf.size();
        if (room == 0) std::abort();  // a full buffer must have failed the reader
        auto n = std::min({piece, size - at, room});
        auto mb = buf.prepare(n);
        std::memcpy(mb.data(), data + at, n);
        buf.commit(n);
        at += n;
        state = reader.put(buf);
        if (buf.size() > response_reader::buffer_limit(limits)) std::abort();
    }
    if (state == response_reader::state::need_more)
        state = reader.on_read_error(boost::asio::error::eof);
    if (state == response_reader::state::done) {
        auto status = reader.get().status;
        if (status < 200 || status > 599) std::abort();  // nor interim, nor out of HTTP's range
        swr::page p;
        (void)swr::decode_page(reader.get().body, p);
    }
    return 0;
}
