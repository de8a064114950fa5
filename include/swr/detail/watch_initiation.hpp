#pragma once
// What swr::async_watch's template must see of the compiled watch: its entry point and the
// initiation object handed to async_initiate. Not for direct use.

#include <swr/error.hpp>

#include <boost/asio/any_completion_handler.hpp>

#include <functional>
#include <utility>
#include <vector>

namespace swr {

class client;
struct watch_target;
struct watch_options;
struct watch_result;
struct execution_update;

namespace detail {

/// The completion handler of a watch, type-erased so the watch itself is compiled once.
using watch_handler =
    boost::asio::any_completion_handler<void(error_code, std::vector<watch_result>)>;

/// Starts the watch (src/watch/watch.cpp).
void do_watch(client& c, std::vector<watch_target> targets, watch_options opts,
              std::function<void(const execution_update&)> cb, watch_handler h);

/// async_initiate's initiation: the client it runs on; the rest arrives as arguments.
struct watch_initiation {
    client& c;

    template <class Handler, class Targets, class Options, class Callback>
    void operator()(Handler&& handler, Targets&& targets, Options&& opts, Callback&& cb) const {
        do_watch(c, std::forward<Targets>(targets), std::forward<Options>(opts),
                 std::forward<Callback>(cb), watch_handler(std::forward<Handler>(handler)));
    }
};

}  // namespace detail
}  // namespace swr
