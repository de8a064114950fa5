// libFuzzer: page decoding never crashes, and a success round-trips through the encoder.
#include <swr/json_codec.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view body(reinterpret_cast<const char*>(data), size);
    swr::page p;
    std::string msg;
    if (!swr::decode_page(body, p, &msg)) {
        swr::page back;
        auto again = swr::encode_page(p);
        if (swr::decode_page(again, back) || !(back == p)) std::abort();
    } else if (!p.tasks.empty() || msg.empty()) {
        std::abort();  // a failure leaves no partial page and always says why
    }
    return 0;
}
