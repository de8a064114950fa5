#pragma once
// Where IAM is: the endpoint a caller names, else HUAWEICLOUD_SDK_IAM_ENDPOINT, else IAM's
// regional (or global) endpoint. The environment variable is read here and nowhere else.

#include <swr/iam.hpp>

#include <string>
#include <string_view>

namespace swr::detail {

/// HUAWEICLOUD_SDK_IAM_ENDPOINT; empty when unset.
std::string iam_endpoint_from_env();

/// The IAM URL a client with `auth` in `region` (may be empty) sends token requests to.
std::string resolve_iam_endpoint(const iam_password_auth& auth, std::string_view region);

}  // namespace swr::detail
