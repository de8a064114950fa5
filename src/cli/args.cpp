#include "args.hpp"

#include "command_line.hpp"
#include "exit_codes.hpp"

#include <swr/version.hpp>

#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <boost/version.hpp>

#include <algorithm>
#include <array>
#include <memory>
#include <sstream>

namespace swr::cli {
namespace {

constexpr const char* tool = "swr-sign-tasks";
constexpr std::int64_t int_max = INT64_MAX;

// The variables the tool and the library read, for every help that lists them.
struct env_var {
    const char* name;
    const char* meaning;
};
constexpr std::array<env_var, 14> environment{{
    {"HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK", "AK/SK (--ak, --sk)"},
    {"HUAWEICLOUD_SDK_SECURITY_TOKEN", "with either AK/SK, the temporary AK/SK's token"},
    {"CLOUD_SDK_AK, CLOUD_SDK_SK", "AK/SK"},
    {"SWR_AUTH_TOKEN", "an IAM token (--token)"},
    {"HUAWEICLOUD_SDK_DOMAIN_NAME, HUAWEICLOUD_SDK_USERNAME, HUAWEICLOUD_SDK_PASSWORD",
     "an IAM user (--iam-domain, --iam-user); with --iam-user the password comes from "
     "HUAWEICLOUD_SDK_PASSWORD, or is asked for (without echo) when stdin is a terminal"},
    {"HUAWEICLOUD_SDK_IAM_ENDPOINT", "--iam-endpoint (--ca-file is trusted there too)"},
    {"HUAWEICLOUD_SDK_PROJECT_ID", "--project-id"},
    {"HUAWEICLOUD_SDK_REGION", "--region"},
    {"HUAWEICLOUD_SDK_REGION_SWR_<REGION>",
     "the SWR endpoint of region <REGION> (upper case, '-' as '_') instead of the built-in one"},
    {"SWR_INSTANCE_ID, SWR_NAMESPACE, SWR_POLICY_ID", "--instance-id, --namespace, --policy-id"},
    {"HTTPS_PROXY or https_proxy", "HTTP CONNECT proxy for https:// endpoints"},
    {"HTTP_PROXY or http_proxy", "proxy for http:// endpoints"},
    {"NO_PROXY or no_proxy", "hosts (comma-separated, .suffix, *) reached directly"},
    {"SSL_CERT_FILE, SSL_CERT_DIR",
     "where OpenSSL finds the system trust store (default /etc/ssl/certs); --ca-file adds to it"},
}};

// Two columns: `rows` of name and meaning, under `title`.
template <class Rows, class Name, class Meaning>
std::string section(const std::string& title, const Rows& rows, std::size_t column, Name name,
                    Meaning meaning) {
    std::ostringstream out;
    out << title << '\n';
    for (const auto& r : rows)
        CLI::detail::format_help(out, name(r), wrap(meaning(r), 100 - column), column);
    return out.str();
}

std::string environment_section() {
    return section(
        "Environment (used when the flags do not say; of the credentials, the first found in this "
        "order):",
        environment, 42, [](const env_var& v) { return std::string(v.name); },
        [](const env_var& v) { return std::string(v.meaning); });
}

std::string exit_code_section() {
    return section(
        "Exit codes:", documented_exits(), 8,
        [](const documented_exit& e) { return std::string(e.code); },
        [](const documented_exit& e) { return std::string(e.meaning); });
}

// Without its last newline: CLI11 adds one after a footer.
std::string trimmed(std::string s) {
    if (s.ends_with('\n')) s.pop_back();
    return s;
}

std::string command_footer() { return environment_section() + "\n" + trimmed(exit_code_section()); }

// Every task state, in order.
constexpr std::array<task_state, 7> states{
    task_state::pending, task_state::scheduled, task_state::running, task_state::success,
    task_state::error,   task_state::stopped,   task_state::unknown};

// The values of --status, as task_state names them.
std::vector<std::string> status_names() {
    std::vector<std::string> out;
    for (auto s : states) out.emplace_back(to_string(s));
    return out;
}

// The parser of one command line: CLI11 bound to `a`, with the rules CLI11 cannot say.
class parser {
public:
    explicit parser(arguments& a) : a_(a) {
        app_.formatter(fmt_);
        // A flag given twice: the last one counts, as in most tools (an alias, then a change).
        app_.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
        app_.set_help_flag("-h,--help", "this help");
        app_.set_version_flag(
            "--version", [] { return version(); },
            "the version, and the Boost, OpenSSL and CLI11 versions");
        app_.require_subcommand(1);
        app_.footer([] {
            return wrap("'" + std::string(tool) +
                            " COMMAND --help' lists the command's flags, what each means, its "
                            "default and the environment variable that stands in for it.",
                        100) +
                   "\n\n" + environment_section() + "\n" + trimmed(exit_code_section());
        });

        auto* list = command("list", "one page of an execution's tasks, or every task with --all");
        add_target(*list, true);
        list->footer(command_footer);
        auto* watch =
            command("watch",
                    "poll executions until every task has finished, then report the tasks "
                    "that failed or stopped");
        add_target(*watch, false);
        watch->footer(command_footer);
        auto* emulator = command("emulator",
                                 "run an emulator of the service on loopback (HTTPS, a certificate "
                                 "made at start) until SIGINT or SIGTERM");
        add_emulator(*emulator);
        command("demo", "a tour: list and watch against an emulator started in-process");
        command("help", "the help of a command, as COMMAND --help prints it")
            ->add_option("COMMAND", topic_, "list, watch, emulator or demo");
        for (auto* sub : app_.get_subcommands({})) finish_help_flag(*sub);
    }

    CLI::App& app() { return app_; }
    CLI::App* sub(std::string_view name) {
        for (auto* s : app_.get_subcommands({}))
            if (s->get_name() == name) return s;
        return nullptr;
    }

    /// After the parse (or CLI11 stopped at a rule it checks): the fields that need the
    /// option's count, then every rule, in one order, each with its own message.
    void finish(CLI::App& sub) {
        a_.command = sub.get_name();
        auto given = [&](const char* flag) {
            const auto* o = sub.get_option_no_throw(flag);
            return o != nullptr && o->count() > 0;
        };
        if (given("--policy-id")) a_.policy_id = policy_id_;
        if (given("--offset")) a_.offset = offset_;
        if (given("--limit")) a_.limit = limit_;
        a_.deadline_given = given("--deadline");
        a_.statuses.clear();
        for (const auto& s : statuses_)
            for (auto st : states)
                if (s == to_string(st) &&
                    std::find(a_.statuses.begin(), a_.statuses.end(), st) == a_.statuses.end())
                    a_.statuses.push_back(st);
        if (a_.command == "help") {
            a_.info = help(topic_);
            return;
        }

        auto fail = [&](const std::string& m) { throw usage_error(m, a_.command); };
        if (given("--token") && (given("--ak") || given("--sk")))
            fail("--token: cannot be combined with --ak/--sk");
        if (given("--ak") != given("--sk")) fail("--ak and --sk: must be given together");
        if (given("--iam-user") && (given("--token") || given("--ak")))
            fail("--iam-user: cannot be combined with --token or --ak/--sk");
        if (given("--iam-user") != given("--iam-domain"))
            fail("--iam-user and --iam-domain: must be given together");
        if (given("--iam-endpoint") && !given("--iam-user"))
            fail("--iam-endpoint: requires --iam-user");
        if (given("--security-token") && !given("--ak"))
            fail("--security-token: requires --ak and --sk");
        if (given("--no-auth") &&
            (given("--token") || given("--ak") || given("--sk") || given("--security-token") ||
             given("--iam-user") || given("--iam-domain") || given("--iam-endpoint")))
            fail("--no-auth: cannot be combined with --token, --ak/--sk or --iam-user");
        if (a_.command == "list") {
            if (a_.offset && !a_.limit)
                fail("--offset: requires --limit (offset and limit go together)");
            if (a_.offset && a_.limit && *a_.offset % *a_.limit != 0)
                fail("--offset: must be 0 or a multiple of --limit");
            if (a_.all && (a_.offset || a_.limit))
                fail("--all: cannot be combined with --offset/--limit");
            if (!a_.all && (given("--page-size") || given("--parallel")))
                fail(std::string(given("--page-size") ? "--page-size" : "--parallel") +
                     ": only with --all");
            if (a_.execution_ids.size() > 1) fail("--execution-id: list takes exactly one");
        }
        if (a_.command == "list" || a_.command == "watch") {
            if (given("--endpoint") && given("--region"))
                fail("--endpoint and --region: give one, not both");
            if (!given("--instance-id")) fail("--instance-id: required (or SWR_INSTANCE_ID)");
            if (!given("--namespace")) fail("--namespace: required (or SWR_NAMESPACE)");
            if (!a_.policy_id) fail("--policy-id: required (or SWR_POLICY_ID)");
            if (a_.execution_ids.empty() && a_.executions_file.empty())
                fail(a_.command == "watch" ? "--execution-id: required (or --executions-file)"
                                           : "--execution-id: required");
        }
    }

    /// The one line for a parse error; a bad value that came from the environment says so.
    std::string explain(const CLI::ParseError& e, const std::vector<std::string>& args) {
        std::string msg = cli::explain(e, app_);
        auto* sub = chosen(app_);
        if (dynamic_cast<const CLI::ValidationError*>(&e) == nullptr || sub == nullptr) return msg;
        const auto* opt = sub->get_option_no_throw(msg.substr(0, msg.find(':')));
        if (opt == nullptr || opt->get_envname().empty()) return msg;
        const auto flag = opt->get_name();
        const bool on_line = std::any_of(args.begin(), args.end(), [&](const std::string& s) {
            return s == flag || s.starts_with(flag + "=");
        });
        return on_line ? msg : msg + " (from " + opt->get_envname() + ")";
    }

private:
    CLI::App* command(const char* name, const char* description) {
        auto* sub = app_.add_subcommand(name, description);
        sub->group("Commands");
        // Processed when its own parse completes, and only then: CLI11 would otherwise read the
        // environment into the flags of every command, parsed or not, and run their callbacks
        // (the commands share the variables they fill; a bad SWR_POLICY_ID would fail `demo`).
        sub->parse_complete_callback([] {});
        sub->set_help_flag();  // added last (finish_help_flag), below the command's own flags
        return sub;
    }

    void finish_help_flag(CLI::App& sub) {
        sub.set_help_flag("-h,--help", "this help")->group("Help");
    }

    // A flag that takes no value: --all=false would count as given to CLI11's rules.
    static CLI::Option* flag(CLI::App& sub, const char* name, bool& target, const char* desc) {
        return sub.add_flag(name, target, desc)->disable_flag_override();
    }

    void add_target(CLI::App& sub, bool is_list) {
        auto& a = a_;
        auto* endpoint =
            sub.add_option("--endpoint", a.endpoint, "the SWR endpoint, https://host[:port]")
                ->type_name("URL")
                ->group("Target");
        auto* region = sub.add_option("--region", a.region,
                                      "region id such as cn-north-4: its endpoint from the "
                                      "built-in table or HUAWEICLOUD_SDK_REGION_SWR_<REGION>; "
                                      "one of --endpoint and --region is required")
                           ->type_name("REGION")
                           ->group("Target");
        fmt_->annotate(region, "env: HUAWEICLOUD_SDK_REGION");
        endpoint->excludes(region);
        auto* project = sub.add_option("--project-id", a.project_id, "the project id")
                            ->type_name("ID")
                            ->envname("HUAWEICLOUD_SDK_PROJECT_ID")
                            ->group("Target");
        fmt_->annotate(project, "required");
        auto* instance =
            sub.add_option("--instance-id", a.instance_id, "the SWR Enterprise Edition instance")
                ->type_name("ID")
                ->envname("SWR_INSTANCE_ID")
                ->group("Target");
        fmt_->annotate(instance, "required");
        auto* ns = sub.add_option("--namespace", a.namespace_name, "the namespace")
                       ->type_name("NAME")
                       ->envname("SWR_NAMESPACE")
                       ->group("Target");
        fmt_->annotate(ns, "required");
        auto* policy = sub.add_option("--policy-id", policy_id_, "the signing policy")
                           ->type_name("ID")
                           ->transform(integer_in(0, int_max))
                           ->envname("SWR_POLICY_ID")
                           ->group("Target");
        fmt_->annotate(policy, "required");
        auto* execution = sub.add_option("--execution-id", a.execution_ids,
                                         is_list ? "the execution of the policy"
                                                 : "an execution to watch; repeat it for more")
                              ->type_name("ID")
                              ->transform(integer_in(0, int_max))
                              ->allow_extra_args(false)  // one a flag, as in --execution-id=3
                              ->group("Target");
        if (is_list) {
            fmt_->annotate(execution, "required");
        } else {
            fmt_->annotate(execution, "required unless --executions-file");
            sub.add_option("--executions-file", a.executions_file,
                           "more execution ids, one a line; blank lines and lines starting with "
                           "'#' are skipped")
                ->type_name("FILE")
                ->group("Target");
        }
        add_auth(sub);
        add_connection(sub);
        add_mode(sub, is_list);
        add_output(sub, is_list);
    }

    // Authentication: a token, an AK/SK (with a security token), or an IAM user.
    void add_auth(CLI::App& sub) {
        auto& a = a_;
        const char* auth = "Authentication";
        auto* token = sub.add_option("--token", a.token, "an IAM token, sent as X-Auth-Token")
                          ->type_name("TOKEN")
                          ->group(auth);
        fmt_->annotate(token, "env: SWR_AUTH_TOKEN");
        auto* ak = sub.add_option("--ak", a.ak, "access key: requests are signed with it and --sk")
                       ->type_name("AK")
                       ->group(auth);
        fmt_->annotate(ak, "env: HUAWEICLOUD_SDK_AK or CLOUD_SDK_AK");
        auto* sk = sub.add_option("--sk", a.sk, "secret key of --ak")->type_name("SK")->group(auth);
        fmt_->annotate(sk, "env: HUAWEICLOUD_SDK_SK or CLOUD_SDK_SK");
        ak->needs(sk);
        sk->needs(ak);
        token->excludes(ak)->excludes(sk);
        auto* security = sub.add_option("--security-token", a.security_token,
                                        "the security token of a temporary AK/SK")
                             ->type_name("TOKEN")
                             ->group(auth)
                             ->needs(ak);
        fmt_->annotate(security, "env: HUAWEICLOUD_SDK_SECURITY_TOKEN");
        auto* user = sub.add_option("--iam-user", a.iam_user,
                                    "an IAM user: a token is obtained from IAM with the user's "
                                    "password, taken from HUAWEICLOUD_SDK_PASSWORD or asked for "
                                    "(without echo) when stdin is a terminal")
                         ->type_name("USER")
                         ->group(auth);
        fmt_->annotate(user, "env: HUAWEICLOUD_SDK_USERNAME");
        auto* domain =
            sub.add_option("--iam-domain", a.iam_domain, "the IAM user's account (domain) name")
                ->type_name("DOMAIN")
                ->group(auth);
        fmt_->annotate(domain, "env: HUAWEICLOUD_SDK_DOMAIN_NAME");
        user->needs(domain)->excludes(token)->excludes(ak)->excludes(sk);
        domain->needs(user);
        auto* iam = sub.add_option("--iam-endpoint", a.iam_endpoint,
                                   "the IAM endpoint; without it, the region's "
                                   "(https://iam.REGION.myhuaweicloud.com)")
                        ->type_name("URL")
                        ->group(auth)
                        ->needs(user);
        fmt_->annotate(iam, "env: HUAWEICLOUD_SDK_IAM_ENDPOINT");
        flag(sub, "--no-auth", a.no_auth,
             "send requests without credentials, for servers that check none; without "
             "credentials and without this flag, nothing is sent (exit 2)")
            ->group(auth)
            ->excludes(token)
            ->excludes(ak)
            ->excludes(sk)
            ->excludes(user);
    }

    // Connection: timeouts, TLS, proxies, retries and the request rate.
    void add_connection(CLI::App& sub) {
        auto& a = a_;
        const char* conn = "Connection";
        sub.add_option("--ca-file", a.ca_file,
                       "also trust the CAs in this PEM file (for IAM too); the system trust "
                       "store stays trusted")
            ->type_name("FILE")
            ->group(conn);
        flag(sub, "--insecure", a.insecure,
             "do not verify the server's certificate (a warning is printed)")
            ->group(conn);
        flag(sub, "--allow-http", a.allow_http,
             "allow http:// endpoints (SWR and IAM) on hosts other than loopback; plain HTTP "
             "sends tokens, signatures and the password in clear text, so it is refused unless "
             "this is given")
            ->group(conn);
        sub.add_option("--timeout", a.timeout_s, "one attempt of a request")
            ->type_name("SECONDS")
            ->transform(seconds_at_least(0.001))
            ->capture_default_str()
            ->group(conn);
        sub.add_option("--retries", a.retries,
                       "retries of a request that failed on the way (timeouts, connection "
                       "failures, 429, 500, 502, 503, 504)")
            ->type_name("N")
            ->transform(integer_in(0, 10))
            ->capture_default_str()
            ->group(conn);
        sub.add_option("--max-rps", a.max_rps,
                       "most requests a second sent to SWR, retries included; 0: no limit. "
                       "Processes sharing one account's quota: the quota divided among them")
            ->type_name("N")
            ->transform(number_in(0, 1'000'000))
            ->capture_default_str()
            ->group(conn);
        flag(sub, "--adaptive", a.adaptive,
             "after a 429, slow down to the rate the service accepts, then speed back up (never "
             "above --max-rps); a Retry-After holds every request")
            ->group(conn);
    }

    // What `list` lists, or how `watch` polls.
    void add_mode(CLI::App& sub, bool is_list) {
        if (is_list)
            add_listing(sub);
        else
            add_watching(sub);
    }

    void add_listing(CLI::App& sub) {
        auto& a = a_;
        const char* listing = "Listing";
        auto* offset = sub.add_option("--offset", offset_,
                                      "the index of the page's first task: 0 or a multiple "
                                      "of --limit")
                           ->type_name("N")
                           ->transform(integer_in(0, int_max))
                           ->group(listing);
        auto* limit = sub.add_option("--limit", limit_,
                                     "tasks in the page; without it, the service's default "
                                     "(10)")
                          ->type_name("N")
                          ->transform(integer_in(1, 100))
                          ->group(listing);
        offset->needs(limit);
        auto* all = flag(sub, "--all", a.all,
                         "every task: page 1, then the other pages in parallel; the listing "
                         "is whole or an error")
                        ->group(listing)
                        ->excludes(offset)
                        ->excludes(limit);
        sub.add_option("--page-size", a.page_size, "tasks per request with --all")
            ->type_name("N")
            ->transform(integer_in(1, 100))
            ->capture_default_str()
            ->group(listing)
            ->needs(all);
        sub.add_option("--parallel", a.parallel, "requests in flight with --all")
            ->type_name("N")
            ->transform(integer_in(1, 64))
            ->capture_default_str()
            ->group(listing)
            ->needs(all);
        sub.add_option("--deadline", a.deadline_s,
                       "with --all: the whole listing, every page and retry included; 0: "
                       "none")
            ->type_name("SECONDS")
            ->transform(seconds_at_least(0))
            ->default_str("600")
            ->group(listing);
        auto* status = sub.add_option("--status", statuses_,
                                      "keep only the tasks in this status, in every output "
                                      "format; repeat it, or separate statuses with commas, "
                                      "for more (the service's words are read as these: "
                                      "Failed is error)")
                           ->type_name("STATUS")
                           ->delimiter(',')
                           ->allow_extra_args(false)
                           ->transform(one_of(status_names()))
                           ->group(listing);
        fmt_->annotate(status, "repeatable");
        flag(sub, "--dry-run", a.dry_run,
             "print the request, every secret redacted, and send nothing")
            ->group(listing);
    }

    void add_watching(CLI::App& sub) {
        auto& a = a_;
        const char* watching = "Watching";
        sub.add_option("--interval", a.interval_s, "time between two polls of one execution")
            ->type_name("SECONDS")
            ->transform(seconds_at_least(0.01))
            ->capture_default_str()
            ->group(watching);
        sub.add_option("--concurrency", a.concurrency, "polls in flight at once")
            ->type_name("N")
            ->transform(integer_in(1, 1024))
            ->capture_default_str()
            ->group(watching);
        sub.add_option("--page-size", a.page_size, "tasks per request")
            ->type_name("N")
            ->transform(integer_in(1, 100))
            ->capture_default_str()
            ->group(watching);
        sub.add_option("--deadline", a.deadline_s,
                       "stop after this long and name the executions still unfinished (exit "
                       "1); 0: none")
            ->type_name("SECONDS")
            ->transform(seconds_at_least(0))
            ->default_str("0")
            ->group(watching);
        flag(sub, "--allow-empty", a.allow_empty,
             "an execution that has no tasks at all is not a failure (without it: exit 1)")
            ->group(watching);
    }

    void add_output(CLI::App& sub, bool is_list) {
        auto& a = a_;
        const char* out = "Output";
        std::vector<std::string> formats{"table", "json", "ndjson"};
        if (is_list) formats.emplace_back("csv");
        sub.add_option("-o,--output", a.output,
                       is_list ? "table: aligned columns and a count; json: {\"total\": N, "
                                 "\"tasks\": [...]}; ndjson: a task a line; csv: a header, then "
                                 "a task a line"
                               : "table: a line for each change, then a summary; json: a "
                                 "summary of every execution; ndjson: an event for each poll, "
                                 "then a result for each execution")
            ->type_name("FORMAT")
            ->transform(one_of(formats))
            ->capture_default_str()
            ->group(out);
        flag(sub, "-v,--verbose", a.verbose,
             "the kind of credentials, and the call's diagnostics, on stderr (never a secret)")
            ->group(out);
    }

    void add_emulator(CLI::App& sub) {
        auto& a = a_;
        const char* serve = "Serving";
        sub.add_option("--listen", a.listen, "HOST:PORT to listen on; port 0: a free one")
            ->type_name("ADDRESS")
            ->capture_default_str()
            ->group(serve);
        sub.add_option("--cert-out", a.cert_out,
                       "write the emulator's CA certificate here, for --ca-file")
            ->type_name("FILE")
            ->group(serve);
        flag(sub, "--plain", a.plain, "plain HTTP instead of HTTPS")->group(serve);
        sub.add_option("--latency", a.latency_s, "added before every response")
            ->type_name("SECONDS")
            ->transform(seconds_at_least(0))
            ->capture_default_str()
            ->group(serve);
        sub.add_option("--rate-limit", a.rate_limit,
                       "a quota: at most N requests a second per credential (a token bucket, "
                       "bursts of N/10, at least 1); beyond it, 429 with a Retry-After. 0: none")
            ->type_name("N")
            ->transform(number_in(0, 1'000'000))
            ->capture_default_str()
            ->group(serve);
        const char* creds = "Credentials (without any, requests are served unchecked)";
        auto* token = sub.add_option("--token", a.token, "accept this IAM token")
                          ->type_name("TOKEN")
                          ->group(creds);
        auto* ak = sub.add_option("--ak", a.ak, "accept requests signed with this AK and --sk")
                       ->type_name("AK")
                       ->group(creds);
        auto* sk = sub.add_option("--sk", a.sk, "the SK of --ak")->type_name("SK")->group(creds);
        ak->needs(sk);
        sk->needs(ak);
        token->excludes(ak)->excludes(sk);
        const char* data = "Data";
        sub.add_option("--seed", a.seed, "seed of the generated tasks")
            ->type_name("N")
            ->transform(integer_in(0, int_max))
            ->capture_default_str()
            ->group(data);
        sub.add_option("--executions", a.executions, "executions 1..N of policy 1")
            ->type_name("N")
            ->transform(integer_in(1, 1'000'000))
            ->capture_default_str()
            ->group(data);
        sub.add_option("--tasks", a.tasks, "tasks of each execution")
            ->type_name("N")
            ->transform(integer_in(0, 1'000'000))
            ->capture_default_str()
            ->group(data);
        sub.add_option("--pace", a.pace_s, "every task is finished this long after the start")
            ->type_name("SECONDS")
            ->transform(seconds_at_least(0))
            ->capture_default_str()
            ->group(data);
    }

    arguments& a_;
    CLI::App app_{"swr-sign-tasks " SWR_VERSION_STRING
                  ": list and watch the tasks of Huawei Cloud SWR image-signing executions",
                  tool};
    std::shared_ptr<help_formatter> fmt_ = std::make_shared<help_formatter>();
    std::int64_t policy_id_ = 0, offset_ = 0, limit_ = 0;
    std::vector<std::string> statuses_;
    std::string topic_;
};

}  // namespace

arguments parse(const std::vector<std::string>& args) {
    arguments a;
    parser p(a);
    // Help wins over everything else on the line (a bad value, a missing flag): the first
    // argument that names a command says whose.
    for (const auto& s : args) {
        if (s == "--") break;
        if (s == "-h" || s == "--help") {
            a.command = "help";
            auto cmd = std::find_if(args.begin(), args.end(), [&](const std::string& c) {
                return c != "help" && p.sub(c) != nullptr;
            });
            a.info = help(cmd == args.end() ? std::string() : *cmd);
            return a;
        }
    }
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes the last first
    try {
        p.app().parse(reversed);
    } catch (const CLI::CallForVersion&) {
        a.command = "help";
        a.info = version();
        return a;
    } catch (const CLI::ParseError& e) {
        auto* sub = chosen(p.app());
        // CLI11 checks the flags that need or exclude others first; the rules, in their order,
        // say which.
        if (sub != nullptr && (dynamic_cast<const CLI::ExcludesError*>(&e) != nullptr ||
                               dynamic_cast<const CLI::RequiresError*>(&e) != nullptr))
            p.finish(*sub);
        throw usage_error(p.explain(e, args), sub ? sub->get_name() : std::string());
    }
    p.finish(*chosen(p.app()));
    return a;
}

std::string help(std::string_view command) {
    arguments a;
    parser p(a);
    if (command.empty()) return p.app().help();
    auto* sub = p.sub(command);
    if (sub == nullptr || command == "help")
        throw usage_error("unknown command '" + std::string(command) +
                          "' (expected list, watch, emulator or demo)");
    return sub->help(tool);
}

std::string version() {
    std::ostringstream out;
    out << tool << ' ' << SWR_VERSION_STRING << '\n'
        << "Boost " << BOOST_VERSION / 100000 << '.' << BOOST_VERSION / 100 % 1000 << '.'
        << BOOST_VERSION % 100 << ", OpenSSL " << OPENSSL_version_major() << '.'
        << OPENSSL_version_minor() << '.' << OPENSSL_version_patch();
    if (OPENSSL_version_major() != OPENSSL_VERSION_MAJOR ||
        OPENSSL_version_minor() != OPENSSL_VERSION_MINOR ||
        OPENSSL_version_patch() != OPENSSL_VERSION_PATCH)
        out << " (built with " << OPENSSL_VERSION_STR << ')';
    out << ", CLI11 " << CLI11_VERSION << '\n';
    return out.str();
}

}  // namespace swr::cli
