// The README's quick start: every task of one execution, page by page, from a coroutine. A
// failure is reported (the error and its diagnostics on stderr) and the exit status is 1.
#include <swr/client.hpp>
#include <swr/pager.hpp>
#include <swr/with_diagnostics.hpp>

#include <boost/asio.hpp>
#include <iostream>
namespace asio = boost::asio;

asio::awaitable<void> print_tasks(swr::client& c, swr::list_tasks_request req) {
    auto pager = c.list_tasks_pages(req);  // lazy: nothing sent yet
    while (auto page = co_await pager.async_next(swr::with_diagnostics(asio::use_awaitable)))
        for (const auto& t : page->tasks) std::cout << t.repository << ' ' << t.status << '\n';
}

int main() try {  // credentials, project and region from HUAWEICLOUD_SDK_* variables
    asio::io_context io;
    swr::client c{io.get_executor(), swr::client_options::from_env()};
    asio::co_spawn(io,
                   print_tasks(c, {.instance_id = "ins-1",
                                   .namespace_name = "library",
                                   .policy_id = 2,
                                   .execution_id = 8}),
                   [](std::exception_ptr e) {
                       if (e) std::rethrow_exception(e);  // out of io.run(), to the catch below
                   });
    io.run();
} catch (const std::exception& e) {  // swr::error_with_diagnostics: status, service error, id
    std::cerr << "error: " << e.what() << '\n';
    return 1;
}
