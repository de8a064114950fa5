#include <swr/region.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>

namespace swr {
namespace {
constexpr std::array<std::string_view, 21> regions{
    "af-south-1",  "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "cn-east-2",
    "cn-east-3",   "cn-north-1",     "cn-north-2",     "cn-north-4",     "cn-north-9",
    "cn-south-1",  "cn-south-2",     "cn-southwest-2", "ru-northwest-2", "la-south-2",
    "la-north-2",  "sa-brazil-1",    "na-mexico-1",    "tr-west-1",      "ae-ad-1",
    "eu-west-101",
};
}  // namespace

std::span<const std::string_view> known_regions() noexcept { return regions; }

error_code endpoint_for_region(std::string_view region, std::string& url, std::string* message) {
    std::string var = "HUAWEICLOUD_SDK_REGION_SWR_";
    for (char c : region)
        var += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (const char* v = std::getenv(var.c_str()); v && *v) {
        url = v;
        return {};
    }
    if (std::find(regions.begin(), regions.end(), region) == regions.end()) {
        if (message) {
            *message = "region: unknown region '" + std::string(region) + "'; known regions:";
            for (auto r : regions) (*message).append(" ").append(r);
        }
        return make_error_code(errc::unknown_region);
    }
    url = "https://swr-api." + std::string(region) +
          (region == "eu-west-101" ? ".myhuaweicloud.eu" : ".myhuaweicloud.com");
    return {};
}

}  // namespace swr
