#pragma once
// The `Authorization` header of SDK-HMAC-SHA256 signing, both ways: the signer writes it, a
// verifier (the emulator's) reads it back, redaction finds the signature in it. One place knows
// its shape: `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=hex`.

#include <optional>
#include <string>
#include <string_view>

namespace swr::detail {

/// The scheme that starts the header value, space included.
inline constexpr std::string_view authorization_scheme = "SDK-HMAC-SHA256 ";

/// The fields of the header: views into the parsed value, empty when absent.
struct authorization_fields {
    std::string_view access;          ///< The AK.
    std::string_view signed_headers;  ///< Lower-case names joined with `;`.
    std::string_view signature;       ///< Hex HMAC-SHA256.
};

/// The header value for these fields.
std::string format_authorization(std::string_view access, std::string_view signed_headers,
                                 std::string_view signature);
/// As above, into `out` (its storage kept).
void assign_authorization(std::string& out, std::string_view access,
                          std::string_view signed_headers, std::string_view signature);

/// The fields of `value` (comma-separated `Name=value` items, spaces before a name skipped,
/// unknown items ignored); nullopt unless it starts with authorization_scheme.
std::optional<authorization_fields> parse_authorization(std::string_view value);

}  // namespace swr::detail
