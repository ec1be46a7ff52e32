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
        if let output {
            do {
                try RowLedger.write(file: URL(fileURLWithPath: path), format: format, to: URL(fileURLWithPath: output))
            } catch let error as RowLedger.LedgerFileError {
                printError(error.operatorMessage)
                throw ExitStatus.cannotCreate.exitCode
            } catch {
                throw memconsole.exitCode(for: error)
            }
            return
        }
        var buffer = Data()
        func emit(_ line: String) {
            buffer.append(contentsOf: Array((line + "\n").utf8))
            if buffer.count >= 1 << 16 { FileHandle.standardOutput.write(buffer); buffer.removeAll(keepingCapacity: true) }
        }
        if let header = format.header { emit(header) }
        let totals = try reportingErrors { try RowLedger.read(file: URL(fileURLWithPath: path)) { emit(format.line(for: $0)) } }
        emit(format.line(for: totals))
        FileHandle.standardOutput.write(buffer)
    }
}

extension RowLedger.Format: ExpressibleByArgument {}
