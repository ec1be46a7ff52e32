import Foundation

/// When and how long to wait before sending a failed request again.
///
/// Exponential backoff with full jitter (a uniform wait in `0 ... min(maxDelay, baseDelay · 2^(attempt-1))`), except
/// when the server said how long to wait (`Retry-After`): then exactly that, capped at `maxRetryAfter`. The client
/// applies it automatically only to idempotent requests (ping, get, list, lookup, delete). `add` is never resent by
/// the client; the migration engine reconciles first and then asks `delay(for:attempt:)` itself.
public struct Mem0RetryPolicy: Sendable, Equatable {
    /// Retries after the first try (so `maxRetries + 1` requests at most).
    public var maxRetries: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// A longer `Retry-After` is cut to this, so one odd header cannot stall a run for hours.
    public var maxRetryAfter: Duration

    public init(maxRetries: Int, baseDelay: Duration, maxDelay: Duration, maxRetryAfter: Duration = .seconds(120)) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    public static let standard = Mem0RetryPolicy(maxRetries: 5, baseDelay: .milliseconds(250), maxDelay: .seconds(15))
    public static let none = Mem0RetryPolicy(maxRetries: 0, baseDelay: .zero, maxDelay: .zero)

    /// The wait before retry number `attempt` (1 for the first retry), or nil when the error is not transient or
    /// the retries are used up.
    public func delay(for error: Mem0Error, attempt: Int) -> Duration? {
        var generator = SystemRandomNumberGenerator()
        return delay(for: error, attempt: attempt, using: &generator)
    }

    public func delay<Generator: RandomNumberGenerator>(for error: Mem0Error, attempt: Int,
                                                        using generator: inout Generator) -> Duration? {
        guard error.isTransient, attempt >= 1, attempt <= maxRetries else { return nil }
        if case .rateLimited(let retryAfter?) = error {
            return min(max(retryAfter, .zero), maxRetryAfter)
        }
        return backoffCeiling(attempt: attempt) * Double.random(in: 0...1, using: &generator)
    }

    /// The largest wait full jitter may choose for `attempt`: `min(maxDelay, baseDelay · 2^(attempt-1))`.
    public func backoffCeiling(attempt: Int) -> Duration {
        let exponent = Double(min(max(attempt - 1, 0), 30))
        let ceiling = baseDelay * pow(2.0, exponent)
        return min(ceiling, maxDelay)
    }
}

/// Reads an HTTP `Retry-After` value: delay-seconds (`120`, also a decimal) or an HTTP date (RFC 9110 IMF-fixdate,
/// with the obsolete RFC 850 and asctime forms as well). A date in the past means "now" (zero).
public enum RetryAfter {
    public static func parse(_ value: String, now: Date = Date()) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds.isFinite, seconds >= 0 {
            return .milliseconds(Int64((seconds * 1000).rounded()))
        }
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                let interval = max(0, date.timeIntervalSince(now))
                return .milliseconds(Int64((interval * 1000).rounded()))
            }
        }
        return nil
    }
}
