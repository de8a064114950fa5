#pragma once
// Making and filling the blocks behind swr::text: one allocation holding the count of texts that
// view it, its capacity and then the characters. The decoder fills a block with all of a page's
// strings and counts every text of the page at once; it can also find a page's block and, when
// nothing else views it any more, decode the next page into it.

#include <swr/text.hpp>

#include <cstring>
#include <new>
#include <utility>

namespace swr::detail {

struct text_access {
    /// A block with room for `capacity` characters, counted by no text yet.
    static text_block* make_block(std::size_t capacity) {
        void* p = ::operator new(sizeof(text_block) + capacity);
        auto* b = new (p) text_block;
        b->capacity = capacity;
        return b;
    }
    static char* chars(text_block* b) noexcept { return reinterpret_cast<char*>(b + 1); }
    /// Offsets within a block and sizes of a text fit in 32 bits.
    static constexpr std::size_t max_size = 0xffffffffu;

    /// The block `t` views; null for an empty text.
    static text_block* block(const text& t) noexcept { return t.block_; }
    /// Makes the empty text `t` view `size` characters at `offset` in `b`, without counting
    /// it: the caller adds one to the block's count for each text it attaches.
    /// `offset` and `size` are at most max_size.
    static void attach(text& t, text_block* b, std::size_t offset, std::size_t size) noexcept {
        auto at = static_cast<std::uint32_t>(offset);
        std::memcpy(t.buf_, &at, sizeof at);
        t.size_ = static_cast<std::uint32_t>(size);
        t.block_ = b;
    }
    /// Empties `t`, releasing its count on a block.
    static void reset(text& t) noexcept {
        t.release();
        t.block_ = nullptr;
        t.size_ = 0;
    }
    /// Makes the empty text `t` hold `s` itself (at most text::inline_capacity characters).
    static void set_inline(text& t, std::string_view s) noexcept {
        if (!s.empty()) std::memcpy(t.buf_, s.data(), s.size());
        t.size_ = static_cast<std::uint32_t>(s.size());
    }
};

/// One count on a block, held while the decoder decides whether to reuse it.
class block_hold {
public:
    block_hold() noexcept = default;
    explicit block_hold(text_block* b) noexcept : b_(b) {
        if (b_) b_->refs.fetch_add(1, std::memory_order_relaxed);
    }
    block_hold(block_hold&& o) noexcept : b_(o.take()) {}
    block_hold(const block_hold&) = delete;
    block_hold& operator=(const block_hold&) = delete;
    block_hold& operator=(block_hold&&) = delete;
    ~block_hold() {
        if (b_ && b_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) free_text_block(b_);
    }
    /// The block when this hold is the only count on it (no text views it any more).
    text_block* sole() const noexcept {
        return b_ && b_->refs.load(std::memory_order_acquire) == 1 ? b_ : nullptr;
    }
    /// Gives up the hold without releasing it: the caller now owns the count.
    text_block* take() noexcept { return std::exchange(b_, nullptr); }

private:
    text_block* b_ = nullptr;
};

}  // namespace swr::detail
