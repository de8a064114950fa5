#pragma once
// JSON of the API: a page decoded straight from the body bytes (no DOM), error bodies in the three
// shapes the official SDKs accept, and pages encoded with the API's exact field names.

#include <swr/error.hpp>
#include <swr/model.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace swr {

/// Bounds on what the decoder accepts.
struct decode_limits {
    std::size_t max_bytes = 8 * 1024 * 1024;  ///< Larger bodies are refused before parsing.
    std::size_t max_depth = 32;               ///< Deeper nesting is an error.
    std::size_t max_tasks = 100000;           ///< More tasks on one page is an error.
};

/// Decodes a 200 body into `out`, replacing what it held. A fresh page takes two allocations (its
/// tasks and one block for all strings longer than text::inline_capacity); decoding into a page
/// again reuses its tasks and, when no copy of its texts lives elsewhere, its block (a page of
/// the same shape then decodes without allocating). `total`,
/// `tasks` and each task's `id` are required and never null; a key given twice is an error (JSON
/// readers disagree on it). Other fields are optional: missing or null ones stay empty; unknown
/// fields are ignored. On failure returns errc::decode_failed, `out` holds no partial page and
/// `message` (when given) names the JSON path and the rule, e.g. `tasks[3].id: expected integer`.
error_code decode_page(std::string_view body, page& out, std::string* message = nullptr,
                       const decode_limits& limits = {});

/// The service's error fields, from whichever shape the body has.
struct service_error_body {
    std::string error_code;                     ///< `error_code` or `code`.
    std::string error_msg;                      ///< `error_msg` or `message`, else the raw body.
    std::string encoded_authorization_message;  ///< Encrypted reason of a 403.
};

/// Decodes `{"error_code","error_msg","encoded_authorization_message"}`, `{"code","message"}` or
/// `{"error":{"code","message"}}`; anything else becomes the message as raw text (control
/// characters replaced, at most 1 KiB). Never fails.
service_error_body decode_error_body(std::string_view body);

/// Appends one task as a JSON object with the API's field names.
void encode_task(const task& t, std::string& out);

/// `{"total":N,"tasks":[...]}`.
std::string encode_page(const page& p);

/// Appends `s` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view s);

}  // namespace swr
