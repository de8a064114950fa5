#pragma once
// How calls authenticate: an IAM token (X-Auth-Token) or an AK/SK pair (SDK-HMAC-SHA256 signing),
// optionally with a security token for temporary credentials.

#include <swr/iam.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace swr {

/// How calls authenticate: none, an IAM token, AK/SK signing, or IAM user name and password.
class credentials {
public:
    /// Which way of authenticating.
    enum class kind { none, token, aksk, iam_password };

    /// No credentials: nothing is added to requests (for servers that check none).
    credentials() = default;

    /// IAM user token, sent as `X-Auth-Token`.
    static credentials token(std::string token);

    /// Access key and secret key; `security_token` (temporary credentials) is sent as
    /// `X-Security-Token` and signed.
    static credentials aksk(std::string ak, std::string sk, std::string security_token = {});

    /// IAM user name and password: the client obtains and refreshes the token (see iam.hpp).
    static credentials iam_password(iam_password_auth auth);

    /// From the environment, in this order: `HUAWEICLOUD_SDK_AK` + `HUAWEICLOUD_SDK_SK`
    /// (+ `HUAWEICLOUD_SDK_SECURITY_TOKEN`), then `CLOUD_SDK_AK` + `CLOUD_SDK_SK`, then
    /// `SWR_AUTH_TOKEN`, then IAM password (`HUAWEICLOUD_SDK_DOMAIN_NAME`,
    /// `HUAWEICLOUD_SDK_USERNAME`, `HUAWEICLOUD_SDK_PASSWORD`). nullopt when none is set.
    static std::optional<credentials> from_env();

    /// Which way of authenticating.
    kind type() const noexcept { return kind_; }
    /// The AK (not secret; shown in logs).
    const std::string& access_key() const noexcept { return ak_; }
    /// The secret: for the signer only. Never log it.
    const std::string& secret_key() const noexcept { return secret_; }
    /// The token (kind::token): a secret. Never log it.
    const std::string& token_value() const noexcept { return secret_; }
    /// The security token of temporary credentials: a secret.
    const std::string& security_token() const noexcept { return security_token_; }
    /// The IAM password settings (kind::iam_password), else nullptr.
    const iam_password_auth* iam() const noexcept { return iam_.get(); }

    /// For logs: the kind and the AK; secrets are never shown.
    std::string to_string() const;

private:
    kind kind_ = kind::none;
    std::string ak_;
    std::string secret_;  // SK for aksk, the token for token
    std::string security_token_;
    std::shared_ptr<const iam_password_auth> iam_;
};

}  // namespace swr
