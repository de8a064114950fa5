#pragma once
// swr::pager — yields the pages of an execution's task list lazily, until the total is reached.
//
//   auto pager = client.list_tasks_pages(req);          // sends nothing yet
//   while (auto p = co_await pager.async_next(asio::use_awaitable))
//       for (const auto& t : p->tasks) ...;
//
// The contract (the listing rules are unit-tested without sockets in pager_fsm_test.cpp; laziness,
// read-ahead and terminal errors against the emulator in pager_watch_test.cpp):
// - Lazy: nothing is sent until the first async_next(). Pages are requested with `limit` = the
//   page size (pager_options::page_size, else the request's `limit`, else 100) from the
//   request's offset (default 0), advancing by the page size. A page_size that conflicts with
//   the request's `limit` is an error, never silently one or the other.
// - async_next() completes with a page, or with nullopt once the listing is complete; after
//   nullopt it keeps completing with nullopt and sends nothing.
// - Whole or an error: `total` comes from the first page and must not change; each page holds
//   exactly min(page_size, total - offset) tasks; each task id appears once; ids keep the order
//   the first page shows (when it shows one). A breach fails async_next() with
//   errc::inconsistent_listing; a repeated page with errc::pager_stuck; diagnostics::message says
//   where and how many of `total` tasks arrived. Never an endless loop.
// - Complete means: the next offset reaches `total`; without a `total`, a page shorter than
//   page_size. `total` above pager_options::max_tasks fails with errc::too_many_tasks.
// - total() is known after the first page.
// - Errors are terminal: after an error, async_next() completes with the same error. Transient
//   failures are retried inside one async_next() by the client's retry policy.
// - Read-ahead (pager_options::read_ahead): while the caller works on page k, page k+1 is
//   already in flight.
// - One async_next() at a time per pager: another one meanwhile completes at once with
//   errc::pager_busy and changes nothing. The client must outlive the pager's operations.

#include <swr/error.hpp>
#include <swr/model.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace swr {

/// How a pager pages.
struct pager_options {
    /// Tasks per request, 1..100; 0: the request's `limit`, else 100. Set together with a
    /// different `limit`, async_next() fails with errc::invalid_request.
    std::int64_t page_size = 0;
    bool read_ahead = false;  ///< Fetch page k+1 while the caller handles page k.
    /// A `total` above this fails with errc::too_many_tasks.
    std::int64_t max_tasks = 1'000'000;
};

/// What happened over the whole listing, beyond the pages themselves.
struct pager_report {
    std::size_t pages = 0;         ///< Pages received (skipped ones included).
    std::size_t tasks = 0;         ///< Tasks handed out.
    bool came_up_short = false;    ///< A page held fewer tasks than `total` called for.
    bool total_changed = false;    ///< `total` differed between pages.
    bool stuck = false;            ///< The server repeated a page or did not advance.
    std::int64_t first_total = 0;  ///< `total` of the first page.
    std::int64_t last_total = 0;   ///< `total` of the latest page.
};

/// Yields the pages of one execution lazily; see the contract above.
class pager {
public:
    /// Moves the pager; the moved-from pager is unusable.
    pager(pager&&) noexcept;
    /// Moves the pager; the moved-from pager is unusable.
    pager& operator=(pager&&) noexcept;
    ~pager();  ///< Cancels a read-ahead in flight.

    /// The next page, or nullopt when the listing is complete.
    ///
    /// Handler: `void(error_code, std::optional<page>)`.
    /// Lifetime: the pager and its client must outlive the operation.
    /// Executor: the handler runs on its associated executor (default: the client's).
    /// Cancellation: terminal; completes with `operation_aborted`, which is then terminal for
    /// the pager.
    /// Errors: those of client::async_list_tasks, errc::pager_stuck, errc::inconsistent_listing,
    /// errc::too_many_tasks, errc::callback_failed (a hook threw).
    template <class CompletionToken = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<CompletionToken>, diagnostics>) auto async_next(
        CompletionToken&& token = {}) {
        return boost::asio::async_initiate<CompletionToken, void(error_code, std::optional<page>)>(
            initiate_next{this}, token, static_cast<diagnostics*>(nullptr));
    }

    /// As above; on failure `diag` (which must outlive the operation) holds the details, as
    /// last_diagnostics() does.
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_next(diagnostics& diag, CompletionToken&& token = {}) {
        return boost::asio::async_initiate<CompletionToken, void(error_code, std::optional<page>)>(
            initiate_next{this}, token, &diag);
    }

    /// The latest `total`; nullopt before the first page.
    std::optional<std::int64_t> total() const;
    /// What happened so far (see pager_report).
    const pager_report& report() const;
    /// Details of the last failure.
    const diagnostics& last_diagnostics() const;

    struct state;

private:
    friend class client;
    explicit pager(std::shared_ptr<state> s);
    struct initiate_next {
        pager* self;
        template <class Handler>
        void operator()(Handler&& h, diagnostics* diag) const {
            self->do_next(
                diag, boost::asio::any_completion_handler<void(error_code, std::optional<page>)>(
                          std::forward<Handler>(h)));
        }
    };
    void do_next(diagnostics* diag,
                 boost::asio::any_completion_handler<void(error_code, std::optional<page>)> h);
    std::shared_ptr<state> st_;
};

}  // namespace swr
