#pragma once
// The client's strand, held type-erased. On an io_context's executor (the usual case) it is a
// strand of that executor's concrete type: 24 bytes, which any_io_executor keeps inline, so the
// copies, prefers and queries Asio makes of it on every socket, timer and coroutine operation
// allocate nothing. A strand<any_io_executor> (48 bytes) is boxed on the heap at each of them,
// and each query of its inner executor's blocking property allocates too. On any other
// executor the strand wraps the type-erased one, as before.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

namespace swr::detail {

namespace asio = boost::asio;

/// A strand, type-erased; made by make_client_strand.
using strand_executor = asio::any_io_executor;

/// The strand of a client made with `ex`: a new strand on an io_context's executor; the strand
/// given itself when `ex` is a strand of one (the client's handlers stay serialized with the
/// caller's, as they were when the client nested a strand in it); else a strand nested in `ex`.
inline strand_executor make_client_strand(const asio::any_io_executor& ex) {
    using io_executor = asio::io_context::executor_type;
    if (const auto* io = ex.target<io_executor>()) return asio::make_strand(*io);
    if (ex.target<asio::strand<io_executor>>()) return ex;
    return asio::make_strand(ex);
}

/// True on the thread running a handler of `strand` (made by make_client_strand).
inline bool running_in(const strand_executor& strand) {
    if (const auto* s = strand.target<asio::strand<asio::io_context::executor_type>>())
        return s->running_in_this_thread();
    if (const auto* s = strand.target<asio::strand<asio::any_io_executor>>())
        return s->running_in_this_thread();
    return false;
}

}  // namespace swr::detail
