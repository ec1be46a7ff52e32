import Foundation
import GRDB
import Storage

/// Where a Mem0 memory stands in the file: the metadata row that links it and the legacy row it came from.
///
/// For the console's Mem0 list ("does a row link each one") and its navigation from a memory to its metadata row and
/// legacy row and back. The legacy row is found through the migration journal (`memconsole_migration_journal`); the
/// migration keeps the legacy id as the metadata row's id, but rows the app wrote later have no legacy row.
public struct MemoryLink: Sendable, Equatable {
    public var mem0MemoryID: String
    public var metadata: MemoryMetadata?
    /// The legacy `memories.id` the migration sent as this memory (nil: the app wrote it, or no journal).
    public var legacyID: Int64?
    /// The table holding that legacy row now (`memories_backup`, or `memories` before finalizing; nil: dropped).
    public var legacyTable: String?

    public var isLinked: Bool { metadata != nil }

    /// The links of these memories, in one read (any number of ids; 500 per query).
    public static func links(for mem0MemoryIDs: [String], in db: Database) throws -> [String: MemoryLink] {
        var result: [String: MemoryLink] = [:]
        for id in mem0MemoryIDs { result[id] = MemoryLink(mem0MemoryID: id) }
        let hasMetadata = try db.tableExists(MemoryMetadata.databaseTableName)
        let hasJournal = try db.tableExists(MigrationJournal.journalTable)
        let legacyTable = try db.tableExists("memories_backup") ? "memories_backup"
            : (try db.tableExists("memories") ? "memories" : nil)
        for start in stride(from: 0, to: mem0MemoryIDs.count, by: 500) {
            let chunk = Array(mem0MemoryIDs[start..<min(start + 500, mem0MemoryIDs.count)])
            if hasMetadata {
                for row in try MemoryMetadata.filter(chunk.contains(Column("mem0_memory_id"))).fetchAll(db) {
                    result[row.mem0MemoryID]?.metadata = row
                }
            }
            if hasJournal {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                for row in try Row.fetchAll(db, sql: """
                    SELECT legacy_id, mem0_memory_id FROM memconsole_migration_journal
                    WHERE state = 'linked' AND mem0_memory_id IN (\(marks))
                    """, arguments: StatementArguments(chunk)) {
                    let id: String = row["mem0_memory_id"]
                    result[id]?.legacyID = row["legacy_id"]
                    result[id]?.legacyTable = legacyTable
                }
            }
        }
        return result
    }

    public init(mem0MemoryID: String, metadata: MemoryMetadata? = nil, legacyID: Int64? = nil, legacyTable: String? = nil) {
        self.mem0MemoryID = mem0MemoryID; self.metadata = metadata; self.legacyID = legacyID; self.legacyTable = legacyTable
    }
}
