import ArgumentParser
import ConsoleCore
import ConsoleTerminal
import Foundation
import Mem0Client
import Migration
import Storage

/// The checks and wiring between `ConsoleCommand`'s options and ConsoleCore's `RunLoop` on the ncurses terminal.
enum ConsoleLauncher {
    /// Refuses before ncurses starts: `initscr` on a pipe either kills the process or spins.
    static func requireTerminal() throws {
        guard NcursesTerminal.standardStreamsAreTerminals else {
            throw ConsoleRefusal(TerminalError.notATerminal.operatorMessage, status: .notATerminal)
        }
    }

    /// Opens the file read-only after `DatabaseInspector` says it is a chat-assistant database.
    static func openForBrowsing(path: String) throws -> BrowsedDatabase {
        let state = try DatabaseInspector.inspect(path: path)
        switch state {
        case .legacy, .migrated, .partlyMigrated: break
        case .emptyFile, .empty:
            throw ConsoleRefusal("\(path) is \(state.summary); there is nothing to browse yet.", status: .nothingToBrowse)
        case .notSQLite:
            throw ConsoleRefusal("\(path) is not an SQLite database; check the path.", status: .notSQLite)
        case .corrupt:
            throw ConsoleRefusal("\(path) is \(state.summary); restore it from a backup.", status: .corrupt)
        case .foreignSchema:
            throw ConsoleRefusal("\(path) is \(state.summary); memconsole browses chat-assistant databases only.",
                                 status: .foreignSchema)
        }
        return BrowsedDatabase(database: try AppDatabase.open(at: path, mode: .readOnly), state: state)
    }

    /// The Mem0 client, or nil when no key is given (the diff screen and wizard then say Mem0 is not configured).
    ///
    /// The console caps a request at 10 s: a dead or slow server turns into an error on screen, not a long spinner.
    static func mem0Client(_ options: Mem0Options, environment: [String: String]) throws -> Mem0Client? {
        var configuration: Mem0Configuration
        do {
            configuration = try options.configuration(environment: environment)
        } catch Mem0OptionsError.missingKey {
            return nil
        } catch let error as Mem0OptionsError {
            throw ConsoleRefusal(error.operatorMessage, status: .configuration)
        }
        configuration.requestTimeout = min(configuration.requestTimeout, .seconds(10))
        configuration.connectTimeout = min(configuration.connectTimeout, .seconds(3))
        return Mem0Client(configuration: configuration)
    }

    /// Runs `body` on a dedicated thread (the blocking input loop must not sit on Swift concurrency's small pool).
    static func runOnUIThread(environment: [String: String], mouse: Bool,
                              _ body: @escaping @Sendable (NcursesTerminal, FrameTrace) -> Void) async throws {
        let failure: TerminalError? = await withCheckedContinuation { continuation in
            let thread = Thread {
                let terminal: NcursesTerminal
                do {
                    terminal = try NcursesTerminal(enableMouseWheel: mouse, environment: environment)
                } catch {
                    continuation.resume(returning: error as? TerminalError ?? .notATerminal)
                    return
                }
                body(terminal, FrameTrace(environment: environment))
                terminal.restore()
                continuation.resume(returning: nil)
            }
            thread.name = "memconsole.ui"
            thread.stackSize = 8 << 20
            thread.start()
        }
        if let failure { throw ConsoleRefusal(failure.operatorMessage, status: .notATerminal) }
    }
}

/// The read-only database the console browses and the state the inspector found.
struct BrowsedDatabase: Sendable {
    var database: AppDatabase
    var state: DatabaseState
}

/// A refusal to start: one line on stderr and its exit status.
struct ConsoleRefusal: CLIReportable {
    var cliMessage: String
    var exitStatus: ExitStatus
    init(_ message: String, status: ExitStatus) { cliMessage = message; exitStatus = status }
}

extension ConsoleLauncher {
    /// The browsing console: the core's screens over the read-only file, effects run by `LiveEffects`.
    static func runBrowser(database: BrowsedDatabase, mem0: Mem0Client?, mapping: Mem0UserMapping,
                           environment: [String: String], mouse: Bool) async throws {
        let status = LiveStatus(path: database.database.path, state: database.state, mem0: mem0)
        let effects = LiveEffects(browsed: database, mem0: mem0, status: status, mapping: mapping)
        let watch = FileWatch(database: database.database, status: status)
        defer { watch.stop() }
        try await runOnUIThread(environment: environment, mouse: mouse) { terminal, trace in
            let loop = RunLoop(terminal: terminal, waker: terminal.waker, observer: trace, handler: effects.handle)
            watch.start(reply: loop.inbox.send)
            loop.run(status: status.current)
        }
    }
}
