#pragma once
// Command-line parsing for swr-sign-tasks: flags into a plain struct, with the rule that was
// broken named on error. No I/O.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace swr::cli {

/// Thrown on bad usage; what() names the flag and the rule.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct arguments {
    std::string command;  // list | watch | emulator | demo | help

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
    std::string token, ak, sk, security_token;
    std::string iam_user, iam_domain, iam_endpoint;
    std::string ca_file;
    bool insecure = false;
    bool allow_http = false;  // client_options::allow_plain_http
    double timeout_s = 30;
    unsigned retries = 2;
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
    bool plain = false;
};

/// Parses argv[1..]. Throws usage_error.
arguments parse(const std::vector<std::string>& args);

/// The usage text.
const char* usage();

}  // namespace swr::cli
