#include <swr/signer.hpp>

#include "api/hex.hpp"
#include "auth/authorization.hpp"
#include "wire/http_time.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>

namespace swr {
namespace {

// SHA-256 through one algorithm fetched and one context per thread, both reused. OpenSSL 3's
// one-shot SHA256() and HMAC() fetch the algorithm and make their contexts on every call: about
// 45 allocations a signature. Null members (a provider without SHA-256): the one-shot path.
struct thread_sha256 {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    thread_sha256() = default;
    thread_sha256(const thread_sha256&) = delete;
    thread_sha256& operator=(const thread_sha256&) = delete;
    ~thread_sha256() {
        EVP_MD_CTX_free(ctx);
        EVP_MD_free(md);
    }
    static thread_sha256& get() {
        thread_local thread_sha256 t;
        return t;
    }
};

using digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

// SHA-256 of the concatenation of `parts`.
digest sha256_of(std::initializer_list<std::string_view> parts) {
    digest out{};
    auto& t = thread_sha256::get();
    unsigned int len = 0;
    bool ok = t.md && t.ctx && EVP_DigestInit_ex2(t.ctx, t.md, nullptr) == 1;
    for (auto p : parts) ok = ok && EVP_DigestUpdate(t.ctx, p.data(), p.size()) == 1;
    if (ok && EVP_DigestFinal_ex(t.ctx, out.data(), &len) == 1 && len == out.size()) return out;
    std::string all;
    for (auto p : parts) all += p;
    SHA256(reinterpret_cast<const unsigned char*>(all.data()), all.size(), out.data());
    OPENSSL_cleanse(all.data(), all.size());
    return out;
}

// HMAC-SHA256 (RFC 2104) on the reused digest: no allocation. The key's pads are wiped.
digest hmac_sha256(std::string_view key, std::string_view data) {
    constexpr std::size_t block = 64;
    std::array<unsigned char, block> k{}, ipad{}, opad{};
    if (key.size() > block) {
        auto kd = sha256_of({key});
        std::copy(kd.begin(), kd.end(), k.begin());
        OPENSSL_cleanse(kd.data(), kd.size());
    } else {
        std::copy(key.begin(), key.end(), k.begin());
    }
    for (std::size_t i = 0; i < block; ++i) {
        ipad[i] = static_cast<unsigned char>(k[i] ^ 0x36);
        opad[i] = static_cast<unsigned char>(k[i] ^ 0x5c);
    }
    auto as_view = [](const auto& a) {
        return std::string_view(reinterpret_cast<const char*>(a.data()), a.size());
    };
    auto inner = sha256_of({as_view(ipad), data});
    auto out = sha256_of({as_view(opad), as_view(inner)});
    OPENSSL_cleanse(k.data(), k.size());
    OPENSSL_cleanse(ipad.data(), ipad.size());
    OPENSSL_cleanse(opad.data(), opad.size());
    OPENSSL_cleanse(inner.data(), inner.size());
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

// Boost.URL's encoder with RFC 3986's unreserved set: upper-case %XX, no '+' for spaces. The
// request builder encodes path segments with this same function, so what is signed and what is
// sent are encoded alike.
std::string encode_rfc3986(std::string_view s) {
    return boost::urls::encode(s, boost::urls::unreserved_chars);
}

std::string canonical_uri_from_raw_path(std::string_view raw_path) {
    std::string out;
    std::size_t start = 0;
    while (true) {
        auto slash = raw_path.find('/', start);
        out += encode_rfc3986(raw_path.substr(start, slash - start));
        if (slash == std::string_view::npos) break;
        out += '/';
        start = slash + 1;
    }
    if (out.empty() || out.back() != '/') out += '/';
    return out;
}

std::string canonical_uri_from_encoded_path(std::string_view encoded_path) {
    std::string out(encoded_path);
    if (out.empty() || out.back() != '/') out += '/';
    return out;
}

std::string format_sdk_date(std::chrono::system_clock::time_point t) {
    return detail::format_sdk_date(t);
}

std::string sha256_hex(std::string_view data) { return detail::to_hex(sha256_of({data})); }

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    return detail::to_hex(hmac_sha256(key, data));
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

signature_parts sign_request(const signing_input& in, std::string_view ak, std::string_view sk,
                             std::string_view sdk_date) {
    signature_parts out;

    // Query: encode first, then sort by key and value byte-wise.
    std::vector<std::pair<std::string, std::string>> q;
    q.reserve(in.query.size());
    for (const auto& [k, v] : in.query) q.emplace_back(encode_rfc3986(k), encode_rfc3986(v));
    std::sort(q.begin(), q.end());
    for (const auto& [k, v] : q) {
        if (!out.canonical_query.empty()) out.canonical_query += '&';
        out.canonical_query += k;
        out.canonical_query += '=';
        out.canonical_query += v;
    }

    // Headers: lower-case names, one byte-wise order for both the block and the list.
    std::vector<std::pair<std::string, std::string_view>> h;
    h.reserve(in.headers.size());
    std::string content_sha;
    for (const auto& [name, value] : in.headers) {
        h.emplace_back(lower(name), value);
        if (h.back().first == "x-sdk-content-sha256") content_sha = value;
    }
    std::stable_sort(h.begin(), h.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [name, value] : h) {
        out.canonical_headers += name;
        out.canonical_headers += ':';
        out.canonical_headers += value;
        out.canonical_headers += '\n';
        if (!out.signed_headers.empty()) out.signed_headers += ';';
        out.signed_headers += name;
    }

    out.payload_hash = content_sha.empty() ? sha256_hex(in.body) : content_sha;

    out.canonical_request.reserve(512);
    out.canonical_request.append(in.method).append("\n");
    out.canonical_request.append(in.canonical_uri).append("\n");
    out.canonical_request.append(out.canonical_query).append("\n");
    out.canonical_request.append(out.canonical_headers).append("\n");
    out.canonical_request.append(out.signed_headers).append("\n");
    out.canonical_request.append(out.payload_hash);

    out.string_to_sign = "SDK-HMAC-SHA256\n";
    out.string_to_sign.append(sdk_date).append("\n").append(sha256_hex(out.canonical_request));
    out.signature = hmac_sha256_hex(sk, out.string_to_sign);
    out.authorization = detail::format_authorization(ak, out.signed_headers, out.signature);
    return out;
}

}  // namespace swr
