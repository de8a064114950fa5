#pragma once
// The TLS context a client's connections are made from. Loading the system trust store costs
// tens of milliseconds; clients with default TLS options share one context loaded once per
// process, so a service with a client per tenant pays it once.

#include <swr/options.hpp>

#include <boost/asio/ssl/context.hpp>

#include <memory>

namespace swr::detail {

/// tls.context when given (after checking no other trust setting conflicts with it); the shared
/// default context when `tls` is all defaults; else a context of the client's own. Throws
/// std::invalid_argument naming the tls field that is unusable.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const tls_options& tls);

}  // namespace swr::detail
