#include "emulator/iam_issuer.hpp"

#include "api/hex.hpp"
#include "emulator/splitmix.hpp"
#include "wire/http_time.hpp"

#include <swr/signer.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace swr::emulator::detail {

using namespace std::chrono;
namespace json = boost::json;

namespace {

// IAM's error shape, not SWR's: {"error":{"code":...,"message":...}}.
response iam_error(unsigned status, std::string_view code, std::string_view msg) {
    json::object body{{"error", json::object{{"code", code}, {"message", msg}}}};
    return {status, json::serialize(body), {}, {}, {}};
}

std::string string_field(const boost::json::value& obj, const char* key) {
    const auto* x = obj.as_object().if_contains(key);
    return x && x->is_string() ? std::string(x->get_string()) : std::string();
}

// auth.identity.password.user of a token request; nullopt when the body is not one.
std::optional<iam_issuer::password_identity> read_identity(std::string_view body) {
    boost::json::error_code ec;
    auto v = boost::json::parse(body, ec);
    const boost::json::value* user = nullptr;
    if (!ec && v.is_object()) {
        boost::json::error_code e2;
        user = v.find_pointer("/auth/identity/password/user", e2);
    }
    if (!user || !user->is_object()) return std::nullopt;
    const auto* dom = user->as_object().if_contains("domain");
    return iam_issuer::password_identity{
        dom && dom->is_object() ? string_field(*dom, "name") : std::string(),
        string_field(*user, "name"), string_field(*user, "password")};
}

}  // namespace

iam_issuer::iam_issuer(std::vector<iam_user> users, milliseconds ttl, bool subject_token,
                       std::uint64_t seed)
    : users_(std::move(users)), ttl_(ttl), subject_token_(subject_token), seed_(seed) {}

bool iam_issuer::accepts(std::string_view token) const {
    std::lock_guard lk(m_);
    auto t = tokens_.find(token);
    return t != tokens_.end() && steady_clock::now() < t->second;
}

void iam_issuer::revoke_all() {
    std::lock_guard lk(m_);
    tokens_.clear();
}

const iam_user* iam_issuer::find_user(const password_identity& id) const {
    for (const auto& u : users_)
        if (u.domain_name == id.domain && u.user_name == id.name &&
            constant_time_equal(u.password, id.password))
            return &u;
    return nullptr;
}

std::string iam_issuer::new_token() {
    std::string token = "MIIemu";
    for (int k = 0; k < 4; ++k)
        swr::detail::append_hex(
            token,
            splitmix(sequence_.fetch_add(1) ^ (seed_ << 8) ^
                     static_cast<std::uint64_t>(steady_clock::now().time_since_epoch().count())));
    std::lock_guard lk(m_);
    tokens_[token] = steady_clock::now() + ttl_;
    return token;
}

response iam_issuer::issue(const request& req) {
    auto id = read_identity(req.body());
    if (!id) return iam_error(400, "1100", "malformed token request");
    if (!find_user(*id)) return iam_error(401, "1101", "The username or password is wrong.");
    auto expires_at = swr::detail::format_rfc3339(floor<seconds>(system_clock::now() + ttl_), 6);
    auto token = new_token();
    return {201,
            R"({"token":{"methods":["password"],"expires_at":")" + expires_at + "\"}}",
            subject_token_ ? "X-Subject-Token: " + token + "\r\n" : "",
            {},
            {}};
}

}  // namespace swr::emulator::detail
