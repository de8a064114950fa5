// Watches several executions until every task is terminal, with a plain callback.
// Env as in list_all.cpp; SWR_EXECUTIONS is a space-separated list of execution ids.
#include <swr/client.hpp>
#include <swr/watch.hpp>

#include <boost/asio/io_context.hpp>

#include <cstdlib>
#include <iostream>
#include <sstream>

static std::string env(const char* n) { return std::getenv(n) ? std::getenv(n) : ""; }

int main() {
    boost::asio::io_context io;
    auto opts = swr::client_options::from_env();
    opts.endpoint = env("SWR_ENDPOINT");
    opts.tls.ca_file = env("SWR_CA_FILE");
    swr::client c{io.get_executor(), opts};

    std::vector<swr::watch_target> targets;
    std::istringstream ids(env("SWR_EXECUTIONS"));
    for (std::int64_t id; ids >> id;)
        targets.push_back({env("SWR_INSTANCE"), env("SWR_NAMESPACE"),
                           std::atoll(env("SWR_POLICY").c_str()), id, ""});

    swr::watch_options wo;
    wo.interval = std::chrono::seconds(1);
    int exit_code = 0;
    swr::async_watch(
        c, targets, wo,
        [](const swr::execution_update& u) {
            std::cout << "execution " << u.target->execution_id << ": " << u.counts.terminal()
                      << "/" << u.counts.total() << " terminal, " << u.changes.size()
                      << " changed\n";
        },
        [&](swr::error_code ec, std::vector<swr::watch_result> results) {
            for (const auto& r : results) {
                std::cout << "execution " << r.target.execution_id
                          << (r.succeeded() ? " succeeded" : " did not succeed");
                if (r.ec) std::cout << ": " << r.ec.message();
                std::cout << '\n';
                if (!r.done || r.ec) exit_code = 1;
            }
            if (ec) exit_code = 1;
        });
    io.run();
    return exit_code;
}
