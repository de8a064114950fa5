// swr-bench: throughput, latency, CPU and memory of the client, against any endpoint or the
// emulator started in-process. One JSON object per run on stdout, a summary on stderr.
//
//   swr-bench page      [--requests N] [--concurrency C] [--limit L]
//   swr-bench list-all  [--tasks T] [--latency-ms MS] [--page-size L] [--parallel N]
//   swr-bench watch     [--executions E] [--tasks T] [--pace-ms MS] [--interval-ms MS]
//                       [--concurrency C] [--server-rate N [--adaptive] [--max-rps R]]
//   swr-bench decode    [--iterations N] [--limit L]
//   swr-bench construct [--clients N]
//   swr-bench throttle  [--requests N] [--concurrency C] [--server-rps R] [--server-burst B]
// page, list-all, watch: [--endpoint URL --ca-file F] [--token T | --ak AK --sk SK]
//         [--project-id P] [--instance-id I] [--namespace N] [--policy-id X] [--execution-id Y]
// `swr-bench MODE --help` gives each flag's meaning and default.
#include "cli/command_line.hpp"

#include <swr/client.hpp>
#include <swr/emulator/emulator.hpp>
#include <swr/json_codec.hpp>
#include <swr/pager.hpp>
#include <swr/watch.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>

#include <openssl/crypto.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <new>
#include <optional>

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono;

// For the decode comparison: the usual DOM route, parse() then value_to<> into a struct of
// std::string fields (what a task was before swr::text, and what a user would write).
namespace dom {
struct task {
    std::int64_t id = 0, execution_id = 0;
    std::string namespace_name, repository, job_id, status, status_text, created_at, updated_at;
};
task tag_invoke(json::value_to_tag<task>, const json::value& v) {
    const auto& o = v.as_object();
    task t;
    auto str = [&](const char* k) {
        auto* x = o.if_contains(k);
        return x && x->is_string() ? std::string(x->get_string()) : std::string();
    };
    if (auto* x = o.if_contains("id")) t.id = x->to_number<std::int64_t>();
    if (auto* x = o.if_contains("execution_id")) t.execution_id = x->to_number<std::int64_t>();
    t.namespace_name = str("namespace");
    t.repository = str("repository");
    t.job_id = str("job_id");
    t.status = str("status");
    t.status_text = str("status_text");
    t.created_at = str("created_at");
    t.updated_at = str("updated_at");
    return t;
}
}  // namespace dom

// Heap allocations of the measuring thread while counting is on: operator new, aligned_alloc
// (Asio allocates coroutine frames and handler memory with it) and OpenSSL's CRYPTO_malloc
// family. Thread-local, so the in-process emulator's threads are left out.
namespace alloc_count {
thread_local bool on = false;
thread_local long long n = 0;
inline void note() noexcept {
    if (on) ++n;
}
// Counting for one scope; pause() leaves the benchmark's own checking out.
struct scope {
    long long start = n;
    scope() { on = true; }
    ~scope() { on = false; }
    long long count() const { return n - start; }
};
struct pause {
    bool was = on;
    pause() { on = false; }
    ~pause() { on = was; }
};
void* crypto_malloc(std::size_t size, const char*, int) {
    note();
    return std::malloc(size);
}
void* crypto_realloc(void* p, std::size_t size, const char*, int) {
    note();
    return std::realloc(p, size);
}
void crypto_free(void* p, const char*, int) { std::free(p); }
}  // namespace alloc_count

void* operator new(std::size_t size) {
    alloc_count::note();
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t size, std::align_val_t al) {
    alloc_count::note();
    const auto a = std::max(static_cast<std::size_t>(al), sizeof(void*));
    void* p = nullptr;
    if (posix_memalign(&p, a, size ? size : 1) == 0) return p;
    throw std::bad_alloc();
}
// Interposed for the whole process (the executable's definition wins over libc's).
extern "C" void* aligned_alloc(std::size_t align, std::size_t size) noexcept {
    alloc_count::note();
    void* p = nullptr;
    if (posix_memalign(&p, std::max(align, sizeof(void*)), size ? size : 1) == 0) return p;
    return nullptr;
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// The flags of every mode; each mode reads its own.
struct args {
    // page, list-all, watch: where and as whom (empty endpoint: the emulator, in-process).
    std::string endpoint, ca_file, token, ak, sk;
    std::string project_id = "bench-project", instance_id = "ins-emulator",
                namespace_name = "library";
    long long policy_id = 1, execution_id = 1;
    // page
    long long requests = 10000, page_concurrency = 16, page_limit = 10;
    // list-all
    long long list_tasks = 10000, latency_ms = 20, page_size = 100, parallel = 8;
    // watch
    long long executions = 10000, watch_tasks = 250, pace_ms = 3000, interval_ms = 1000,
              watch_concurrency = 32, server_rate = 0;
    double max_rps = 0;
    bool adaptive = false;
    // decode
    long long iterations = 20000, decode_limit = 100;
    // construct
    long long clients = 200;
    // throttle
    long long throttle_requests = 1000, throttle_concurrency = 16, server_rps = 100,
              server_burst = 5;
};

struct cpu_clock {
    double user_sys_us(int who) const {
        rusage r{};
        getrusage(who, &r);
        return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e6 +
               static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
    }
};

long max_rss_kb() {
    rusage r{};
    getrusage(RUSAGE_SELF, &r);
    return r.ru_maxrss;
}

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    auto idx = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
    return v[idx];
}

struct setup {
    std::unique_ptr<swr::emulator::server> emu;
    swr::client_options opts;
    swr::list_tasks_request req;
    bool in_process = false;
};

// `connections`: the pool's size (at least 16).
setup make_setup(const args& a, swr::emulator::server_options eo, long long connections) {
    setup s;
    if (a.endpoint.empty()) {
        eo.token = "bench-token";
        s.emu = std::make_unique<swr::emulator::server>(eo);
        s.opts.endpoint = s.emu->endpoint();
        s.opts.tls.ca_pem = s.emu->ca_pem();
        s.opts.credentials = swr::credentials::token("bench-token");
        s.in_process = true;
        std::cerr
            << "swr-bench: no --endpoint: using the emulator in-process at " << s.opts.endpoint
            << " (server and client share the CPU; client CPU is measured on the client thread)\n";
    } else {
        s.opts.endpoint = a.endpoint;
        s.opts.tls.ca_file = a.ca_file;
        if (!a.token.empty()) s.opts.credentials = swr::credentials::token(a.token);
        if (!a.ak.empty()) s.opts.credentials = swr::credentials::aksk(a.ak, a.sk);
    }
    s.opts.project_id = a.project_id;
    s.opts.pool.max_connections = static_cast<std::size_t>(std::max(16LL, connections));
    s.req.instance_id = a.instance_id;
    s.req.namespace_name = a.namespace_name;
    s.req.policy_id = a.policy_id;
    s.req.execution_id = a.execution_id;
    return s;
}

// `total` / `requests`, two decimals.
std::string per_request(double total, long long requests) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", requests ? total / static_cast<double>(requests) : 0.0);
    return buf;
}

void emit(const std::string& mode, long long requests, long long concurrency, long long limit,
          double seconds, long long tasks, std::vector<double>& lat, long long errors,
          double cpu_us, const std::string& extra) {
    double p50 = percentile(lat, 0.50), p99 = percentile(lat, 0.99);
    char buf[1024];
    std::snprintf(
        buf, sizeof buf,
        "{\"mode\":\"%s\",\"requests\":%lld,\"concurrency\":%lld,\"limit\":%lld,"
        "\"seconds\":%.3f,\"rps\":%.1f,\"tasks_per_s\":%.1f,\"p50_us\":%.0f,\"p99_us\":%.0f,"
        "\"errors\":%lld,\"client_cpu_us_per_request\":%.2f,\"max_rss_kb\":%ld",
        mode.c_str(), requests, concurrency, limit, seconds,
        seconds > 0 ? static_cast<double>(requests) / seconds : 0.0,
        seconds > 0 ? static_cast<double>(tasks) / seconds : 0.0, p50, p99, errors,
        requests ? cpu_us / static_cast<double>(requests) : 0.0, max_rss_kb());
    std::cout << buf << extra << "}" << std::endl;
    std::fprintf(stderr,
                 "%s: %lld requests in %.2f s = %.0f req/s, p50 %.0f us, p99 %.0f us, %lld errors, "
                 "%.1f us CPU/request\n",
                 mode.c_str(), requests, seconds,
                 seconds > 0 ? static_cast<double>(requests) / seconds : 0.0, p50, p99, errors,
                 requests ? cpu_us / static_cast<double>(requests) : 0.0);
}

// Every page is checked: the count, and the ids (exactly, against the in-process data set).
bool page_ok(const setup& s, const swr::page& p, std::int64_t offset, std::int64_t limit) {
    if (s.emu) {
        const auto& d = s.emu->data();
        auto expected = std::min<std::int64_t>(
            limit, std::max<std::int64_t>(0, d.total(s.req.execution_id) - offset));
        if (static_cast<std::int64_t>(p.tasks.size()) != expected) return false;
        for (std::size_t i = 0; i < p.tasks.size(); ++i)
            if (p.tasks[i].id !=
                s.req.execution_id * 1'000'000 + offset + static_cast<std::int64_t>(i) + 1)
                return false;
        return true;
    }
    if (!p.total) return false;
    auto expected = std::min<std::int64_t>(limit, *p.total - offset);
    if (static_cast<std::int64_t>(p.tasks.size()) != expected &&
        static_cast<std::int64_t>(p.tasks.size()) != std::min<std::int64_t>(limit, *p.total))
        return false;
    // Ids unique, in a buffer kept across pages: the check allocates nothing, so it leaves the
    // allocator's state (and the client's measured CPU) alone.
    thread_local std::vector<std::int64_t> ids;
    ids.clear();
    for (const auto& t : p.tasks) {
        if (t.job_id.empty()) return false;
        ids.push_back(t.id);
    }
    std::sort(ids.begin(), ids.end());
    return std::adjacent_find(ids.begin(), ids.end()) == ids.end();
}

int bench_page(const args& a) {
    auto n = a.requests, conc = a.page_concurrency, limit = a.page_limit;
    swr::emulator::server_options eo;
    eo.data.tasks_per_execution = 1000;
    auto s = make_setup(a, eo, conc);
    asio::io_context ioc(1);
    swr::client c(ioc.get_executor(), s.opts);
    auto r = s.req;
    r.limit = limit;
    r.offset = 0;
    // Warm-up: one request per connection is not measured.
    long long issued = 0, errors = 0, tasks = 0;
    std::vector<double> lat;
    lat.reserve(static_cast<std::size_t>(n));
    cpu_clock cpu;
    double cpu0 = 0;
    steady_clock::time_point t0;
    steady_clock::duration checking{};
    auto worker = [&](bool measure, long long count) -> asio::awaitable<void> {
        while (issued < count) {
            ++issued;
            auto start = steady_clock::now();
            swr::diagnostics diag;
            auto [ec, p] = co_await c.async_list_tasks(r, diag, use_tuple);
            if (!measure) continue;
            // From here on the benchmark's own bookkeeping: neither its time nor its allocations
            // are the client's.
            const auto end = steady_clock::now();
            alloc_count::pause quiet;
            lat.push_back(static_cast<double>(duration_cast<nanoseconds>(end - start).count()) /
                          1000.0);
            const bool ok = !ec && page_ok(s, p, 0, limit);
            checking += steady_clock::now() - end;
            if (!ok) {
                if (errors++ == 0)
                    std::cerr << "swr-bench: first error: "
                              << (ec ? ec.message() : "page check failed") << " "
                              << diag.to_string() << '\n';
            }
            tasks += static_cast<long long>(p.tasks.size());
        }
    };
    for (long long i = 0; i < conc; ++i) asio::co_spawn(ioc, worker(false, conc), asio::detached);
    ioc.run();
    ioc.restart();
    issued = 0;
    cpu0 = cpu.user_sys_us(RUSAGE_THREAD);
    t0 = steady_clock::now();
    long long allocs = 0;
    {
        alloc_count::scope counting;
        for (long long i = 0; i < conc; ++i) asio::co_spawn(ioc, worker(true, n), asio::detached);
        ioc.run();
        allocs = counting.count();
    }
    double secs = duration<double>(steady_clock::now() - t0).count();
    // The page checks ran on this thread too: their (wall) time is taken off the client's CPU.
    double check_us = duration<double, std::micro>(checking).count();
    double cpu_us = cpu.user_sys_us(RUSAGE_THREAD) - cpu0 - check_us;
    emit("page", n, conc, limit, secs, tasks, lat, errors, cpu_us,
         ",\"allocations_per_request\":" + per_request(static_cast<double>(allocs), n) +
             ",\"check_us_per_request\":" + per_request(check_us, n) +
             ",\"connections_opened\":" + std::to_string(c.stats().connections_opened) +
             ",\"server_in_process\":" + (s.in_process ? "true" : "false"));
    return errors ? 1 : 0;
}

int bench_list_all(const args& a) {
    auto total = a.list_tasks, ps = a.page_size, par = a.parallel;
    swr::emulator::server_options eo;
    eo.data.tasks_per_execution = total;
    eo.latency = milliseconds(a.latency_ms);
    auto s = make_setup(a, eo, 16);
    asio::io_context ioc(1);
    swr::client c(ioc.get_executor(), s.opts);
    double seq_s = 0, par_s = 0;
    std::size_t seq_n = 0, par_n = 0;
    long long par_allocs = 0, par_requests = 0;
    double par_cpu_us = 0;
    cpu_clock cpu;
    bool ok = true;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            auto t0 = steady_clock::now();
            auto pg = c.list_tasks_pages(s.req, {.page_size = ps});
            while (auto p = co_await pg.async_next(asio::use_awaitable)) seq_n += p->tasks.size();
            seq_s = duration<double>(steady_clock::now() - t0).count();
            t0 = steady_clock::now();
            swr::list_all_options lo;
            lo.page_size = ps;
            lo.max_in_flight = static_cast<std::size_t>(par);
            const auto sent0 = c.stats().requests_sent;
            const auto cpu0 = cpu.user_sys_us(RUSAGE_THREAD);
            std::vector<swr::task> all;
            {
                alloc_count::scope counting;
                all = co_await c.async_list_all_tasks(s.req, lo, asio::use_awaitable);
                par_allocs = counting.count();
            }
            par_cpu_us = cpu.user_sys_us(RUSAGE_THREAD) - cpu0;
            par_requests = static_cast<long long>(c.stats().requests_sent - sent0);
            par_s = duration<double>(steady_clock::now() - t0).count();
            par_n = all.size();
            for (std::size_t i = 0; i < all.size(); ++i)
                if (s.emu &&
                    all[i].id != s.req.execution_id * 1'000'000 + static_cast<std::int64_t>(i) + 1)
                    ok = false;
        },
        asio::detached);
    ioc.run();
    ok = ok && seq_n == par_n && (!s.emu || static_cast<long long>(par_n) == total);
    auto pages = (total + ps - 1) / ps;
    std::vector<double> none;
    std::cout << "{\"mode\":\"list-all\",\"tasks\":" << par_n << ",\"pages\":" << pages
              << ",\"parallel\":" << par << ",\"latency_ms\":" << a.latency_ms
              << ",\"sequential_seconds\":" << seq_s << ",\"parallel_seconds\":" << par_s
              << ",\"speedup\":" << (par_s > 0 ? seq_s / par_s : 0)
              << ",\"requests\":" << par_requests
              << ",\"client_cpu_us_per_request\":" << per_request(par_cpu_us, par_requests)
              << ",\"allocations_per_request\":"
              << per_request(static_cast<double>(par_allocs), par_requests)
              << ",\"errors\":" << (ok ? 0 : 1) << ",\"max_rss_kb\":" << max_rss_kb() << "}"
              << std::endl;
    std::cerr << "list-all: " << par_n << " tasks; sequential pager " << seq_s
              << " s, parallel list-all " << par_s << " s, speedup "
              << (par_s > 0 ? seq_s / par_s : 0) << "x\n";
    return ok ? 0 : 1;
}

// The longest time between two successful polls of one execution, from on_update's calls.
class poll_gaps {
public:
    explicit poll_gaps(std::size_t executions) : last_(executions) {}
    void polled(std::size_t index, steady_clock::time_point now) {
        if (last_[index]) longest_ = std::max(longest_, now - *last_[index]);
        last_[index] = now;
    }
    double longest_ms() const { return duration<double, std::milli>(longest_).count(); }

private:
    std::vector<std::optional<steady_clock::time_point>> last_;
    steady_clock::duration longest_{};
};

// With --server-rate: the emulator's quota, what the client learnt of it, and how the run
// compares with the time the quota needs for the requests it needed (those not answered 429):
// the share of the quota the client kept busy.
std::string quota_figures(const args& a, const swr::client& c, const swr::emulator::server* emu,
                          double secs, const poll_gaps& gaps) {
    const auto st = c.stats();
    std::string out = ",\"throttled\":" + std::to_string(st.throttled) +
                      ",\"max_poll_gap_ms\":" + std::to_string(gaps.longest_ms()) +
                      ",\"interval_ms\":" + std::to_string(a.interval_ms);
    if (a.server_rate <= 0) return out;
    const double needed = static_cast<double>(st.requests_sent - st.throttled);
    const double ideal = needed / static_cast<double>(a.server_rate);
    const double sent = static_cast<double>(std::max<std::uint64_t>(st.requests_sent, 1));
    out += ",\"server_rate\":" + std::to_string(a.server_rate) +
           ",\"adaptive\":" + (a.adaptive ? "true" : "false") +
           ",\"max_rps\":" + std::to_string(a.max_rps) +
           ",\"requests_needed\":" + std::to_string(static_cast<long long>(needed)) +
           ",\"ideal_seconds\":" + std::to_string(ideal) +
           ",\"time_over_ideal\":" + std::to_string(ideal > 0 ? secs / ideal : 0) +
           ",\"throttled_share\":" + std::to_string(static_cast<double>(st.throttled) / sent) +
           ",\"server_throttled\":" + std::to_string(emu ? emu->counters().throttled : 0);
    std::fprintf(stderr,
                 "watch: quota %lld/s: %llu requests, %llu throttled (%.2f%%), %.2f s for an "
                 "ideal %.2f s (x%.3f), longest gap between polls %.0f ms (interval %lld ms)\n",
                 a.server_rate, static_cast<unsigned long long>(st.requests_sent),
                 static_cast<unsigned long long>(st.throttled),
                 100.0 * static_cast<double>(st.throttled) / sent, secs, ideal,
                 ideal > 0 ? secs / ideal : 0, gaps.longest_ms(), a.interval_ms);
    return out;
}

int bench_watch(const args& a) {
    auto execs = a.executions, tasks = a.watch_tasks;
    swr::emulator::server_options eo;
    eo.data.executions = execs;
    eo.data.tasks_per_execution = tasks;
    eo.data.pace = milliseconds(a.pace_ms);
    eo.threads = 1;
    eo.throttle.requests_per_second = static_cast<double>(a.server_rate);
    auto s = make_setup(a, eo, a.watch_concurrency);
    s.opts.pool.max_connections = static_cast<std::size_t>(a.watch_concurrency);
    s.opts.rate.max_rps = a.max_rps;
    s.opts.rate.adaptive = a.adaptive;
    asio::io_context ioc(1);
    swr::client c(ioc.get_executor(), s.opts);
    std::vector<swr::watch_target> targets;
    for (long long e = 1; e <= execs; ++e)
        targets.push_back({s.req.instance_id, s.req.namespace_name, s.req.policy_id, e, ""});
    swr::watch_options wo;
    wo.interval = milliseconds(a.interval_ms);
    wo.max_concurrency = static_cast<std::size_t>(a.watch_concurrency);
    std::size_t done = 0, failed = 0, updates = 0;
    poll_gaps gaps(targets.size());
    cpu_clock cpu;
    auto cpu0 = cpu.user_sys_us(RUSAGE_THREAD);
    auto t0 = steady_clock::now();
    swr::async_watch(
        c, targets, wo,
        [&](const swr::execution_update& u) {
            ++updates;
            if (!u.ec) gaps.polled(u.index, steady_clock::now());
        },
        [&](swr::error_code, std::vector<swr::watch_result> rs) {
            for (const auto& r : rs) {
                if (r.done && !r.ec && r.counts.total() == static_cast<std::size_t>(tasks))
                    ++done;
                else
                    ++failed;
            }
        });
    ioc.run();
    double secs = duration<double>(steady_clock::now() - t0).count();
    auto req = static_cast<long long>(c.stats().requests_sent);
    std::vector<double> none;
    emit("watch", req, wo.max_concurrency, 100, secs, static_cast<long long>(updates) * tasks, none,
         static_cast<long long>(failed), cpu.user_sys_us(RUSAGE_THREAD) - cpu0,
         ",\"executions\":" + std::to_string(execs) + ",\"tasks_per_execution\":" +
             std::to_string(tasks) + ",\"executions_done\":" + std::to_string(done) +
             ",\"polls\":" + std::to_string(updates) +
             quota_figures(a, c, s.emu.get(), secs, gaps));
    return failed ? 1 : 0;
}

int bench_decode(const args& a) {
    auto iters = a.iterations, limit = a.decode_limit;
    swr::emulator::data_set d({});
    auto body = swr::encode_page(d.make_page(1, 0, limit, milliseconds(0)));
    // Allocations a page, of each way (the same every round).
    double allocs = 0;
    auto run = [&](auto&& decode) {
        auto t0 = steady_clock::now();
        std::size_t n = 0;
        alloc_count::scope counting;
        for (long long i = 0; i < iters; ++i) n += decode();
        double secs = duration<double>(steady_clock::now() - t0).count();
        allocs = static_cast<double>(counting.count()) / static_cast<double>(iters);
        return std::pair{secs, n};
    };
    double sax_allocs = 0, reused_allocs = 0, dom_allocs = 0;
    // Interleave the two a few times; keep each one's best.
    double best_sax = 1e9, best_dom = 1e9, best_reused = 1e9;
    bool ok = true;
    for (int round = 0; round < 3; ++round) {
        auto [s1, n1] = run([&] {
            swr::page p;
            if (swr::decode_page(body, p)) ok = false;
            return p.tasks.size();
        });
        sax_allocs = allocs;
        // Into one page, reused: what a caller that keeps its page pays.
        swr::page kept;
        auto [s3, n3] = run([&] {
            if (swr::decode_page(body, kept)) ok = false;
            return kept.tasks.size();
        });
        reused_allocs = allocs;
        auto [s2, n2] = run([&] {
            auto v = json::parse(body);
            auto tasks = json::value_to<std::vector<dom::task>>(v.at("tasks"));
            return tasks.size();
        });
        dom_allocs = allocs;
        ok = ok && n1 == n2 && n1 == n3 && n1 == static_cast<std::size_t>(iters * limit);
        best_sax = std::min(best_sax, s1);
        best_dom = std::min(best_dom, s2);
        best_reused = std::min(best_reused, s3);
    }
    double sax_pages = static_cast<double>(iters) / best_sax,
           dom_pages = static_cast<double>(iters) / best_dom;
    std::cout << "{\"mode\":\"decode\",\"limit\":" << limit << ",\"body_bytes\":" << body.size()
              << ",\"iterations\":" << iters << ",\"pages_per_s\":" << sax_pages
              << ",\"tasks_per_s\":" << sax_pages * static_cast<double>(limit)
              << ",\"mb_per_s\":" << sax_pages * static_cast<double>(body.size()) / 1e6
              << ",\"dom_value_to_pages_per_s\":" << dom_pages
              << ",\"ratio_vs_dom\":" << sax_pages / dom_pages
              << ",\"reused_page_pages_per_s\":" << static_cast<double>(iters) / best_reused
              << ",\"allocations_per_request\":" << sax_allocs
              << ",\"reused_page_allocations_per_request\":" << reused_allocs
              << ",\"dom_value_to_allocations_per_request\":" << dom_allocs
              << ",\"errors\":" << (ok ? 0 : 1) << ",\"max_rss_kb\":" << max_rss_kb() << "}"
              << std::endl;
    std::cerr << "decode: " << sax_pages << " pages/s ("
              << sax_pages * static_cast<double>(body.size()) / 1e6 << " MB/s) vs parse+value_to "
              << dom_pages << " pages/s: " << sax_pages / dom_pages << "x\n";
    return ok ? 0 : 1;
}

// Against a server that throttles (the emulator's API-gateway limit): the same requests with no
// client-side limit, with a fixed limit at the server's rate, and adaptive. Each run gets a fresh
// emulator; a request is good when its call succeeds (retries included).
struct throttle_run {
    std::string name;
    double seconds = 0;
    long long ok = 0, failed = 0;
    swr::client_stats stats;
    std::uint64_t server_429 = 0;
};

throttle_run run_throttled(const args& a, const std::string& name, swr::rate_options rl) {
    swr::emulator::server_options eo;
    eo.data.tasks_per_execution = 100;
    eo.throttle.requests_per_second = static_cast<double>(a.server_rps);
    eo.throttle.burst = static_cast<unsigned>(a.server_burst);
    auto s = make_setup({}, eo, a.throttle_concurrency);
    s.opts.rate = rl;
    asio::io_context ioc(1);
    swr::client c(ioc.get_executor(), s.opts);
    auto r = s.req;
    r.limit = 10;
    throttle_run out{name};
    long long issued = 0;
    auto worker = [&]() -> asio::awaitable<void> {
        while (issued < a.throttle_requests) {
            ++issued;
            auto [ec, p] = co_await c.async_list_tasks(r, use_tuple);
            ++(ec || !page_ok(s, p, 0, 10) ? out.failed : out.ok);
        }
    };
    auto t0 = steady_clock::now();
    for (long long i = 0; i < a.throttle_concurrency; ++i)
        asio::co_spawn(ioc, worker(), asio::detached);
    ioc.run();
    out.seconds = duration<double>(steady_clock::now() - t0).count();
    out.stats = c.stats();
    out.server_429 = s.emu->counters().throttled;
    return out;
}

int bench_throttle(const args& a) {
    swr::rate_options fixed, adaptive;
    fixed.max_rps = static_cast<double>(a.server_rps);
    adaptive.adaptive = true;
    std::vector<throttle_run> runs{run_throttled(a, "none", {}), run_throttled(a, "fixed", fixed),
                                   run_throttled(a, "adaptive", adaptive)};
    std::cout << "{\"mode\":\"throttle\",\"requests\":" << a.throttle_requests
              << ",\"concurrency\":" << a.throttle_concurrency << ",\"server_rps\":" << a.server_rps
              << ",\"server_burst\":" << a.server_burst << ",\"runs\":[";
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const auto& x = runs[i];
        const double good = x.seconds > 0 ? static_cast<double>(x.ok) / x.seconds : 0;
        std::cout << (i ? "," : "") << "{\"client_limit\":\"" << x.name
                  << "\",\"seconds\":" << x.seconds << ",\"ok\":" << x.ok
                  << ",\"failed\":" << x.failed << ",\"good_per_s\":" << good
                  << ",\"requests_sent\":" << x.stats.requests_sent
                  << ",\"throttled\":" << x.stats.throttled
                  << ",\"rate_limited\":" << x.stats.rate_limited
                  << ",\"final_send_rate\":" << x.stats.send_rate << "}";
        std::fprintf(stderr,
                     "throttle: client limit %-8s %5.2f s, %lld ok, %lld failed, %.1f good/s, "
                     "%llu sent, %llu answered 429, final rate %.1f/s\n",
                     x.name.c_str(), x.seconds, x.ok, x.failed, good,
                     static_cast<unsigned long long>(x.stats.requests_sent),
                     static_cast<unsigned long long>(x.server_429), x.stats.send_rate);
    }
    std::cout << "],\"max_rss_kb\":" << max_rss_kb() << "}" << std::endl;
    return 0;
}

// What making a client costs: the first one, then each of the next N, all with default options
// (system trust store, peer verification on). Nothing is connected.
int bench_construct(const args& a) {
    const auto n = a.clients;
    asio::io_context io;
    swr::client_options o;
    o.endpoint = "https://swr-api.example.com";
    o.project_id = "bench-project";
    std::vector<std::unique_ptr<swr::client>> clients;
    clients.reserve(static_cast<std::size_t>(n) + 1);
    auto t0 = steady_clock::now();
    clients.push_back(std::make_unique<swr::client>(io.get_executor(), o));
    double first_ms = duration<double, std::milli>(steady_clock::now() - t0).count();
    auto t1 = steady_clock::now();
    for (long long i = 0; i < n; ++i)
        clients.push_back(std::make_unique<swr::client>(io.get_executor(), o));
    double later_ms =
        duration<double, std::milli>(steady_clock::now() - t1).count() / static_cast<double>(n);
    std::cout << "{\"mode\":\"construct\",\"clients\":" << n + 1
              << ",\"first_client_ms\":" << first_ms << ",\"later_client_ms\":" << later_ms
              << ",\"max_rss_kb\":" << max_rss_kb() << "}" << std::endl;
    std::cerr << "construct: first client " << first_ms << " ms, each later client " << later_ms
              << " ms (mean of " << n << ")\n";
    return 0;
}

namespace cli = swr::cli;

// The flags that say where and as whom, for the modes that send requests.
void add_target(CLI::App& sub, args& a) {
    const char* g = "Target (without --endpoint: the emulator, started in-process)";
    sub.add_option("--endpoint", a.endpoint, "the endpoint, https://host[:port]")
        ->type_name("URL")
        ->group(g);
    sub.add_option("--ca-file", a.ca_file, "also trust the CAs in this PEM file")
        ->type_name("FILE")
        ->group(g);
    auto* token = sub.add_option("--token", a.token, "an IAM token")->type_name("TOKEN")->group(g);
    auto* ak = sub.add_option("--ak", a.ak, "access key")->type_name("AK")->group(g);
    auto* sk = sub.add_option("--sk", a.sk, "secret key of --ak")->type_name("SK")->group(g);
    ak->needs(sk);
    sk->needs(ak);
    token->excludes(ak)->excludes(sk);
    sub.add_option("--project-id", a.project_id, "the project id")
        ->type_name("ID")
        ->capture_default_str()
        ->group(g);
    sub.add_option("--instance-id", a.instance_id, "the instance")
        ->type_name("ID")
        ->capture_default_str()
        ->group(g);
    sub.add_option("--namespace", a.namespace_name, "the namespace")
        ->type_name("NAME")
        ->capture_default_str()
        ->group(g);
    sub.add_option("--policy-id", a.policy_id, "the signing policy")
        ->type_name("ID")
        ->transform(cli::integer_in(0, INT64_MAX))
        ->capture_default_str()
        ->group(g);
    sub.add_option("--execution-id", a.execution_id, "the execution")
        ->type_name("ID")
        ->transform(cli::integer_in(0, INT64_MAX))
        ->capture_default_str()
        ->group(g);
}

// A number flag of a mode: `lo`..`hi`, its default shown.
CLI::Option* number(CLI::App& sub, const char* name, long long& target, const char* desc,
                    long long lo, long long hi) {
    return sub.add_option(name, target, desc)
        ->type_name("N")
        ->transform(cli::integer_in(lo, hi))
        ->capture_default_str()
        ->group("Run");
}

}  // namespace

int main(int argc, char** argv) {
    // Before OpenSSL allocates anything: its allocations are counted too.
    CRYPTO_set_mem_functions(alloc_count::crypto_malloc, alloc_count::crypto_realloc,
                             alloc_count::crypto_free);
    args a;
    CLI::App app{
        "swr-bench: throughput, latency, CPU and memory of the client, against any endpoint or "
        "the emulator started in-process; one JSON object per run on stdout, a summary on stderr",
        "swr-bench"};
    app.formatter(std::make_shared<cli::help_formatter>());
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    app.set_help_flag("-h,--help", "this help");
    app.require_subcommand(1);
    app.footer("The figures, and the commands that produced them: bench/README.md.");
    auto mode = [&](const char* name, const char* desc) {
        auto* sub = app.add_subcommand(name, desc);
        sub->group("Modes");
        sub->set_help_flag();  // added again below the mode's own flags
        return sub;
    };
    auto* page = mode("page",
                      "one page at a time from many connections: requests per second, "
                      "latency, client CPU per request");
    number(*page, "--requests", a.requests,
           "requests measured (after a first one on each connection)", 1, 100'000'000);
    number(*page, "--concurrency", a.page_concurrency, "requests in flight", 1, 1024);
    number(*page, "--limit", a.page_limit, "tasks a page", 1, 100);
    add_target(*page, a);
    auto* list_all = mode("list-all",
                          "the whole listing: the sequential pager, then list-all's "
                          "parallel pages, and the speedup");
    number(*list_all, "--tasks", a.list_tasks, "tasks of the emulator's execution", 0, 1'000'000);
    number(*list_all, "--latency-ms", a.latency_ms, "the emulator's delay before each response", 0,
           60'000);
    number(*list_all, "--page-size", a.page_size, "tasks a page", 1, 100);
    number(*list_all, "--parallel", a.parallel, "pages in flight", 1, 64);
    add_target(*list_all, a);
    auto* watch = mode("watch",
                       "many executions watched until every task is terminal: "
                       "requests, CPU and memory");
    number(*watch, "--executions", a.executions, "executions watched", 1, 1'000'000);
    number(*watch, "--tasks", a.watch_tasks, "tasks of each execution", 0, 1'000'000);
    number(*watch, "--pace-ms", a.pace_ms, "every task is terminal this long after the start", 0,
           3'600'000);
    number(*watch, "--interval-ms", a.interval_ms, "time between two polls of one execution", 1,
           3'600'000);
    number(*watch, "--concurrency", a.watch_concurrency, "polls in flight (and connections)", 1,
           1024);
    number(*watch, "--server-rate", a.server_rate,
           "the emulator's quota, requests a second (0: none); adds the 429s, the ideal time "
           "and the longest gap between polls to the figures",
           0, 1'000'000);
    watch->add_flag("--adaptive", a.adaptive, "client_options::rate.adaptive")->group("Run");
    watch->add_option("--max-rps", a.max_rps, "client_options::rate.max_rps (0: none)")
        ->type_name("R")
        ->transform(cli::number_in(0, 1'000'000))
        ->capture_default_str()
        ->group("Run");
    add_target(*watch, a);
    auto* decode = mode("decode", "page decoding (SAX) against Boost.JSON's parse and value_to");
    number(*decode, "--iterations", a.iterations, "pages decoded a round", 1, 100'000'000);
    number(*decode, "--limit", a.decode_limit, "tasks a page", 1, 100);
    auto* construct =
        mode("construct", "what making a client costs: the first, then each later one");
    number(*construct, "--clients", a.clients, "clients made after the first", 1, 1'000'000);
    auto* throttle = mode("throttle",
                          "against the emulator throttling at a rate: no client-side limit, a "
                          "fixed one at that rate, and adaptive; calls that succeed a second");
    number(*throttle, "--requests", a.throttle_requests, "calls in each run", 1, 10'000'000);
    number(*throttle, "--concurrency", a.throttle_concurrency, "calls in flight", 1, 1024);
    number(*throttle, "--server-rps", a.server_rps, "requests a second the emulator accepts", 1,
           1'000'000);
    number(*throttle, "--server-burst", a.server_burst, "requests it accepts back to back", 1,
           1'000'000);

    for (auto* sub : app.get_subcommands({}))
        sub->set_help_flag("-h,--help", "this help")->group("Help");

    std::vector<std::string> given(argv + 1, argv + argc);
    // Help wins over everything else on the line; the first mode named says whose.
    for (const auto& s : given)
        if (s == "-h" || s == "--help") {
            for (const auto& m : given)
                for (auto* sub : app.get_subcommands({}))
                    if (sub->get_name() == m) {
                        std::cout << sub->help("swr-bench");
                        return 0;
                    }
            std::cout << app.help();
            return 0;
        }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        auto* sub = cli::chosen(app);
        std::cerr << "swr-bench: " << cli::explain(e, app) << "\nsee 'swr-bench "
                  << (sub ? sub->get_name() + " " : "") << "--help'\n";
        return 2;
    }
    try {
        auto* sub = cli::chosen(app);
        if (sub == page) return bench_page(a);
        if (sub == list_all) return bench_list_all(a);
        if (sub == watch) return bench_watch(a);
        if (sub == decode) return bench_decode(a);
        if (sub == throttle) return bench_throttle(a);
        return bench_construct(a);
    } catch (const std::exception& e) {
        std::cerr << "swr-bench: " << e.what() << '\n';
        return 1;
    }
}
