// libFuzzer: endpoint URL parsing never crashes; what it accepts is https/http with a host that
// carries nothing able to end or split a header line (CR, LF, NUL, space, percent-encoding).
#include <swr/endpoint.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    swr::endpoint ep;
    std::string msg;
    auto ec =
        swr::parse_endpoint(std::string_view(reinterpret_cast<const char*>(data), size), ep, &msg);
    if (!ec && (ep.host.empty() || ep.port == 0 || ep.host_header.empty())) std::abort();
    if (ec && msg.empty()) std::abort();
    constexpr std::string_view forbidden("\r\n\0 %", 5);
    if (!ec && (ep.host.find_first_of(forbidden) != std::string::npos ||
                ep.host_header.find_first_of(forbidden) != std::string::npos))
        std::abort();
    return 0;
}
