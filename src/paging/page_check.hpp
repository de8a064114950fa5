#pragma once
// What one page must satisfy on its own, whoever asked for it (one call, the pager, list-all,
// watch): no more tasks than the limit or than `total` leaves from the offset, each id once,
// and only tasks of the execution asked for. Sans-io, no allocation.

#include <swr/error.hpp>
#include <swr/model.hpp>

#include <string>

namespace swr::detail {

/// errc::inconsistent_listing with `message` saying why, or no error.
error_code check_page(const list_tasks_request& req, const page& p, std::string& message);

}  // namespace swr::detail
