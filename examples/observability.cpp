// Wiring the client's log sink and per-call metrics into a service (here: stderr and a counter).
// Env as in list_all.cpp.
#include <swr/client.hpp>

#include <boost/asio/io_context.hpp>

#include <cstdlib>
#include <iostream>

static std::string env(const char* n) { return std::getenv(n) ? std::getenv(n) : ""; }

int main() {
    boost::asio::io_context io;
    auto opts = swr::client_options::from_env();
    opts.endpoint = env("SWR_ENDPOINT");
    opts.tls.ca_file = env("SWR_CA_FILE");

    // Log lines carry no secrets; they are formatted only at or above min_level.
    opts.observe.min_level = swr::log_level::debug;
    opts.observe.log = [](swr::log_level level, std::string_view line) {
        std::cerr << "[swr " << swr::to_string(level) << "] " << line << '\n';
    };
    std::size_t calls = 0, bytes = 0;
    opts.observe.metrics = [&](const swr::call_metrics& m) {
        ++calls;
        bytes += m.bytes_received;
        std::cout << "metric: " << m.operation << " status=" << m.http_status
                  << " attempts=" << m.attempts << " latency_us=" << m.latency.count()
                  << " reused=" << m.connection_reused << '\n';
    };

    swr::client c{io.get_executor(), opts};
    swr::list_tasks_request req{.instance_id = env("SWR_INSTANCE"),
                                .namespace_name = env("SWR_NAMESPACE"),
                                .policy_id = std::atoll(env("SWR_POLICY").c_str()),
                                .execution_id = std::atoll(env("SWR_EXECUTION").c_str()),
                                .offset = 0,
                                .limit = 10};
    for (int i = 0; i < 3; ++i) c.async_list_tasks(req, [](swr::error_code, swr::page) {});
    io.run();
    std::cout << "calls: " << calls << ", bytes received: " << bytes << '\n';
    return calls == 3 ? 0 : 1;
}
