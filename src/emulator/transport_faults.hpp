#pragma once
// The faults of the transport, acted out on a connection: no answer, a cut or reset body, a slow
// or one-byte-chunked body, interim responses, endless headers, close-delimited bodies. The
// content of the answer comes from faults.hpp; here only the bytes and their timing go wrong.

#include "emulator/response.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace swr::emulator::detail {

/// Sends `res` misbehaving as `res.behaviour` says (which must be set) on `s`, a stream over
/// `tcp`. True when the connection goes on to read the next request. Instantiated for the plain
/// and the TLS stream.
template <class Stream>
boost::asio::awaitable<bool> act_out(Stream& s, boost::beast::tcp_stream& tcp, const response& res,
                                     bool keep_alive, head_writer& head);

}  // namespace swr::emulator::detail
