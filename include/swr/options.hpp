#pragma once
// client_options: everything a client can be told, each field with its default. Durations are
// std::chrono types; a zero duration switches that bound off (and says so below).

#include <swr/credentials.hpp>
#include <swr/observability.hpp>
#include <swr/version.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

/// \cond INTERNAL
namespace boost::asio::ssl {
class context;
}
/// \endcond

namespace swr {

/// TLS. Peer verification is on unless switched off explicitly.
struct tls_options {
    bool verify_peer = true;       ///< Verify the certificate chain and the host name.
    bool use_system_trust = true;  ///< Trust the system's CA store (/etc/ssl/certs).
    std::string ca_file;           ///< Extra PEM file of trusted CAs (empty: none).
    std::string ca_dir;            ///< Extra hashed directory of trusted CAs (empty: none).
    std::string ca_pem;            ///< Extra trusted CAs as PEM text (empty: none).
    /// A context of your own, shared by every client given it (connections only create SSL
    /// objects from it). When set, the fields above must keep their defaults: trust and
    /// verification are the context's, including its minimum TLS version; each connection
    /// still installs its own host-name check as the verify callback (one set on the context
    /// is not used).
    /// Unset: clients whose tls fields are all defaults share one context, loaded once per
    /// process; any other setting gets a context of the client's own.
    std::shared_ptr<boost::asio::ssl::context> context;
    // TLS 1.2 is the minimum and SNI is sent for host names (never for IP literals): not options.
};

/// Timeouts. Each step is re-armed on its own, all under the call's overall deadline.
struct timeout_options {
    std::chrono::milliseconds connect{10'000};    ///< TCP connect (and proxy CONNECT). 0: no bound.
    std::chrono::milliseconds handshake{10'000};  ///< TLS handshake. 0: no bound.
    std::chrono::milliseconds request{
        30'000};  ///< One attempt: write the request, read the response. 0: none.
    std::chrono::milliseconds deadline{
        120'000};  ///< The whole call, retries and waits included. 0: none.
};

/// Response size limits.
struct limit_options {
    std::size_t max_header_bytes = 8 * 1024;       ///< Larger headers: errc::header_too_large.
    std::size_t max_body_bytes = 8 * 1024 * 1024;  ///< Larger bodies: errc::body_too_large.
};

/// The keep-alive connection pool (one endpoint per client).
struct pool_options {
    std::size_t max_connections = 16;  ///< Calls beyond this wait, in order, for a connection.
    std::chrono::milliseconds idle_timeout{
        50'000};  ///< An idle connection older than this is closed. 0: kept.
};

/// HTTP CONNECT proxy for https endpoints.
struct proxy_options {
    /// `http://[user:password@]host:port`; empty: none (unless from_env finds one). User info,
    /// percent-decoded, is sent only as the CONNECT's `Proxy-Authorization: Basic`; no message,
    /// log line or dry run shows it.
    std::string url;
    /// Comma-separated hosts or `.suffix`es reached directly, with `url` or a proxy from the
    /// environment alike; `*`: all.
    std::string no_proxy;
    /// Read HTTPS_PROXY/https_proxy when `url` is empty, and NO_PROXY/no_proxy when `no_proxy`
    /// is empty (which then applies to an explicit `url` too).
    bool from_env = true;
};

/// Retries of transient failures (the list call is an idempotent GET).
struct retry_options {
    unsigned max_attempts = 3;                  ///< Attempts in total; 1 switches retrying off.
    std::chrono::milliseconds base_delay{100};  ///< Full-jitter exponential backoff base.
    std::chrono::milliseconds throttled_base_delay{500};  ///< Base after a 429.
    std::chrono::milliseconds max_delay{20'000};          ///< Cap of one backoff.
    bool honor_retry_after = true;  ///< Wait what `Retry-After` says (capped below).
    std::chrono::milliseconds max_retry_after{60'000};  ///< Cap of a Retry-After wait.
    bool budget = true;                ///< Per-client token bucket limiting retries.
    unsigned budget_capacity = 500;    ///< Tokens in a full bucket.
    unsigned retry_cost = 5;           ///< Tokens a retry takes.
    unsigned timeout_retry_cost = 10;  ///< Tokens a retry after a timeout takes.
    unsigned success_refund = 1;       ///< Tokens a success gives back.
    /** Called once after a 401 with token credentials; returns the new token, or empty to give
        up. Runs on the client's strand; must not block for long. Empty: no refresh. */
    std::function<std::string()> refresh_token;
};

/// Client-side rate limiting of the requests sent to SWR: one limiter per client, shared by
/// every call, pager, list-all and watch of it. Every attempt, retries included, waits for a
/// send slot (IAM token requests are not counted), honouring cancellation and the call's
/// deadline: a call whose slot would come after its deadline fails at once, nothing sent. Off by
/// default: no ceiling and not adaptive.
struct rate_options {
    /// Most requests a second the client sends, spread evenly (after `burst`). 0: no ceiling.
    /// Several processes sharing one account's quota: the quota divided among them (see
    /// docs/concepts.md).
    double max_rps = 0;
    /// Adapt to the server's throttling (as the AWS SDKs' adaptive retry mode does). The rate
    /// starts unlimited (or at `max_rps`); a 429 cuts it to 70% of the rate measured (once for
    /// the requests sent under the old rate), then it grows back along a cubic curve while
    /// requests succeed, never above `max_rps` when set. A 429's `Retry-After` of 2 s or more
    /// (when retry.honor_retry_after; capped by retry.max_retry_after) holds every request of
    /// the client, not only the call that received it; one of 1 s, the least HTTP can say, only
    /// delays that call's retry (under a per-second quota it means milliseconds, and the cut
    /// rate paces the rest). Off: a 429 only makes its own call back off.
    bool adaptive = false;
    /// Requests that may go back to back after an idle spell; at least 1.
    unsigned burst = 1;
    /// The adaptive rate never goes below this (requests a second, above 0).
    double min_rps = 0.5;
};

/// Everything a client can be told; every field has a documented default.
struct client_options {
    /// `https://host[:port]`. Empty: derived from `region`.
    std::string endpoint;
    /// Region id (e.g. `cn-north-4`) used when `endpoint` is empty; see region.hpp.
    std::string region;
    /// Project id used when a request has none.
    std::string project_id;
    /// Token or AK/SK; default: none (no authentication headers).
    swr::credentials credentials;
    tls_options tls;           ///< Trust and verification.
    timeout_options timeouts;  ///< Per-step timeouts and the per-call deadline.
    limit_options limits;      ///< Response size limits.
    pool_options pool;         ///< Connection pool size and idle timeout.
    proxy_options proxy;       ///< HTTP CONNECT proxy.
    retry_options retry;       ///< Retry policy and budget.
    rate_options rate;         ///< Client-side rate limiting, fixed or adaptive (off).
    /// Sent as User-Agent.
    std::string user_agent = std::string("swr-sign-tasks/") + SWR_VERSION_STRING;
    /// Log sink and per-call metrics for the embedding service (off by default).
    observability_options observe;
    /// Allow `http://` endpoints (SWR and IAM) on hosts other than loopback. Plain HTTP sends
    /// tokens, signatures and the IAM password in clear text: off by default, and a warning is
    /// logged whenever a plain-HTTP connection is opened.
    bool allow_plain_http = false;
    /// The clock used to sign requests (X-Sdk-Date); tests pin it.
    std::function<std::chrono::system_clock::time_point()> clock;

    /// Credentials, project id (`HUAWEICLOUD_SDK_PROJECT_ID`) and region
    /// (`HUAWEICLOUD_SDK_REGION`) from the environment; everything else default.
    static client_options from_env();
};

}  // namespace swr
