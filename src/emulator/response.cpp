#include "emulator/response.hpp"

#include "api/hex.hpp"
#include "emulator/splitmix.hpp"

#include <boost/beast/http/status.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace swr::emulator::detail {

namespace http = boost::beast::http;
namespace json = boost::json;

response error(unsigned status, std::string_view code, std::string_view msg) {
    return {status,
            json::serialize(json::object{{"error_code", code}, {"error_msg", msg}}),
            {},
            {},
            {}};
}

std::string head_writer::operator()(unsigned status, std::string_view extra,
                                    std::optional<std::size_t> length, bool keep_alive) {
    std::string h = "HTTP/1.1 " + std::to_string(status) + " " +
                    std::string(http::obsolete_reason(http::int_to_status(status))) +
                    "\r\nContent-Type: application/json\r\nX-Request-Id: ";
    swr::detail::append_hex(h, splitmix(sequence_.fetch_add(1) ^ seed_));
    h += "\r\n";
    h += extra;
    if (length) h += "Content-Length: " + std::to_string(*length) + "\r\n";
    if (!keep_alive) h += "Connection: close\r\n";
    h += "\r\n";
    return h;
}

}  // namespace swr::emulator::detail
