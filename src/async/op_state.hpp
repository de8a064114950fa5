#pragma once
// The state of one operation that cancellation reaches, and the two ways it is reached: a wait
// registered for its scope (scoped_wait), and the handler's cancellation slot
// (bind_cancellation). Everything here is touched on the client's strand, except the slot's
// handler, which may run on any thread.

#include "wire/connection.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>

namespace swr {

namespace asio = boost::asio;

namespace detail {

/// Per-call state that cancellation reaches: the connection in use and the timer being waited on.
struct op_state {
    bool cancelled = false;
    /// A bound on every request of the operation (list-all's or watch's whole deadline), on
    /// top of each call's own deadline.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    connection* active = nullptr;
    asio::steady_timer* waiting = nullptr;
    /// Where a cancellation from the handler's slot is carried out (the client's strand); set
    /// by bind_cancellation, before anyone can emit.
    asio::any_io_executor home;

    void cancel() {
        cancelled = true;
        if (active) active->close();
        if (waiting) waiting->cancel();
    }
};

/// Registers `timer` as what cancellation of `st` cancels, for the scope of one wait: the pointer
/// can never outlive the timer.
class scoped_wait {
public:
    scoped_wait(op_state& st, asio::steady_timer& timer) : st_(st) { st_.waiting = &timer; }
    ~scoped_wait() { st_.waiting = nullptr; }
    scoped_wait(const scoped_wait&) = delete;
    scoped_wait& operator=(const scoped_wait&) = delete;

private:
    op_state& st_;
};

/// Binds a handler's cancellation slot to an op_state; called only by the initiating call. The
/// slot's handler may run on any thread. It holds nothing but a weak reference: once the
/// operation is over an emit does nothing, and the slot keeps nothing of the io_context alive
/// (a signal may outlive it). The cancel runs on the strand: at once when emitted from it, else
/// posted there.
template <class Executor>
void bind_cancellation(asio::cancellation_slot slot, Executor strand,
                       const std::shared_ptr<op_state>& st) {
    if (!slot.is_connected()) return;
    st->home = strand;
    slot.assign([weak = std::weak_ptr<op_state>(st)](asio::cancellation_type t) {
        if ((t & asio::cancellation_type::terminal) == asio::cancellation_type::none) return;
        if (auto s = weak.lock()) {
            auto home = s->home;
            asio::dispatch(home, [s = std::move(s)] { s->cancel(); });
        }
    });
}

}  // namespace detail

}  // namespace swr
