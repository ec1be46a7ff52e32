import Foundation
import GRDB

/// What a test reads back from a migrated file's journal, read-only: the per-state counts and the links per Mem0 user
/// (to compare with the server's own count of what it stores).
enum JournalReading {
    static func counts(_ path: String) throws -> [String: Int] {
        try grouped(path, "SELECT state AS k, COUNT(*) AS n FROM memconsole_migration_journal GROUP BY state")
    }

    static func linksPerUser(_ path: String) throws -> [String: Int] {
        try grouped(path, """
            SELECT mem0_user_id AS k, COUNT(*) AS n FROM memconsole_migration_journal WHERE state = 'linked' GROUP BY mem0_user_id
            """)
    }

    private static func grouped(_ path: String, _ sql: String) throws -> [String: Int] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: sql) { result[row["k"]] = row["n"] }
            return result
        }
    }
}
