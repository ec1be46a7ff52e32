import Foundation
import Migration

/// What the status line says about the file and Mem0. The API key is deliberately not a field: it cannot be shown.
public struct StatusInfo: Equatable, Sendable {
    public enum FileState: String, Equatable, Sendable {
        case legacy, migrated, partlyMigrated = "partly migrated", empty, unknown
    }
    public var filePath: String
    public var fileState: FileState
    public var mem0Endpoint: String?
    public var mem0Dialect: String?
    public var isReadOnly: Bool
    /// Whether this console sees what other programs write to the file (`PRAGMA data_version`, polled).
    public var liveRefresh: LiveRefresh

    public init(filePath: String, fileState: FileState, mem0Endpoint: String?, mem0Dialect: String?, isReadOnly: Bool = true,
                liveRefresh: LiveRefresh = .notWatched) {
        self.filePath = filePath; self.fileState = fileState; self.mem0Endpoint = mem0Endpoint
        self.mem0Dialect = mem0Dialect; self.isReadOnly = isReadOnly; self.liveRefresh = liveRefresh
    }
}

/// Whether the lists follow the file as other programs write it.
public enum LiveRefresh: Equatable, Sendable {
    /// Nothing watches the file (a console driven by tests): the status line says nothing about it.
    case notWatched
    /// The file is watched; `lastChange` is when another program last committed to it (nil: not since launch).
    case live(lastChange: Date?)
    /// The file cannot be watched (the reason): lists change only on `r`, and the status line says so.
    case unavailable(String)

    var lastChange: Date? { if case .live(let date) = self { return date }; return nil }
}

/// Which memory a diff is about. `mem0ID` is nil before migration (the root then looks it up by legacy id).
public struct MemoryRef: Equatable, Hashable, Sendable {
    public var legacyID: Int64
    public var mem0ID: String?
    public init(legacyID: Int64, mem0ID: String?) { self.legacyID = legacyID; self.mem0ID = mem0ID }
}

/// The whole console state: a value. `update` is its only writer.
public struct AppState: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var status: StatusInfo
    /// The navigation stack; the last screen is shown. `q`/Esc pops; `q` on the root quits.
    public var stack: [Screen]
    /// Ticks received (about ten a second): the spinner's frame. Time enters only through `Message.tick`.
    public var tick = 0
    public var showsHelp = false
    /// The `/` prompt while it is open.
    public var prompt: String?
    /// A one-line notice or error for the message line; cleared by the next key.
    public var notice: Notice?
    public var hasQuit = false
    /// A first Ctrl-C during a wizard run asked for confirmation; the next Ctrl-C cancels the run.
    public var interruptArmed = false

    public struct Notice: Equatable, Sendable {
        public var text: String
        public var isError: Bool
        public init(_ text: String, isError: Bool) { self.text = text; self.isError = isError }
    }

    public init(width: Int, height: Int, status: StatusInfo) {
        self.width = width; self.height = height; self.status = status
        stack = [Screen(UsersScreen())]
    }

    public var screen: Screen {
        get { stack[stack.count - 1] }
        set { stack[stack.count - 1] = newValue }
    }

    /// Rows of the body between the two top lines and the two bottom lines.
    public var bodyHeight: Int { max(1, height - 4) }

    /// Something is in flight: the spinner turns.
    public var isBusy: Bool { screen.isBusy }

    /// The list on show waits for a page it asked for; the run loop holds later keys until it arrives.
    public var awaitsPage: Bool { screen.awaitsPage }
}

/// The state and first effects of a new console: load the first page of users.
public enum Console {
    public static func launch(width: Int, height: Int, status: StatusInfo) -> (AppState, [Effect]) {
        var state = AppState(width: width, height: height, status: status)
        let effects = update(&state, .refresh)
        return (state, effects)
    }
}
