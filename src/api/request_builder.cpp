#include "api/request_builder.hpp"

#include "auth/authorization.hpp"

#include <boost/beast/core/string.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace swr::detail {
namespace {

using boost::beast::iequals;

// Each path parameter is one segment: everything but the unreserved set is encoded, '/' included
// (the signer's encoder, so the path sent is the path signed).
void append_segment(std::string& path, std::string_view value) {
    path += '/';
    path += encode_rfc3986(value);
}

void append_number(std::string& out, std::int64_t v) {
    std::array<char, 24> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    out.append(buf.data(), end);
}

// The query and the target from the path: rewritten in place, so their storage is kept.
void set_query(outgoing_request& out, const list_tasks_request& r) {
    out.target = out.path;
    out.query.resize(r.limit ? 2 : 0);
    if (!r.limit) return;
    out.query[0].first = "offset";
    out.query[0].second.clear();
    append_number(out.query[0].second, r.offset.value_or(0));
    out.query[1].first = "limit";
    out.query[1].second.clear();
    append_number(out.query[1].second, *r.limit);
    out.target += "?offset=";
    out.target += out.query[0].second;
    out.target += "&limit=";
    out.target += out.query[1].second;
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
    set_query(out, req);
    out.headers.emplace_back("Host", ep.host_header);
    out.headers.emplace_back("User-Agent", std::string(user_agent));
    out.headers.emplace_back("Accept", "application/json");
    out.headers.emplace_back("X-Project-Id", req.project_id);
    return check_header_values(out, message);
}

bool list_tasks_builder::same_execution(const list_tasks_request& r,
                                        std::string_view project_id) const {
    return built_ && r.policy_id == policy_id_ && r.execution_id == execution_id_ &&
           r.instance_id == instance_id_ && r.namespace_name == namespace_name_ &&
           (r.project_id.empty() ? project_id : std::string_view(r.project_id)) == project_id_;
}

error_code list_tasks_builder::build(const list_tasks_request& r, const endpoint& ep,
                                     std::string_view project_id, std::string_view user_agent,
                                     std::string* message) {
    if (same_execution(r, project_id)) {
        // The path's fields passed when the request was built; offset, limit and call remain.
        if (auto v = validate(r, false)) {
            if (message) *message = v.to_string();
            return make_error_code(errc::invalid_request);
        }
        set_query(request, r);
        return {};
    }
    built_ = false;
    if (auto ec = build_list_tasks(r, ep, project_id, user_agent, request, message)) return ec;
    project_id_ = r.project_id.empty() ? project_id : std::string_view(r.project_id);
    instance_id_ = r.instance_id;
    namespace_name_ = r.namespace_name;
    policy_id_ = r.policy_id;
    execution_id_ = r.execution_id;
    built_ = true;
    return {};
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

namespace {

// Sets header `name` to `value`, in place when the request has it (its storage is kept).
void set_header(outgoing_request& req, std::string_view name, std::string_view value) {
    for (auto& [n, v] : req.headers)
        if (iequals(n, name)) {
            v.assign(value);
            return;
        }
    req.headers.emplace_back(std::string(name), std::string(value));
}

}  // namespace

error_code authorize(outgoing_request& req, const credentials& creds,
                     std::chrono::system_clock::time_point now, std::string* message) {
    // A retry re-authorizes the same request: drop what the previous attempt added (a token
    // header is rewritten in place, keeping its storage).
    // With AK/SK, X-Sdk-Date and Authorization are rewritten in place too.
    const bool token = creds.type() == credentials::kind::token;
    const bool aksk = creds.type() == credentials::kind::aksk;
    std::erase_if(req.headers, [token, aksk](const name_value& h) {
        return (!token && iequals(h.first, "X-Auth-Token")) ||
               (!aksk && (iequals(h.first, "X-Sdk-Date") || iequals(h.first, "Authorization"))) ||
               iequals(h.first, "X-Security-Token");
    });
    switch (creds.type()) {
        case credentials::kind::none:
        case credentials::kind::iam_password: return {};  // the client swaps in the IAM token
        case credentials::kind::token: {
            auto it = std::find_if(req.headers.begin(), req.headers.end(), [](const name_value& h) {
                return iequals(h.first, "X-Auth-Token");
            });
            if (it != req.headers.end())
                it->second = creds.token_value();
            else
                req.headers.emplace_back("X-Auth-Token", creds.token_value());
            break;
        }
        case credentials::kind::aksk: {
            set_header(req, "X-Sdk-Date", format_sdk_date(now));
            if (!creds.security_token().empty())
                req.headers.emplace_back("X-Security-Token", creds.security_token());
            // What is signed, kept per thread: its strings keep their storage from request to
            // request (the secret itself is never copied into them).
            thread_local signing_input in;
            thread_local signature_parts parts;
            in.method = req.method;
            canonical_uri_from_encoded_path(req.path, in.canonical_uri);
            in.query = req.query;
            std::size_t n_signed = 0;
            for (const auto& [n, v] : req.headers) {
                if (!(iequals(n, "Host") || iequals(n, "X-Project-Id") ||
                      iequals(n, "X-Sdk-Date") || iequals(n, "X-Security-Token")))
                    continue;
                if (in.headers.size() <= n_signed) in.headers.emplace_back();
                in.headers[n_signed].first.assign(n);
                in.headers[n_signed].second.assign(v);
                ++n_signed;
            }
            in.headers.resize(n_signed);
            sign_request(in, creds.access_key(), creds.secret_key(), *req.header("X-Sdk-Date"),
                         parts);
            set_header(req, "Authorization", parts.authorization);
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
