#include "password_prompt.hpp"

#include <openssl/crypto.h>

#include <termios.h>
#include <unistd.h>
#include <array>
#include <cerrno>
#include <csignal>
#include <iostream>
#include <stdexcept>

namespace {

constexpr std::array<int, 4> fatal_signals{SIGINT, SIGTERM, SIGHUP, SIGQUIT};

// The terminal as it was before the prompt; set before the handler is installed, then only read.
termios saved_terminal{};

}  // namespace

extern "C" {
// Only async-signal-safe calls: tcsetattr, write, raise. SA_RESETHAND has put the default action
// back, so the signal raised again ends the process as it would have without the prompt (same
// wait status, a core for SIGQUIT); it is blocked until this handler returns.
static void restore_terminal_and_reraise(int sig) {
    int saved_errno = errno;
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, "\n", 1);
    ::raise(sig);
    errno = saved_errno;
}
}

namespace swr::cli {
namespace {

// Echo off, with the fatal signals caught, for as long as it lives.
class no_echo {
public:
    explicit no_echo(const termios& original) {
        saved_terminal = original;
        struct sigaction sa {};
        sa.sa_handler = restore_terminal_and_reraise;
        sigemptyset(&sa.sa_mask);
        for (int s : fatal_signals) sigaddset(&sa.sa_mask, s);
        sa.sa_flags = static_cast<int>(SA_RESETHAND);
        for (std::size_t i = 0; i < fatal_signals.size(); ++i) {
            ::sigaction(fatal_signals[i], &sa, &previous_[i]);
            // An ignored signal (nohup's SIGHUP) stays ignored.
            if (previous_[i].sa_handler == SIG_IGN)
                ::sigaction(fatal_signals[i], &previous_[i], nullptr);
        }
        termios quiet = original;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    ~no_echo() {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
        for (std::size_t i = 0; i < fatal_signals.size(); ++i)
            ::sigaction(fatal_signals[i], &previous_[i], nullptr);
    }
    no_echo(const no_echo&) = delete;
    no_echo& operator=(const no_echo&) = delete;

private:
    std::array<struct sigaction, fatal_signals.size()> previous_{};
};

}  // namespace

std::string read_secret(const char* prompt) {
    termios original{};
    if (::isatty(STDIN_FILENO) != 1 || ::tcgetattr(STDIN_FILENO, &original) != 0)
        throw std::runtime_error("stdin is not a terminal to ask for a password");
    // Read byte by byte into a fixed buffer: no stdio buffer or string growth leaves copies.
    std::array<char, 1024> buf{};
    std::size_t n = 0;
    bool too_long = false;
    {
        no_echo quiet(original);  // before the prompt: once it shows, echo is already off
        std::cerr << prompt << std::flush;
        char c = 0;
        for (;;) {
            auto r = ::read(STDIN_FILENO, &c, 1);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0 || c == '\n') break;
            if (n < buf.size())
                buf[n++] = c;
            else
                too_long = true;
        }
        OPENSSL_cleanse(&c, 1);
    }
    std::cerr << '\n';
    std::string secret(buf.data(), too_long ? 0 : n);
    OPENSSL_cleanse(buf.data(), buf.size());
    if (too_long) throw std::runtime_error("the password is longer than 1024 bytes");
    return secret;
}

void wipe(std::string& secret) {
    if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
    secret.clear();
}

}  // namespace swr::cli
