import ArgumentParser
import ConsoleCore
import Foundation
import Storage

/// `memconsole info`: what a file is and how many rows each table holds, without changing a byte of it.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a database's state (empty, legacy, migrated, ...) and the row count of every table.",
        discussion: "Opens the file read-only. Counts are exact (count(*)).")

    @Argument(help: ArgumentHelp("The database file (default: $MEMCONSOLE_DATABASE, else ./memconsole.db).",
                                 valueName: "path"))
    var path: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Flag(name: .long, help: "Also run PRAGMA quick_check (reads every page; slower on big files).")
    var check = false

    func run() throws {
        try reportingErrors {
            let path = DatabasePath.resolve(self.path)
            let inspection = try DatabaseInspector.inspection(path: path, countingRows: true, thorough: check)
            switch inspection.state {
            case .notSQLite: throw StorageError.notSQLite(path: path)
            case .corrupt(let detail): throw StorageError.corrupt(path: path, detail: detail)
            default: break
            }
            print(json ? InfoReport.json(inspection) : InfoReport.text(inspection))
            if case .foreignSchema = inspection.state {
                throw StorageError.foreignSchema(path: path, missingTables: inspection.missingCoreTables)
            }
        }
    }
}

/// The two forms of the info report.
enum InfoReport {
    static func text(_ inspection: DatabaseInspection) -> String {
        var lines = [
            inspection.path,
            "  state:   \(inspection.state.name) — \(inspection.state.summary)",
            "  size:    \(inspection.fileSize) bytes",
        ]
        if inspection.tables.isEmpty {
            lines.append("  tables:  none")
        } else {
            lines.append("  tables:")
            let width = inspection.tables.map(\.name.count).max() ?? 0
            for table in inspection.tables {
                let name = table.name.padding(toLength: width, withPad: " ", startingAt: 0)
                lines.append("    \(name)  \(table.rowCount.map { Format.count(Int($0)) } ?? "?") rows")
            }
        }
        if !inspection.indexes.isEmpty { lines.append("  indexes: \(inspection.indexes.joined(separator: ", "))") }
        return lines.joined(separator: "\n")
    }

    private struct JSONReport: Encodable {
        struct Table: Encodable { var name: String; var rows: Int64? }
        var path: String
        var state: String
        var summary: String
        var file_size: Int64
        var tables: [Table]
        var indexes: [String]
        var missing_core_tables: [String]
    }

    static func json(_ inspection: DatabaseInspection) -> String {
        let report = JSONReport(path: inspection.path, state: inspection.state.name, summary: inspection.state.summary,
                                file_size: inspection.fileSize,
                                tables: inspection.tables.map { .init(name: $0.name, rows: $0.rowCount) },
                                indexes: inspection.indexes, missing_core_tables: inspection.missingCoreTables)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(report)) ?? Data(), as: UTF8.self)
    }
}
