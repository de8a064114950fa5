#pragma once
// The library's version, as sent in the User-Agent header.
#define SWR_VERSION_STRING "0.1.0"

namespace swr {
inline constexpr const char* version = SWR_VERSION_STRING;
}  // namespace swr
