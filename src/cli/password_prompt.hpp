#pragma once
// Asking for a secret on the terminal without echo, and wiping the CLI's copies of secrets.

#include <string>

namespace swr::cli {

/// Writes `prompt` to stderr and reads one line from the terminal on stdin without echo. The
/// terminal is put back as it was afterwards, and also when SIGINT, SIGTERM, SIGHUP or SIGQUIT
/// ends the process at the prompt (Ctrl-C must not leave the shell without echo). Throws
/// std::runtime_error when stdin is not a terminal or the line is longer than 1024 bytes.
std::string read_secret(const char* prompt);

/// Overwrites the characters of `secret` (a write the compiler cannot drop), then empties it.
void wipe(std::string& secret);

}  // namespace swr::cli
