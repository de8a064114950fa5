// Lower-case hex: bytes in order, integers most significant digit first, leading zeros kept.
#include "api/hex.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>

using swr::detail::append_hex;
using swr::detail::to_hex;

TEST_CASE("hex: bytes in order, two digits each") {
    std::array<unsigned char, 5> bytes{0x00, 0x0f, 0xa0, 0xff, 0x5c};
    CHECK(to_hex(bytes) == "000fa0ff5c");
    CHECK(to_hex({}).empty());
}

TEST_CASE("hex: integers of every width, all digits") {
    std::string out;
    append_hex(out, static_cast<unsigned char>(0x1b));
    CHECK(out == "1b");
    out.clear();
    append_hex(out, std::uint32_t{0xabc});
    CHECK(out == "00000abc");
    out.clear();
    append_hex(out, std::uint64_t{0x0123456789abcdefULL});
    CHECK(out == "0123456789abcdef");
    append_hex(out, std::uint16_t{0});
    CHECK(out == "0123456789abcdef0000");  // appended
}
