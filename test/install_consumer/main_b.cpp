// Consumer (b): compiles Asio and Beast itself (BOOST_ASIO_SEPARATE_COMPILATION,
// BOOST_BEAST_SEPARATE_COMPILATION, asio_b.cpp); swr::client and swr::emulator from find_package.
// Lists a page from the in-process emulator.
#include "consumer.hpp"

#include <swr/emulator/emulator.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>

int main() {
    swr::emulator::server emu{{}};
    boost::asio::io_context io;
    swr::client c{io.get_executor(), consumer::emulator_options(emu)};
    int rc = 1;
    boost::asio::post(io, [&] {
        c.async_list_tasks(consumer::page_request(), [&](swr::error_code ec, swr::page p) {
            rc = consumer::report("consumer-b (Asio and Beast compiled separately)", ec, p);
        });
    });
    io.run();
    return rc | consumer::categories_agree("consumer-b") |
           consumer::recognised("consumer-b", "ssl::error::stream_truncated",
                                boost::asio::ssl::error::stream_truncated);
}
