#pragma once
// IAM password authentication: the client obtains an IAM user token (POST {iam}/v3/auth/tokens,
// the token is the X-Subject-Token response header), caches it for every call, refreshes it
// before it expires with exactly one request however many calls need it, and after a 401 from
// SWR refreshes once and retries once. A failed refresh fails the waiting calls with IAM's error.

#include <chrono>
#include <optional>
#include <string>

namespace swr {

/// IAM password authentication settings (see the file comment).
struct iam_password_auth {
    std::string domain_name;   ///< Account (domain) name.
    std::string user_name;     ///< IAM user name.
    std::string password;      ///< Secret: never logged, never shown.
    std::string project_id;    ///< Token scope by project id (or `project_name`). Empty: the
                               ///< client's project id.
    std::string project_name;  ///< Token scope by project name, used when project_id is empty.
    /// IAM endpoint. Empty: `HUAWEICLOUD_SDK_IAM_ENDPOINT`, else
    /// `https://iam.{region}.myhuaweicloud.com` when the client has a region, else
    /// `https://iam.myhuaweicloud.com`.
    std::string iam_endpoint;
    /// Refresh this long before the token expires (at most half the token's lifetime).
    std::chrono::minutes refresh_margin{10};

    /// `HUAWEICLOUD_SDK_DOMAIN_NAME`, `HUAWEICLOUD_SDK_USERNAME`, `HUAWEICLOUD_SDK_PASSWORD`
    /// (scope `HUAWEICLOUD_SDK_PROJECT_ID`, endpoint `HUAWEICLOUD_SDK_IAM_ENDPOINT`); nullopt
    /// unless the three are set.
    static std::optional<iam_password_auth> from_env();

    /// The request body of POST /v3/auth/tokens (contains the password: never log it).
    std::string request_body(const std::string& default_project_id) const;
};

}  // namespace swr
