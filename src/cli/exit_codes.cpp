#include "exit_codes.hpp"

namespace swr::cli {

using namespace exit_codes;

std::span<const documented_exit> documented_exits() {
    static constexpr documented_exit table[] = {
        {"0", "success"},
        {"1",
         "watch: a task failed or stopped, an execution could not be watched to the end (an "
         "error, --deadline) or has no tasks (without --allow-empty)"},
        {"2", "bad usage, or no credentials without --no-auth; nothing was sent"},
        {"3", "the service answered with an error"},
        {"4", "network, TLS or timeout failure (list --all: also its --deadline)"},
        {"5",
         "a response, or the pages of a listing taken together (a stuck pager, pages that do not "
         "add up to total, more tasks than allowed), could not be understood"},
        {"6", "the tool itself failed"},
        {"130", "interrupted by SIGINT (Ctrl-C), after printing what is known; 143: by SIGTERM"},
    };
    return table;
}

code exit_for(const error_code& ec) {
    if (ec.category() == swr::category()) {
        switch (static_cast<errc>(ec.value())) {
            case errc::invalid_request:
            case errc::invalid_option:
            case errc::unknown_region:
            case errc::invalid_header_value: return usage;
            case errc::bad_request:
            case errc::unauthorized:
            case errc::forbidden:
            case errc::not_found:
            case errc::throttled:
            case errc::server_error:
            case errc::http_status: return service_error;
            case errc::bad_response:
            case errc::header_too_large:
            case errc::body_too_large:
            case errc::decode_failed:
            // Pages that do not add up to one listing, or more tasks than allowed: the answers
            // themselves are wrong, which is not a network failure worth retrying.
            case errc::pager_stuck:
            case errc::inconsistent_listing:
            case errc::too_many_tasks: return bad_response;
            // A hook of the CLI's own threw: neither the service nor the network is at fault.
            case errc::callback_failed: return internal_error;
            default: return transport_error;
        }
    }
    return transport_error;
}

}  // namespace swr::cli
