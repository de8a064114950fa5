#include <swr/emulator/certificate.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>

#include <memory>
#include <random>
#include <stdexcept>

namespace swr::emulator {
namespace {

template <class T, void (*F)(T*)>
struct deleter {
    void operator()(T* p) const { F(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;
using bio_ptr = std::unique_ptr<BIO, deleter<BIO, BIO_free_all>>;

void check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("certificate generation failed: ") + what);
}

pkey_ptr make_key() {
    pkey_ptr k(EVP_EC_gen("P-256"));
    check(k != nullptr, "EVP_EC_gen");
    return k;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    check(ext != nullptr, "X509V3_EXT_conf_nid");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

x509_ptr make_cert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, bool ca,
                   const certificate_options& o) {
    x509_ptr c(X509_new());
    check(c != nullptr, "X509_new");
    X509_set_version(c.get(), 2);
    std::random_device rd;
    ASN1_INTEGER_set(X509_get_serialNumber(c.get()), static_cast<long>(rd() & 0x7fffffff));
    long day = 24L * 3600;
    if (o.expired) {
        X509_gmtime_adj(X509_getm_notBefore(c.get()), -30 * day);
        X509_gmtime_adj(X509_getm_notAfter(c.get()), -1 * day);
    } else {
        X509_gmtime_adj(X509_getm_notBefore(c.get()), -3600);
        X509_gmtime_adj(X509_getm_notAfter(c.get()), o.valid_days * day);
    }
    X509_set_pubkey(c.get(), key);
    X509_NAME* name = X509_get_subject_name(c.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn),
                               -1, -1, 0);
    X509* iss = issuer ? issuer : c.get();
    X509_set_issuer_name(c.get(), X509_get_subject_name(iss));
    if (ca) {
        add_ext(c.get(), iss, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(c.get(), iss, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        std::string san;
        for (const auto& n : o.names) {
            boost::system::error_code ec;
            boost::asio::ip::make_address(n, ec);
            if (!san.empty()) san += ',';
            san += (ec ? "DNS:" : "IP:") + n;
        }
        add_ext(c.get(), iss, NID_basic_constraints, o.self_signed ? "CA:TRUE" : "CA:FALSE");
        add_ext(
            c.get(), iss, NID_key_usage,
            o.self_signed ? "critical,digitalSignature,keyCertSign" : "critical,digitalSignature");
        add_ext(c.get(), iss, NID_ext_key_usage, "serverAuth");
        if (!san.empty()) add_ext(c.get(), iss, NID_subject_alt_name, san.c_str());
    }
    add_ext(c.get(), iss, NID_subject_key_identifier, "hash");
    check(X509_sign(c.get(), issuer_key, EVP_sha256()) > 0, "X509_sign");
    return c;
}

std::string to_pem(X509* c) {
    bio_ptr b(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_X509(b.get(), c) == 1, "PEM_write_bio_X509");
    char* data = nullptr;
    long n = BIO_get_mem_data(b.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

std::string to_pem(EVP_PKEY* k) {
    bio_ptr b(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_PrivateKey(b.get(), k, nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "PEM_write_bio_PrivateKey");
    char* data = nullptr;
    long n = BIO_get_mem_data(b.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace

generated_certificate generate_certificate(const certificate_options& o) {
    generated_certificate out;
    auto leaf_key = make_key();
    if (o.self_signed) {
        auto leaf = make_cert(leaf_key.get(), "swr-emulator", nullptr, leaf_key.get(), false, o);
        out.cert_pem = to_pem(leaf.get());
        out.ca_pem = out.cert_pem;
    } else {
        auto ca_key = make_key();
        certificate_options ca_opts = o;
        ca_opts.expired = false;
        auto ca =
            make_cert(ca_key.get(), "swr-emulator test CA", nullptr, ca_key.get(), true, ca_opts);
        auto leaf = make_cert(leaf_key.get(), "swr-emulator", ca.get(), ca_key.get(), false, o);
        out.ca_pem = to_pem(ca.get());
        out.cert_pem = to_pem(leaf.get());
    }
    out.key_pem = to_pem(leaf_key.get());
    return out;
}

}  // namespace swr::emulator
