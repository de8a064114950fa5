#pragma once
// The API gateway's check of an SDK-HMAC-SHA256 signature: the AK is the one configured, the
// X-Sdk-Date is within the allowed clock skew, `host` and `x-sdk-date` are signed, and the
// signature recomputed from the request as received matches.

#include "emulator/response.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace swr::emulator::detail {

class aksk_verifier {
public:
    /// An empty `ak` accepts no signature.
    aksk_verifier(std::string ak, std::string sk, std::chrono::minutes max_clock_skew)
        : ak_(std::move(ak)), sk_(std::move(sk)), max_clock_skew_(max_clock_skew) {}

    /// Whether `req` (a GET of `target`, as received) carries a valid signature.
    bool verify(const request& req, std::string_view target) const;

private:
    bool date_is_recent(std::string_view sdk_date) const;

    std::string ak_;
    std::string sk_;
    std::chrono::minutes max_clock_skew_;
};

}  // namespace swr::emulator::detail
