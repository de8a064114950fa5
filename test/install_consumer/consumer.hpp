// What each install consumer does once built: list one page (5 tasks of execution 1) and check
// that the program and the library agree on Asio's and Beast's error categories, which they
// compare by address (docs/concepts.md, "Asio and Beast are the program's").
#pragma once

#include <swr/client.hpp>
#include <swr/error.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/error.hpp>

#include <iostream>
#include <string>

namespace consumer {

/// The request every consumer sends: the emulator's instance, namespace, policy and execution.
inline swr::list_tasks_request page_request() {
    return {.instance_id = "ins-emulator",
            .namespace_name = "library",
            .policy_id = 1,
            .execution_id = 1,
            .offset = 0,
            .limit = 5};
}

/// Options for a client of an in-process emulator (consumers a and b; `Emulator` is
/// swr::emulator::server, a template so that consumer c needs no emulator header).
template <class Emulator>
swr::client_options emulator_options(const Emulator& emu) {
    swr::client_options o;
    o.endpoint = emu.endpoint();
    o.project_id = "consumer";
    o.tls.ca_pem = emu.ca_pem();
    return o;
}

/// Prints "NAME: N of TOTAL tasks" (or the error) for a listing's outcome; 0 if it had 5 tasks.
inline int report(const char* name, swr::error_code ec, const swr::page& p) {
    std::cout << name << ": "
              << (ec ? ec.message()
                     : std::to_string(p.tasks.size()) + " of " +
                           std::to_string(p.total.value_or(-1)) + " tasks")
              << '\n';
    return (!ec && p.tasks.size() == 5) ? 0 : 1;
}

/// 0 if the library recognises `ec`, an error made by the program, as retryable; else says so.
inline int recognised(const char* name, const char* what, swr::error_code ec) {
    if (swr::is_retryable(ec)) return 0;
    std::cout << name << ": the library does not recognise " << what << " (" << ec.category().name()
              << ")\n";
    return 1;
}

/// 0 if errors the program makes with Asio and Beast are the ones the library recognises.
/// (Asio.SSL's are checked by the consumers that link OpenSSL themselves.)
inline int categories_agree(const char* name) {
    return recognised(name, "asio::error::eof", boost::asio::error::eof) |
           recognised(name, "asio::error::connection_reset", boost::asio::error::connection_reset) |
           recognised(name, "http::error::end_of_stream", boost::beast::http::error::end_of_stream);
}

}  // namespace consumer
