#pragma once
// The dates on the wire, read and written in one place: HTTP-dates (`Retry-After`, RFC 9110
// section 5.6.7), X-Sdk-Date (`YYYYMMDDTHHMMSSZ`, signing), RFC 3339 timestamps (IAM's
// `expires_at`, task times). Strict grammar, no locale, no C library parser; calendar dates are
// checked (no 31 April, 29 February only in leap years). Years outside 1970-2200 are refused:
// none is meant by a server, and past 2262 the nanosecond clock overflows.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace swr::detail {

/// An HTTP-date in any of its three forms: IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850
/// `Sunday, 06-Nov-94 08:49:37 GMT` (two-digit years below 70 are 20xx), asctime
/// `Sun Nov  6 08:49:37 1994`. nullopt when it is none of them.
std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view s);

/// X-Sdk-Date: `20261129T091522Z`, exactly.
std::optional<std::chrono::sys_seconds> parse_sdk_date(std::string_view s);

/// RFC 3339: `2026-11-29T09:15:22`, an optional fraction (dropped), then `Z`, an offset
/// (`+08:00`, applied) or nothing (UTC).
std::optional<std::chrono::sys_seconds> parse_rfc3339(std::string_view s);

/// `YYYYMMDDTHHMMSSZ` in UTC, as X-Sdk-Date carries it.
std::string format_sdk_date(std::chrono::system_clock::time_point t);

/// `YYYY-MM-DDTHH:MM:SS[.f...]Z` in UTC with `fraction_digits` (0 to 9) digits of the second.
std::string format_rfc3339(std::chrono::system_clock::time_point t, int fraction_digits = 0);

}  // namespace swr::detail
