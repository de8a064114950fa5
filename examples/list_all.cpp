// Lists every task of one execution from a coroutine, page by page.
// Env: SWR_ENDPOINT (or HUAWEICLOUD_SDK_REGION), HUAWEICLOUD_SDK_PROJECT_ID, credentials
// (HUAWEICLOUD_SDK_AK/SK or SWR_AUTH_TOKEN), SWR_CA_FILE (optional), and the target:
// SWR_INSTANCE, SWR_NAMESPACE, SWR_POLICY, SWR_EXECUTION.
#include <swr/client.hpp>
#include <swr/pager.hpp>

#include <boost/asio.hpp>

#include <cstdlib>
#include <iostream>

namespace asio = boost::asio;

static std::string env(const char* n) { return std::getenv(n) ? std::getenv(n) : ""; }

asio::awaitable<void> list_all(swr::client& c, swr::list_tasks_request req) {
    auto pager = c.list_tasks_pages(req);
    while (auto page = co_await pager.async_next(asio::use_awaitable))
        for (const auto& t : page->tasks)
            std::cout << t.id << ' ' << t.repository << ' ' << t.status << '\n';
    std::cout << "total: " << pager.total().value_or(0) << '\n';
}

int main() {
    asio::io_context io;
    auto opts = swr::client_options::from_env();
    opts.endpoint = env("SWR_ENDPOINT");
    opts.tls.ca_file = env("SWR_CA_FILE");
    swr::client c{io.get_executor(), opts};
    swr::list_tasks_request req{.instance_id = env("SWR_INSTANCE"),
                                .namespace_name = env("SWR_NAMESPACE"),
                                .policy_id = std::atoll(env("SWR_POLICY").c_str()),
                                .execution_id = std::atoll(env("SWR_EXECUTION").c_str())};
    asio::co_spawn(io, list_all(c, req), [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
    });
    io.run();
}
