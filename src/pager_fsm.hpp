#pragma once
// The pager's stop rules, sans-io: fed each page, says what to hand out and what to ask next.
// The rules are those documented in include/swr/pager.hpp.

#include <swr/model.hpp>
#include <swr/pager.hpp>

#include <cstdint>
#include <optional>
#include <unordered_set>
#include <vector>

namespace swr::detail {

class pager_fsm {
public:
    /// `start_offset` must be a multiple of `page_size` (the request rule).
    explicit pager_fsm(std::int64_t page_size, std::int64_t start_offset = 0);

    /// The offset to request next; nullopt once the listing is complete (or failed).
    std::optional<std::int64_t> next_offset() const;
    std::int64_t page_size() const noexcept { return page_size_; }

    enum class verdict {
        deliver,  ///< Hand out `page` (new tasks only), then ask next_offset().
        skip,     ///< Nothing new on this page; ask next_offset() without handing anything out.
        done,     ///< Complete: nothing to hand out; next_offset() is nullopt.
        stuck,    ///< The server repeats pages or does not advance: a terminal error.
    };
    struct result {
        verdict v;
        page delivered;
    };

    /// Feeds the page received for next_offset().
    result on_page(page p);
    /// An error is terminal: next_offset() becomes nullopt.
    void on_error() { finished_ = true; }

    std::optional<std::int64_t> total() const { return total_; }
    /// For diagnostics after verdict::stuck: where and why.
    std::string stuck_message() const;
    const pager_report& report() const noexcept { return report_; }

private:
    std::int64_t page_size_;
    std::int64_t offset_;
    std::int64_t stuck_at_ = 0;
    std::optional<std::int64_t> total_;
    bool finished_ = false;
    unsigned no_progress_ = 0;
    std::vector<std::int64_t> previous_ids_;
    std::unordered_set<std::int64_t> seen_;
    pager_report report_;
};

}  // namespace swr::detail
