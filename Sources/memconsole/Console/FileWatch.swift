import ConsoleCore
import Foundation
import Mem0Client
import Storage

/// Live refresh: polls the browsed file's `PRAGMA data_version` on the console's own read-only connection and tells
/// `LiveStatus` when another program (the chat app, a `memconsole migrate`, a repair) committed to it. Reading the
/// pragma takes no lock a writer waits for, in WAL or rollback mode.
///
/// Polling every 250 ms keeps a change on screen within half a second while costing a header read; there is no
/// cross-process notification SQLite offers instead.
final class FileWatch: @unchecked Sendable {
    private let database: AppDatabase
    private let status: LiveStatus
    private let interval: TimeInterval
    private let stopped = LockedValue(false)

    init(database: AppDatabase, status: LiveStatus, interval: TimeInterval = 0.25) {
        self.database = database; self.status = status; self.interval = interval
    }

    /// Starts polling on a thread of its own; `reply` is the run loop's inbox.
    func start(reply: @escaping @Sendable (ConsoleCore.Message) -> Void) {
        let thread = Thread { [self] in
            var seen: Int?
            while !stopped.withLock({ $0 }) {
                do {
                    let version = try database.dataVersion()
                    if seen == nil { status.watching(.live(lastChange: nil), reply: reply) }
                    if let seen, seen != version { status.rowsChanged(at: Date(), reply: reply) }
                    seen = version
                } catch {
                    status.watching(.unavailable(LiveEffects.describe(error)), reply: reply)
                    return
                }
                Thread.sleep(forTimeInterval: interval)
            }
        }
        thread.name = "memconsole.file-watch"
        thread.start()
    }

    func stop() { stopped.withLock { $0 = true } }
}
