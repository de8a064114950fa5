#pragma once
// The pager's stop rules, sans-io: fed each page, says what to hand out and what to ask next.
// The rules are those documented in include/swr/pager.hpp. They are strict: a listing is whole
// (every task once, in order, as many as `total` says) or it fails with an error saying where it
// went wrong; the pager, list-all and watch all judge pages by this one class.

#include "paging/id_set.hpp"

#include <swr/error.hpp>
#include <swr/model.hpp>
#include <swr/pager.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace swr::detail {

/// The page size of a pager or list-all: the option when set (1..100), else the request's
/// `limit`, else 100. Both set and different is errc::invalid_request, as is an option out of
/// range; `message` names the field and the rule.
error_code resolve_page_size(const list_tasks_request& req, std::int64_t option, std::int64_t& out,
                             std::string& message);

/// The rules a page of a listing with a known total is judged by, shared by the pager and
/// list-all's fan-out. Each says why a page breaks the rule, or nothing when it keeps it.
/// `total` of a later page differs from the first page's (or appears, or disappears).
std::string total_change(std::optional<std::int64_t> was, std::optional<std::int64_t> now);
/// A page at `offset` of `total` tasks in pages of `page_size` holds other than
/// min(page_size, total - offset) tasks.
std::string count_misfit(std::int64_t received, std::int64_t total, std::int64_t offset,
                         std::int64_t page_size);
/// "offset O: WHY (received N of TOTAL tasks)": where a listing broke and how much had arrived.
std::string listing_message(std::int64_t offset, const std::string& why, std::size_t received,
                            std::optional<std::int64_t> total);

class pager_fsm {
public:
    /// `start_offset` must be a multiple of `page_size` (the request rule). A `total` above
    /// `max_tasks` fails with errc::too_many_tasks.
    /// A task whose execution_id is set and differs from `execution_id` (when not 0) fails.
    explicit pager_fsm(std::int64_t page_size, std::int64_t start_offset = 0,
                       std::int64_t max_tasks = 1'000'000, std::int64_t execution_id = 0);

    /// The offset to request next; nullopt once the listing is complete (or failed).
    std::optional<std::int64_t> next_offset() const;
    std::int64_t page_size() const noexcept { return page_size_; }

    enum class verdict {
        deliver,  ///< Hand out `delivered`, then ask next_offset().
        done,     ///< Complete: nothing to hand out; next_offset() is nullopt.
        failed,   ///< The listing cannot be whole: error() and message() say why. Terminal.
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
    /// After verdict::failed: errc::pager_stuck, inconsistent_listing or too_many_tasks.
    error_code error() const noexcept { return ec_; }
    /// After verdict::failed: where and why, with how many of `total` tasks arrived.
    const std::string& message() const noexcept { return message_; }
    const pager_report& report() const noexcept { return report_; }

private:
    /// Ends the listing with `e`; false, so a rule can `return fail(...)`.
    bool fail(errc e, const std::string& why);
    // The rules, in the order they are judged; each fails the listing when broken.
    bool within_limit(std::int64_t received);
    bool same_total(const page& p);
    bool not_repeated(const page& p);
    bool of_this_execution(const page& p);
    bool ids_unique(const page& p);
    bool in_id_order(const page& p);
    bool count_fits(std::int64_t received);
    /// All rules kept: count the page, move to the next offset or finish.
    result advance(page p, std::int64_t received);

    std::int64_t page_size_;
    std::int64_t offset_;
    std::int64_t max_tasks_;
    std::int64_t execution_id_;
    std::optional<std::int64_t> total_;
    bool first_ = true;
    bool finished_ = false;
    error_code ec_;
    std::string message_;
    std::vector<std::int64_t> previous_ids_;
    // The order of ids the first page shows (ascending or descending), kept for the whole
    // listing: a page answered for another offset breaks it. None: the service's order is not
    // by id, and this rule is off.
    enum class id_order { unknown, ascending, descending, none } order_ = id_order::unknown;
    std::optional<std::int64_t> last_id_;
    id_set seen_;
    pager_report report_;
};

}  // namespace swr::detail
