#pragma once
// IAM's POST /v3/auth/tokens as the emulator plays it: password authentication of the
// configured users, tokens with a lifetime (`token.expires_at`, the X-Subject-Token header),
// IAM's error shape on failure, and the tokens issued so far for the SWR calls that present them.
// Thread-safe.

#include "emulator/response.hpp"

#include <swr/emulator/emulator.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace swr::emulator::detail {

class iam_issuer {
public:
    /// Accepts `users`; tokens live `ttl` (negative: expired when issued), sent in
    /// X-Subject-Token unless `subject_token` is false. `seed` varies the tokens.
    iam_issuer(std::vector<iam_user> users, std::chrono::milliseconds ttl, bool subject_token,
               std::uint64_t seed);

    /// The answer to a token request: 201 with a token, 400 when malformed, 401 when no user
    /// matches.
    response issue(const request& req);
    /// Whether `token` was issued here, has not expired and was not revoked.
    bool accepts(std::string_view token) const;
    /// Every token issued so far stops being accepted.
    void revoke_all();

    /// Who a token request says it is.
    struct password_identity {
        std::string domain, name, password;
    };

private:
    const iam_user* find_user(const password_identity& id) const;
    std::string new_token();

    std::vector<iam_user> users_;
    std::chrono::milliseconds ttl_;
    bool subject_token_;
    std::uint64_t seed_;
    std::atomic<std::uint64_t> sequence_{0};
    mutable std::mutex m_;
    std::map<std::string, std::chrono::steady_clock::time_point, std::less<>>
        tokens_;  // issued token -> expiry (under m_)
};

}  // namespace swr::emulator::detail
