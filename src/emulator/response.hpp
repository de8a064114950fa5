#pragma once
// What the emulator answers: a status, a body, extra headers, and a misbehaviour for the
// transport to act out; the status line and headers every answer starts with.

#include <swr/emulator/emulator.hpp>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace swr::emulator::detail {

using request = boost::beast::http::request<boost::beast::http::string_body>;

struct response {
    unsigned status = 200;
    std::string body;
    std::string extra_headers;       // "Name: value\r\n"...
    std::optional<fault> behaviour;  // transport-level misbehaviour
    std::string trailing_page;       // extra_bytes_after: a whole 200 response with this body
                                     // follows right after this one
};

/// The service's error shape: `{"error_code":..., "error_msg":...}` with `status`.
response error(unsigned status, std::string_view code, std::string_view msg);

/// Status line and headers, each with an X-Request-Id of its own.
class head_writer {
public:
    explicit head_writer(std::uint64_t seed) : seed_(seed) {}

    /// `length`: Content-Length, none when absent; `keep_alive` false adds `Connection: close`.
    std::string operator()(unsigned status, std::string_view extra,
                           std::optional<std::size_t> length, bool keep_alive);

private:
    std::uint64_t seed_;
    std::atomic<std::uint64_t> sequence_{0};
};

}  // namespace swr::emulator::detail
