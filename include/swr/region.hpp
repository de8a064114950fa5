#pragma once
// Region id -> SWR endpoint URL, from the official SDKs' table.

#include <swr/error.hpp>

#include <span>
#include <string>
#include <string_view>

namespace swr {

/// Every region id of the table.
std::span<const std::string_view> known_regions() noexcept;

/// The endpoint of a region: `https://swr-api.{region}.myhuaweicloud.com` (eu-west-101:
/// `.myhuaweicloud.eu`). The environment variable `HUAWEICLOUD_SDK_REGION_SWR_<REGION>` (upper
/// case, '-' as '_') overrides it. An unknown region gives errc::unknown_region, and `message`
/// lists the known ones.
error_code endpoint_for_region(std::string_view region, std::string& url,
                               std::string* message = nullptr);

}  // namespace swr
