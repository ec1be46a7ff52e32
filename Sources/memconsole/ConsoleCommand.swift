import ArgumentParser
import ConsoleCore
import ConsoleTerminal
import Foundation
import Mem0Client
import Migration
import Storage

/// `memconsole console PATH` (and `memconsole PATH`): the interactive browser.
///
/// Every refusal happens before ncurses takes the terminal, so the operator reads it as one plain line on stderr
/// with an exit status from `ExitStatus`: 2 when stdin/stdout is not a terminal, 3 when the database has no tables
/// yet, the Storage codes (10–29) when the file is missing, not SQLite, damaged or not a chat-assistant database,
/// 78 for bad Mem0 options.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Browse a database interactively (users, sessions, messages, agent logs, memories, Mem0 diff).",
        usage: "memconsole [console] [<options>] [<path>]",
        discussion: """
            Opens the file read-only. Mem0 is optional: with MEM0_API_KEY (or --api-key-file) set, the diff screen \
            compares each memory with its Mem0 record fetched live; the key is never shown. \
            `memconsole PATH` is the short form of `memconsole console PATH`. \
            Exit status: 0 quit; 2 not a terminal; 3 nothing to browse; 10 to 29 the file (see docs/exit-codes.md); \
            78 bad Mem0 options.
            """)

    @Argument(help: ArgumentHelp("The SQLite database to browse (legacy, migrated or partly migrated).",
                                 valueName: "path"))
    var path: String?

    @OptionGroup(title: "Mem0 (optional: for the diff and the wizard)")
    var mem0: Mem0Options

    @Option(name: .customLong("user-id-source"),
            help: "For the migration wizard: Mem0 user id of each legacy user, id (users.id) or username.")
    var userIDSource: UserIDSource = .id

    @Option(name: .customLong("user-id-prefix"),
            help: ArgumentHelp("For the migration wizard: prepended to every Mem0 user id (as in migrate).",
                               valueName: "prefix"))
    var userIDPrefix = ""

    @Flag(help: "Scroll with the mouse wheel (takes over mouse selection in the terminal).")
    var mouse = false

    @Flag(name: .customLong("terminal-check"), help: "Show a screen that echoes decoded keys and sizes (no database).")
    var terminalCheck = false

    mutating func run() async throws {
        try await reportingErrors { try await launch() }
    }

    private func launch() async throws {
        let environment = ProcessInfo.processInfo.environment
        if terminalCheck {
            try ConsoleLauncher.requireTerminal()
            try await ConsoleLauncher.runOnUIThread(environment: environment, mouse: mouse) { terminal, trace in
                let size = terminal.size
                RunLoop(terminal: terminal, waker: terminal.waker, observer: trace) { _, _ in }
                    .run(TerminalCheckProgram(width: size.width, height: size.height))
            }
            return
        }
        guard let path else { throw CleanExit.helpRequest(MemConsole.self) }
        let database = try ConsoleLauncher.openForBrowsing(path: path)
        let client = try ConsoleLauncher.mem0Client(mem0, environment: environment)
        try ConsoleLauncher.requireTerminal()
        try await ConsoleLauncher.runBrowser(database: database, mem0: client,
                                             mapping: Mem0UserMapping(source: userIDSource, prefix: userIDPrefix),
                                             environment: environment, mouse: mouse)
    }
}
