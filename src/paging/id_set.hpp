#pragma once
// The task ids a listing has shown, to find one shown twice: an open-addressing hash set of
// 64-bit ids (linear probing in a power-of-two table at most half full). One array that doubles
// as the listing grows, instead of a node allocated per id as std::unordered_set does.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace swr::detail {

class id_set {
public:
    /// Adds `id`; false when it was there already.
    bool insert(std::int64_t id) {
        if (id == free_slot) return !std::exchange(has_free_slot_value_, true);
        if ((size_ + 1) * 2 > slots_.size()) grow();
        if (!place(slots_, id)) return false;
        ++size_;
        return true;
    }
    /// Ids held.
    std::size_t size() const noexcept { return size_ + (has_free_slot_value_ ? 1 : 0); }

private:
    // Marks a free slot; the id with this value is kept apart.
    static constexpr std::int64_t free_slot = std::numeric_limits<std::int64_t>::min();

    static std::size_t slot_of(std::int64_t id, std::size_t mask) noexcept {
        // Fibonacci hashing: consecutive ids (the usual listing) spread over the table.
        auto h = static_cast<std::uint64_t>(id) * 0x9E3779B97F4A7C15ull;
        return static_cast<std::size_t>(h >> 32) & mask;
    }
    /// Puts `id` in `table`; false when it is there already.
    static bool place(std::vector<std::int64_t>& table, std::int64_t id) noexcept {
        const std::size_t mask = table.size() - 1;
        for (std::size_t i = slot_of(id, mask);; i = (i + 1) & mask) {
            if (table[i] == id) return false;
            if (table[i] == free_slot) {
                table[i] = id;
                return true;
            }
        }
    }
    void grow() {
        std::vector<std::int64_t> bigger(slots_.empty() ? 64 : slots_.size() * 2, free_slot);
        for (auto id : slots_)
            if (id != free_slot) place(bigger, id);
        slots_.swap(bigger);
    }

    std::vector<std::int64_t> slots_;
    std::size_t size_ = 0;  // ids in slots_
    bool has_free_slot_value_ = false;
};

}  // namespace swr::detail
