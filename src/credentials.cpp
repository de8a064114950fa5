#include <swr/credentials.hpp>

#include <cstdlib>

namespace swr {
namespace {
std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}
}  // namespace

credentials credentials::token(std::string token) {
    credentials c;
    c.kind_ = kind::token;
    c.secret_ = std::move(token);
    return c;
}

credentials credentials::aksk(std::string ak, std::string sk, std::string security_token) {
    credentials c;
    c.kind_ = kind::aksk;
    c.ak_ = std::move(ak);
    c.secret_ = std::move(sk);
    c.security_token_ = std::move(security_token);
    return c;
}

std::optional<credentials> credentials::from_env() {
    auto ak = env("HUAWEICLOUD_SDK_AK"), sk = env("HUAWEICLOUD_SDK_SK");
    if (!ak.empty() && !sk.empty())
        return aksk(std::move(ak), std::move(sk), env("HUAWEICLOUD_SDK_SECURITY_TOKEN"));
    ak = env("CLOUD_SDK_AK");
    sk = env("CLOUD_SDK_SK");
    if (!ak.empty() && !sk.empty())
        return aksk(std::move(ak), std::move(sk), env("HUAWEICLOUD_SDK_SECURITY_TOKEN"));
    if (auto t = env("SWR_AUTH_TOKEN"); !t.empty()) return token(std::move(t));
    return std::nullopt;
}

std::string credentials::to_string() const {
    switch (kind_) {
        case kind::token: return "token(***)";
        case kind::aksk:
            return "aksk(ak=" + ak_ + ", sk=***" +
                   (security_token_.empty() ? std::string() : ", security_token=***") + ")";
        case kind::none: break;
    }
    return "none";
}

}  // namespace swr
