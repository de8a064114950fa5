#pragma once
// Builds the HTTP request of ListInstanceSignPolicyExecTasks: the target with every path parameter
// percent-encoded exactly once, the query, the headers, and the authentication (token or
// SDK-HMAC-SHA256 signature). Sans-io: the result is text, sent by the connection.

#include <swr/credentials.hpp>
#include <swr/endpoint.hpp>
#include <swr/error.hpp>
#include <swr/model.hpp>
#include <swr/signer.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace swr::detail {

struct outgoing_request {
    std::string method = "GET";
    std::string path;                 ///< Encoded path, as sent.
    std::vector<name_value> query;    ///< Decoded, in wire order.
    std::string target;               ///< path[?query], as sent.
    std::vector<name_value> headers;  ///< In wire order.

    const std::string* header(std::string_view name) const;
};

/// The path and query of the call, and the headers every call carries (Host, User-Agent, Accept,
/// X-Project-Id). `project_id` is used when the request has none. Validates the request first:
/// errc::invalid_request with `message` = "field: rule".
error_code build_list_tasks(const list_tasks_request& r, const endpoint& ep,
                            std::string_view project_id, std::string_view user_agent,
                            outgoing_request& out, std::string* message = nullptr);

/// build_list_tasks() kept for reuse: the path and the fixed headers are built once per
/// execution, and the next call for the same execution (offset and limit aside) only rewrites the
/// query, validated as build_list_tasks() would. Its request keeps its storage between calls.
class list_tasks_builder {
public:
    error_code build(const list_tasks_request& r, const endpoint& ep, std::string_view project_id,
                     std::string_view user_agent, std::string* message = nullptr);
    outgoing_request request;

private:
    bool same_execution(const list_tasks_request& r, std::string_view project_id) const;

    bool built_ = false;
    std::string project_id_, instance_id_, namespace_name_;  // what `request` was built for
    std::int64_t policy_id_ = 0, execution_id_ = 0;
};

/// IAM's POST /v3/auth/tokens at `iam` for a JSON body of `body_size` bytes (sent after the
/// head): Host, User-Agent, Accept, Content-Type, Content-Length, checked like every request's.
error_code build_iam_token_request(const endpoint& iam, std::string_view user_agent,
                                   std::size_t body_size, outgoing_request& out,
                                   std::string* message = nullptr);

/// Adds `X-Auth-Token`, or `X-Sdk-Date` (+ `X-Security-Token`) and the `Authorization` signature
/// over host, x-project-id, x-sdk-date and x-security-token. Signed anew on every call, so call
/// it right before each attempt.
error_code authorize(outgoing_request& req, const credentials& creds,
                     std::chrono::system_clock::time_point now, std::string* message = nullptr);

/// Refuses any header name or value with CR, LF or NUL (errc::invalid_header_value).
error_code check_header_values(const outgoing_request& req, std::string* message = nullptr);

/// The HTTP/1.1 request head, ready to write.
void serialize(const outgoing_request& req, std::string& out);

/// The request for a person (--dry-run, logs): token, signature and security token redacted.
std::string to_redacted_string(const outgoing_request& req, const endpoint& ep);

}  // namespace swr::detail
