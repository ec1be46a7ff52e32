import Foundation

/// A value guarded by a lock, for the few pieces of shared mutable state (resolved dialect, test counters).
/// `Synchronization.Mutex` would do, but it needs macOS 15 and the package supports macOS 14.
public final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
