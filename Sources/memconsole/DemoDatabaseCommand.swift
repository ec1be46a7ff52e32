import ArgumentParser
import Foundation
import Mem0Client
import Storage

/// `memconsole demo-db`: a deterministic legacy database with every quirk of real phase-1 files.
struct DemoDatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-db",
        abstract: "Write a deterministic legacy (pre-Mem0) database full of real-world mess, for demos and tests.",
        discussion: """
            The same options always give the same rows. The file carries JSON/comma/NULL/'' tags and odd tags, \
            empty, whitespace-only and 40 KB content, CJK/emoji/RTL/combining text, SQL-looking text, all three \
            date formats, orphan rows and duplicate memories (see docs/database_schema.md).
            """)

    @Argument(help: ArgumentHelp("Where to write the database.", valueName: "path"))
    var path: String

    @Option(name: .long, help: "Number of users.")
    var users = 50

    @Option(name: .long, help: "Number of legacy memories.")
    var memories = 2_000

    @Option(name: .long, help: "Number of chat messages (sessions hold about 40 each).")
    var messages = 20_000

    @Option(name: .long, help: "Seed of the generator: the same seed writes the same data.")
    var seed: UInt64 = 1

    @Flag(name: .long, help: "Replace the file if it exists.")
    var force = false

    func validate() throws {
        guard users >= 1 else { throw ValidationError("--users must be at least 1.") }
        guard memories >= 0, messages >= 0 else { throw ValidationError("--memories and --messages must be 0 or more.") }
    }

    func run() throws {
        try reportingErrors {
            let options = DemoDatabaseGenerator.Options(users: users, memories: memories, messages: messages, seed: seed)
            let clock = ContinuousClock()
            var summary = DemoDatabaseGenerator.Summary()
            let elapsed = try clock.measure {
                summary = try DemoDatabaseGenerator.write(to: path, options: options, overwrite: force)
            }
            let seconds = elapsed.inSeconds
            print("Wrote the legacy demo database \(path) in \(String(format: "%.2f", seconds)) s (seed \(seed)):")
            print("  \(summary.users) users, \(summary.profiles) profiles, \(summary.memories) memories, "
                  + "\(summary.sessions) sessions, \(summary.messages) messages, \(summary.agentLogs) agent logs")
            print("Next: memconsole info \(path)   or   memconsole migrate \(path) --dry-run")
        }
    }
}
