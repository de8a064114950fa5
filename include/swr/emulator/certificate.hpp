#pragma once
// Throw-away certificates made at run time with OpenSSL: a CA and a leaf it signs. Nothing is
// ever written to the repository; tests make the broken ones (expired, other host, self-signed).

#include <string>
#include <vector>

namespace swr::emulator {

/// What certificate to make.
struct certificate_options {
    /// Subject alternative names of the leaf: IP literals become IP entries, others DNS.
    std::vector<std::string> names{"127.0.0.1", "localhost"};
    bool expired = false;      ///< notAfter in the past.
    bool self_signed = false;  ///< The leaf signs itself (no CA).
    int valid_days = 7;        ///< Lifetime from now (when not expired).
};

/// A generated certificate, its key and what clients should trust.
struct generated_certificate {
    std::string ca_pem;    ///< What clients trust (the leaf itself when self-signed).
    std::string cert_pem;  ///< The server's certificate.
    std::string key_pem;   ///< The server's private key (in memory only).
};

/// ECDSA P-256 keys, SHA-256 signatures. Throws std::runtime_error when OpenSSL fails.
generated_certificate generate_certificate(const certificate_options& opts = {});

}  // namespace swr::emulator
