#pragma once
// The CLI's exit codes, and which one each library error maps to. Scripts branch on these, so
// they are documented in --help and README.md and only ever extended.

#include <swr/error.hpp>

namespace swr::cli {

// A namespace of their own: `usage` is also the function that prints the usage text.
namespace exit_codes {
enum code : int {
    ok = 0,
    watch_unsuccessful = 1,  ///< A task failed or stopped, an execution is unfinished or empty.
    usage = 2,               ///< Bad flags or options; nothing was sent.
    service_error = 3,       ///< The service answered with an error.
    transport_error = 4,     ///< Network, TLS or timeout failure.
    bad_response = 5,        ///< A response (or a whole listing) that could not be understood.
    internal_error = 6,      ///< The tool's own code failed (one of its callbacks threw).
};
}  // namespace exit_codes

/// The exit code for a failed call.
exit_codes::code exit_for(const error_code& ec);

}  // namespace swr::cli
