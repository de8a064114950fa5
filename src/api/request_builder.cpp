#include "api/request_builder.hpp"

#include "auth/authorization.hpp"

#include <boost/beast/core/string.hpp>

#include <algorithm>

namespace swr::detail {
namespace {

using boost::beast::iequals;

// Each path parameter is one segment: everything but the unreserved set is encoded, '/' included
// (the signer's encoder, so the path sent is the path signed).
void append_segment(std::string& path, std::string_view value) {
    path += '/';
    path += encode_rfc3986(value);
}

}  // namespace

const std::string* outgoing_request::header(std::string_view name) const {
    for (const auto& [n, v] : headers)
        if (iequals(n, name)) return &v;
    return nullptr;
}

error_code build_list_tasks(const list_tasks_request& r, const endpoint& ep,
                            std::string_view project_id, std::string_view user_agent,
                            outgoing_request& out, std::string* message) {
    list_tasks_request req = r;
    if (req.project_id.empty()) req.project_id = std::string(project_id);
    if (auto v = validate(req)) {
        if (message) *message = v.to_string();
        return make_error_code(errc::invalid_request);
    }
    out = outgoing_request{};
    out.path = "/v2";
    append_segment(out.path, req.project_id);
    out.path += "/instances";
    append_segment(out.path, req.instance_id);
    out.path += "/namespaces";
    append_segment(out.path, req.namespace_name);
    out.path += "/signature/policies/";
    out.path += std::to_string(req.policy_id);
    out.path += "/executions/";
    out.path += std::to_string(req.execution_id);
    out.path += "/tasks";
    out.target = out.path;
    if (req.limit) {
        out.query.emplace_back("offset", std::to_string(req.offset.value_or(0)));
        out.query.emplace_back("limit", std::to_string(*req.limit));
        out.target += "?offset=" + out.query[0].second + "&limit=" + out.query[1].second;
    }
    out.headers.emplace_back("Host", ep.host_header);
    out.headers.emplace_back("User-Agent", std::string(user_agent));
    out.headers.emplace_back("Accept", "application/json");
    out.headers.emplace_back("X-Project-Id", req.project_id);
    return check_header_values(out, message);
}

error_code build_iam_token_request(const endpoint& iam, std::string_view user_agent,
                                   std::size_t body_size, outgoing_request& out,
                                   std::string* message) {
    out = outgoing_request{};
    out.method = "POST";
    out.path = out.target = "/v3/auth/tokens";
    out.headers.emplace_back("Host", iam.host_header);
    out.headers.emplace_back("User-Agent", std::string(user_agent));
    out.headers.emplace_back("Accept", "application/json");
    out.headers.emplace_back("Content-Type", "application/json;charset=UTF-8");
    out.headers.emplace_back("Content-Length", std::to_string(body_size));
    return check_header_values(out, message);
}

error_code check_header_values(const outgoing_request& req, std::string* message) {
    for (const auto& [n, v] : req.headers) {
        auto bad = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
        if (std::any_of(n.begin(), n.end(), bad) || std::any_of(v.begin(), v.end(), bad)) {
            if (message) *message = "header " + n + ": must not contain CR, LF or NUL";
            return make_error_code(errc::invalid_header_value);
        }
    }
    return {};
}

error_code authorize(outgoing_request& req, const credentials& creds,
                     std::chrono::system_clock::time_point now, std::string* message) {
    // A retry re-authorizes the same request: drop what the previous attempt added.
    std::erase_if(req.headers, [](const name_value& h) {
        return iequals(h.first, "X-Auth-Token") || iequals(h.first, "X-Sdk-Date") ||
               iequals(h.first, "Authorization") || iequals(h.first, "X-Security-Token");
    });
    switch (creds.type()) {
        case credentials::kind::none:
        case credentials::kind::iam_password: return {};  // the client swaps in the IAM token
        case credentials::kind::token:
            req.headers.emplace_back("X-Auth-Token", creds.token_value());
            break;
        case credentials::kind::aksk: {
            req.headers.emplace_back("X-Sdk-Date", format_sdk_date(now));
            if (!creds.security_token().empty())
                req.headers.emplace_back("X-Security-Token", creds.security_token());
            signing_input in;
            in.method = req.method;
            in.canonical_uri = canonical_uri_from_encoded_path(req.path);
            in.query = req.query;
            for (const auto& [n, v] : req.headers)
                if (iequals(n, "Host") || iequals(n, "X-Project-Id") || iequals(n, "X-Sdk-Date") ||
                    iequals(n, "X-Security-Token"))
                    in.headers.emplace_back(n, v);
            auto parts =
                sign_request(in, creds.access_key(), creds.secret_key(), *req.header("X-Sdk-Date"));
            req.headers.emplace_back("Authorization", std::move(parts.authorization));
            break;
        }
    }
    return check_header_values(req, message);
}

void serialize(const outgoing_request& req, std::string& out) {
    out.clear();
    out.reserve(512);
    out += req.method;
    out += ' ';
    out += req.target;
    out += " HTTP/1.1\r\n";
    for (const auto& [n, v] : req.headers) {
        out += n;
        out += ": ";
        out += v;
        out += "\r\n";
    }
    out += "\r\n";
}

std::string to_redacted_string(const outgoing_request& req, const endpoint& ep) {
    std::string out = req.method + " " + ep.url() + req.target + "\n";
    for (const auto& [n, v] : req.headers) {
        out += n + ": ";
        if (iequals(n, "X-Auth-Token") || iequals(n, "X-Security-Token")) {
            out += "<redacted>";
        } else if (iequals(n, "Authorization")) {
            // Keep the AK and the signed header list; the signature is a secret's fingerprint.
            auto fields = parse_authorization(v);
            out += fields
                       ? format_authorization(fields->access, fields->signed_headers, "<redacted>")
                       : "<redacted>";
        } else {
            out += v;
        }
        out += '\n';
    }
    return out;
}

}  // namespace swr::detail
