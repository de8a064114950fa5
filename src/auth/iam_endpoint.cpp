#include "auth/iam_endpoint.hpp"

#include <cstdlib>

namespace swr::detail {

std::string iam_endpoint_from_env() {
    const char* v = std::getenv("HUAWEICLOUD_SDK_IAM_ENDPOINT");
    return v ? std::string(v) : std::string();
}

std::string resolve_iam_endpoint(const iam_password_auth& auth, std::string_view region) {
    if (!auth.iam_endpoint.empty()) return auth.iam_endpoint;
    if (auto env = iam_endpoint_from_env(); !env.empty()) return env;
    if (region.empty()) return "https://iam.myhuaweicloud.com";
    return "https://iam." + std::string(region) + ".myhuaweicloud.com";
}

}  // namespace swr::detail
