// Consumer (a): Asio header-only, the default, with a deprecated call (io_context::post, there
// because the library imposes no BOOST_ASIO_NO_DEPRECATED); swr::client and swr::emulator from
// find_package. Lists a page from the in-process emulator.
#include "consumer.hpp"

#include <swr/emulator/emulator.hpp>

#include <boost/asio/ssl/error.hpp>

int main() {
    swr::emulator::server emu{{}};
    boost::asio::io_context io;
    swr::client c{io.get_executor(), consumer::emulator_options(emu)};
    int rc = 1;
    io.post([&] {
        c.async_list_tasks(consumer::page_request(), [&](swr::error_code ec, swr::page p) {
            rc = consumer::report("consumer-a (header-only Asio, io_context::post)", ec, p);
        });
    });
    io.run();
    return rc | consumer::categories_agree("consumer-a") |
           consumer::recognised("consumer-a", "ssl::error::stream_truncated",
                                boost::asio::ssl::error::stream_truncated);
}
