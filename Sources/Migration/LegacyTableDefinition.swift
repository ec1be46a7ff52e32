import Foundation
import GRDB

/// The legacy `memories` table's exact DDL (table and indexes) and its AUTOINCREMENT counter, saved in the run record
/// at start so a rollback recreates the table byte for byte (a rename back would leave SQLite's quoted,
/// rewritten DDL behind) and from the backup file when the table was dropped.
enum LegacyTableDefinition {
    struct Saved: Sendable, Equatable {
        var statements: [String]
        var sequence: Int64?
    }

    static func capture(table: String = "memories", _ db: Database) throws -> Saved {
        let statements = try String.fetchAll(db, sql: """
            SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type DESC, rowid
            """, arguments: [table])
        var sequence: Int64?
        if try db.tableExists("sqlite_sequence") {
            sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = ?", arguments: [table])
        }
        return Saved(statements: statements, sequence: sequence)
    }

    static func record(runID: String, _ db: Database) throws {
        let saved = try capture(db)
        let json = String(decoding: try JSONEncoder().encode(saved.statements), as: UTF8.self)
        try db.execute(sql: "UPDATE memconsole_migration_runs SET legacy_ddl = ?, legacy_sequence = ? WHERE id = ?",
                       arguments: [json, saved.sequence, runID])
    }

    static func load(runID: String, _ db: Database) throws -> Saved? {
        guard let row = try Row.fetchOne(db, sql: "SELECT legacy_ddl, legacy_sequence FROM memconsole_migration_runs WHERE id = ?",
                                         arguments: [runID]),
              let json: String = row["legacy_ddl"],
              let statements = try? JSONDecoder().decode([String].self, from: Data(json.utf8)) else { return nil }
        return Saved(statements: statements, sequence: row["legacy_sequence"])
    }

    /// Recreates `memories` from `sourceTable` (e.g. `memories_backup` or `backup.memories`), restoring its DDL and
    /// its AUTOINCREMENT counter.
    static func restore(_ saved: Saved, from sourceTable: String, _ db: Database) throws {
        let create = saved.statements.filter { $0.uppercased().hasPrefix("CREATE TABLE") }
        let others = saved.statements.filter { !$0.uppercased().hasPrefix("CREATE TABLE") }
        for statement in create { try db.execute(sql: statement) }
        try db.execute(sql: "INSERT INTO memories SELECT * FROM \(sourceTable)")
        for statement in others { try db.execute(sql: statement) }
        if let sequence = saved.sequence, try db.tableExists("sqlite_sequence") {
            try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = 'memories'")
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('memories', ?)", arguments: [sequence])
        }
    }
}
