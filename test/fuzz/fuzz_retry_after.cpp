// libFuzzer: Retry-After parsing never crashes and never yields a negative wait.
#include "client/retry_policy.hpp"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view v(reinterpret_cast<const char*>(data), size);
    auto now = std::chrono::system_clock::from_time_t(1767225600);
    if (auto d = swr::detail::parse_retry_after(v, now); d && d->count() < 0) std::abort();
    return 0;
}
