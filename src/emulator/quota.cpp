#include "emulator/quota.hpp"

#include "auth/authorization.hpp"

#include <algorithm>
#include <cmath>

namespace swr::emulator::detail {

using namespace std::chrono;

request_quota::request_quota(const throttle_options& o)
    : rate_(o.requests_per_second > 0 && std::isfinite(o.requests_per_second)
                ? o.requests_per_second
                : 0),
      burst_(o.burst > 0 ? static_cast<double>(o.burst) : std::max(1.0, std::floor(rate_ / 10))) {}

std::optional<steady_clock::duration> request_quota::admit(std::string_view credential,
                                                           steady_clock::time_point now) {
    if (rate_ == 0) return std::nullopt;
    std::lock_guard lk(m_);
    auto it = buckets_.find(std::string(credential));
    if (it == buckets_.end()) it = buckets_.emplace(credential, bucket{burst_, now}).first;
    auto& b = it->second;
    if (now > b.at) {
        b.tokens = std::min(burst_, b.tokens + duration<double>(now - b.at).count() * rate_);
        b.at = now;
    }
    if (b.tokens >= 1) {
        b.tokens -= 1;
        return std::nullopt;
    }
    return duration_cast<steady_clock::duration>(duration<double>((1 - b.tokens) / rate_));
}

std::string_view quota_key(const request& req) {
    if (auto it = req.find("X-Auth-Token"); it != req.end()) return it->value();
    if (auto it = req.find(boost::beast::http::field::authorization); it != req.end())
        if (auto a = swr::detail::parse_authorization(it->value())) return a->access;
    return {};
}

}  // namespace swr::emulator::detail
