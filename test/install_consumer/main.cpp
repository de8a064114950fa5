// Lists one page from an emulator, using only what the installed package provides.
#include <swr/client.hpp>
#include <swr/emulator/emulator.hpp>

#include <boost/asio/io_context.hpp>

#include <iostream>

int main() {
    swr::emulator::server emu{{}};
    boost::asio::io_context io;
    swr::client_options o;
    o.endpoint = emu.endpoint();
    o.project_id = "consumer";
    o.tls.ca_pem = emu.ca_pem();
    swr::client c{io.get_executor(), o};
    swr::list_tasks_request r{.instance_id = "ins-emulator",
                              .namespace_name = "library",
                              .policy_id = 1,
                              .execution_id = 1,
                              .offset = 0,
                              .limit = 5};
    int rc = 1;
    c.async_list_tasks(r, [&](swr::error_code ec, swr::page p) {
        std::cout << "consumer: "
                  << (ec ? ec.message()
                         : std::to_string(p.tasks.size()) + " of " + std::to_string(p.total) +
                               " tasks")
                  << '\n';
        rc = (!ec && p.tasks.size() == 5) ? 0 : 1;
    });
    io.run();
    return rc;
}
