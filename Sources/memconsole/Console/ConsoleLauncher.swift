import ArgumentParser
import ConsoleCore
import ConsoleTerminal
import Foundation
import Mem0Client
import Storage

/// The checks and wiring between `ConsoleCommand`'s options and a running `ConsoleLoop`.
enum ConsoleLauncher {
    /// Refuses before ncurses starts: `initscr` on a pipe either kills the process or spins.
    static func requireTerminal() throws {
        guard NcursesTerminal.standardStreamsAreTerminals else {
            throw ConsoleRefusal(TerminalError.notATerminal.operatorMessage, exitCode: 2)
        }
    }

    /// Opens the file read-only after `DatabaseInspector` says it is a chat-assistant database.
    static func openForBrowsing(path: String) throws -> BrowsedDatabase {
        let state: DatabaseState
        do { state = try DatabaseInspector.inspect(path: path) } catch {
            throw ConsoleRefusal(error.operatorMessage, exitCode: 3)
        }
        switch state {
        case .legacy, .migrated, .partlyMigrated: break
        case .emptyFile, .empty:
            throw ConsoleRefusal("\(path) is \(state.summary); there is nothing to browse yet.", exitCode: 3)
        case .notSQLite, .corrupt, .foreignSchema:
            throw ConsoleRefusal("\(path) is \(state.summary); memconsole console cannot browse it.", exitCode: 3)
        }
        do {
            return BrowsedDatabase(database: try AppDatabase.open(at: path, mode: .readOnly), state: state)
        } catch {
            throw ConsoleRefusal(error.operatorMessage, exitCode: 3)
        }
    }

    /// The Mem0 client, or nil when no key is configured (the diff screen then says Mem0 is not configured).
    static func mem0Client(url: String?, dialect: Mem0Dialect, environment: [String: String]) throws -> Mem0Client? {
        let urlText = url ?? environment["MEM0_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://api.mem0.ai"
        guard let rawKey = environment["MEM0_API_KEY"], !rawKey.isEmpty else { return nil }
        guard let key = APIKey(rawKey) else {
            throw ConsoleRefusal("MEM0_API_KEY is blank or contains control characters; set it to the key alone.",
                                 exitCode: 4)
        }
        guard let baseURL = URL(string: urlText), let scheme = baseURL.scheme, ["http", "https"].contains(scheme),
              baseURL.host != nil else {
            throw ConsoleRefusal("The Mem0 URL '\(urlText)' is not an http(s) URL; give one like http://127.0.0.1:8888.",
                                 exitCode: 4)
        }
        let configuration = Mem0Configuration(baseURL: baseURL, dialect: dialect, apiKey: key,
                                              connectTimeout: .seconds(3), requestTimeout: .seconds(10))
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
        if let failure { throw ConsoleRefusal(failure.operatorMessage, exitCode: 2) }
    }
}

/// The read-only database the console browses and the state the inspector found.
struct BrowsedDatabase: Sendable {
    var database: AppDatabase
    var state: DatabaseState
}

/// A refusal to start: one line on stderr and a documented exit code.
struct ConsoleRefusal: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32
    init(_ message: String, exitCode: Int32) { self.message = message; self.exitCode = exitCode }
    var description: String { message }
}

extension ConsoleLauncher {
    static func runBrowser(database: BrowsedDatabase, mem0: Mem0Client?, environment: [String: String],
                           mouse: Bool) async throws {
        throw ConsoleRefusal("the browsing screens are not wired yet (waiting for ConsoleCore's update/render).",
                             exitCode: 1)
    }
}
