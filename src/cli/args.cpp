#include "args.hpp"

#include <charconv>
#include <cmath>

namespace swr::cli {
namespace {

std::int64_t to_int(const std::string& flag, const std::string& v, std::int64_t lo, std::int64_t hi,
                    const char* rule) {
    std::int64_t x = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec != std::errc() || p != v.data() + v.size() || v.empty() || x < lo || x > hi)
        throw usage_error(flag + ": " + rule + " (got '" + v + "')");
    return x;
}

// At most 10^9 s (about 31 years): more would overflow the milliseconds it becomes.
double to_seconds(const std::string& flag, const std::string& v, double lo) {
    try {
        std::size_t used = 0;
        double d = std::stod(v, &used);
        if (used == v.size() && std::isfinite(d) && d > 1e9)
            throw usage_error(flag + ": must be at most 1000000000 seconds (got '" + v + "')");
        if (used == v.size() && std::isfinite(d) && d >= lo) return d;
    } catch (const usage_error&) {
        throw;
    } catch (const std::exception&) {
    }
    throw usage_error(flag + ": must be a number of seconds >= " + std::to_string(lo).substr(0, 3) +
                      " (got '" + v + "')");
}

}  // namespace

const char* usage() {
    return R"(usage:
  swr-sign-tasks list   (--endpoint URL | --region R) --project-id P --instance-id I --namespace N
                        --policy-id X --execution-id Y
                        [--offset O --limit L | --all [--page-size L] [--parallel N]]
                        [--output table|json|ndjson|csv]
                        [--token T | --ak AK --sk SK [--security-token S]
                         | --iam-user U --iam-domain D [--iam-endpoint URL]]
                        [--ca-file F] [--insecure] [--allow-http] [--timeout SECONDS]
                        [--retries N] [--deadline SECONDS] [--dry-run] [--verbose]
  swr-sign-tasks watch  (same target and auth flags) --execution-id Y [--execution-id Z ...]
                        [--executions-file F] [--interval SECONDS] [--concurrency N]
                        [--deadline SECONDS] [--allow-empty] [--output table|json|ndjson]
  swr-sign-tasks emulator [--listen HOST:PORT] [--cert-out FILE] [--token T] [--ak AK --sk SK]
                        [--seed S] [--executions N] [--tasks M] [--pace SECONDS] [--plain]
  swr-sign-tasks demo

environment (used when the flags do not say; the first credentials found, in this order):
  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK    AK/SK
  HUAWEICLOUD_SDK_SECURITY_TOKEN            with either AK/SK, the temporary AK/SK's token
  CLOUD_SDK_AK, CLOUD_SDK_SK                AK/SK
  SWR_AUTH_TOKEN                            an IAM token (--token)
  HUAWEICLOUD_SDK_DOMAIN_NAME, HUAWEICLOUD_SDK_USERNAME, HUAWEICLOUD_SDK_PASSWORD
                                            an IAM user; with --iam-user the password comes
                                            from HUAWEICLOUD_SDK_PASSWORD, or is asked for
                                            (without echo) when stdin is a terminal
  HUAWEICLOUD_SDK_IAM_ENDPOINT              --iam-endpoint (--ca-file is trusted there too)
  HUAWEICLOUD_SDK_PROJECT_ID                --project-id
  HUAWEICLOUD_SDK_REGION                    --region
  HUAWEICLOUD_SDK_REGION_SWR_<REGION>       the SWR endpoint of region <REGION> (upper case,
                                            '-' as '_') instead of the built-in one
  HTTPS_PROXY or https_proxy                HTTP CONNECT proxy for https:// endpoints
  HTTP_PROXY or http_proxy                  proxy for http:// endpoints
  NO_PROXY or no_proxy                      hosts (comma-separated, .suffix, *) reached directly

  --allow-http       allow http:// endpoints (SWR and IAM) on hosts other than loopback; plain
                     HTTP sends tokens, signatures and the password in clear text, so it is
                     refused unless this is given (default: refused)
  --deadline S       list --all: the whole listing, every page and retry (default 600; 0: none);
                     watch: stop after S seconds and report the executions still unfinished
                     (exit 1); 0, the default, means no deadline
  --allow-empty      watch: an execution that has no tasks at all is reported as "no tasks"
                     and makes watch exit 1 unless this is given (default: exit 1)

exit codes: 0 ok; 1 watch: a task failed or stopped, an execution could not be watched to the
end (error, --deadline), or has no tasks (without --allow-empty); 2 bad usage; 3 the service
answered with an error; 4 network, TLS or timeout failure; 5 a response, or the pages of a
listing taken together, could not be understood; 6 the tool itself failed.
)";
}

arguments parse(const std::vector<std::string>& args) {
    arguments a;
    if (args.empty()) throw usage_error("a command is required: list, watch, emulator or demo");
    a.command = args[0];
    if (a.command == "-h" || a.command == "--help" || a.command == "help") {
        a.command = "help";
        return a;
    }
    if (a.command != "list" && a.command != "watch" && a.command != "emulator" &&
        a.command != "demo")
        throw usage_error("unknown command '" + a.command +
                          "' (expected list, watch, emulator or demo)");

    const bool target_cmd = a.command == "list" || a.command == "watch";
    bool seen_page_size = false, seen_parallel = false;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& f = args[i];
        auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size()) throw usage_error(f + ": requires a value");
            return args[++i];
        };
        auto only = [&](bool ok) {
            if (!ok) throw usage_error(f + ": not an option of '" + a.command + "'");
        };
        if (f == "--endpoint")
            only(target_cmd), a.endpoint = value();
        else if (f == "--region")
            only(target_cmd), a.region = value();
        else if (f == "--project-id")
            only(target_cmd), a.project_id = value();
        else if (f == "--instance-id")
            only(target_cmd), a.instance_id = value();
        else if (f == "--namespace")
            only(target_cmd), a.namespace_name = value();
        else if (f == "--policy-id")
            only(target_cmd),
                a.policy_id = to_int(f, value(), 0, INT64_MAX, "must be a non-negative integer");
        else if (f == "--execution-id")
            only(target_cmd), a.execution_ids.push_back(to_int(f, value(), 0, INT64_MAX,
                                                               "must be a non-negative integer"));
        else if (f == "--executions-file")
            only(a.command == "watch"), a.executions_file = value();
        else if (f == "--offset")
            only(a.command == "list"),
                a.offset = to_int(f, value(), 0, INT64_MAX, "must be a non-negative integer");
        else if (f == "--limit")
            only(a.command == "list"),
                a.limit = to_int(f, value(), 1, 100, "must be an integer from 1 to 100");
        else if (f == "--all")
            only(a.command == "list"), a.all = true;
        else if (f == "--page-size")
            only(target_cmd),
                a.page_size = to_int(f, value(), 1, 100, "must be an integer from 1 to 100"),
                seen_page_size = true;
        else if (f == "--parallel")
            only(a.command == "list"),
                a.parallel = static_cast<std::size_t>(
                    to_int(f, value(), 1, 64, "must be an integer from 1 to 64")),
                seen_parallel = true;
        else if (f == "--output") {
            only(target_cmd);
            a.output = value();
            bool ok = a.output == "table" || a.output == "json" || a.output == "ndjson" ||
                      (a.output == "csv" && a.command == "list");
            if (!ok)
                throw usage_error("--output: must be table, json, ndjson" +
                                  std::string(a.command == "list" ? " or csv" : "") + " (got '" +
                                  a.output + "')");
        } else if (f == "--token")
            only(a.command != "demo"), a.token = value();
        else if (f == "--ak")
            only(a.command != "demo"), a.ak = value();
        else if (f == "--sk")
            only(a.command != "demo"), a.sk = value();
        else if (f == "--security-token")
            only(target_cmd), a.security_token = value();
        else if (f == "--iam-user")
            only(target_cmd), a.iam_user = value();
        else if (f == "--iam-domain")
            only(target_cmd), a.iam_domain = value();
        else if (f == "--iam-endpoint")
            only(target_cmd), a.iam_endpoint = value();
        else if (f == "--ca-file")
            only(target_cmd), a.ca_file = value();
        else if (f == "--insecure")
            only(target_cmd), a.insecure = true;
        else if (f == "--allow-http")
            only(target_cmd), a.allow_http = true;
        else if (f == "--timeout")
            only(target_cmd), a.timeout_s = to_seconds(f, value(), 0.001);
        else if (f == "--retries")
            only(target_cmd), a.retries = static_cast<unsigned>(
                                  to_int(f, value(), 0, 10, "must be an integer from 0 to 10"));
        else if (f == "--dry-run")
            only(a.command == "list"), a.dry_run = true;
        else if (f == "--verbose")
            only(target_cmd), a.verbose = true;
        else if (f == "--interval")
            only(a.command == "watch"), a.interval_s = to_seconds(f, value(), 0.01);
        else if (f == "--deadline")
            only(a.command == "watch" || a.command == "list"),
                a.deadline_s = to_seconds(f, value(), 0), a.deadline_given = true;
        else if (f == "--allow-empty")
            only(a.command == "watch"), a.allow_empty = true;
        else if (f == "--concurrency")
            only(a.command == "watch"),
                a.concurrency = static_cast<std::size_t>(
                    to_int(f, value(), 1, 1024, "must be an integer from 1 to 1024"));
        else if (f == "--listen")
            only(a.command == "emulator"), a.listen = value();
        else if (f == "--cert-out")
            only(a.command == "emulator"), a.cert_out = value();
        else if (f == "--seed")
            only(a.command == "emulator"),
                a.seed = static_cast<std::uint64_t>(
                    to_int(f, value(), 0, INT64_MAX, "must be a non-negative integer"));
        else if (f == "--executions")
            only(a.command == "emulator"),
                a.executions =
                    to_int(f, value(), 1, 1'000'000, "must be an integer from 1 to 1000000");
        else if (f == "--tasks")
            only(a.command == "emulator"),
                a.tasks = to_int(f, value(), 0, 1'000'000, "must be an integer from 0 to 1000000");
        else if (f == "--pace")
            only(a.command == "emulator"), a.pace_s = to_seconds(f, value(), 0);
        else if (f == "--plain")
            only(a.command == "emulator"), a.plain = true;
        else if (f == "-h" || f == "--help") {
            a.command = "help";
            return a;
        } else
            throw usage_error("unknown option '" + f + "'");
    }

    if (!a.token.empty() && (!a.ak.empty() || !a.sk.empty()))
        throw usage_error("--token: cannot be combined with --ak/--sk");
    if (a.ak.empty() != a.sk.empty()) throw usage_error("--ak and --sk: must be given together");
    if (!a.iam_user.empty() && (!a.token.empty() || !a.ak.empty()))
        throw usage_error("--iam-user: cannot be combined with --token or --ak/--sk");
    if (a.iam_user.empty() != a.iam_domain.empty())
        throw usage_error("--iam-user and --iam-domain: must be given together");
    if (!a.iam_endpoint.empty() && a.iam_user.empty())
        throw usage_error("--iam-endpoint: requires --iam-user");
    if (!a.security_token.empty() && a.ak.empty())
        throw usage_error("--security-token: requires --ak and --sk");
    if (a.command == "list") {
        if (a.offset && !a.limit)
            throw usage_error("--offset: requires --limit (offset and limit go together)");
        if (a.offset && a.limit && *a.offset % *a.limit != 0)
            throw usage_error("--offset: must be 0 or a multiple of --limit");
        if (a.all && (a.offset || a.limit))
            throw usage_error("--all: cannot be combined with --offset/--limit");
        if (!a.all && (seen_page_size || seen_parallel))
            throw usage_error(std::string(seen_page_size ? "--page-size" : "--parallel") +
                              ": only with --all");
        if (a.execution_ids.size() > 1) throw usage_error("--execution-id: list takes exactly one");
    }
    if (target_cmd) {
        if (!a.endpoint.empty() && !a.region.empty())
            throw usage_error("--endpoint and --region: give one, not both");
        if (a.instance_id.empty()) throw usage_error("--instance-id: required");
        if (a.namespace_name.empty()) throw usage_error("--namespace: required");
        if (!a.policy_id) throw usage_error("--policy-id: required");
        if (a.execution_ids.empty() && a.executions_file.empty())
            throw usage_error("--execution-id: required");
    }
    return a;
}

}  // namespace swr::cli
