#pragma once
// Lower-case hexadecimal, written one way everywhere: digests and signatures (signer), `\u00XX`
// and `\xXX` escapes (JSON, terminal output), random and derived ids (emulator).

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace swr::detail {

inline constexpr std::string_view hex_digits = "0123456789abcdef";

/// Every digit of `value`, most significant first: two per byte of T, leading zeros kept.
template <std::unsigned_integral T>
void append_hex(std::string& out, T value) {
    const auto v = static_cast<std::uint64_t>(value);  // no promotion to a signed int
    for (int shift = static_cast<int>(sizeof(T) * 8) - 4; shift >= 0; shift -= 4)
        out += hex_digits[static_cast<std::size_t>((v >> shift) & 0xfU)];
}

/// Two digits per byte, in order.
inline void append_hex(std::string& out, std::span<const unsigned char> bytes) {
    for (unsigned char b : bytes) append_hex(out, b);
}

/// The bytes as a string of their digits.
inline std::string to_hex(std::span<const unsigned char> bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    append_hex(out, bytes);
    return out;
}

}  // namespace swr::detail
