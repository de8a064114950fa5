#include <swr/credentials.hpp>
#include <swr/json_codec.hpp>

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

credentials credentials::iam_password(iam_password_auth auth) {
    credentials c;
    c.kind_ = kind::iam_password;
    c.ak_ = auth.domain_name + "/" + auth.user_name;
    c.iam_ = std::make_shared<const iam_password_auth>(std::move(auth));
    return c;
}

std::optional<iam_password_auth> iam_password_auth::from_env() {
    iam_password_auth a;
    a.domain_name = env("HUAWEICLOUD_SDK_DOMAIN_NAME");
    a.user_name = env("HUAWEICLOUD_SDK_USERNAME");
    a.password = env("HUAWEICLOUD_SDK_PASSWORD");
    if (a.domain_name.empty() || a.user_name.empty() || a.password.empty()) return std::nullopt;
    a.project_id = env("HUAWEICLOUD_SDK_PROJECT_ID");
    a.iam_endpoint = env("HUAWEICLOUD_SDK_IAM_ENDPOINT");
    return a;
}

std::string iam_password_auth::request_body(const std::string& default_project_id) const {
    // Built in one buffer reserved up front (JSON escaping grows a string at most 6 times), so
    // no reallocation leaves an unwiped copy of the password behind; the caller wipes this one.
    const auto& pid = project_id.empty() ? default_project_id : project_id;
    const bool by_id = !project_id.empty() || project_name.empty();
    std::string out;
    out.reserve(160 + 6 * (domain_name.size() + user_name.size() + password.size() +
                           (by_id ? pid.size() : project_name.size())));
    out += R"({"auth":{"identity":{"methods":["password"],"password":{"user":{"domain":{"name":)";
    append_json_string(out, domain_name);
    out += R"(},"name":)";
    append_json_string(out, user_name);
    out += R"(,"password":)";
    append_json_string(out, password);
    out += by_id ? R"(}}},"scope":{"project":{"id":)" : R"(}}},"scope":{"project":{"name":)";
    append_json_string(out, by_id ? pid : project_name);
    out += "}}}}";
    return out;
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
    if (auto a = iam_password_auth::from_env()) return iam_password(std::move(*a));
    return std::nullopt;
}

std::string credentials::to_string() const {
    switch (kind_) {
        case kind::token: return "token(***)";
        case kind::aksk:
            return "aksk(ak=" + ak_ + ", sk=***" +
                   (security_token_.empty() ? std::string() : ", security_token=***") + ")";
        case kind::iam_password: return "iam_password(user=" + ak_ + ", password=***)";
        case kind::none: break;
    }
    return "none";
}

}  // namespace swr
