import Foundation

/// Which of the two Mem0 HTTP APIs a server speaks.
public enum Mem0Dialect: String, Sendable, CaseIterable, Codable {
    /// Ask the server: Platform `GET /v1/ping/` first, then OSS `GET /configure/providers`.
    case auto
    /// The hosted Platform (`Authorization: Token`, `/v1/…` and `/v3/…` paths with trailing slashes).
    case platform
    /// The self-hosted OSS REST server (`X-API-Key`, `/memories…` paths without trailing slashes).
    case oss
}

/// How to reach one Mem0 server.
public struct Mem0Configuration: Sendable {
    /// Scheme, host, port and an optional path prefix, e.g. `https://api.mem0.ai` or `http://127.0.0.1:8888`.
    public var baseURL: URL
    public var dialect: Mem0Dialect
    /// nil: send no key (only for an OSS server run with AUTH_DISABLED; `memconsole --no-api-key`).
    public var apiKey: APIKey?
    /// Time allowed to open the TCP (and TLS) connection.
    public var connectTimeout: Duration
    /// Time allowed for one whole request, connection included.
    public var requestTimeout: Duration
    /// A PEM bundle of CA certificates to trust instead of the system store (a private or corporate CA).
    public var caFile: String?
    /// Requests in flight at once; each has its own worker thread and keep-alive connection.
    public var maxConcurrentRequests: Int
    /// Backoff for idempotent requests (`add` never retries itself; the caller uses `retryPolicy.delay`).
    public var retryPolicy: Mem0RetryPolicy

    public init(baseURL: URL, dialect: Mem0Dialect = .auto, apiKey: APIKey?,
                connectTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(30),
                caFile: String? = nil, maxConcurrentRequests: Int = 8, retryPolicy: Mem0RetryPolicy = .standard) {
        self.baseURL = baseURL
        self.dialect = dialect
        self.apiKey = apiKey
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.caFile = caFile
        self.maxConcurrentRequests = max(1, min(maxConcurrentRequests, 64))
        self.retryPolicy = retryPolicy
    }

    /// `host:port` for messages: never the path or query, never credentials.
    public var endpointDescription: String {
        let host = baseURL.host ?? "?"
        let port = baseURL.port.map { ":\($0)" } ?? ""
        return "\(host)\(port)"
    }
}
