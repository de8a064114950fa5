#pragma once
// swr::with_diagnostics(token) — a completion-token adapter that turns a failing call into an
// exception that keeps its diagnostics, for tokens that throw or store exceptions:
//
//   try {
//       auto p = co_await c.async_list_tasks(req, swr::with_diagnostics(asio::use_awaitable));
//   } catch (const swr::error_with_diagnostics& e) {
//       std::cerr << e.what() << '\n';               // the diagnostics, then the error
//       if (e.diagnostics().http_status == 429) ...;  // status, service error, request id...
//   }
//
// Works with every library call that fills a `diagnostics` (async_list_tasks,
// async_list_all_tasks, pager::async_next) and with any token: use_awaitable, use_future,
// deferred, yield_context. The handler's signature `void(error_code, T)` becomes
// `void(std::exception_ptr, T)`: the pointer is null on success, else it holds an
// error_with_diagnostics. When the call is also given a `diagnostics&`, that one is filled too.

#include <swr/error.hpp>

#include <boost/asio/associator.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/system/system_error.hpp>

#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

namespace swr {

/// A failed call: its error_code (code()) and its diagnostics. what() is the diagnostics in one
/// line, then ": " and the error's message (the message alone when there are none).
class error_with_diagnostics : public boost::system::system_error {
public:
    /// The error and the call's diagnostics.
    error_with_diagnostics(const error_code& ec, swr::diagnostics d)
        : boost::system::system_error(d.to_string().empty()
                                          ? boost::system::system_error(ec)
                                          : boost::system::system_error(ec, d.to_string())),
          diag_(std::move(d)) {}
    /// HTTP status, the service's error fields, request id, attempts, client-side detail.
    const swr::diagnostics& diagnostics() const noexcept { return diag_; }

private:
    swr::diagnostics diag_;
};

/// The token type with_diagnostics() makes; holds the wrapped token.
template <class CompletionToken>
struct with_diagnostics_t {
    CompletionToken token;  ///< The wrapped token.
};

/// Adapts `token` so that a failure arrives as an error_with_diagnostics exception.
template <class CompletionToken>
constexpr with_diagnostics_t<std::decay_t<CompletionToken>> with_diagnostics(
    CompletionToken&& token) {
    return {std::forward<CompletionToken>(token)};
}

/// \cond INTERNAL
namespace detail {

/// Wraps the handler of the adapted token: turns (error_code, T...) into (exception_ptr, T...).
/// `diag` points at the call's diagnostics: the caller's, or `own` when the call got none.
template <class Handler>
struct diagnostics_handler {
    Handler handler;
    std::unique_ptr<diagnostics> own;
    const diagnostics* diag;

    template <class... Ts>
    void operator()(const error_code& ec, Ts&&... values) {
        std::exception_ptr e;
        if (ec) e = std::make_exception_ptr(error_with_diagnostics(ec, *diag));
        own.reset();
        std::move(handler)(std::move(e), std::forward<Ts>(values)...);
    }
};

template <class Signature>
struct throwing_signature;

template <class... Ts>
struct throwing_signature<void(error_code, Ts...)> {
    using type = void(std::exception_ptr, Ts...);
};

template <class T>
inline constexpr bool is_diagnostics_ptr = std::is_same_v<std::decay_t<T>, diagnostics*>;

/// The library's initiations take the call's `diagnostics*` (null: none) among their
/// arguments; this wrapper hands them one that outlives the call when they got none.
template <class Initiation>
struct diagnostics_initiation {
    Initiation initiation;

    template <class Handler, class... Args>
    void operator()(Handler&& handler, Args&&... args) {
        static_assert((is_diagnostics_ptr<Args> + ... + 0) == 1,
                      "swr::with_diagnostics: this operation takes no diagnostics");
        diagnostics* given = nullptr;
        ((is_diagnostics_ptr<Args> ? void(given = pointer_of(args)) : void()), ...);
        std::unique_ptr<diagnostics> own;
        if (!given) {
            own = std::make_unique<diagnostics>();
            given = own.get();
        }
        std::move(initiation)(
            diagnostics_handler<std::decay_t<Handler>>{std::forward<Handler>(handler),
                                                       std::move(own), given},
            substitute(std::forward<Args>(args), given)...);
    }

private:
    template <class A>
    static diagnostics* pointer_of(const A& a) {
        if constexpr (is_diagnostics_ptr<A>)
            return a;
        else
            return nullptr;
    }
    template <class A>
    static decltype(auto) substitute(A&& a, diagnostics* d) {
        if constexpr (is_diagnostics_ptr<A>)
            return d;
        else
            return std::forward<A>(a);
    }
};

}  // namespace detail
/// \endcond

}  // namespace swr

/// \cond INTERNAL
template <class CompletionToken, class Signature>
struct boost::asio::async_result<swr::with_diagnostics_t<CompletionToken>, Signature> {
    template <class Initiation, class RawToken, class... Args>
    static auto initiate(Initiation&& initiation, RawToken&& token, Args&&... args) {
        // The wrapped token keeps the adapter's value category: moved from only when the
        // adapter was an rvalue, so an adapter kept in a variable can be used again.
        using raw = std::remove_reference_t<RawToken>;
        using inner = std::conditional_t<std::is_const_v<raw>, const CompletionToken&,
                                         std::conditional_t<std::is_lvalue_reference_v<RawToken>,
                                                            CompletionToken&, CompletionToken>>;
        return boost::asio::async_initiate<
            inner, typename swr::detail::throwing_signature<Signature>::type>(
            swr::detail::diagnostics_initiation<std::decay_t<Initiation>>{
                std::forward<Initiation>(initiation)},
            token.token, std::forward<Args>(args)...);
    }
};

// The adapted handler keeps the wrapped one's executor, allocator and cancellation slot.
template <template <class, class> class Associator, class Handler, class DefaultCandidate>
struct boost::asio::associator<Associator, swr::detail::diagnostics_handler<Handler>,
                               DefaultCandidate> : Associator<Handler, DefaultCandidate> {
    static typename Associator<Handler, DefaultCandidate>::type get(
        const swr::detail::diagnostics_handler<Handler>& h) noexcept {
        return Associator<Handler, DefaultCandidate>::get(h.handler);
    }
    static auto get(const swr::detail::diagnostics_handler<Handler>& h,
                    const DefaultCandidate& c) noexcept
        -> decltype(Associator<Handler, DefaultCandidate>::get(h.handler, c)) {
        return Associator<Handler, DefaultCandidate>::get(h.handler, c);
    }
};
/// \endcond
