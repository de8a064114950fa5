// The command-line tool's rules that need no socket or process, tested directly (src/cli).
#include "cli/exit_codes.hpp"

#include <doctest/doctest.h>
#include <boost/asio/error.hpp>

TEST_CASE("exit_for: listings that do not add up are exit 5, a throwing callback exit 6") {
    using swr::errc;
    using swr::cli::exit_for;
    namespace codes = swr::cli::exit_codes;
    CHECK(exit_for(errc::inconsistent_listing) == 5);
    CHECK(exit_for(errc::pager_stuck) == 5);
    CHECK(exit_for(errc::too_many_tasks) == 5);
    CHECK(exit_for(errc::decode_failed) == codes::bad_response);
    CHECK(exit_for(errc::callback_failed) == 6);
    CHECK(exit_for(errc::callback_failed) == codes::internal_error);
    // The documented ones stay where they were.
    CHECK(exit_for(errc::invalid_request) == 2);
    CHECK(exit_for(errc::not_found) == 3);
    CHECK(exit_for(errc::throttled) == 3);
    CHECK(exit_for(errc::request_timeout) == 4);
    CHECK(exit_for(errc::deadline_exceeded) == 4);
    CHECK(exit_for(boost::asio::error::connection_refused) == 4);
}
