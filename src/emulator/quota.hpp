#pragma once
// The emulator's request quota (server_options::throttle): a token bucket per credential, as an
// API gateway keeps one per tenant. Thread-safe.

#include "emulator/response.hpp"

#include <swr/emulator/emulator.hpp>

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace swr::emulator::detail {

class request_quota {
public:
    explicit request_quota(const throttle_options& o);

    /// Takes a token of `credential`'s bucket at `now`; when there is none, how long until there
    /// is one (the request is throttled). Always admits when the quota is off.
    std::optional<std::chrono::steady_clock::duration> admit(
        std::string_view credential, std::chrono::steady_clock::time_point now);

private:
    struct bucket {
        double tokens;
        std::chrono::steady_clock::time_point at;
    };
    double rate_;   // tokens a second; 0: off
    double burst_;  // bucket size
    std::mutex m_;
    std::unordered_map<std::string, bucket> buckets_;
};

/// Whose quota a request counts against: the X-Auth-Token, else the AK of its Authorization
/// header, else the anonymous caller ("").
std::string_view quota_key(const request& req);

}  // namespace swr::emulator::detail
