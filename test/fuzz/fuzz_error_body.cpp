// libFuzzer: error-body decoding never fails, and never returns more than its bound.
#include <swr/json_codec.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto e = swr::decode_error_body(std::string_view(reinterpret_cast<const char*>(data), size));
    if (e.error_msg.size() > 1024 || e.error_code.size() > 1024) std::abort();
    for (char c : e.error_msg)
        if (static_cast<unsigned char>(c) < 0x20) std::abort();
    return 0;
}
