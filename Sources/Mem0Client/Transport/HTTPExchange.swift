import Foundation

/// One HTTP request as the transport sends it. Headers may hold the API key, so this type is never logged whole.
struct HTTPRequest: Sendable {
    enum Method: String, Sendable { case get = "GET", post = "POST", put = "PUT", delete = "DELETE" }

    var method: Method
    var url: URL
    var headers: [(name: String, value: String)]
    var body: Data?
    var connectTimeout: Duration
    var totalTimeout: Duration
    var caFile: String?

    /// Method and path only: safe for logs (the key is never in a URL, but query strings are left out anyway).
    var summary: String {
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? url.path
        return "\(method.rawValue) \(path)"
    }
}

struct HTTPResponse: Sendable {
    var status: Int
    /// Header names lower-cased; the last value wins.
    var headers: [String: String]
    var body: Data
    /// Time libcurl spent on the whole transfer.
    var elapsed: Duration
    /// libcurl opened a new connection although this worker held a kept-alive one: either that connection had been
    /// closed while idle, or it died under this request and libcurl re-sent the request on a new one, which it does
    /// silently even for a POST. The two cannot be told apart from here, so a non-idempotent caller treats the
    /// request as possibly applied twice.
    var mayHaveBeenSentTwice = false
}

/// Why a transfer produced no HTTP response.
enum TransportFailure: Error, Sendable, Equatable {
    case timedOut
    /// Nothing was sent: refused, unresolvable, TLS handshake failure.
    case couldNotConnect(detail: String)
    /// Sent, but the connection broke before a full response.
    case connectionLost(detail: String)
    case cancelled
    /// Any other libcurl failure (bad URL, unsupported option).
    case other(detail: String)
}
