#include "wire/tls_context.hpp"

#include <openssl/ssl.h>

#include <stdexcept>
#include <string>

namespace swr::detail {

namespace asio = boost::asio;

namespace {

bool is_default(const tls_options& t) {
    return t.verify_peer && t.use_system_trust && t.ca_file.empty() && t.ca_dir.empty() &&
           t.ca_pem.empty();
}

// TLS 1.2 minimum; peer verification on unless switched off; the system store plus extras.
std::shared_ptr<asio::ssl::context> build(const tls_options& tls) {
    auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    if (!tls.verify_peer) {
        ctx->set_verify_mode(asio::ssl::verify_none);
        return ctx;
    }
    boost::system::error_code ec;
    ctx->set_verify_mode(asio::ssl::verify_peer);
    if (tls.use_system_trust) ctx->set_default_verify_paths(ec);
    ec.clear();  // a machine without a system store still works with explicit CAs
    if (!tls.ca_file.empty()) ctx->load_verify_file(tls.ca_file, ec);
    if (ec)
        throw std::invalid_argument("tls.ca_file: cannot load '" + tls.ca_file +
                                    "': " + ec.message());
    if (!tls.ca_dir.empty()) ctx->add_verify_path(tls.ca_dir, ec);
    if (ec)
        throw std::invalid_argument("tls.ca_dir: cannot use '" + tls.ca_dir + "': " + ec.message());
    if (!tls.ca_pem.empty()) ctx->add_certificate_authority(asio::buffer(tls.ca_pem), ec);
    if (ec) throw std::invalid_argument("tls.ca_pem: not a PEM certificate: " + ec.message());
    return ctx;
}

}  // namespace

std::shared_ptr<asio::ssl::context> make_tls_context(const tls_options& tls) {
    if (tls.context) {
        if (!tls.ca_file.empty() || !tls.ca_dir.empty() || !tls.ca_pem.empty() ||
            !tls.verify_peer || !tls.use_system_trust)
            throw std::invalid_argument(
                "tls.context: a context of your own carries its own trust settings; leave "
                "verify_peer, use_system_trust, ca_file, ca_dir and ca_pem at their defaults");
        return tls.context;
    }
    if (!is_default(tls)) return build(tls);
    // Built on first use, kept for the life of the process (thread-safe static initialisation);
    // SSL_CTX is safe to share: connections only create SSL objects from it.
    static const std::shared_ptr<asio::ssl::context> shared = build(tls);
    return shared;
}

}  // namespace swr::detail
