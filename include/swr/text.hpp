#pragma once
// swr::text — the immutable text of a task field. It reads as a string: it converts to
// std::string_view and to std::string, compares with any string, and prints.
//
// Storage: a text of up to 28 characters (text::inline_capacity) holds them itself, as a
// std::string does. The decoder puts every longer string of a page into one buffer, and each
// such text is a view into it that counts itself there. Copying or moving a text, a task or a
// page shares the buffer (no allocation, no copy of the characters), and the buffer lives as
// long as any text viewing it: a task moved out of its page, or a text copied out of its task,
// stays valid after the page is gone. A text made from a longer string owns a copy of it.
//
// Lifetime of what you take from a text: a std::string_view (or data()) taken from it is valid
// while that text lives unchanged, as with a std::string — keep the text, or a std::string made
// from it, rather than the view.

#include <atomic>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace swr {

/// \cond INTERNAL
namespace detail {
struct text_access;
/// The storage texts view: a count of the texts viewing it, its capacity, then the characters.
struct text_block {
    std::atomic<std::size_t> refs{0};
    std::size_t capacity = 0;
};
/// Frees a block whose count went to zero.
void free_text_block(text_block* b) noexcept;
}  // namespace detail
/// \endcond

/// Immutable text of a task field; see the top of this header for its storage and lifetime.
class text {
public:
    /// Empty.
    text() noexcept = default;
    /// Texts of up to this many characters are held in the text itself, with no block.
    static constexpr std::size_t inline_capacity = 28;

    /// A copy of `s` (one allocation when longer than inline_capacity). Throws
    /// std::length_error beyond 4 GiB.
    text(std::string_view s) { assign_copy(s); }  // NOLINT(google-explicit-constructor)
    /// A copy of `s`, as above.
    text(const char* s) : text(std::string_view(s)) {}  // NOLINT(google-explicit-constructor)
    /// A copy of `s`, as above.
    text(const std::string& s) : text(std::string_view(s)) {}  // NOLINT
    /// Shares the characters of `o` (no allocation).
    text(const text& o) noexcept : block_(o.block_), size_(o.size_) {
        std::memcpy(buf_, o.buf_, sizeof buf_);
        retain();
    }
    /// Takes the characters of `o`, which is left empty.
    text(text&& o) noexcept
        : block_(std::exchange(o.block_, nullptr)), size_(std::exchange(o.size_, 0)) {
        std::memcpy(buf_, o.buf_, sizeof buf_);
    }
    /// Shares the characters of `o` (no allocation).
    text& operator=(const text& o) noexcept {
        text(o).swap(*this);
        return *this;
    }
    /// Takes the characters of `o`, which is left empty.
    text& operator=(text&& o) noexcept {
        text(std::move(o)).swap(*this);
        return *this;
    }
    ~text() { release(); }
    /// Exchanges the two texts' characters.
    void swap(text& o) noexcept {
        std::swap(block_, o.block_);
        std::swap(size_, o.size_);
        std::swap(buf_, o.buf_);
    }

    /// Replaces the text with a copy of `s`.
    text& operator=(std::string_view s) { return *this = text(s); }
    /// Replaces the text with a copy of `s`.
    text& operator=(const char* s) { return *this = text(s); }
    /// Replaces the text with a copy of `s`.
    text& operator=(const std::string& s) { return *this = text(s); }

    /// The characters; valid while this text (or a copy of it) lives, and for a text of up to
    /// inline_capacity characters, while this very text lives unchanged.
    std::string_view view() const noexcept { return {data(), size_}; }
    /// view().
    operator std::string_view() const noexcept { return view(); }  // NOLINT
    /// A std::string with a copy of the characters.
    std::string str() const { return std::string(view()); }
    /// str().
    operator std::string() const { return str(); }  // NOLINT

    /// The first character (not followed by a NUL); valid as view() is.
    const char* data() const noexcept {
        if (!block_) return buf_;
        std::uint32_t offset = 0;
        std::memcpy(&offset, buf_, sizeof offset);
        return reinterpret_cast<const char*>(block_ + 1) + offset;
    }
    /// Characters held.
    std::size_t size() const noexcept { return size_; }
    /// No characters.
    bool empty() const noexcept { return size_ == 0; }
    /// data().
    const char* begin() const noexcept { return data(); }
    /// data() + size().
    const char* end() const noexcept { return data() + size_; }
    /// Character `i` (< size()).
    char operator[](std::size_t i) const noexcept { return data()[i]; }

    /// Same characters.
    friend bool operator==(const text& a, const text& b) noexcept { return a.view() == b.view(); }
    /// Byte-wise order of the characters.
    friend std::strong_ordering operator<=>(const text& a, const text& b) noexcept {
        return a.view() <=> b.view();
    }
    /// Compares with anything that converts to std::string_view (std::string, literals...).
    template <class S>
    requires(std::is_convertible_v<const S&, std::string_view> &&
             !std::is_same_v<std::decay_t<S>, text>) friend bool
    operator==(const text& a, const S& b) noexcept {
        return a.view() == std::string_view(b);
    }
    /// Orders against anything that converts to std::string_view, byte-wise.
    template <class S>
    requires(std::is_convertible_v<const S&, std::string_view> &&
             !std::is_same_v<std::decay_t<S>, text>) friend std::strong_ordering
    operator<=>(const text& a, const S& b) noexcept {
        return a.view() <=> std::string_view(b);
    }
    /// Writes the characters.
    friend std::ostream& operator<<(std::ostream& os, const text& t) { return os << t.view(); }
    /// Concatenation makes a std::string.
    friend std::string operator+(const text& a, const text& b) {
        return std::string(a.view()).append(b.view());
    }
    /// Concatenation with a string on the right makes a std::string.
    template <class S>
    requires(std::is_convertible_v<const S&, std::string_view> &&
             !std::is_same_v<std::decay_t<S>, text>) friend std::string
    operator+(const text& a, const S& b) {
        return std::string(a.view()).append(std::string_view(b));
    }
    /// Concatenation with a string on the left makes a std::string.
    template <class S>
    requires(std::is_convertible_v<const S&, std::string_view> &&
             !std::is_same_v<std::decay_t<S>, text>) friend std::string
    operator+(const S& a, const text& b) {
        return std::string(std::string_view(a)).append(b.view());
    }

private:
    friend struct detail::text_access;
    void assign_copy(std::string_view s);
    void retain() const noexcept {
        if (block_) block_->refs.fetch_add(1, std::memory_order_relaxed);
    }
    void release() noexcept {
        if (block_ && block_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
            detail::free_text_block(block_);
    }

    detail::text_block* block_ = nullptr;  // the block holding the characters; null: buf_ does
    std::uint32_t size_ = 0;
    char buf_[inline_capacity] = {};  // the characters, or (in a block) their offset there
};

}  // namespace swr
