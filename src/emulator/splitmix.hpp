#pragma once
// SplitMix64: the emulator's one mixing function. The data set derives every task from it (the
// same seed, the same data), the server its request ids and tokens. Not for secrets.

#include <cstdint>

namespace swr::emulator::detail {

/// A well-spread 64-bit value from any 64-bit input.
constexpr std::uint64_t splitmix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

}  // namespace swr::emulator::detail
