import ArgumentParser
import Foundation
import Migration

/// `memconsole report PATH --format jsonl|csv [--output FILE]`: the row ledger.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the row ledger: one line per legacy row (status, ids, profile, times) and a totals line.",
        discussion: """
        Statuses: linked, duplicate (of duplicate_of), rejected (code, reason), failed (Mem0 refused it: code, \
        error), pending (not sent, or unconfirmed). They add up to the legacy row count, as in 'verify'. CSV starts \
        with a header line. Read from the migration journal; Mem0 is not called.
        """)

    @Argument(help: "The migrated SQLite database file.")
    var path: String

    @Option(help: "jsonl or csv.")
    var format: RowLedger.Format = .jsonl

    @Option(help: ArgumentHelp("Write to this file instead of stdout (replaced if it exists).", valueName: "file"))
    var output: String?

    func run() throws {
        let sink: FileHandle
        var temporary: URL?
        if let output {
            let target = URL(fileURLWithPath: output)
            // Written beside the target and moved into place, so a failed report never leaves half a ledger.
            let partial = target.deletingLastPathComponent()
                .appendingPathComponent(".\(target.lastPathComponent).partial-\(getpid())")
            guard FileManager.default.createFile(atPath: partial.path, contents: nil),
                  let handle = try? FileHandle(forWritingTo: partial) else {
                printError("cannot write \(output); check the folder exists and is writable.")
                throw ExitStatus.cannotCreate.exitCode
            }
            sink = handle; temporary = partial
        } else {
            sink = FileHandle.standardOutput
        }
        var buffer = Data()
        func emit(_ line: String) {
            buffer.append(contentsOf: Array((line + "\n").utf8))
            if buffer.count >= 1 << 16 { sink.write(buffer); buffer.removeAll(keepingCapacity: true) }
        }
        do {
            if let header = format.header { emit(header) }
            let totals = try reportingErrors { try RowLedger.read(file: URL(fileURLWithPath: path)) { emit(format.line(for: $0)) } }
            emit(format.line(for: totals))
            sink.write(buffer)
        } catch {
            if let temporary { try? FileManager.default.removeItem(at: temporary) }
            throw error
        }
        if let temporary, let output {
            try? sink.close()
            _ = try? FileManager.default.removeItem(atPath: output)
            try FileManager.default.moveItem(atPath: temporary.path, toPath: output)
        }
    }
}

extension RowLedger.Format: ExpressibleByArgument {}
