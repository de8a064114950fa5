#pragma once
// AK/SK request signing: SDK-HMAC-SHA256, the algorithm of Huawei Cloud's API gateway.
//
// Canonical request = METHOD \n canonical URI \n canonical query \n canonical headers \n
// signed headers \n payload hash. String to sign = "SDK-HMAC-SHA256\n" date "\n" hex(SHA-256(CR)).
// Signature = hex(HMAC-SHA256(SK, string to sign)). Header and query order is byte-wise.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace swr {

using name_value = std::pair<std::string, std::string>;

/// What the signer needs of a request. Header values are signed verbatim (no trimming).
struct signing_input {
    std::string_view method;          ///< Upper case, e.g. "GET".
    std::string canonical_uri;        ///< Encoded path ending in '/' (canonical_uri_*()).
    std::vector<name_value> query;    ///< Decoded keys and values; order does not matter.
    std::vector<name_value> headers;  ///< Every header to sign, `Host` included.
    std::string_view body;            ///< Payload; hashed unless X-Sdk-Content-Sha256 is set.
};

/// Every intermediate value, so that tests can compare each step with the reference vectors.
struct signature_parts {
    std::string canonical_query;    ///< Sorted, encoded query.
    std::string canonical_headers;  ///< `name:value\n` per signed header.
    std::string signed_headers;     ///< Lower-case names joined with `;`.
    std::string payload_hash;       ///< Hex SHA-256 of the body, or X-Sdk-Content-Sha256.
    std::string canonical_request;  ///< The six parts joined with newlines.
    std::string string_to_sign;     ///< Algorithm, date, hash of the canonical request.
    std::string signature;          ///< Hex HMAC-SHA256 with the SK.
    std::string authorization;      ///< The `Authorization` header value.
};

/// Signs with the given date (`YYYYMMDDTHHMMSSZ`, as sent in X-Sdk-Date).
signature_parts sign_request(const signing_input& in, std::string_view ak, std::string_view sk,
                             std::string_view sdk_date);

/// As above, into `out`: its strings keep their storage, so signing again into the same `out`
/// allocates nothing once they have grown.
void sign_request(const signing_input& in, std::string_view ak, std::string_view sk,
                  std::string_view sdk_date, signature_parts& out);

/// Percent-encodes every byte but A-Z a-z 0-9 - _ . ~ as %XX (upper-case hex).
std::string encode_rfc3986(std::string_view s);

/// The canonical URI of a raw (not yet encoded) path: each '/'-separated segment encoded, '/'
/// appended. This is what the official signer does with the path it is given.
std::string canonical_uri_from_raw_path(std::string_view raw_path);

/// The canonical URI of a path already encoded on the wire: the same text plus '/'. Encoding it a
/// second time would sign `%2520` for a `%20` that was sent.
std::string canonical_uri_from_encoded_path(std::string_view encoded_path);
/// As above, into `out` (its storage kept).
void canonical_uri_from_encoded_path(std::string_view encoded_path, std::string& out);

/// `YYYYMMDDTHHMMSSZ` in UTC.
std::string format_sdk_date(std::chrono::system_clock::time_point t);

/// Lower-case hex SHA-256.
std::string sha256_hex(std::string_view data);

/// Lower-case hex HMAC-SHA256.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

/// Constant-time comparison, for verifiers.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace swr
