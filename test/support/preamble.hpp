#pragma once
// The names every integration test uses, said once: include this (it brings the fixture) at the
// top of a test file, never in a header that others include.

#include "support/fixture.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>

using namespace swr;
using namespace std::chrono_literals;
using swr::test::fixture;
using swr::test::list_once;
using swr::test::outcome;
using kind = swr::emulator::fault::kind;
namespace asio = boost::asio;

/// A coroutine's wait that gives back (error_code, result...) instead of throwing.
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
