// Consumer (c): built with nothing but the pkg-config file,
//   g++ -o c main_c.cpp $(pkg-config --cflags --libs swr-sign-tasks)
// Lists a page from an emulator started elsewhere (`swr-sign-tasks emulator --token t`).
//   c ENDPOINT CA_FILE   (or SWR_ENDPOINT and SWR_CA_FILE)
#include "consumer.hpp"

#include <cstdlib>

int main(int argc, char** argv) {
    const char* endpoint = argc > 2 ? argv[1] : std::getenv("SWR_ENDPOINT");
    const char* ca_file = argc > 2 ? argv[2] : std::getenv("SWR_CA_FILE");
    if (!endpoint || !ca_file) {
        std::cerr << "usage: " << argv[0] << " ENDPOINT CA_FILE (or SWR_ENDPOINT, SWR_CA_FILE)\n";
        return 2;
    }
    boost::asio::io_context io;
    swr::client_options o;
    o.endpoint = endpoint;
    o.project_id = "consumer";
    o.credentials = swr::credentials::token("t");
    o.tls.ca_file = ca_file;
    swr::client c{io.get_executor(), o};
    int rc = 1;
    c.async_list_tasks(consumer::page_request(), [&](swr::error_code ec, swr::page p) {
        rc = consumer::report("consumer-c (pkg-config only)", ec, p);
    });
    io.run();
    return rc | consumer::categories_agree("consumer-c");
}
