#pragma once
// A small HTTP CONNECT proxy on loopback (its own thread) that can misbehave: it answers 200 and
// then, before relaying a byte of the tunnel, sends `after_200` (a forged response, say); or it
// reads the CONNECT and never answers at all. Used where tinyproxy cannot be told to lie.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace swr::test {

class connect_proxy {
public:
    /// Relays every CONNECT to `target_port` on 127.0.0.1 (whatever host the request names).
    connect_proxy(std::uint16_t target_port, std::string after_200)
        : target_port_(target_port), after_200_(std::move(after_200)) {
        start();
    }
    /// Reads every CONNECT request and never answers it (the connection stays open).
    struct never_answer_t {};
    explicit connect_proxy(never_answer_t) : answer_(false) { start(); }
    ~connect_proxy() {
        ioc_.stop();
        thread_.join();
    }
    connect_proxy(const connect_proxy&) = delete;
    connect_proxy& operator=(const connect_proxy&) = delete;

    std::string url() const {
        return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
    }
    /// CONNECT requests read so far.
    unsigned tunnels() const { return tunnels_.load(); }

private:
    using tcp = boost::asio::ip::tcp;
    static constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

    void start() {
        acceptor_.open(tcp::v4());
        acceptor_.set_option(tcp::acceptor::reuse_address(true));
        acceptor_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
        acceptor_.listen();
        boost::asio::co_spawn(ioc_, accept_loop(), boost::asio::detached);
        thread_ = std::thread([this] { ioc_.run(); });
    }

    boost::asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, sock] = co_await acceptor_.async_accept(use_tuple);
            if (ec) co_return;
            boost::asio::co_spawn(ioc_, tunnel(std::make_shared<tcp::socket>(std::move(sock))),
                                  boost::asio::detached);
        }
    }

    static boost::asio::awaitable<void> relay(std::shared_ptr<tcp::socket> from,
                                              std::shared_ptr<tcp::socket> to) {
        char buf[16 * 1024];
        for (;;) {
            auto [ec, n] = co_await from->async_read_some(boost::asio::buffer(buf), use_tuple);
            if (ec) break;
            auto [wec, wn] =
                co_await boost::asio::async_write(*to, boost::asio::buffer(buf, n), use_tuple);
            if (wec) break;
        }
        boost::system::error_code ig;
        to->shutdown(tcp::socket::shutdown_send, ig);
    }

    boost::asio::awaitable<void> tunnel(std::shared_ptr<tcp::socket> client) {
        boost::asio::streambuf head;
        auto [ec, n] = co_await boost::asio::async_read_until(*client, head, "\r\n\r\n", use_tuple);
        if (ec) co_return;
        ++tunnels_;
        if (!answer_) {
            // Hold the connection without a word until the client gives up on it.
            char c;
            for (;;) {
                auto [rec, rn] =
                    co_await client->async_read_some(boost::asio::buffer(&c, 1), use_tuple);
                if (rec) co_return;
            }
        }
        auto server = std::make_shared<tcp::socket>(ioc_);
        auto [cec] = co_await server->async_connect(
            {boost::asio::ip::make_address("127.0.0.1"), target_port_}, use_tuple);
        if (cec) co_return;
        std::string answer = "HTTP/1.1 200 Connection established\r\n\r\n" + after_200_;
        auto [wec, wn] =
            co_await boost::asio::async_write(*client, boost::asio::buffer(answer), use_tuple);
        if (wec) co_return;
        boost::asio::co_spawn(ioc_, relay(client, server), boost::asio::detached);
        co_await relay(server, client);
    }

    std::uint16_t target_port_ = 0;
    std::string after_200_;
    bool answer_ = true;
    boost::asio::io_context ioc_;
    tcp::acceptor acceptor_{ioc_};
    std::atomic<unsigned> tunnels_{0};
    std::thread thread_;
};

}  // namespace swr::test
