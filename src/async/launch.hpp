#pragma once
// Starting one asynchronous operation of the library, written once: the per-call state, the
// handler's cancellation bound to it, the coroutine spawned on the client's strand, and exactly
// one completion, with an exception from anywhere inside (a user hook that threw, an allocation
// that failed) turned into an error instead of a lost handler.

#include "client/client_impl.hpp"

#include <boost/asio/co_spawn.hpp>

#include <exception>
#include <memory>
#include <new>
#include <utility>

namespace swr::detail {

/// The error an exception escaping an operation becomes: not_enough_memory for bad_alloc,
/// errc::callback_failed for anything else (only user hooks throw inside the library).
inline error_code error_from_exception(std::exception_ptr e) noexcept {
    try {
        std::rethrow_exception(std::move(e));
    } catch (const std::bad_alloc&) {
        return make_error_code(boost::system::errc::not_enough_memory);
    } catch (...) {
        return make_error_code(errc::callback_failed);
    }
}

/// Calls a user hook; its exception becomes errc::callback_failed instead of unwinding the
/// library's state.
template <class F, class... Args>
error_code call_hook(F& f, Args&&... args) noexcept {
    try {
        f(std::forward<Args>(args)...);
        return {};
    } catch (const std::bad_alloc&) {
        return make_error_code(boost::system::errc::not_enough_memory);
    } catch (...) {
        return make_error_code(errc::callback_failed);
    }
}

/// Runs `body(op_state&)` — a callable returning awaitable<pair<error_code, Result>> — on the
/// client's strand and completes `handler` once with its result, or with the error an escaping
/// exception maps to (and an empty Result).
template <class Result, class Handler, class Body>
void launch(const std::shared_ptr<client::impl>& c, Handler handler, Body body) {
    auto st = std::make_shared<op_state>();
    bind_cancellation(asio::get_associated_cancellation_slot(handler), c->strand, st);
    asio::co_spawn(
        c->strand, [st, body = std::move(body)]() mutable { return body(*st); },
        [c, st, h = std::move(handler)](std::exception_ptr e,
                                        std::pair<error_code, Result> r) mutable {
            if (e) r = {error_from_exception(std::move(e)), Result{}};
            // The slot is left alone: the caller may emit on it from another thread at any time
            // (client.hpp), so only the initiating call may touch it. What it holds is harmless
            // once the call is over: a weak reference to `st`.
            c->complete(std::move(h), r.first, std::move(r.second));
        });
}

}  // namespace swr::detail
