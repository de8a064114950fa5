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
    std::string out;
    canonical_uri_from_encoded_path(encoded_path, out);
    return out;
}

void canonical_uri_from_encoded_path(std::string_view encoded_path, std::string& out) {
    out.assign(encoded_path);
    if (out.empty() || out.back() != '/') out += '/';
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

namespace {

// Appends `s` percent-encoded as encode_rfc3986 does, without a string of its own.
void append_rfc3986(std::string& out, std::string_view s) {
    const auto n = boost::urls::encoded_size(s, boost::urls::unreserved_chars);
    const auto at = out.size();
    out.resize(at + n);
    boost::urls::encode(out.data() + at, n, s, boost::urls::unreserved_chars);
}

// What sign_request sorts, kept per thread: the entries' strings keep their storage, so signing
// the same shape of request again allocates nothing.
struct sort_scratch {
    std::vector<std::pair<std::string, std::string>> query;         // encoded key, encoded value
    std::vector<std::pair<std::string, std::string_view>> headers;  // lower-case name, value
    static sort_scratch& get() {
        thread_local sort_scratch s;
        return s;
    }
};

}  // namespace

void sign_request(const signing_input& in, std::string_view ak, std::string_view sk,
                  std::string_view sdk_date, signature_parts& out) {
    auto& scratch = sort_scratch::get();

    // Query: encode first, then sort by key and value byte-wise.
    const auto nq = in.query.size();
    if (scratch.query.size() < nq) scratch.query.resize(nq);
    for (std::size_t i = 0; i < nq; ++i) {
        auto& [k, v] = scratch.query[i];
        k.clear(), v.clear();
        append_rfc3986(k, in.query[i].first);
        append_rfc3986(v, in.query[i].second);
    }
    auto q_end = scratch.query.begin() + static_cast<std::ptrdiff_t>(nq);
    std::sort(scratch.query.begin(), q_end);
    out.canonical_query.clear();
    for (auto it = scratch.query.begin(); it != q_end; ++it) {
        if (!out.canonical_query.empty()) out.canonical_query += '&';
        out.canonical_query.append(it->first).append("=").append(it->second);
    }

    // Headers: lower-case names, one byte-wise order for both the block and the list.
    const auto nh = in.headers.size();
    if (scratch.headers.size() < nh) scratch.headers.resize(nh);
    std::string_view content_sha;
    for (std::size_t i = 0; i < nh; ++i) {
        auto& [name, value] = scratch.headers[i];
        name.assign(in.headers[i].first);
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        value = in.headers[i].second;
        if (name == "x-sdk-content-sha256") content_sha = value;
    }
    auto h_end = scratch.headers.begin() + static_cast<std::ptrdiff_t>(nh);
    std::stable_sort(scratch.headers.begin(), h_end,
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    out.canonical_headers.clear();
    out.signed_headers.clear();
    for (auto it = scratch.headers.begin(); it != h_end; ++it) {
        out.canonical_headers.append(it->first).append(":").append(it->second).append("\n");
        if (!out.signed_headers.empty()) out.signed_headers += ';';
        out.signed_headers += it->first;
    }

    out.payload_hash.clear();
    if (content_sha.empty())
        detail::append_hex(out.payload_hash, sha256_of({in.body}));
    else
        out.payload_hash = content_sha;

    out.canonical_request.clear();
    out.canonical_request.append(in.method).append("\n");
    out.canonical_request.append(in.canonical_uri).append("\n");
    out.canonical_request.append(out.canonical_query).append("\n");
    out.canonical_request.append(out.canonical_headers).append("\n");
    out.canonical_request.append(out.signed_headers).append("\n");
    out.canonical_request.append(out.payload_hash);

    out.string_to_sign.assign("SDK-HMAC-SHA256\n").append(sdk_date).append("\n");
    detail::append_hex(out.string_to_sign, sha256_of({out.canonical_request}));
    out.signature.clear();
    detail::append_hex(out.signature, hmac_sha256(sk, out.string_to_sign));
    detail::assign_authorization(out.authorization, ak, out.signed_headers, out.signature);
}

signature_parts sign_request(const signing_input& in, std::string_view ak, std::string_view sk,
                             std::string_view sdk_date) {
    signature_parts out;
    sign_request(in, ak, sk, sdk_date, out);
    return out;
}

}  // namespace swr
