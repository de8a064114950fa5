#include <swr/signer.hpp>

#include "api/hex.hpp"
#include "auth/authorization.hpp"
#include "wire/http_time.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace swr {
namespace {

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

std::string sha256_hex(std::string_view data) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> md{};
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md.data());
    return detail::to_hex(md);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), md.data(), &len);
    return detail::to_hex(std::span(md.data(), len));
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
