import ConsoleCore
import Foundation
import Mem0Client
import Storage

/// The status line's facts as they change while the console runs: the file's state after a migration finalizes,
/// the dialect Mem0 turned out to speak, and whether the wizard is writing the file right now.
///
/// Effects run on several threads, so the current facts sit behind a lock; each change is posted to the core as one
/// `statusChanged` (the core reloads its lists when the file's state changed).
final class LiveStatus: @unchecked Sendable {
    private let lock = NSLock()
    private var info: StatusInfo
    private let path: String
    /// Shared by every read of the browsed file, so a schema changed by the wizard's run is seen by all of them.
    let schema = SchemaWatch()

    init(path: String, state: DatabaseState, mem0: Mem0Client?) {
        self.path = path
        info = StatusBuilder.status(path: path, state: state, mem0: mem0)
    }

    var current: StatusInfo { lock.withLock { info } }

    /// The dialect Mem0 answered with (the configured `auto` until then).
    func dialectDetected(_ dialect: Mem0Dialect, reply: @Sendable (ConsoleCore.Message) -> Void) {
        change(reply) { $0.mem0Dialect = dialect.rawValue }
    }

    /// The wizard's run began (`writing`) or its event stream ended.
    func writing(_ writing: Bool, reply: @Sendable (ConsoleCore.Message) -> Void) {
        change(reply) { $0.isReadOnly = !writing }
    }

    /// Inspects the file again (after a run finalized or stopped) and reports its new state.
    func reinspectFile(reply: @Sendable (ConsoleCore.Message) -> Void) {
        guard let state = try? DatabaseInspector.inspect(path: path) else { return }
        change(reply) { $0.fileState = StatusBuilder.fileState(state) }
    }

    /// Another program committed to the file at `date` (the live refresh saw `PRAGMA data_version` move).
    func rowsChanged(at date: Date, reply: @Sendable (ConsoleCore.Message) -> Void) {
        change(reply) { $0.liveRefresh = .live(lastChange: date) }
    }

    /// Whether the file is watched: `live` from the first successful read, or why it cannot be.
    func watching(_ refresh: LiveRefresh, reply: @Sendable (ConsoleCore.Message) -> Void) {
        change(reply) { $0.liveRefresh = refresh }
    }

    /// The file's state now, for the wizard's preflight (the state at launch is stale once a run has finalized).
    func inspectFile() throws -> DatabaseState { try DatabaseInspector.inspect(path: path) }

    private func change(_ reply: @Sendable (ConsoleCore.Message) -> Void, _ edit: (inout StatusInfo) -> Void) {
        let changed: StatusInfo? = lock.withLock {
            var next = info
            edit(&next)
            guard next != info else { return nil }
            info = next
            return next
        }
        if let changed { reply(.statusChanged(changed)) }
    }
}
