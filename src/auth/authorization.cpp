#include "auth/authorization.hpp"

namespace swr::detail {

std::string format_authorization(std::string_view access, std::string_view signed_headers,
                                 std::string_view signature) {
    std::string out;
    assign_authorization(out, access, signed_headers, signature);
    return out;
}

void assign_authorization(std::string& out, std::string_view access,
                          std::string_view signed_headers, std::string_view signature) {
    out.assign(authorization_scheme)
        .append("Access=")
        .append(access)
        .append(", SignedHeaders=")
        .append(signed_headers)
        .append(", Signature=")
        .append(signature);
}

std::optional<authorization_fields> parse_authorization(std::string_view value) {
    if (!value.starts_with(authorization_scheme)) return std::nullopt;
    value.remove_prefix(authorization_scheme.size());
    authorization_fields out;
    auto take = [](std::string_view item, std::string_view name, std::string_view& field) {
        if (!item.starts_with(name)) return false;
        field = item.substr(name.size());
        return true;
    };
    while (!value.empty()) {
        auto comma = value.find(',');
        auto item = value.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        take(item, "Access=", out.access) || take(item, "SignedHeaders=", out.signed_headers) ||
            take(item, "Signature=", out.signature);
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return out;
}

}  // namespace swr::detail
