#include <swr/credentials.hpp>

#include "auth/iam_endpoint.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/null_resource.hpp>
#include <boost/json/serializer.hpp>
#include <boost/json/value.hpp>

#include <openssl/crypto.h>

#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace swr {
namespace {
namespace json = boost::json;

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
    a.iam_endpoint = detail::iam_endpoint_from_env();
    return a;
}

std::string iam_password_auth::request_body(const std::string& default_project_id) const {
    // The password must leave no unwiped copy behind. The JSON tree lives in `arena` alone (a
    // null upstream: running out throws instead of taking heap memory), wiped before returning;
    // the text is written into `out`, sized for the worst case (escaping grows a string at most
    // six times) so it never reallocates. The caller wipes `out`.
    const auto& pid = project_id.empty() ? default_project_id : project_id;
    const bool by_id = !project_id.empty() || project_name.empty();
    const std::string& scope = by_id ? pid : project_name;
    const std::size_t text = domain_name.size() + user_name.size() + password.size() + scope.size();
    std::vector<unsigned char> arena(4096 + 2 * text);
    struct wipe_on_exit {
        std::vector<unsigned char>& bytes;
        ~wipe_on_exit() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
    } wipe{arena};
    json::monotonic_resource mr(arena.data(), arena.size(), json::get_null_resource());
    json::storage_ptr sp(&mr);
    const json::value body({{"auth",
                             {{"identity",
                               {{"methods", json::array({"password"}, sp)},
                                {"password",
                                 {{"user",
                                   {{"domain", {{"name", domain_name}}},
                                    {"name", user_name},
                                    {"password", password}}}}}}},
                              {"scope", {{"project", {{by_id ? "id" : "name", scope}}}}}}}},
                           sp);
    std::string out(160 + 6 * text, '\0');
    json::serializer sr;
    sr.reset(&body);
    std::size_t used = 0;
    while (!sr.done()) {
        auto chunk = sr.read(out.data() + used, out.size() - used);
        if (chunk.empty()) throw std::length_error("IAM request body: larger than its bound");
        used += chunk.size();
    }
    out.resize(used);
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
