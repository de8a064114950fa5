#include "emulator/aksk_verifier.hpp"
#include "emulator/faults.hpp"
#include "emulator/iam_issuer.hpp"
#include "emulator/page_cache.hpp"
#include "emulator/quota.hpp"
#include "emulator/response.hpp"
#include "emulator/router.hpp"
#include "emulator/transport_faults.hpp"

#include <swr/emulator/emulator.hpp>
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
#include <boost/beast/ssl/ssl_stream.hpp>

#include <fstream>
#include <list>
#include <mutex>
#include <thread>

namespace swr::emulator {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using namespace std::chrono;
using namespace detail;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Counts a request in flight from its read until its answer is written (latency included), and
// keeps the highest count seen.
class in_flight_guard {
public:
    in_flight_guard(std::atomic<std::uint64_t>& now, std::atomic<std::uint64_t>& most) : now_(now) {
        auto n = now_.fetch_add(1) + 1;
        auto prev = most.load();
        while (n > prev && !most.compare_exchange_weak(prev, n)) {
        }
    }
    ~in_flight_guard() { now_.fetch_sub(1); }
    in_flight_guard(const in_flight_guard&) = delete;
    in_flight_guard& operator=(const in_flight_guard&) = delete;

private:
    std::atomic<std::uint64_t>& now_;
};

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
    std::atomic<bool> stopped{false};

    aksk_verifier aksk{o.ak, o.sk, o.max_clock_skew};
    iam_issuer iam{o.iam_users, o.iam_token_ttl, o.iam_subject_token, o.data.seed};
    fault_queue faults;
    page_cache pages{data};
    request_quota quota{o.throttle};
    head_writer head{o.data.seed};

    std::mutex m;  // guards sessions
    std::list<std::weak_ptr<beast::tcp_stream>> sessions;

    std::atomic<std::uint64_t> accepted{0}, served{0}, task_requests{0}, in_flight{0},
        max_in_flight{0}, auth_failures{0}, iam_requests{0}, throttled{0};

    explicit impl(server_options opts) : o(std::move(opts)), data(o.data) {}

    milliseconds elapsed() const {
        auto ov = elapsed_override.load();
        if (ov >= 0) return milliseconds(ov);
        return duration_cast<milliseconds>(steady_clock::now() - start);
    }

    // A configured token, an IAM token issued here, or a valid AK/SK signature; anything when
    // no credentials are configured.
    bool check_auth(const request& req, std::string_view target) {
        if (o.token.empty() && o.ak.empty() && o.iam_users.empty()) return true;
        if (auto it = req.find("X-Auth-Token"); it != req.end()) {
            if (!o.token.empty() && constant_time_equal(it->value(), o.token)) return true;
            if (iam.accepts(it->value())) return true;
        }
        return aksk.verify(req, target);
    }

    // The request-handling entry point: route, authenticate, then answer (faults applied).
    response handle(const request& req) {
        std::string_view target = req.target();
        if (req.method() == http::verb::post && target == "/v3/auth/tokens") {
            iam_requests.fetch_add(1);
            return iam.issue(req);
        }
        if (req.method() != http::verb::get) return error(405, "SWR.0405", "method not allowed");
        auto route = route_task_list(target);
        if (auto* e = std::get_if<response>(&route)) return std::move(*e);
        if (!check_auth(req, target)) {
            auth_failures.fetch_add(1);
            return error(401, "SWR.0401", "authentication failed");
        }
        if (auto wait = quota.admit(quota_key(req), steady_clock::now())) return throttle(*wait);
        task_requests.fetch_add(1);
        auto f = faults.next();
        auto call = read_task_list_call(std::get<task_list_route>(route), data);
        if (auto* e = std::get_if<response>(&call)) return std::move(*e);
        return answer_task_list(std::get<task_list_call>(call), f, data, pages, elapsed());
    }

    // 429 as the API gateway sends it, with when to come back (whole seconds, at least 1).
    response throttle(steady_clock::duration wait) {
        throttled.fetch_add(1);
        auto r = error(429, "APIGW.0308", "The throttling threshold has been reached");
        auto after = o.throttle.retry_after;
        if (after.empty())
            after = std::to_string(std::max<long long>(1, ceil<seconds>(wait).count()));
        r.extra_headers = "Retry-After: " + after + "\r\n";
        return r;
    }

    // The answer as it should be: head, body, and the forged response of extra_bytes_after.
    std::string wire_response(const response& res, bool keep_alive) {
        std::string out = head(res.status, res.extra_headers, res.body.size(), keep_alive);
        out += res.body;
        if (!res.trailing_page.empty())
            out += head(200, {}, res.trailing_page.size(), true) + res.trailing_page;
        return out;
    }

    // Answers one request on `s`; true when the connection reads the next one.
    template <class Stream>
    asio::awaitable<bool> answer(Stream& s, beast::tcp_stream& tcp, const request& req) {
        in_flight_guard guard{in_flight, max_in_flight};
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
        if (res.behaviour && res.behaviour->what != fault::kind::latency)
            co_return co_await act_out(s, tcp, res, keep_alive, head);
        auto out = wire_response(res, keep_alive);
        auto [wec, wn] = co_await asio::async_write(s, asio::buffer(out), use_tuple);
        co_return !wec && keep_alive;
    }

    // The requests of one connection, read and answered in turn.
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
            if (!co_await answer(s, tcp, req)) co_return;
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

void server::inject(const fault& f, unsigned count) { impl_->faults.push(f, count); }

void server::clear_faults() { impl_->faults.clear(); }

void server::revoke_iam_tokens() { impl_->iam.revoke_all(); }

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
