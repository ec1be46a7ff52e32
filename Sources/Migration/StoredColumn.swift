import Foundation
import GRDB

/// One column of a row as SQLite stores it: its storage class and its value as text (a real in full precision, a
/// blob in hex), for a raw view where tags and dates must read exactly as written.
public struct StoredColumn: Sendable, Equatable {
    public var name: String
    /// `integer`, `real`, `text`, `blob` or `null`.
    public var storageClass: String
    public var value: String
}

extension StoredColumn {
    /// The tables a memory leads to: its metadata row and its legacy row (`memories`, or `memories_backup` after
    /// finalizing). Only these names reach the SQL.
    public static let memoryTables: Set<String> = ["memories_metadata", "memories", "memories_backup"]

    /// The row with `id` of one of `memoryTables`, each column as stored; nil when the table or the row is not there.
    public static func row(table: String, id: Int64, _ db: Database) throws -> [StoredColumn]? {
        guard memoryTables.contains(table), try db.tableExists(table),
              let row = try Row.fetchOne(db, sql: "SELECT * FROM \(table) WHERE id = ?", arguments: [id]) else { return nil }
        return row.columnNames.map { name in
            switch (row[name] as DatabaseValue).storage {
            case .null: return StoredColumn(name: name, storageClass: "null", value: "NULL")
            case .int64(let i): return StoredColumn(name: name, storageClass: "integer", value: String(i))
            case .double(let d): return StoredColumn(name: name, storageClass: "real", value: String(d))
            case .string(let s): return StoredColumn(name: name, storageClass: "text", value: s)
            case .blob(let b): return StoredColumn(name: name, storageClass: "blob", value: b.map { String(format: "%02x", $0) }.joined())
            }
        }
    }
}
