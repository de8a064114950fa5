// libFuzzer: endpoint URL parsing never crashes; what it accepts is https/http with a host.
#include <swr/endpoint.hpp>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    swr::endpoint ep;
    std::string msg;
    auto ec =
        swr::parse_endpoint(std::string_view(reinterpret_cast<const char*>(data), size), ep, &msg);
    if (!ec && (ep.host.empty() || ep.port == 0 || ep.host_header.empty())) std::abort();
    if (ec && msg.empty()) std::abort();
    return 0;
}
