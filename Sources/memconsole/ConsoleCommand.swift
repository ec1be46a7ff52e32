import ArgumentParser
import ConsoleCore
import ConsoleTerminal
import Foundation
import Mem0Client
import Storage

/// `memconsole console PATH` (and `memconsole PATH`): the interactive browser.
///
/// Every refusal happens before ncurses takes the terminal, so the operator reads it as one plain line:
/// exit 2 when stdin/stdout is not a terminal, exit 3 when the file cannot be browsed (missing, not SQLite, damaged,
/// not a chat-assistant database, locked), exit 4 when the Mem0 options are invalid.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Browse a database interactively (users, sessions, messages, agent logs, memories, Mem0 diff).",
        discussion: """
            Opens the file read-only. Mem0 is optional: give --mem0-url (or MEM0_URL) and MEM0_API_KEY in the \
            environment to compare memories with their Mem0 records; the key is never shown.
            Exit codes: 0 quit normally; 2 not a terminal; 3 the file cannot be browsed; 4 bad Mem0 options.
            `memconsole PATH` is the short form of `memconsole console PATH`.
            """)

    @Argument(help: "The SQLite database to browse (legacy, migrated or partly migrated).")
    var path: String?

    @Option(name: .customLong("mem0-url"), help: "Mem0 base URL (default: $MEM0_URL; the Platform if only MEM0_API_KEY is set).")
    var mem0URL: String?

    @Option(help: "Mem0 API dialect: auto, platform or oss.")
    var dialect: Mem0Dialect = .auto

    @Flag(help: "Scroll with the mouse wheel (takes over mouse selection in the terminal).")
    var mouse = false

    @Flag(name: .customLong("terminal-check"), help: "Show a screen that echoes decoded keys and sizes (no database).")
    var terminalCheck = false

    mutating func run() async throws {
        do {
            try await launch()
        } catch let refusal as ConsoleRefusal {
            FileHandle.standardError.write(Data("memconsole console: \(refusal.message)\n".utf8))
            throw ExitCode(refusal.exitCode)
        }
    }

    private func launch() async throws {
        let environment = ProcessInfo.processInfo.environment
        if terminalCheck {
            try ConsoleLauncher.requireTerminal()
            try await ConsoleLauncher.runOnUIThread(environment: environment, mouse: mouse) { terminal, trace in
                ConsoleLoop(program: TerminalCheckProgram(), runner: NoEffects<Never, TerminalCheckProgram.Effect>(),
                            terminal: terminal, trace: trace).run()
            }
            return
        }
        guard let path else { throw CleanExit.helpRequest(MemConsole.self) }
        let database = try ConsoleLauncher.openForBrowsing(path: path)
        let mem0 = try ConsoleLauncher.mem0Client(url: mem0URL, dialect: dialect, environment: environment)
        try ConsoleLauncher.requireTerminal()
        try await ConsoleLauncher.runBrowser(database: database, mem0: mem0, environment: environment, mouse: mouse)
    }
}

extension Mem0Dialect: ExpressibleByArgument {}
