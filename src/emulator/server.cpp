#include <swr/emulator/emulator.hpp>
#include <swr/json_codec.hpp>
#include <swr/signer.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>

#include <charconv>
#include <ctime>
#include <deque>
#include <fstream>
#include <list>
#include <map>
#include <mutex>
#include <thread>

namespace swr::emulator {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using namespace std::chrono;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct response {
    unsigned status = 200;
    std::string body;
    std::string extra_headers;       // "Name: value\r\n"...
    std::optional<fault> behaviour;  // transport-level misbehaviour
    std::string trailing_bytes;      // sent right after the response (extra_bytes_after)
};

std::string_view reason(unsigned s) {
    switch (s) {
        case 200: return "OK";
        case 201: return "Created";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 429: return "Too Many Requests";
        case 500: return "Internal Server Error";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        default: return "Status";
    }
}

std::string error_body(std::string_view code, std::string_view msg) {
    std::string out = "{\"error_code\":";
    append_json_string(out, code);
    out += ",\"error_msg\":";
    append_json_string(out, msg);
    out += '}';
    return out;
}

response error(unsigned status, std::string_view code, std::string_view msg) {
    return {status, error_body(code, msg), {}, {}};
}

std::optional<std::int64_t> to_int(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

std::optional<system_clock::time_point> parse_sdk_date(std::string_view s) {
    std::tm tm{};
    std::string str(s);
    if (str.size() != 16) return std::nullopt;
    if (!strptime(str.c_str(), "%Y%m%dT%H%M%SZ", &tm)) return std::nullopt;
    return system_clock::from_time_t(timegm(&tm));
}

std::uint64_t splitmix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

}  // namespace

struct server::impl : std::enable_shared_from_this<server::impl> {
    server_options o;
    data_set data;
    asio::io_context ioc;
    asio::ssl::context ssl_ctx{asio::ssl::context::tls_server};
    tcp::acceptor acceptor{ioc};
    std::vector<std::thread> threads;
    std::string ca;
    steady_clock::time_point start = steady_clock::now();
    std::atomic<long long> elapsed_override{-1};
    std::atomic<std::uint64_t> request_seq{0};
    std::atomic<bool> stopped{false};

    std::mutex m;  // guards faults, sessions, page cache
    std::deque<fault> faults;
    std::list<std::weak_ptr<beast::tcp_stream>> sessions;
    std::map<std::tuple<std::int64_t, std::int64_t, std::int64_t>,
             std::shared_ptr<const std::string>>
        cache;

    std::atomic<std::uint64_t> accepted{0}, served{0}, task_requests{0}, in_flight{0},
        max_in_flight{0}, auth_failures{0}, iam_requests{0}, throttled{0};
    steady_clock::time_point throttle_next{};  // the throttle's schedule (under m)
    std::map<std::string, steady_clock::time_point> iam_tokens;  // issued token -> expiry (under m)

    explicit impl(server_options opts) : o(std::move(opts)), data(o.data) {}

    milliseconds elapsed() const {
        auto ov = elapsed_override.load();
        if (ov >= 0) return milliseconds(ov);
        return duration_cast<milliseconds>(steady_clock::now() - start);
    }

    bool check_auth(const http::request<http::string_body>& req, std::string_view target) {
        if (o.token.empty() && o.ak.empty() && o.iam_users.empty()) return true;
        if (auto it = req.find("X-Auth-Token"); it != req.end()) {
            if (!o.token.empty() && constant_time_equal(it->value(), o.token)) return true;
            std::lock_guard lk(m);
            auto t = iam_tokens.find(std::string(it->value()));
            if (t != iam_tokens.end() && steady_clock::now() < t->second) return true;
        }
        if (o.ak.empty()) return false;
        auto it = req.find(http::field::authorization);
        if (it == req.end()) return false;
        std::string_view auth = it->value();
        constexpr std::string_view scheme = "SDK-HMAC-SHA256 ";
        if (!auth.starts_with(scheme)) return false;
        auth.remove_prefix(scheme.size());
        std::string_view access, signed_headers, signature;
        while (!auth.empty()) {
            auto comma = auth.find(',');
            auto item = auth.substr(0, comma);
            while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
            if (item.starts_with("Access="))
                access = item.substr(7);
            else if (item.starts_with("SignedHeaders="))
                signed_headers = item.substr(14);
            else if (item.starts_with("Signature="))
                signature = item.substr(10);
            if (comma == std::string_view::npos) break;
            auth.remove_prefix(comma + 1);
        }
        if (access != o.ak || signature.empty()) return false;
        auto date_it = req.find("X-Sdk-Date");
        if (date_it == req.end()) return false;
        auto when = parse_sdk_date(date_it->value());
        if (!when) return false;
        auto skew = system_clock::now() - *when;
        if (skew > o.max_clock_skew || skew < -o.max_clock_skew) return false;

        signing_input in;
        in.method = "GET";
        auto q = target.find('?');
        in.canonical_uri = canonical_uri_from_encoded_path(target.substr(0, q));
        auto u = boost::urls::parse_origin_form(target);
        if (!u) return false;
        for (auto p : u->params()) in.query.emplace_back(p.key, p.has_value ? p.value : "");
        bool has_host = false, has_date = false;
        std::string_view rest = signed_headers;
        while (!rest.empty()) {
            auto semi = rest.find(';');
            auto name = rest.substr(0, semi);
            auto h = req.find(name);
            if (h == req.end()) return false;
            in.headers.emplace_back(std::string(name), std::string(h->value()));
            has_host |= name == "host";
            has_date |= name == "x-sdk-date";
            if (semi == std::string_view::npos) break;
            rest.remove_prefix(semi + 1);
        }
        if (!has_host || !has_date) return false;
        auto parts = sign_request(in, o.ak, o.sk, date_it->value());
        return parts.signed_headers == signed_headers &&
               constant_time_equal(parts.signature, signature);
    }

    // The throttle as a schedule (GCRA): a request more than burst - 1 intervals ahead of it is
    // over the rate.
    bool over_rate() {
        const auto& t = o.throttle;
        if (!(t.requests_per_second > 0)) return false;
        const auto step = std::chrono::duration_cast<steady_clock::duration>(
            std::chrono::duration<double>(1.0 / t.requests_per_second));
        const auto now = steady_clock::now();
        std::lock_guard lk(m);
        if (now < throttle_next - step * (std::max(t.burst, 1u) - 1)) return true;
        throttle_next = std::max(throttle_next, now) + step;
        return false;
    }

    std::optional<fault> next_fault() {
        std::lock_guard lk(m);
        if (faults.empty()) return std::nullopt;
        auto f = faults.front();
        faults.pop_front();
        return f;
    }

    // POST /v3/auth/tokens: IAM password authentication, IAM's error shape on failure.
    response issue_token(const http::request<http::string_body>& req) {
        iam_requests.fetch_add(1);
        auto iam_error = [](unsigned status, std::string_view code, std::string_view msg) {
            std::string body = "{\"error\":{\"code\":";
            append_json_string(body, code);
            body += ",\"message\":";
            append_json_string(body, msg);
            body += "}}";
            return response{status, body, {}, {}};
        };
        boost::json::error_code ec;
        auto v = boost::json::parse(req.body(), ec);
        const boost::json::value* user = nullptr;
        if (!ec && v.is_object()) {
            boost::json::error_code e2;
            user = v.find_pointer("/auth/identity/password/user", e2);
        }
        if (!user || !user->is_object()) return iam_error(400, "1100", "malformed token request");
        auto field = [&](const boost::json::value& obj, const char* k) -> std::string {
            auto* x = obj.as_object().if_contains(k);
            return x && x->is_string() ? std::string(x->get_string()) : std::string();
        };
        auto* dom = user->as_object().if_contains("domain");
        std::string domain = dom && dom->is_object() ? field(*dom, "name") : std::string();
        std::string name = field(*user, "name"), password = field(*user, "password");
        for (const auto& u : o.iam_users) {
            if (u.domain_name == domain && u.user_name == name &&
                constant_time_equal(u.password, password)) {
                static constexpr char hex[] = "0123456789abcdef";
                std::string token = "MIIemu";
                for (int k = 0; k < 4; ++k) {
                    auto r = splitmix(
                        request_seq.fetch_add(1) ^ (o.data.seed << 8) ^
                        static_cast<std::uint64_t>(steady_clock::now().time_since_epoch().count()));
                    for (int i = 0; i < 16; ++i) token += hex[(r >> (4 * i)) & 0xf];
                }
                auto expires_sys = system_clock::now() + o.iam_token_ttl;
                {
                    std::lock_guard lk(m);
                    iam_tokens[token] = steady_clock::now() + o.iam_token_ttl;
                }
                std::time_t t = system_clock::to_time_t(expires_sys);
                std::tm tm{};
                gmtime_r(&t, &tm);
                char when[40];
                std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S.000000Z", &tm);
                return {201,
                        std::string("{\"token\":{\"methods\":[\"password\"],\"expires_at\":\"") +
                            when + "\"}}",
                        o.iam_subject_token ? "X-Subject-Token: " + token + "\r\n" : "",
                        {}};
            }
        }
        return iam_error(401, "1101", "The username or password is wrong.");
    }

    response handle(const http::request<http::string_body>& req) {
        std::string_view target = req.target();
        if (req.method() == http::verb::post && target == "/v3/auth/tokens")
            return issue_token(req);
        if (req.method() != http::verb::get) return error(405, "SWR.0405", "method not allowed");
        auto u = boost::urls::parse_origin_form(target);
        if (!u) return error(400, "SWR.0400", "malformed request target");
        std::vector<std::string> seg;
        for (auto s : u->segments()) seg.push_back(s);
        if (seg.size() != 12 || seg[0] != "v2" || seg[2] != "instances" || seg[4] != "namespaces" ||
            seg[6] != "signature" || seg[7] != "policies" || seg[9] != "executions" ||
            seg[11] != "tasks")
            return error(404, "SWR.0404", "no such API");
        if (!check_auth(req, target)) {
            auth_failures.fetch_add(1);
            return error(401, "SWR.0401", "authentication failed");
        }
        if (over_rate()) {
            throttled.fetch_add(1);
            auto r = error(429, "APIGW.0308", "The throttling threshold has been reached");
            if (!o.throttle.retry_after.empty())
                r.extra_headers = "Retry-After: " + o.throttle.retry_after + "\r\n";
            return r;
        }
        task_requests.fetch_add(1);
        auto f = next_fault();

        auto policy = to_int(seg[8]);
        auto execution = to_int(seg[10]);
        if (!policy || !execution)
            return error(400, "SWR.0400", "policy_id and execution_id must be integers");
        std::optional<std::int64_t> offset, limit;
        for (auto p : u->params()) {
            if (p.key == "offset") {
                offset = to_int(p.value);
                if (!offset || *offset < 0)
                    return error(400, "SWR.0400", "offset must be a non-negative integer");
            } else if (p.key == "limit") {
                limit = to_int(p.value);
                if (!limit) return error(400, "SWR.0400", "limit must be an integer");
            }
        }
        if (offset && !limit)
            return error(400, "SWR.0400", "offset and limit must be used together");
        if (limit && (*limit < 1 || *limit > 100))
            return error(400, "SWR.0400", "limit must be between 1 and 100");
        std::int64_t off = offset.value_or(0), lim = limit.value_or(10);
        if (off % lim != 0)
            return error(400, "SWR.0400", "offset must be 0 or a multiple of limit");
        if (!data.has_instance(seg[3])) return error(404, "SWR.1002", "instance not found");
        if (!data.has_namespace(seg[5])) return error(404, "SWR.1003", "namespace not found");
        if (!data.has_policy(*policy)) return error(404, "SWR.1004", "signature policy not found");
        if (!data.has_execution(*execution)) return error(404, "SWR.1005", "execution not found");

        response r;
        if (f) {
            switch (f->what) {
                case fault::kind::status: {
                    r = error(f->status, "SWR.FAULT", "injected fault");
                    if (!f->retry_after.empty())
                        r.extra_headers = "Retry-After: " + f->retry_after + "\r\n";
                    return r;
                }
                case fault::kind::malformed_json:
                    r.body = R"({"total":3,"tasks":[{"id":1,)";
                    return r;
                case fault::kind::wrong_types:
                    r.body = R"({"total":1,"tasks":[{"id":"1"}]})";
                    return r;
                case fault::kind::oversized_body: r.body = std::string(f->size, ' '); return r;
                case fault::kind::repeat_page: off = 0; break;
                case fault::kind::skip_page: off += lim; break;
                case fault::kind::empty_page: {
                    page p;
                    p.total = data.total(*execution);
                    p.has_total = true;
                    r.body = encode_page(p);
                    return r;
                }
                case fault::kind::total_delta:
                case fault::kind::total_value:
                case fault::kind::duplicate_ids:
                case fault::kind::short_page:
                case fault::kind::unknown_status:
                case fault::kind::drop_last_task: {
                    auto p = data.make_page(*execution, off, lim, elapsed());
                    if (f->what == fault::kind::total_delta) p.total += f->delta;
                    if (f->what == fault::kind::total_value) p.total = f->delta;
                    if (f->what == fault::kind::duplicate_ids && p.tasks.size() > 1)
                        p.tasks.back().id = p.tasks.front().id;
                    if (f->what == fault::kind::short_page && !p.tasks.empty()) p.tasks.pop_back();
                    if (f->what == fault::kind::drop_last_task && p.total > 0) {
                        auto last = data.make_task(*execution, p.total - 1, elapsed()).id;
                        std::erase_if(p.tasks, [&](const task& t) { return t.id == last; });
                        --p.total;
                    }
                    if (f->what == fault::kind::unknown_status)
                        for (auto& t : p.tasks) t.status = "Quarantined";
                    r.body = encode_page(p);
                    return r;
                }
                case fault::kind::extra_bytes_after: {
                    r.body = page_body(*execution, off, lim);
                    auto forged = page_body(*execution, 0, lim);
                    r.trailing_bytes = head(200, {}, forged.size(), true) + forged;
                    return r;
                }
                default: r.behaviour = f; break;
            }
        }
        r.body = page_body(*execution, off, lim);
        return r;
    }

    std::string page_body(std::int64_t execution, std::int64_t off, std::int64_t lim) {
        // Static data (no pace, no clock override) is encoded once per page.
        bool cacheable = data.options().pace.count() == 0;
        if (cacheable) {
            std::lock_guard lk(m);
            if (auto it = cache.find({execution, off, lim}); it != cache.end()) return *it->second;
        }
        auto body = encode_page(data.make_page(execution, off, lim, elapsed()));
        if (cacheable) {
            std::lock_guard lk(m);
            if (cache.size() < 4096)
                cache.emplace(std::tuple{execution, off, lim},
                              std::make_shared<const std::string>(body));
        }
        return body;
    }

    std::string head(unsigned status, std::string_view extra, std::optional<std::size_t> length,
                     bool keep_alive) {
        std::string h = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason(status)) +
                        "\r\nContent-Type: application/json\r\nX-Request-Id: ";
        static constexpr char hex[] = "0123456789abcdef";
        auto id = splitmix(request_seq.fetch_add(1) ^ o.data.seed);
        for (int i = 0; i < 16; ++i) h += hex[(id >> (4 * i)) & 0xf];
        h += "\r\n";
        h += extra;
        if (length) h += "Content-Length: " + std::to_string(*length) + "\r\n";
        if (!keep_alive) h += "Connection: close\r\n";
        h += "\r\n";
        return h;
    }

    template <class Stream>
    asio::awaitable<void> serve(Stream& s, beast::tcp_stream& tcp) {
        beast::flat_buffer buf;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(8192);
            parser.body_limit(64 * 1024);
            tcp.expires_after(seconds(75));
            auto [ec, n] = co_await http::async_read(s, buf, parser, use_tuple);
            if (ec) co_return;
            auto req = parser.release();
            // In flight from the request read until its answer is written (latency included).
            auto now_in = in_flight.fetch_add(1) + 1;
            auto prev = max_in_flight.load();
            while (now_in > prev && !max_in_flight.compare_exchange_weak(prev, now_in)) {
            }
            struct done_guard {
                std::atomic<std::uint64_t>& c;
                ~done_guard() { c.fetch_sub(1); }
            } guard{in_flight};
            auto res = handle(req);
            auto delay = o.latency;
            if (res.behaviour && res.behaviour->what == fault::kind::latency)
                delay += res.behaviour->delay;
            if (delay.count() > 0) {
                asio::steady_timer t(s.get_executor(), delay);
                co_await t.async_wait(use_tuple);
            }
            served.fetch_add(1);
            bool keep_alive = req.keep_alive();
            tcp.expires_after(seconds(60));
            if (!res.behaviour || res.behaviour->what == fault::kind::latency) {
                std::string out = head(res.status, res.extra_headers, res.body.size(), keep_alive);
                out += res.body;
                out += res.trailing_bytes;
                auto [wec, wn] = co_await asio::async_write(s, asio::buffer(out), use_tuple);
                if (wec || !keep_alive) co_return;
                continue;
            }
            const auto& f = *res.behaviour;
            switch (f.what) {
                case fault::kind::no_response: {
                    tcp.expires_never();
                    char c;
                    co_await s.async_read_some(asio::buffer(&c, 1), use_tuple);
                    co_return;
                }
                case fault::kind::close_before_response: co_return;
                case fault::kind::headers_then_close: {
                    auto h = head(200, {}, res.body.size(), true);
                    co_await asio::async_write(s, asio::buffer(h), use_tuple);
                    co_return;
                }
                case fault::kind::truncated_body:
                case fault::kind::reset_mid_body: {
                    auto out = head(200, {}, res.body.size(), true) +
                               res.body.substr(0, res.body.size() / 2);
                    co_await asio::async_write(s, asio::buffer(out), use_tuple);
                    if (f.what == fault::kind::reset_mid_body) {
                        beast::error_code ig;
                        tcp.socket().set_option(tcp::socket::linger(true, 0), ig);
                        tcp.socket().close(ig);
                    }
                    co_return;
                }
                case fault::kind::slow_body: {
                    auto h = head(200, {}, res.body.size(), keep_alive);
                    co_await asio::async_write(s, asio::buffer(h), use_tuple);
                    for (char c : res.body) {
                        asio::steady_timer t(s.get_executor(), f.delay);
                        co_await t.async_wait(use_tuple);
                        auto [e2, n2] =
                            co_await asio::async_write(s, asio::buffer(&c, 1), use_tuple);
                        if (e2) co_return;
                    }
                    if (!keep_alive) co_return;
                    continue;
                }
                case fault::kind::chunked_1byte: {
                    std::string out =
                        head(200, "Transfer-Encoding: chunked\r\n", std::nullopt, keep_alive);
                    for (char c : res.body) {
                        out += "1\r\n";
                        out += c;
                        out += "\r\n";
                    }
                    out += "0\r\n\r\n";
                    auto [e2, n2] = co_await asio::async_write(s, asio::buffer(out), use_tuple);
                    if (e2 || !keep_alive) co_return;
                    continue;
                }
                case fault::kind::interim_1xx: {
                    std::string out;
                    if (f.status == 101) {
                        out = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n";
                    } else {
                        for (std::size_t k = 0; k < f.size; ++k)
                            out +=
                                k % 2
                                    ? "HTTP/1.1 100 Continue\r\n\r\n"
                                    : "HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\n";
                    }
                    out += head(res.status, res.extra_headers, res.body.size(), keep_alive);
                    out += res.body;
                    auto [e2, n2] = co_await asio::async_write(s, asio::buffer(out), use_tuple);
                    if (e2 || !keep_alive) co_return;
                    continue;
                }
                case fault::kind::endless_header:
                case fault::kind::endless_chunk_extension:
                case fault::kind::endless_trailer: {
                    // Bounded here too: the emulator stops after `size` bytes (or when the
                    // client hangs up, which is what a bounded client does much earlier).
                    std::string out =
                        head(200, "Transfer-Encoding: chunked\r\n", std::nullopt, true);
                    if (f.what == fault::kind::endless_header) out = "HTTP/1.1 200 OK\r\nX-Long: ";
                    if (f.what == fault::kind::endless_chunk_extension) out += "1;x=";
                    if (f.what == fault::kind::endless_trailer) out += "1\r\n{\r\n0\r\n";
                    auto [e0, n0] = co_await asio::async_write(s, asio::buffer(out), use_tuple);
                    if (e0) co_return;
                    const std::string filler = f.what == fault::kind::endless_trailer
                                                   ? [] {
                                                         std::string t;
                                                         while (t.size() < 64 * 1024)
                                                             t += "X-T: v\r\n";
                                                         return t;
                                                     }()
                                                   : std::string(64 * 1024, 'a');
                    std::size_t limit = f.size ? f.size : std::size_t(64) << 20;
                    for (std::size_t sent = 0; sent < limit; sent += filler.size()) {
                        auto [e2, n2] =
                            co_await asio::async_write(s, asio::buffer(filler), use_tuple);
                        if (e2) co_return;
                    }
                    co_return;
                }
                case fault::kind::close_delimited:
                case fault::kind::close_delimited_unclean:
                case fault::kind::close_delimited_no_close_header: {
                    // No length and no chunking: the body ends where the connection does, with
                    // or without saying so in `Connection: close`.
                    std::string out = head(200, {}, std::nullopt,
                                           f.what == fault::kind::close_delimited_no_close_header) +
                                      res.body;
                    co_await asio::async_write(s, asio::buffer(out), use_tuple);
                    if (f.what == fault::kind::close_delimited_unclean) {
                        beast::error_code ig;
                        tcp.socket().close(ig);  // no close_notify: the body's end is unproven
                    }
                    co_return;  // otherwise the caller shuts TLS down cleanly
                }
                default: co_return;
            }
        }
    }

    asio::awaitable<void> session(tcp::socket sock) {
        beast::error_code nd;
        sock.set_option(tcp::no_delay(true),
                        nd);  // no Nagle/delayed-ACK stall on multi-record replies
        auto tcp_ptr = std::make_shared<beast::tcp_stream>(std::move(sock));
        {
            std::lock_guard lk(m);
            if (sessions.size() > 256) sessions.remove_if([](auto& w) { return w.expired(); });
            sessions.push_back(tcp_ptr);
        }
        accepted.fetch_add(1);
        if (!o.tls) {
            co_await serve(*tcp_ptr, *tcp_ptr);
            beast::error_code ig;
            tcp_ptr->socket().shutdown(tcp::socket::shutdown_send, ig);
            co_return;
        }
        beast::ssl_stream<beast::tcp_stream&> s(*tcp_ptr, ssl_ctx);
        tcp_ptr->expires_after(seconds(10));
        auto [hec] = co_await s.async_handshake(asio::ssl::stream_base::server, use_tuple);
        if (hec) co_return;
        co_await serve(s, *tcp_ptr);
        if (tcp_ptr->socket().is_open()) {
            tcp_ptr->expires_after(seconds(2));
            co_await s.async_shutdown(use_tuple);
        }
    }

    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, sock] = co_await acceptor.async_accept(asio::make_strand(ioc), use_tuple);
            if (ec) {
                if (ec == asio::error::operation_aborted || stopped) co_return;
                continue;
            }
            auto ex = sock.get_executor();
            asio::co_spawn(ex, session(std::move(sock)), asio::detached);
        }
    }
};

server::server(server_options opts) : impl_(std::make_shared<impl>(std::move(opts))) {
    auto& i = *impl_;
    if (i.o.tls) {
        std::string cert = i.o.cert_pem, key = i.o.key_pem;
        if (cert.empty() || key.empty()) {
            auto g = generate_certificate(i.o.certificate);
            cert = g.cert_pem;
            key = g.key_pem;
            i.ca = g.ca_pem;
        } else {
            i.ca = cert;
        }
        SSL_CTX_set_min_proto_version(i.ssl_ctx.native_handle(), TLS1_2_VERSION);
        i.ssl_ctx.use_certificate_chain(asio::buffer(cert));
        i.ssl_ctx.use_private_key(asio::buffer(key), asio::ssl::context::pem);
    }
    tcp::endpoint ep(asio::ip::make_address(i.o.listen_address), i.o.port);
    i.acceptor.open(ep.protocol());
    i.acceptor.set_option(tcp::acceptor::reuse_address(true));
    i.acceptor.bind(ep);
    i.acceptor.listen(asio::socket_base::max_listen_connections);
    asio::co_spawn(i.ioc, i.accept_loop(), asio::detached);
    for (unsigned t = 0; t < std::max(1u, i.o.threads); ++t)
        i.threads.emplace_back([p = impl_.get()] { p->ioc.run(); });
}

server::~server() { stop(); }

void server::stop() {
    auto& i = *impl_;
    if (i.stopped.exchange(true)) return;
    asio::post(i.ioc, [p = impl_.get()] {
        beast::error_code ig;
        p->acceptor.close(ig);
        std::lock_guard lk(p->m);
        for (auto& w : p->sessions)
            if (auto s = w.lock())
                asio::post(s->get_executor(), [s] {
                    beast::error_code e;
                    s->socket().shutdown(tcp::socket::shutdown_both, e);
                    s->cancel();
                });
    });
    // Give sessions a moment to finish, then stop whatever is left (e.g. a client holding a
    // connection that never reads).
    auto deadline = steady_clock::now() + seconds(2);
    for (auto& t : i.threads) {
        while (!i.ioc.stopped() && steady_clock::now() < deadline)
            std::this_thread::sleep_for(milliseconds(5));
        i.ioc.stop();
        t.join();
    }
    i.threads.clear();
}

std::uint16_t server::port() const noexcept { return impl_->acceptor.local_endpoint().port(); }

std::string server::endpoint() const {
    return std::string(impl_->o.tls ? "https://" : "http://") + impl_->o.listen_address + ":" +
           std::to_string(port());
}

const std::string& server::ca_pem() const noexcept { return impl_->ca; }

void server::write_ca(const std::string& path) const {
    std::ofstream f(path, std::ios::trunc);
    f << impl_->ca;
    if (!f) throw std::runtime_error("cannot write certificate to " + path);
}

void server::inject(const fault& f, unsigned count) {
    std::lock_guard lk(impl_->m);
    for (unsigned k = 0; k < count; ++k) impl_->faults.push_back(f);
}

void server::clear_faults() {
    std::lock_guard lk(impl_->m);
    impl_->faults.clear();
}

void server::revoke_iam_tokens() {
    std::lock_guard lk(impl_->m);
    impl_->iam_tokens.clear();
}

void server::set_elapsed_override(milliseconds at) { impl_->elapsed_override = at.count(); }

server_counters server::counters() const {
    auto& i = *impl_;
    return {i.accepted.load(),      i.served.load(),        i.task_requests.load(),
            i.max_in_flight.load(), i.auth_failures.load(), i.iam_requests.load(),
            i.throttled.load()};
}

void server::reset_counters() {
    auto& i = *impl_;
    i.accepted = 0;
    i.served = 0;
    i.task_requests = 0;
    i.max_in_flight = 0;
    i.auth_failures = 0;
    i.iam_requests = 0;
    i.throttled = 0;
}

const data_set& server::data() const noexcept { return impl_->data; }

}  // namespace swr::emulator
