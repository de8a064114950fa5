#pragma once
// swr::emulator::server — the service over real HTTPS on loopback, for tests, the CLI and
// benchmarks. It runs on threads of its own; every public function is thread-safe.
//
//   swr::emulator::server emu{{}};            // 127.0.0.1, a free port, a fresh certificate
//   client_options o{.endpoint = emu.endpoint()};
//   o.tls.ca_pem = emu.ca_pem();

#include <swr/emulator/certificate.hpp>
#include <swr/emulator/data_set.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace swr::emulator {

/// An IAM user the emulator's /v3/auth/tokens accepts.
struct iam_user {
    std::string domain_name;  ///< Account (domain) name.
    std::string user_name;    ///< IAM user name.
    std::string password;     ///< Password the user authenticates with.
};

/// The service's own throttling, as its API gateway applies it: a token bucket per credential
/// (the AK, or the token), task-list requests beyond it answered 429 with error_code
/// `APIGW.0308` and a `Retry-After`.
struct throttle_options {
    double requests_per_second = 0;  ///< Task-list requests a second accepted. 0: no throttling.
    /// Requests accepted back to back after an idle spell; 0: a tenth of a second's worth, at
    /// least 1.
    unsigned burst = 0;
    /// Retry-After sent with each 429; empty: the whole seconds until the bucket has a token
    /// again (at least 1).
    std::string retry_after;
};

/// How the emulator listens, authenticates and what it serves.
struct server_options {
    std::string listen_address = "127.0.0.1";  ///< Address to listen on (loopback by default).
    std::uint16_t port = 0;                    ///< 0: a free port (see server::port()).
    bool tls = true;                           ///< false: plain HTTP.
    std::string cert_pem;  ///< Certificate chain (PEM). Empty: generated at start (`certificate`).
    std::string key_pem;   ///< Its private key (PEM). Empty: generated at start.
    certificate_options certificate;  ///< What to generate when no cert/key are given.
    std::string token;                ///< Accepted X-Auth-Token (empty: not accepted).
    std::string ak;                   ///< Accepted AK (empty: AK/SK not accepted).
    std::string sk;                   ///< Its SK.
    /// The data served. With no token, AK/SK or IAM user configured, every request is served
    /// without checking credentials.
    data_set_options data;
    std::chrono::milliseconds latency{0};     ///< Added before every response.
    unsigned threads = 1;                     ///< Threads serving connections.
    std::chrono::minutes max_clock_skew{15};  ///< X-Sdk-Date further off than this: 401.
    /// POST /v3/auth/tokens accepts these users and issues tokens that SWR calls then accept.
    std::vector<iam_user> iam_users;
    /// Lifetime of issued tokens (`token.expires_at`, at second precision). Negative: already
    /// expired when issued, as a broken IAM or a wrong clock would have it.
    std::chrono::milliseconds iam_token_ttl{24 * 3600 * 1000};
    /// false: tokens are issued without the X-Subject-Token header that carries them.
    bool iam_subject_token = true;
    /// Server-side rate limit of the task list (off by default).
    throttle_options throttle;
};

/// One scripted misbehaviour, applied to the next task-list request(s).
struct fault {
    /// The misbehaviour.
    enum class kind {
        status,                   ///< Reply `status` with an error body (+ Retry-After if set).
        latency,                  ///< Wait `delay`, then answer normally.
        no_response,              ///< Read the request, never answer (until the client gives up).
        headers_then_close,       ///< Send the status line and headers, then close.
        truncated_body,           ///< Send half the body announced by Content-Length, then close.
        reset_mid_body,           ///< Send part of the body, then reset the connection (RST).
        slow_body,                ///< Send the body one byte every `delay`.
        malformed_json,           ///< 200 with a body that is not JSON.
        wrong_types,              ///< 200 with `id` as a string.
        oversized_body,           ///< 200 with `size` bytes of body.
        chunked_1byte,            ///< The right body, chunked one byte per chunk.
        close_delimited,          ///< The right body, no length, ended by a clean close.
        close_delimited_unclean,  ///< Same, but TCP closes without a TLS close_notify.
        close_delimited_no_close_header,  ///< Same as close_delimited, without `Connection: close`.
        total_delta,                      ///< `total` reported as the real total + `delta`.
        empty_page,                       ///< 200 with no tasks and the real total.
        repeat_page,                      ///< Answer as if offset were 0.
        skip_page,                        ///< Answer the page after the one asked for.
        close_before_response,            ///< Read the request, close at once.
        extra_bytes_after,        ///< The right response, then a forged page-1 response at once.
        interim_1xx,              ///< `size` interim responses (103, 100...) before the answer;
                                  ///< `status` 101 sends a 101 instead.
        endless_header,           ///< A header line that never ends (`size` bytes, 64 MiB if 0).
        endless_chunk_extension,  ///< Chunked, a chunk extension that never ends (same bound).
        endless_trailer,          ///< Chunked, then trailer fields without end (same bound).
        total_value,              ///< The right tasks, `total` reported as `delta`.
        duplicate_ids,            ///< The right page with its last task's id set to the first's.
        short_page,               ///< The right page less its last task, `total` unchanged.
        unknown_status,           ///< The right page, every status "Quarantined" (unknown).
        drop_last_task,           ///< A consistent listing without the execution's last task.
    };
    kind what = kind::status;            ///< Which misbehaviour.
    unsigned status = 500;               ///< HTTP status for kind::status.
    std::string retry_after;             ///< Retry-After header value with `status`.
    std::chrono::milliseconds delay{0};  ///< Wait for kind::latency, interval for kind::slow_body.
    std::int64_t delta = 0;  ///< Added to `total` (total_delta); the `total` (total_value).
    std::size_t size = 0;  ///< Body size (oversized_body); count (interim_1xx); bytes (endless_*).
};

/// What the emulator has seen, for tests and benchmarks.
struct server_counters {
    std::uint64_t connections_accepted = 0;  ///< TCP connections accepted.
    std::uint64_t requests_served = 0;       ///< Every request answered (errors included).
    std::uint64_t task_requests = 0;         ///< Requests routed to the task list.
    std::uint64_t max_in_flight = 0;         ///< Most task requests being handled at once.
    std::uint64_t auth_failures = 0;         ///< Requests refused with 401.
    std::uint64_t iam_token_requests = 0;    ///< POST /v3/auth/tokens received.
    std::uint64_t throttled = 0;             ///< Task-list requests refused with 429 by `throttle`.
};

/// The service over real HTTPS (or HTTP) on loopback.
class server {
public:
    /// Starts listening and serving; throws on bind or certificate failure.
    explicit server(server_options opts);
    ~server();  ///< stop()
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// The port listened on.
    std::uint16_t port() const noexcept;
    /// `https://127.0.0.1:PORT` (or http://).
    std::string endpoint() const;
    /// The PEM that clients trust (the generated CA, or the given certificate).
    const std::string& ca_pem() const noexcept;
    /// Writes ca_pem() to `path`; throws std::runtime_error on failure.
    void write_ca(const std::string& path) const;

    /// Queues a fault for the next `count` task-list requests (after those already queued).
    void inject(const fault& f, unsigned count = 1);
    /// Drops every queued fault.
    void clear_faults();
    /// Requests to the task list for an execution id are answered for `at` of elapsed time
    /// instead of the real clock (so tests control the statuses). Negative: real clock.
    void set_elapsed_override(std::chrono::milliseconds at);

    /// Every IAM token issued so far stops being accepted (as a server-side revoke would).
    void revoke_iam_tokens();

    /// The counters so far.
    server_counters counters() const;
    /// Sets every counter back to zero.
    void reset_counters();

    /// Stops accepting, closes every connection gracefully, joins the threads. Idempotent.
    void stop();

    /// The data served.
    const data_set& data() const noexcept;

    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

}  // namespace swr::emulator
