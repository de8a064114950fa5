#pragma once
// The CLI's exit codes, and which one each library error maps to. Scripts branch on these, so
// they are documented in --help and README.md and only ever extended.

#include <swr/error.hpp>

#include <span>

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

/// A signal's exit code, as shells report a process it ended: 128 + the signal (SIGINT 130,
/// SIGTERM 143). The tool exits with it after printing what it knows.
constexpr int interrupted_by(int signal) { return 128 + signal; }
}  // namespace exit_codes

/// One exit code and what it means, as --help and README.md list them.
struct documented_exit {
    const char* code;
    const char* meaning;
};

/// Every exit code the tool uses, in order.
std::span<const documented_exit> documented_exits();

/// The exit code for a failed call.
exit_codes::code exit_for(const error_code& ec);

}  // namespace swr::cli
