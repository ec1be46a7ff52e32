/// A Mem0 API key that cannot leak by accident.
///
/// `description`, `debugDescription`, `dump()` and string interpolation all print `***`, so a key that ends up in an
/// error, a log line or a test failure message shows nothing. The secret is only reachable inside this module, where
/// it is written into an HTTP header and nowhere else (never a URL, never a log).
public struct APIKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let secret: String

    /// Returns nil for an empty key or one containing control characters (a newline would split the HTTP header).
    public init?(_ secret: String) {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return nil }
        self.secret = trimmed
    }

    public var description: String { "***" }
    public var debugDescription: String { "***" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

import Foundation
