#pragma once
// Listing every task of an execution, inside the library: sequentially (the pager's rules, used
// by watch) and in parallel after the first page (client::async_list_all_tasks).

#include "client/client_impl.hpp"

#include <vector>

namespace swr::detail {

/// Every task, one page after another, by the pager's rules (whole or an error); appended to
/// `out`. A `total` above `max_tasks` is errc::too_many_tasks.
asio::awaitable<error_code> list_all_sequential(client::impl& c, const list_tasks_request& req,
                                                std::int64_t page_size, std::int64_t max_tasks,
                                                std::vector<task>& out, diagnostics& diag,
                                                op_state& st);

/// Every task: page 1 tells `total`, the rest are fetched `max_in_flight` at a time, then judged
/// in order by the pager's rules: at most pages + retries requests, whole or an error.
asio::awaitable<error_code> list_all_parallel(client::impl& c, const list_tasks_request& req,
                                              const list_all_options& opts, std::vector<task>& out,
                                              diagnostics& diag, op_state& st);

}  // namespace swr::detail
