#include "client/attempt_fsm.hpp"

namespace swr::detail {

using std::chrono::milliseconds;

attempt_decision attempt_fsm::on_failure(const attempt_outcome& o,
                                         std::optional<milliseconds> remaining) {
    // A kept-alive connection the server closed while idle: once, at once, on a new one. Not
    // after a timeout: the server may be slow rather than gone.
    if (o.ec && o.reused && !o.got_bytes && !stale_retried_ && o.ec != errc::deadline_exceeded &&
        o.ec != errc::request_timeout) {
        stale_retried_ = true;
        return {next_step::retry_on_new_connection};
    }
    if (o.status == 401 && !refreshed_) {
        if (auth_ == auth::iam_password) {
            refreshed_ = true;
            return {next_step::refresh_iam_token};
        }
        if (auth_ == auth::token_with_refresh_hook) {
            refreshed_ = true;
            pending_ = o;
            return {next_step::ask_refresh_hook};
        }
    }
    return by_policy(o, remaining);
}

attempt_decision attempt_fsm::on_refresh_hook(bool got_token,
                                              std::optional<milliseconds> remaining) {
    if (got_token) return {next_step::retry_with_new_token};
    return by_policy(pending_, remaining);
}

attempt_decision attempt_fsm::by_policy(const attempt_outcome& o,
                                        std::optional<milliseconds> remaining) {
    auto d = policy_.on_failure(attempt_, o.ec, o.retry_after, remaining);
    if (!d.retry) return {next_step::give_up, {}, d.reason};
    ++attempt_;
    return {next_step::wait_then_retry, d.delay};
}

}  // namespace swr::detail
