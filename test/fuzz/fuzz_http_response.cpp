// libFuzzer: a whole HTTP response through Beast's parser (with the client's limits) into the
// page decoder.
#include <swr/json_codec.hpp>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace http = boost::beast::http;
    http::response_parser<http::string_body> parser;
    parser.header_limit(8 * 1024);
    parser.body_limit(1024 * 1024);
    parser.eager(true);
    boost::system::error_code ec;
    parser.put(boost::asio::buffer(data, size), ec);
    if (!ec && parser.need_eof()) parser.put_eof(ec);
    if (!ec && parser.is_done()) {
        swr::page p;
        (void)swr::decode_page(parser.get().body(), p);
    }
    return 0;
}
