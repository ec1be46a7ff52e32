import Foundation
import GRDB

/// The repair journal: one row per repair run and one per change it made, with the changed row (or Mem0 metadata
/// keys) before and after, so `repair --undo RUN` can put every change back.
///
/// Created on demand by the first applied repair (`CREATE TABLE IF NOT EXISTS`), never by `init` or `migrate`: a file
/// that was never repaired carries no such table. `DatabaseInspector` looks only at the app's tables and the migration's
/// runs, so these tables leave a file's detected state unchanged (docs/database_schema.md, docs/drift-audit.md).
public enum RepairJournal {
    public static let runsTable = "memconsole_repair_runs"
    public static let changesTable = "memconsole_repair_journal"

    static let createSQL = """
    CREATE TABLE IF NOT EXISTS memconsole_repair_runs (
        id                 TEXT PRIMARY KEY,
        started_at         TEXT NOT NULL,
        options            TEXT NOT NULL,
        metadata_sequence  INTEGER,
        undone_at          TEXT
    );
    CREATE TABLE IF NOT EXISTS memconsole_repair_journal (
        seq             INTEGER PRIMARY KEY,
        run_id          TEXT NOT NULL REFERENCES memconsole_repair_runs(id),
        action          TEXT NOT NULL,
        metadata_id     INTEGER,
        mem0_memory_id  TEXT,
        before_json     TEXT,
        after_json      TEXT,
        applied_at      TEXT NOT NULL,
        undone_at       TEXT
    );
    """

    static func create(_ db: Database) throws { try db.execute(sql: createSQL) }

    static func exists(_ db: Database) throws -> Bool {
        try db.tableExists(runsTable) && db.tableExists(changesTable)
    }

    /// `memories_metadata`'s AUTOINCREMENT counter, so an undo can put it back along with the rows.
    static func metadataSequence(_ db: Database) throws -> Int64? {
        guard try db.tableExists("sqlite_sequence") else { return nil }
        return try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'memories_metadata'")
    }

    static func insertRun(id: String, options: String, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO memconsole_repair_runs (id, started_at, options, metadata_sequence) VALUES (?, ?, ?, ?)
            """, arguments: [id, MigrationJournal.now(), options, try metadataSequence(db)])
    }

    @discardableResult
    static func record(runID: String, action: RepairAction.Kind, metadataID: Int64?, mem0MemoryID: String?,
                       before: String?, after: String?, _ db: Database) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO memconsole_repair_journal (run_id, action, metadata_id, mem0_memory_id, before_json, after_json,
                applied_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [runID, action.rawValue, metadataID, mem0MemoryID, before, after, MigrationJournal.now()])
        return db.lastInsertedRowID
    }

    static func forget(seq: Int64, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM memconsole_repair_journal WHERE seq = ?", arguments: [seq])
    }

    /// One recorded change.
    struct Change: Sendable {
        var seq: Int64
        var action: RepairAction.Kind
        var metadataID: Int64?
        var mem0MemoryID: String?
        var before: String?
        var after: String?
    }

    /// The run's changes not yet undone, newest first (the order an undo must take).
    static func pendingChanges(runID: String, _ db: Database) throws -> [Change] {
        try Row.fetchAll(db, sql: """
            SELECT seq, action, metadata_id, mem0_memory_id, before_json, after_json FROM memconsole_repair_journal
            WHERE run_id = ? AND undone_at IS NULL ORDER BY seq DESC
            """, arguments: [runID]).map {
            Change(seq: $0["seq"], action: RepairAction.Kind(rawValue: $0["action"]) ?? .deleteMetadataRow,
                   metadataID: $0["metadata_id"], mem0MemoryID: $0["mem0_memory_id"], before: $0["before_json"],
                   after: $0["after_json"])
        }
    }

    static func markUndone(seq: Int64, _ db: Database) throws {
        try db.execute(sql: "UPDATE memconsole_repair_journal SET undone_at = ? WHERE seq = ?",
                       arguments: [MigrationJournal.now(), seq])
    }

    static func runIDs(_ db: Database) throws -> [String] {
        guard try exists(db) else { return [] }
        return try String.fetchAll(db, sql: "SELECT id FROM memconsole_repair_runs ORDER BY started_at, id")
    }

    /// The counter recorded when the run started (nil: the run is unknown or the table had none).
    static func recordedSequence(runID: String, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT metadata_sequence FROM memconsole_repair_runs WHERE id = ?", arguments: [runID])
    }

    static func markRunUndone(runID: String, _ db: Database) throws {
        try db.execute(sql: "UPDATE memconsole_repair_runs SET undone_at = ? WHERE id = ?",
                       arguments: [MigrationJournal.now(), runID])
    }
}

/// A `memories_metadata` row exactly as stored: every column with its SQLite storage class and value, as JSON.
///
/// What the repair journal keeps, so an undo writes back the same bytes (a `created_at` stored as an integer stays an
/// integer; a REAL keeps its bit pattern; a BLOB its bytes).
struct StoredRow: Sendable, Equatable {
    var columns: [(name: String, value: DatabaseValue)]

    static func == (lhs: StoredRow, rhs: StoredRow) -> Bool {
        lhs.columns.map(\.name) == rhs.columns.map(\.name) && lhs.columns.map(\.value) == rhs.columns.map(\.value)
    }

    static func fetch(metadataID: Int64, _ db: Database) throws -> StoredRow? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM memories_metadata WHERE id = ?", arguments: [metadataID])
        else { return nil }
        return StoredRow(columns: row.columnNames.map { ($0, row[$0] as DatabaseValue) })
    }

    var json: String {
        let items: [[Any]] = columns.map { column in
            switch column.value.storage {
            case .null: return [column.name, "null", NSNull()]
            case .int64(let i): return [column.name, "integer", String(i)]
            case .double(let d): return [column.name, "real", String(d.bitPattern)]
            case .string(let s): return [column.name, "text", s]
            case .blob(let b): return [column.name, "blob", b.base64EncodedString()]
            }
        }
        let data = try! JSONSerialization.data(withJSONObject: items, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    init(columns: [(name: String, value: DatabaseValue)]) { self.columns = columns }

    init?(json: String) {
        guard let items = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]] else { return nil }
        var columns: [(String, DatabaseValue)] = []
        for item in items {
            guard item.count == 3, let name = item[0] as? String, let type = item[1] as? String else { return nil }
            let text = item[2] as? String
            switch type {
            case "null": columns.append((name, .null))
            case "integer": guard let v = text.flatMap(Int64.init) else { return nil }; columns.append((name, v.databaseValue))
            case "real": guard let v = text.flatMap(UInt64.init) else { return nil }
                columns.append((name, Double(bitPattern: v).databaseValue))
            case "text": guard let text else { return nil }; columns.append((name, text.databaseValue))
            case "blob": guard let v = text.flatMap({ Data(base64Encoded: $0) }) else { return nil }
                columns.append((name, v.databaseValue))
            default: return nil
            }
        }
        self.columns = columns
    }

    func insert(_ db: Database) throws {
        let names = columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try db.execute(sql: "INSERT INTO memories_metadata (\(names)) VALUES (\(marks))",
                       arguments: StatementArguments(columns.map(\.value)))
    }

    /// Overwrites the row with the same id with these values.
    func overwrite(metadataID: Int64, _ db: Database) throws {
        let sets = columns.map { "\"\($0.name)\" = ?" }.joined(separator: ", ")
        try db.execute(sql: "UPDATE memories_metadata SET \(sets) WHERE id = ?",
                       arguments: StatementArguments(columns.map(\.value) + [metadataID.databaseValue]))
    }
}
