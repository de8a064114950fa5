#include "wire/http_time.hpp"

#include <array>
#include <cstdio>

namespace swr::detail {

using namespace std::chrono;

namespace {

constexpr std::array<std::string_view, 12> month_names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> day_names{"Mon", "Tue", "Wed", "Thu",
                                                    "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> long_day_names{
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

// Reads a date left to right; every step consumes on success and fails without side effects
// worth undoing (a failed parse is abandoned whole).
class reader {
public:
    explicit reader(std::string_view s) : s_(s) {}

    bool done() const { return s_.empty(); }
    bool peek(char c) const { return !s_.empty() && s_.front() == c; }

    bool literal(std::string_view t) {
        if (!s_.starts_with(t)) return false;
        s_.remove_prefix(t.size());
        return true;
    }

    // At least `min` and at most `max` ASCII digits.
    std::optional<int> number(std::size_t min, std::size_t max) {
        std::size_t n = 0;
        int v = 0;
        while (n < max && n < s_.size() && s_[n] >= '0' && s_[n] <= '9')
            v = v * 10 + (s_[n++] - '0');
        if (n < min) return std::nullopt;
        s_.remove_prefix(n);
        return v;
    }
    std::optional<int> digits(std::size_t n) { return number(n, n); }
    // One digit or more, their value unused.
    bool skip_digits() {
        auto n = s_.find_first_not_of("0123456789");
        if (n == 0) return false;
        s_.remove_prefix(n == std::string_view::npos ? s_.size() : n);
        return true;
    }

    // Index (0-based) of the first name that starts the input.
    template <std::size_t N>
    std::optional<int> one_of(const std::array<std::string_view, N>& names) {
        for (std::size_t i = 0; i < N; ++i)
            if (literal(names[i])) return static_cast<int>(i);
        return std::nullopt;
    }

    // HH:MM:SS
    bool time_of_day(int& h, int& m, int& sec) {
        auto hh = digits(2);
        if (!hh || !literal(":")) return false;
        auto mm = digits(2);
        if (!mm || !literal(":")) return false;
        auto ss = digits(2);
        if (!ss) return false;
        h = *hh;
        m = *mm;
        sec = *ss;
        return true;
    }

private:
    std::string_view s_;
};

struct civil_time {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// A checked calendar date and time of day (second 60: a leap second, read as the next minute).
std::optional<sys_seconds> to_sys(const civil_time& c) {
    if (c.year < 1970 || c.year > 2200 || c.hour > 23 || c.minute > 59 || c.second > 60)
        return std::nullopt;
    year_month_day ymd{year{c.year}, month{static_cast<unsigned>(c.month)},
                       day{static_cast<unsigned>(c.day)}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{ymd} + hours{c.hour} + minutes{c.minute} + seconds{c.second};
}

civil_time to_civil(sys_seconds t) {
    auto day = floor<days>(t);
    year_month_day ymd{day};
    hh_mm_ss hms{t - day};
    return {static_cast<int>(ymd.year()),
            static_cast<int>(unsigned(ymd.month())),
            static_cast<int>(unsigned(ymd.day())),
            static_cast<int>(hms.hours().count()),
            static_cast<int>(hms.minutes().count()),
            static_cast<int>(hms.seconds().count())};
}

// `Day, DD{sep}Mon{sep}YEAR HH:MM:SS GMT`: IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT` (short
// day names, ' ', four-digit years) and RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` (long names,
// '-', two-digit years, returned as they are).
template <std::size_t N>
std::optional<civil_time> parse_gmt_form(std::string_view s,
                                         const std::array<std::string_view, N>& names,
                                         std::string_view sep, std::size_t year_digits) {
    reader r(s);
    civil_time c;
    if (!r.one_of(names) || !r.literal(", ")) return std::nullopt;
    auto d = r.digits(2);
    auto m = r.literal(sep) ? r.one_of(month_names) : std::nullopt;
    auto y = m && r.literal(sep) ? r.digits(year_digits) : std::nullopt;
    if (!d || !y || !r.literal(" ") || !r.time_of_day(c.hour, c.minute, c.second) ||
        !r.literal(" GMT") || !r.done())
        return std::nullopt;
    c.year = *y;
    c.month = *m + 1;
    c.day = *d;
    return c;
}

// Sun Nov  6 08:49:37 1994 (the day is space-padded; an unpadded one is read too)
std::optional<sys_seconds> parse_asctime_date(std::string_view s) {
    reader r(s);
    civil_time c;
    if (!r.one_of(day_names) || !r.literal(" ")) return std::nullopt;
    auto m = r.one_of(month_names);
    if (!m || !r.literal(" ")) return std::nullopt;
    if (r.peek(' ')) r.literal(" ");
    auto d = r.number(1, 2);
    if (!d || !r.literal(" ") || !r.time_of_day(c.hour, c.minute, c.second) || !r.literal(" "))
        return std::nullopt;
    auto y = r.digits(4);
    if (!y || !r.done()) return std::nullopt;
    c.year = *y;
    c.month = *m + 1;
    c.day = *d;
    return to_sys(c);
}

}  // namespace

std::optional<sys_seconds> parse_http_date(std::string_view s) {
    if (auto imf = parse_gmt_form(s, day_names, " ", 4)) return to_sys(*imf);
    if (auto rfc850 = parse_gmt_form(s, long_day_names, "-", 2)) {
        rfc850->year += rfc850->year < 70 ? 2000 : 1900;
        return to_sys(*rfc850);
    }
    return parse_asctime_date(s);
}

std::optional<sys_seconds> parse_sdk_date(std::string_view s) {
    reader r(s);
    auto y = r.digits(4), mo = r.digits(2), d = r.digits(2);
    if (!y || !mo || !d || !r.literal("T")) return std::nullopt;
    auto h = r.digits(2), mi = r.digits(2), sec = r.digits(2);
    if (!h || !mi || !sec || !r.literal("Z") || !r.done()) return std::nullopt;
    return to_sys({*y, *mo, *d, *h, *mi, *sec});
}

std::optional<sys_seconds> parse_rfc3339(std::string_view s) {
    reader r(s);
    civil_time c;
    auto y = r.digits(4);
    auto mo = y && r.literal("-") ? r.digits(2) : std::nullopt;
    auto d = mo && r.literal("-") ? r.digits(2) : std::nullopt;
    if (!d || !(r.literal("T") || r.literal("t")) || !r.time_of_day(c.hour, c.minute, c.second))
        return std::nullopt;
    if (r.literal(".") && !r.skip_digits()) return std::nullopt;  // the fraction: dropped
    minutes offset{0};
    if (r.peek('+') || r.peek('-')) {
        int sign = r.peek('+') ? 1 : -1;
        r.literal(sign > 0 ? "+" : "-");
        auto oh = r.digits(2);
        auto om = oh && r.literal(":") ? r.digits(2) : std::nullopt;
        if (!om || *oh > 23 || *om > 59) return std::nullopt;
        offset = sign * (hours{*oh} + minutes{*om});
    } else if (!r.done() && !r.literal("Z") && !r.literal("z")) {
        return std::nullopt;
    }
    if (!r.done()) return std::nullopt;
    c.year = *y;
    c.month = *mo;
    c.day = *d;
    auto local = to_sys(c);
    if (!local) return std::nullopt;
    return *local - offset;
}

std::string format_sdk_date(system_clock::time_point t) {
    auto c = to_civil(floor<seconds>(t));
    std::array<char, 24> buf{};
    int n = std::snprintf(buf.data(), buf.size(), "%04d%02d%02dT%02d%02d%02dZ", c.year, c.month,
                          c.day, c.hour, c.minute, c.second);
    return std::string(buf.data(), static_cast<std::size_t>(n));
}

std::string format_rfc3339(system_clock::time_point t, int fraction_digits) {
    auto secs = floor<seconds>(t);
    auto c = to_civil(secs);
    std::array<char, 48> buf{};
    int n = std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.month,
                          c.day, c.hour, c.minute, c.second);
    if (fraction_digits > 0 && n > 0) {
        auto nanos = duration_cast<nanoseconds>(t - secs).count();
        n += std::snprintf(buf.data() + n, buf.size() - static_cast<std::size_t>(n), ".%09lld",
                           static_cast<long long>(nanos));
        n -= 9 - std::min(fraction_digits, 9);  // keep the leading digits only
    }
    return std::string(buf.data(), static_cast<std::size_t>(n)) + 'Z';
}

}  // namespace swr::detail
