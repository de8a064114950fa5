#pragma once
// Command-line parsing for swr-sign-tasks (CLI11): flags into a plain struct, with the rule that
// was broken named on error. The help printed by --help is generated from the same parser. No
// I/O; the environment is read for the variables that stand in for flags.

#include <swr/model.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace swr::cli {

/// Thrown on bad usage; what() names the flag and the rule, in one line.
struct usage_error : std::runtime_error {
    /// `for_command`: whose help to point to ("list", ...); empty: the tool's.
    explicit usage_error(const std::string& what, std::string for_command = {})
        : std::runtime_error(what), command(std::move(for_command)) {}
    std::string command;
};

struct arguments {
    std::string command;  // list | watch | emulator | demo | help
    std::string info;     // help: the text to print (--help, help COMMAND, --version)

    // Target and connection (list, watch).
    std::string endpoint, region, project_id, instance_id, namespace_name;
    std::optional<std::int64_t> policy_id;
    std::vector<std::int64_t> execution_ids;
    std::string executions_file;
    std::optional<std::int64_t> offset, limit;
    bool all = false;
    std::int64_t page_size = 100;
    std::size_t parallel = 8;
    std::string output = "table";
    std::vector<task_state> statuses;  // list --status: keep only these (empty: all)
    std::string token, ak, sk, security_token;
    std::string iam_user, iam_domain, iam_endpoint;
    bool no_auth = false;  // send no credentials, and do not refuse for want of them
    std::string ca_file;
    bool insecure = false;
    bool allow_http = false;  // client_options::allow_plain_http
    double timeout_s = 30;
    unsigned retries = 2;
    double max_rps = 0;     // client_options::rate.max_rps (0: none)
    bool adaptive = false;  // client_options::rate.adaptive
    bool dry_run = false;
    bool verbose = false;
    // watch
    double interval_s = 5;
    std::size_t concurrency = 16;
    double deadline_s = 0;        // 0: none
    bool deadline_given = false;  // list --all has a default of its own when not given
    bool allow_empty = false;     // an execution with no tasks is not a failure

    // emulator
    std::string listen = "127.0.0.1:0";
    std::string cert_out;
    std::uint64_t seed = 1;
    std::int64_t executions = 3;
    std::int64_t tasks = 250;
    double pace_s = 30;
    double latency_s = 0;
    double rate_limit = 0;  // the emulator's quota, requests a second per credential (0: none)
    bool plain = false;
};

/// Parses argv[1..]. Throws usage_error.
arguments parse(const std::vector<std::string>& args);

/// The help of `command` (list, watch, emulator, demo), or of the tool when empty: what
/// `swr-sign-tasks [COMMAND] --help` prints. Throws usage_error for an unknown command.
std::string help(std::string_view command = {});

/// What `swr-sign-tasks --version` prints: the tool's version and the Boost, OpenSSL and CLI11
/// versions it was built with (and OpenSSL's at run time when it differs).
std::string version();

}  // namespace swr::cli
