// Dates on the wire: the three HTTP-date forms, X-Sdk-Date, RFC 3339; calendar checks; refusals.
#include "wire/http_time.hpp"

#include <doctest/doctest.h>

#include <optional>

using namespace std::chrono;
using swr::detail::format_rfc3339;
using swr::detail::format_sdk_date;
using swr::detail::parse_http_date;
using swr::detail::parse_rfc3339;
using swr::detail::parse_sdk_date;

namespace {

// 1994-11-06T08:49:37Z, RFC 9110's example.
constexpr sys_seconds rfc_example = sys_days{1994y / November / 6} + 8h + 49min + 37s;

}  // namespace

TEST_CASE("HTTP-date: the three forms of RFC 9110 name the same instant") {
    CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == rfc_example);
    CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == rfc_example);
    CHECK(parse_http_date("Sun Nov  6 08:49:37 1994") == rfc_example);
    CHECK(parse_http_date("Sun Nov 6 08:49:37 1994") == rfc_example);  // unpadded day, read too
    CHECK(parse_http_date("Sun Nov 16 08:49:37 1994") == rfc_example + days{10});
    // RFC 850's two-digit years: below 70 are this century.
    CHECK(parse_http_date("Tuesday, 06-Nov-35 08:49:37 GMT") ==
          sys_days{2035y / November / 6} + 8h + 49min + 37s);
    CHECK(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT") == sys_seconds{});
}

TEST_CASE("HTTP-date: malformed, out of range or impossible dates are refused") {
    for (const char* bad : {
             "",
             "Sun, 06 Nov 1994 08:49:37",         // no zone
             "Sun, 06 Nov 1994 08:49:37 UTC",     // only GMT
             "Sun, 06 Nov 1994 08:49:37 GMT ",    // trailing bytes
             "Sun, 6 Nov 1994 08:49:37 GMT",      // IMF days have two digits
             "Sun, 06 nov 1994 08:49:37 GMT",     // month names are case-sensitive
             "Sun, 06 Foo 1994 08:49:37 GMT",     // no such month
             "Xyz, 06 Nov 1994 08:49:37 GMT",     // no such day
             "Sun, 06 Nov 1994 24:00:00 GMT",     // hour 24
             "Sun, 06 Nov 1994 08:60:00 GMT",     // minute 60
             "Sun, 06 Nov 1994 08:49:61 GMT",     // second 61
             "Sun, 31 Apr 1994 08:49:37 GMT",     // April has 30 days
             "Sun, 06 Nov 1969 08:49:37 GMT",     // before 1970
             "Sun, 06 Nov 2201 08:49:37 GMT",     // past 2200
             "Sun, 06 Nov 99999 08:49:37 GMT",    // five-digit year
             "Sun, 06-Nov-94 08:49:37 GMT",       // RFC 850 needs the long day name
             "Sunday, 06 Nov 1994 08:49:37 GMT",  // and IMF the short one
             "Sun Nov  6 08:49:3 71994",          // found by fuzzing: overflow
             "Sun Nov  6 08:49:37 94",            // asctime years have four digits
             "-1, 06 Nov 1994 08:49:37 GMT",
         })
        CHECK_MESSAGE(!parse_http_date(bad), bad);
}

TEST_CASE("HTTP-date: 29 February only in leap years (2000 is one, 2100 is not)") {
    CHECK(parse_http_date("Thu, 29 Feb 2024 12:00:00 GMT") ==
          sys_days{2024y / February / 29} + 12h);
    CHECK(parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT") == sys_days{2000y / February / 29});
    CHECK_FALSE(parse_http_date("Wed, 29 Feb 2023 12:00:00 GMT"));
    CHECK_FALSE(parse_http_date("Mon, 29 Feb 2100 12:00:00 GMT"));
    CHECK_FALSE(parse_http_date("Thu, 30 Feb 2024 12:00:00 GMT"));
    CHECK(parse_http_date("Thu Feb 29 12:00:00 2024") == sys_days{2024y / February / 29} + 12h);
    CHECK_FALSE(parse_http_date("Wednesday, 29-Feb-23 12:00:00 GMT"));
}

TEST_CASE("X-Sdk-Date: exactly YYYYMMDDTHHMMSSZ, written and read back") {
    CHECK(parse_sdk_date("19941106T084937Z") == rfc_example);
    CHECK(format_sdk_date(rfc_example) == "19941106T084937Z");
    CHECK(format_sdk_date(rfc_example + 999ms) == "19941106T084937Z");  // seconds, truncated
    CHECK(parse_sdk_date("20240229T000000Z") == sys_days{2024y / February / 29});
    for (const char* bad :
         {"", "19941106T084937", "19941106 084937Z", "1994116T084937Z", "19941106T084937Z0",
          "19941306T084937Z", "20230229T000000Z", "19941106T246000Z", "1994-11-06T08:49:37Z"})
        CHECK_MESSAGE(!parse_sdk_date(bad), bad);
}

TEST_CASE("RFC 3339: fraction dropped, Z or an offset, nothing meaning UTC") {
    CHECK(parse_rfc3339("1994-11-06T08:49:37Z") == rfc_example);
    CHECK(parse_rfc3339("1994-11-06T08:49:37.123000Z") == rfc_example);
    CHECK(parse_rfc3339("1994-11-06T08:49:37") == rfc_example);
    CHECK(parse_rfc3339("1994-11-06t08:49:37z") == rfc_example);
    CHECK(parse_rfc3339("1994-11-06T16:49:37+08:00") == rfc_example);
    CHECK(parse_rfc3339("1994-11-06T03:19:37.5-05:30") == rfc_example);
    CHECK(parse_rfc3339("2024-02-29T00:00:00Z") == sys_days{2024y / February / 29});
    for (const char* bad :
         {"", "1994-11-06", "1994-11-06T08:49", "1994-11-06 08:49:37Z", "1994-11-06T08:49:37.Z",
          "1994-11-06T08:49:37+0800", "1994-11-06T08:49:37+24:00", "1994-11-06T08:49:37Zjunk",
          "1994-02-30T08:49:37Z", "2100-02-29T00:00:00Z", "1900-01-01T00:00:00Z",
          "19941106T084937Z"})
        CHECK_MESSAGE(!parse_rfc3339(bad), bad);
}

TEST_CASE("RFC 3339: written in UTC with the fraction asked for, and read back") {
    CHECK(format_rfc3339(rfc_example) == "1994-11-06T08:49:37Z");
    CHECK(format_rfc3339(rfc_example + 123456789ns, 3) == "1994-11-06T08:49:37.123Z");
    CHECK(format_rfc3339(rfc_example + 123456789ns, 6) == "1994-11-06T08:49:37.123456Z");
    CHECK(format_rfc3339(rfc_example, 6) == "1994-11-06T08:49:37.000000Z");
    CHECK(format_rfc3339(sys_days{2024y / February / 29} + 23h + 59min + 59s) ==
          "2024-02-29T23:59:59Z");
    auto now = floor<seconds>(system_clock::now());
    CHECK(parse_rfc3339(format_rfc3339(now, 6)) == now);
    CHECK(parse_sdk_date(format_sdk_date(now)) == now);
}
