#pragma once
// The buffer behind swr::text: one allocation (with its shared count) holding its capacity and
// then the characters. Every text's owner is such a block, so the decoder can find a page's
// block and, when nothing else shares it any more, decode the next page into it.

#include <swr/text.hpp>

#include <cstring>
#include <memory>

namespace swr::detail {

struct text_access {
    static constexpr std::size_t header = sizeof(std::size_t);

    /// A block with room for `capacity` characters.
    static std::shared_ptr<char[]> make_block(std::size_t capacity) {
        auto block = std::make_shared_for_overwrite<char[]>(header + capacity);
        std::memcpy(block.get(), &capacity, header);
        return block;
    }
    static std::size_t capacity(const char* block) noexcept {
        std::size_t c = 0;
        std::memcpy(&c, block, header);
        return c;
    }
    static char* chars(char* block) noexcept { return block + header; }

    /// The block `t` views; empty for an empty text.
    static const std::shared_ptr<const char[]>& owner(const text& t) noexcept { return t.owner_; }
    /// Makes `t` view `size` characters at `offset` in `block`, sharing it.
    static void view(text& t, const std::shared_ptr<const char[]>& block, std::size_t offset,
                     std::size_t size) {
        if (size == 0) {
            t = text{};
            return;
        }
        t.data_ = block.get() + header + offset;
        t.size_ = size;
        t.owner_ = block;
    }
};

}  // namespace swr::detail
