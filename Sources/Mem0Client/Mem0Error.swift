import Foundation

/// Everything that can go wrong talking to Mem0, as the operator needs to hear it.
///
/// No case carries the API key or a request header; messages quoted from the server are cut to 300 characters.
public enum Mem0Error: Error, Sendable, Equatable {
    /// The server rejected the key (HTTP 401, or 403 on the Platform).
    case unauthorized
    /// HTTP 429. `retryAfter` is the server's `Retry-After` (seconds or an HTTP date), when it sent one.
    case rateLimited(retryAfter: Duration?)
    /// Any other non-success status, with the message parsed from `detail | error | message | details.message`
    /// and the OSS 502 `code` when present.
    case server(status: Int, code: String?, message: String?)
    /// No complete answer within the configured timeout (connect or total). An `add` may or may not have landed.
    case timeout
    /// Nothing could be sent: connection refused, host not found, TLS setup failed.
    case unreachable(host: String)
    /// The connection broke after the request was sent and before a full answer came: an `add` may or may not have
    /// landed, so reconcile by metadata before sending it again.
    case connectionLost(host: String)
    /// A success status with a body that is not what the API documents, or a server of neither dialect.
    case badResponse(reason: String)

    /// Whether the same request may be sent again after a pause (for idempotent requests; `add` never retries itself).
    public var isTransient: Bool {
        switch self {
        case .rateLimited, .timeout, .unreachable, .connectionLost: return true
        case .server(let status, let code, _):
            if [502, 503, 504].contains(status) {
                // An OSS 502 is retryable only for a passing provider/datastore problem (/work/shared/spec/mem0-api.md §B.13).
                guard let code else { return true }
                return Mem0Error.transientUpstreamCodes.contains(code)
            }
            return false
        case .unauthorized, .badResponse: return false
        }
    }

    /// Whether a failed `add` might still have created the memory (so the caller must look it up before resending).
    public var addMayHaveLanded: Bool {
        switch self {
        case .timeout, .connectionLost: return true
        case .server(let status, _, _): return status >= 500
        case .unauthorized, .rateLimited, .unreachable, .badResponse: return false
        }
    }

    static let transientUpstreamCodes: Set<String> = [
        "provider_rate_limited", "provider_timeout", "provider_unavailable", "datastore_unavailable",
        "vector_store_unavailable",
    ]

    /// One line: what happened and what to do next.
    public var operatorMessage: String {
        switch self {
        case .unauthorized:
            return "Mem0 rejected the API key. Check MEM0_API_KEY (or --api-key-file) holds the key for this server."
        case .rateLimited(let retryAfter):
            let wait = retryAfter.map { "; it asked to wait \(Mem0Error.seconds($0))" } ?? ""
            return "Mem0 is rate-limiting requests\(wait). Wait, or lower the concurrency, then resume."
        case .server(let status, let code, let message):
            let detail = [code, message].compactMap { $0 }.joined(separator: ": ")
            let said = detail.isEmpty ? "" : " (\(detail))"
            if status >= 500 {
                return "Mem0 answered HTTP \(status)\(said). The server is failing; retry later or check its logs."
            }
            if status == 403 {
                return "Mem0 refused this key permission (HTTP 403\(said)). Check the key's project, role or plan."
            }
            if status == 413 {
                return "Mem0 refused the request as too large or over the account's quota (HTTP 413\(said)). Raise the quota, then retry."
            }
            return "Mem0 refused the request with HTTP \(status)\(said). Check the input it names, then retry."
        case .timeout:
            return "Mem0 did not answer in time. Check the server is healthy, or raise --timeout, then retry."
        case .unreachable(let host):
            return "Cannot reach Mem0 at \(host). Check --mem0-url / MEM0_URL and that the server is running."
        case .connectionLost(let host):
            return "The connection to Mem0 at \(host) broke mid-request. Retry; a migration reconciles before resending."
        case .badResponse(let reason):
            return "Mem0 sent an answer memconsole cannot read (\(reason)). Check --mem0-url and --dialect point at a Mem0 server."
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let value = duration.inSeconds
        return value.rounded() == value ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}

extension Mem0Error: LocalizedError {
    public var errorDescription: String? { operatorMessage }
}
