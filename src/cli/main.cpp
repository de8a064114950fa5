// swr-sign-tasks: list or watch the tasks of SWR image-signing executions; run the emulator;
// or a demo against the embedded emulator. Thin: parses flags and calls the library.
#include "args.hpp"
#include "auth/iam_endpoint.hpp"
#include "exit_codes.hpp"
#include "output.hpp"
#include "password_prompt.hpp"
#include "watch_report.hpp"

#include <swr/client.hpp>
#include <swr/emulator/emulator.hpp>
#include <swr/endpoint.hpp>
#include <swr/json_codec.hpp>
#include <swr/pager.hpp>
#include <swr/region.hpp>
#include <swr/watch.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>

namespace asio = boost::asio;
using namespace swr;
using swr::cli::arguments;
using namespace swr::cli::exit_codes;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Where requests go, for messages: "host:port" of the endpoint (or the region's), or empty.
std::string host_port_of(const client_options& o) {
    std::string url = o.endpoint;
    if (url.empty() && endpoint_for_region(o.region, url)) return {};
    endpoint ep;
    if (parse_endpoint(url, ep)) return {};
    auto host = ep.host.find(':') == std::string::npos ? ep.host : "[" + ep.host + "]";
    return host + ":" + std::to_string(ep.port);
}

// The server's certificate did not verify (an unknown CA, a wrong host name, expired...).
bool certificate_rejected(const error_code& ec) {
    return ec.category() == asio::error::get_ssl_category() &&
           ERR_GET_REASON(static_cast<unsigned long>(ec.value())) ==
               SSL_R_CERTIFICATE_VERIFY_FAILED;
}

constexpr const char* ca_file_hint =
    "swr-sign-tasks: hint: the server's certificate is not trusted here; if a CA of your own "
    "signed it, give that CA with --ca-file FILE (or SSL_CERT_FILE); --insecure skips the check\n";

// A failure in words: the error, the details (the server's words, shown escaped), and for a
// failure on the way to the server (not its answer, nor the call's own deadline) the host:port
// it was going to. An IAM failure names the IAM endpoint itself.
std::string describe(const error_code& ec, const diagnostics& d, const std::string& where) {
    std::string out = ec.message();
    auto details = d.to_string();
    if (!details.empty()) out += " (" + cli::terminal_safe(details) + ")";
    const bool on_the_way = cli::exit_for(ec) == transport_error && ec != errc::deadline_exceeded &&
                            ec != asio::error::operation_aborted;
    if (on_the_way && !where.empty() && d.message.find("IAM") == std::string::npos)
        out += " (at " + where + ")";
    return out;
}

int fail(const char* what, const error_code& ec, const diagnostics& d, const std::string& where) {
    std::cerr << "swr-sign-tasks: " << what << " failed: " << describe(ec, d, where) << '\n';
    if (certificate_rejected(ec)) std::cerr << ca_file_hint;
    return cli::exit_for(ec);
}

const char* signal_name(int sig) { return sig == SIGINT ? "SIGINT" : "SIGTERM"; }

// SIGINT and SIGTERM cancel what is bound to `slot()` and are remembered, so that the command
// can print what it knows and exit 130 or 143. stop() ends the wait once the work is done.
class interruption {
public:
    explicit interruption(asio::io_context& ioc) : signals_(ioc, SIGINT, SIGTERM) {
        signals_.async_wait([this](error_code ec, int sig) {
            if (ec) return;
            caught_ = sig;
            cancel_.emit(asio::cancellation_type::terminal);
        });
    }
    asio::cancellation_slot slot() { return cancel_.slot(); }
    void stop() { signals_.cancel(); }
    /// The signal that arrived, or 0.
    int caught() const { return caught_; }

private:
    asio::signal_set signals_;
    asio::cancellation_signal cancel_;
    int caught_ = 0;
};

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

// The IAM password: HUAWEICLOUD_SDK_PASSWORD, or a prompt without echo on a terminal. The
// caller wipes the copy returned.
std::string iam_password() {
    if (const char* p = std::getenv("HUAWEICLOUD_SDK_PASSWORD"); p && *p) return p;
    if (::isatty(STDIN_FILENO) != 1)
        throw cli::usage_error(
            "--iam-user: set HUAWEICLOUD_SDK_PASSWORD (stdin is not a terminal to ask)");
    try {
        return cli::read_secret("IAM password: ");
    } catch (const std::runtime_error& e) {
        throw cli::usage_error(std::string("--iam-user: ") + e.what());
    }
}

client_options make_options(const arguments& a) {
    auto o = client_options::from_env();
    if (!a.endpoint.empty()) {
        o.endpoint = a.endpoint;
        o.region.clear();
    } else if (!a.region.empty()) {
        o.region = a.region;
    }
    if (o.endpoint.empty() && o.region.empty())
        throw cli::usage_error("--endpoint or --region: required (or HUAWEICLOUD_SDK_REGION)");
    if (!a.project_id.empty()) o.project_id = a.project_id;
    if (o.project_id.empty())
        throw cli::usage_error("--project-id: required (or HUAWEICLOUD_SDK_PROJECT_ID)");
    if (!a.token.empty()) o.credentials = credentials::token(a.token);
    if (!a.ak.empty()) o.credentials = credentials::aksk(a.ak, a.sk, a.security_token);
    if (!a.iam_user.empty()) {
        iam_password_auth auth;
        auth.domain_name = a.iam_domain;
        auth.user_name = a.iam_user;
        auth.iam_endpoint = a.iam_endpoint;
        if (auth.iam_endpoint.empty()) auth.iam_endpoint = swr::detail::iam_endpoint_from_env();
        std::string password = a.dry_run ? std::string("unused") : iam_password();
        auth.password = password;
        cli::wipe(password);
        o.credentials = credentials::iam_password(auth);  // a copy: the CLI's own is wiped
        cli::wipe(auth.password);
    }
    if (a.no_auth) {
        o.credentials = credentials{};
    } else if (o.credentials.type() == credentials::kind::none) {
        throw cli::usage_error(
            "no credentials: give --token, --ak and --sk, or --iam-user and --iam-domain (or "
            "their environment variables); --no-auth sends requests without any");
    }
    if (!a.ca_file.empty()) o.tls.ca_file = a.ca_file;
    if (a.insecure) {
        o.tls.verify_peer = false;
        std::cerr
            << "swr-sign-tasks: warning: --insecure: the server's certificate is NOT verified\n";
    }
    if (a.allow_http) {
        o.allow_plain_http = true;
        auto plain = [](const std::string& url) { return url.starts_with("http://"); };
        if (plain(o.endpoint) || (o.credentials.iam() && plain(o.credentials.iam()->iam_endpoint)))
            std::cerr << "swr-sign-tasks: warning: --allow-http: credentials go over plain HTTP, "
                         "readable by anyone on the path\n";
    }
    o.timeouts.request = std::chrono::milliseconds(static_cast<long long>(a.timeout_s * 1000));
    o.timeouts.deadline = o.timeouts.request * (a.retries + 1) + std::chrono::seconds(30);
    o.retry.max_attempts = a.retries + 1;
    o.rate.max_rps = a.max_rps;
    o.rate.adaptive = a.adaptive;
    return o;
}

list_tasks_request make_request(const arguments& a, std::int64_t execution) {
    list_tasks_request r;
    r.instance_id = a.instance_id;
    r.namespace_name = a.namespace_name;
    r.policy_id = *a.policy_id;
    r.execution_id = execution;
    r.offset = a.offset;
    r.limit = a.limit;
    return r;
}

// "error", "error or stopped", "pending, running or error".
std::string statuses_text(const std::vector<task_state>& statuses) {
    std::string out;
    for (std::size_t i = 0; i < statuses.size(); ++i) {
        if (i > 0) out += i + 1 == statuses.size() ? " or " : ", ";
        out += to_string(statuses[i]);
    }
    return out;
}

// --dry-run: the request as it would be sent, secrets redacted; nothing is sent.
int print_dry_run(client& c, const list_tasks_request& req) {
    std::string text, msg;
    if (auto ec = c.describe_request(req, text, &msg)) {
        std::cerr << "swr-sign-tasks: " << msg << '\n';
        return usage;
    }
    std::cout << text << "(dry run: nothing was sent)\n";
    return ok;
}

// `list --all`: every page, printed once the listing is whole.
asio::awaitable<error_code> list_all_and_print(const arguments& a, client& c,
                                               const list_tasks_request& req, bool tty,
                                               diagnostics& diag) {
    list_all_options lo;
    lo.page_size = a.page_size;
    lo.max_in_flight = a.parallel;
    // The whole listing is bounded, not only each request: a slow server cannot stretch it page
    // by page.
    lo.deadline =
        a.deadline_given
            ? std::chrono::milliseconds(static_cast<long long>(std::ceil(a.deadline_s * 1000)))
            : std::chrono::minutes(10);
    if (tty)
        lo.on_progress = [](std::size_t done, std::size_t total, std::size_t tasks) {
            std::cerr << "\r" << cli::progress_bar(done, total) << " pages, " << tasks << " tasks"
                      << std::flush;
        };
    auto [ec, tasks] = co_await c.async_list_all_tasks(req, lo, diag, use_tuple);
    if (ec) co_return ec;
    if (tty) std::cerr << "\r\033[K" << std::flush;
    auto total = static_cast<std::int64_t>(tasks.size());
    cli::keep_statuses(tasks, a.statuses);
    cli::print_tasks(std::cout, a.output, total, tasks);
    co_return error_code{};
}

// `list`: one page; a page that is not the whole listing says so, where scripts do not read.
asio::awaitable<error_code> list_page_and_print(const arguments& a, client& c,
                                                const list_tasks_request& req, diagnostics& diag) {
    auto [ec, p] = co_await c.async_list_tasks(req, diag, use_tuple);
    if (ec) co_return ec;
    auto listed = p.tasks.size();
    cli::keep_statuses(p.tasks, a.statuses);
    // The decoder requires `total`: a page without one does not get here.
    const auto total = p.total.value_or(static_cast<std::int64_t>(listed));
    cli::print_tasks(std::cout, a.output, total, p.tasks);
    if (static_cast<std::int64_t>(listed) < total) {
        std::cerr << "swr-sign-tasks: showing " << p.tasks.size() << " of " << total << " tasks";
        if (!a.statuses.empty())
            std::cerr << " (those in status " << statuses_text(a.statuses) << " among the "
                      << listed << " of this page)";
        std::cerr << "; --all lists every one\n";
    }
    co_return error_code{};
}

int run_list(const arguments& a) {
    auto opts = make_options(a);
    const auto where = host_port_of(opts);
    asio::io_context ioc;
    client c(ioc.get_executor(), opts);
    auto req = make_request(a, a.execution_ids.at(0));
    if (a.dry_run) return print_dry_run(c, req);
    if (a.verbose) std::cerr << "swr-sign-tasks: " << c.options().credentials.to_string() << '\n';

    int rc = ok;
    interruption interrupt(ioc);
    const bool tty = a.all && stderr_is_terminal();
    auto report_failure = [&](const error_code& ec, const diagnostics& diag) {
        if (tty) std::cerr << "\r\033[K" << std::flush;
        if (interrupt.caught() != 0) {
            std::cerr << "swr-sign-tasks: list: interrupted by " << signal_name(interrupt.caught())
                      << '\n';
            return interrupted_by(interrupt.caught());
        }
        return fail("list", ec, diag, where);
    };
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            diagnostics diag;
            auto ec = a.all ? co_await list_all_and_print(a, c, req, tty, diag)
                            : co_await list_page_and_print(a, c, req, diag);
            if (ec) {
                rc = report_failure(ec, diag);
                co_return;
            }
            if (a.verbose)
                std::cerr << "swr-sign-tasks: " << cli::terminal_safe(diag.to_string()) << '\n';
        },
        asio::bind_cancellation_slot(interrupt.slot(), [&](const std::exception_ptr& e) {
            interrupt.stop();
            if (e) std::rethrow_exception(e);
        }));
    ioc.run();
    return rc;
}

std::vector<std::int64_t> read_executions_file(const std::string& path) {
    std::ifstream f(path);
    if (!f) throw cli::usage_error("--executions-file: cannot read '" + path + "'");
    std::vector<std::int64_t> ids;
    std::string line;
    for (int n = 1; std::getline(f, line); ++n) {
        auto b = line.find_first_not_of(" \t\r");
        if (b == std::string::npos || line[b] == '#') continue;
        auto e = line.find_last_not_of(" \t\r");
        auto v = line.substr(b, e - b + 1);
        try {
            std::size_t used = 0;
            long long id = std::stoll(v, &used);
            if (used != v.size() || id < 0) throw std::invalid_argument(v);
            ids.push_back(id);
        } catch (const std::exception&) {
            throw cli::usage_error("--executions-file: line " + std::to_string(n) +
                                   ": expected a non-negative execution id, got '" + v + "'");
        }
    }
    return ids;
}

// Watches and reports; shared by `watch` and `demo`. `where` is the host:port for messages.
// What `watch` prints while it runs: ndjson events, or table lines when an execution's counts
// change (and a progress bar on a terminal).
class watch_printer {
public:
    watch_printer(const std::string& output, bool tty, std::size_t executions,
                  cli::failure_log& failures)
        : output_(output), tty_(tty), executions_(executions), failures_(failures) {}

    void operator()(const execution_update& u) {
        failures_.update(u);
        if (output_ == "ndjson") {
            std::cout << cli::watch_event_json(u,
                                               cli::utc_timestamp(std::chrono::system_clock::now()))
                      << '\n';
            return;
        }
        if (output_ != "table") return;
        if (u.done) ++done_count_;
        std::string line = u.ec ? "error: " + u.ec.message() : cli::counts_line(u.counts);
        if (last_line_[u.index] != line) {
            last_line_[u.index] = line;
            if (tty_) std::cerr << "\r\033[K";
            std::cout << "execution " << u.target->execution_id << ": " << line
                      << (u.done ? "  (done)" : "") << '\n'
                      << std::flush;
        }
        if (tty_)
            std::cerr << "\r" << cli::progress_bar(done_count_, executions_) << " executions done"
                      << std::flush;
    }

private:
    const std::string& output_;
    bool tty_;
    std::size_t executions_;
    cli::failure_log& failures_;
    std::map<std::size_t, std::string> last_line_;
    std::size_t done_count_ = 0;
};

// What is known when the watch ends, interrupted or not; true if a certificate was refused.
bool print_watch_results(const std::vector<watch_result>& results, const cli::failure_log& failures,
                         const std::string& output, const std::string& where) {
    if (output == "json") cli::print_watch_json(std::cout, results, failures);
    if (output == "ndjson")
        for (std::size_t i = 0; i < results.size(); ++i)
            std::cout << cli::watch_result_json(results[i], failures.of(i), "\"event\":\"result\",")
                      << '\n';
    if (output == "table") {
        for (const auto& r : results) {
            std::cout << "execution " << r.target.execution_id << ": "
                      << cli::to_string(cli::outcome_of(r));
            // Counts only when there are some: "no tasks" is an outcome of its own.
            if (r.counts.total() > 0) std::cout << " - " << cli::counts_line(r.counts);
            if (r.ec) std::cout << " - " << describe(r.ec, r.diag, where);
            std::cout << '\n';
        }
    }
    bool untrusted = false;
    for (const auto& r : results) untrusted = untrusted || certificate_rejected(r.ec);
    std::cout << std::flush;
    cli::print_failures(std::cerr, failures.all());
    return untrusted;
}

// The watch's verdict on stderr, and the exit code.
int report_watch_end(const std::vector<watch_result>& results, bool allow_empty, int sig,
                     const error_code& watch_ec, bool untrusted) {
    auto verdict = cli::judge(results, allow_empty);
    std::string ended = sig != 0   ? std::string("interrupted by ") + signal_name(sig)
                        : watch_ec ? watch_ec.message()
                                   : std::string("deadline passed");
    if (watch_ec && sig == 0) std::cerr << "swr-sign-tasks: watch: " << watch_ec.message() << '\n';
    if (!verdict.unfinished.empty())
        std::cerr << "swr-sign-tasks: watch: not finished when the watch ended (" << ended
                  << "): " << (verdict.unfinished.size() == 1 ? "execution " : "executions ")
                  << cli::id_list(verdict.unfinished) << '\n';
    if (!verdict.empty.empty() && !allow_empty)
        std::cerr << "swr-sign-tasks: watch: no tasks at all in "
                  << (verdict.empty.size() == 1 ? "execution " : "executions ")
                  << cli::id_list(verdict.empty) << " (--allow-empty accepts that)\n";
    if (untrusted) std::cerr << ca_file_hint;
    if (sig != 0) {
        std::cerr << "swr-sign-tasks: watch: " << ended << '\n';
        return interrupted_by(sig);
    }
    return verdict.ok && !watch_ec ? ok : watch_unsuccessful;
}

// Watches and reports; shared by `watch` and `demo`. `where` is the host:port for messages.
int watch_and_report(client& c, asio::io_context& ioc, std::vector<watch_target> targets,
                     watch_options wo, const std::string& output, bool allow_empty,
                     const std::string& where) {
    const bool tty = stderr_is_terminal() && output == "table";
    std::vector<watch_result> results;
    error_code watch_ec;
    cli::failure_log failures(targets.size());
    interruption interrupt(ioc);
    const auto executions = targets.size();
    async_watch(c, std::move(targets), wo, watch_printer(output, tty, executions, failures),
                asio::bind_cancellation_slot(interrupt.slot(),
                                             [&](error_code ec, std::vector<watch_result> r) {
                                                 watch_ec = ec;
                                                 results = std::move(r);
                                                 interrupt.stop();
                                             }));
    ioc.run();
    if (tty) std::cerr << "\r\033[K" << std::flush;
    bool untrusted = print_watch_results(results, failures, output, where);
    return report_watch_end(results, allow_empty, interrupt.caught(), watch_ec, untrusted);
}

int run_watch(const arguments& a) {
    auto ids = a.execution_ids;
    if (!a.executions_file.empty()) {
        auto more = read_executions_file(a.executions_file);
        ids.insert(ids.end(), more.begin(), more.end());
    }
    if (ids.empty()) throw cli::usage_error("--execution-id: required");
    auto opts = make_options(a);
    std::vector<watch_target> targets;
    for (auto id : ids) targets.push_back({a.instance_id, a.namespace_name, *a.policy_id, id, ""});
    watch_options wo;
    wo.interval = std::chrono::milliseconds(static_cast<long long>(a.interval_s * 1000));
    wo.max_concurrency = a.concurrency;
    wo.page_size = a.page_size;
    // Rounded up: a deadline of a fraction of a millisecond is still a deadline, not "none".
    wo.deadline = std::chrono::milliseconds(static_cast<long long>(std::ceil(a.deadline_s * 1000)));
    opts.pool.max_connections =
        std::max<std::size_t>(opts.pool.max_connections, std::min<std::size_t>(a.concurrency, 64));
    const auto where = host_port_of(opts);
    asio::io_context ioc;
    client c(ioc.get_executor(), opts);
    return watch_and_report(c, ioc, std::move(targets), wo, a.output, a.allow_empty, where);
}

emulator::server_options emulator_options(const arguments& a) {
    emulator::server_options o;
    auto colon = a.listen.rfind(':');
    if (colon == std::string::npos)
        throw cli::usage_error("--listen: expected HOST:PORT (got '" + a.listen + "')");
    o.listen_address = a.listen.substr(0, colon);
    try {
        auto port = std::stoul(a.listen.substr(colon + 1));
        if (port > 65535) throw std::out_of_range("port");
        o.port = static_cast<std::uint16_t>(port);
    } catch (const std::exception&) {
        throw cli::usage_error("--listen: port must be 0..65535 (got '" + a.listen + "')");
    }
    o.tls = !a.plain;
    o.token = a.token;
    o.ak = a.ak;
    o.sk = a.sk;
    o.data.seed = a.seed;
    o.data.executions = a.executions;
    o.data.tasks_per_execution = a.tasks;
    o.data.pace = std::chrono::milliseconds(static_cast<long long>(a.pace_s * 1000));
    o.latency = std::chrono::milliseconds(static_cast<long long>(a.latency_s * 1000));
    o.throttle.requests_per_second = a.rate_limit;
    return o;
}

int run_emulator(const arguments& a) {
    auto o = emulator_options(a);
    // Block the signals before the server's threads start, then wait for one here.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    emulator::server emu(o);
    if (!a.cert_out.empty()) emu.write_ca(a.cert_out);
    if (o.token.empty() && o.ak.empty())
        std::cerr << "emulator: no --token or --ak/--sk given: credentials are not checked\n";
    std::cerr << "emulator: instance " << o.data.instance_id << ", namespace "
              << o.data.namespace_name << ", policy " << o.data.policy_id << ", executions 1.."
              << o.data.executions << " of " << o.data.tasks_per_execution << " tasks\n";
    if (a.rate_limit > 0)
        std::cerr << "emulator: a quota of " << a.rate_limit
                  << " requests a second per credential (429 beyond it)\n";
    std::cout << "endpoint: " << emu.endpoint() << std::endl;
    int sig = 0;
    sigwait(&set, &sig);
    emu.stop();
    std::cerr << "emulator: stopped, " << emu.counters().requests_served << " requests served, "
              << emu.counters().throttled << " throttled\n";
    return ok;
}

// Demo step 2: every task of one execution, the first few shown.
int demo_list_all(asio::io_context& ioc, client& c, const list_tasks_request& req,
                  const std::string& where) {
    int rc = ok;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            diagnostics diag;
            auto t0 = std::chrono::steady_clock::now();
            auto [ec, tasks] = co_await c.async_list_all_tasks(req, {}, diag, use_tuple);
            auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - t0)
                          .count();
            if (ec) {
                rc = fail("list", ec, diag, where);
                co_return;
            }
            std::cout << "== 2. Every task of execution 1 (" << tasks.size() << " tasks in " << ms
                      << " ms: page 1, then the other pages in parallel). The first 8:\n";
            cli::print_tasks(
                std::cout, "table", static_cast<std::int64_t>(tasks.size()),
                std::span<const task>(tasks).first(std::min<std::size_t>(8, tasks.size())));
            status_counts counts;
            for (const auto& t : tasks) counts.by_state[static_cast<std::size_t>(t.state())]++;
            std::cout << "states now: " << cli::counts_line(counts) << "\n\n";
        },
        asio::detached);
    ioc.run();
    ioc.restart();
    return rc;
}

int run_demo() {
    emulator::server_options eo;
    eo.token = "demo-token";
    eo.data.executions = 4;
    eo.data.tasks_per_execution = 250;
    eo.data.pace = std::chrono::seconds(4);
    emulator::server emu(eo);
    std::cout << "== swr-sign-tasks demo\n"
              << "An emulator of SWR's ListInstanceSignPolicyExecTasks is running at "
              << emu.endpoint() << " (HTTPS, certificate made at start, token auth).\n\n";

    client_options o;
    o.endpoint = emu.endpoint();
    o.project_id = "demo-project";
    o.credentials = credentials::token("demo-token");
    o.tls.ca_pem = emu.ca_pem();
    asio::io_context ioc;
    client c(ioc.get_executor(), o);

    list_tasks_request req;
    req.instance_id = eo.data.instance_id;
    req.namespace_name = eo.data.namespace_name;
    req.policy_id = eo.data.policy_id;
    req.execution_id = 1;
    std::string shown;
    (void)c.describe_request(req, shown);
    std::cout << "== 1. The request the client sends (secrets redacted):\n" << shown << '\n';
    if (int rc = demo_list_all(ioc, c, req, host_port_of(o)); rc != ok) return rc;

    std::cout
        << "== 3. Watching executions 1-4 until every task is terminal (polled every 0.5 s):\n";
    std::vector<watch_target> targets;
    for (int e = 1; e <= 4; ++e)
        targets.push_back({eo.data.instance_id, eo.data.namespace_name, eo.data.policy_id, e, ""});
    watch_options wo;
    wo.interval = std::chrono::milliseconds(500);
    wo.deadline = std::chrono::seconds(50);
    int rc = watch_and_report(c, ioc, targets, wo, "table", false, host_port_of(o));
    if (rc > internal_error) return rc;  // interrupted: 130 or 143, as `watch` would
    std::cout
        << "\nSome tasks end in Error on purpose (the emulator fails about 10% of them), so the\n"
           "watch reports failures: `swr-sign-tasks watch` would exit with code 1 here.\n"
        << "The client made " << c.stats().requests_sent << " requests over "
        << c.stats().connections_opened << " TLS connection(s).\n";
    return ok;
}

// A usage error: one line, and where to read more.
int usage_failure(const std::string& message, const std::string& command) {
    std::cerr << "swr-sign-tasks: " << message << "\nsee 'swr-sign-tasks "
              << (command.empty() || command == "help" ? "" : command + " ") << "--help'\n";
    return usage;
}

int run(const arguments& a) {
    if (a.command == "help") {
        std::cout << a.info;
        return ok;
    }
    if (a.command == "list") return run_list(a);
    if (a.command == "watch") return run_watch(a);
    if (a.command == "emulator") return run_emulator(a);
    return run_demo();
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    arguments a;
    try {
        a = cli::parse(args);
    } catch (const cli::usage_error& e) {
        return usage_failure(e.what(), e.command);
    }
    try {
        return run(a);
    } catch (const cli::usage_error& e) {
        return usage_failure(e.what(), e.command.empty() ? a.command : e.command);
    } catch (const std::invalid_argument& e) {  // client options the library refused
        std::string what = e.what();
        if (what.find("allow_plain_http") != std::string::npos)
            what += " (the command line's --allow-http)";
        return usage_failure(what, a.command);
    } catch (const std::exception& e) {
        std::cerr << "swr-sign-tasks: " << e.what() << '\n';
        return transport_error;
    }
}
