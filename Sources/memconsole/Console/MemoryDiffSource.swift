import ConsoleCore
import Foundation
import GRDB
import Mem0Client
import Migration
import Storage

/// Reads the two sides of the diff screen: the legacy row from the file and its Mem0 record, live.
struct MemoryDiffSource: Sendable {
    let database: AppDatabase
    let mem0: Mem0Client?
    let schema: SchemaWatch

    /// The legacy row (`memories` before migration, `memories_backup` after) and the Mem0 id it is linked to, if any.
    func legacyRow(_ ref: MemoryRef) throws -> (LegacyMemoryValues, mem0ID: String?) {
        try database.read { db in
            try schema.check(db)
            let source: LegacyMemory.Source = try db.tableExists("memories") ? .memories : .memoriesBackup
            guard try db.tableExists(source.tableName),
                  let row = try LegacyMemory.all(in: source).filter(Column("id") == ref.legacyID).fetchOne(db) else {
                throw DiffSourceError.legacyRowMissing(id: ref.legacyID)
            }
            return (LegacyMemoryValues(row), try ref.mem0ID ?? linkedMem0ID(legacyID: ref.legacyID, db))
        }
    }

    /// The Mem0 id recorded for a legacy row: by the metadata row (finished migration) or the journal (in progress).
    private func linkedMem0ID(legacyID: Int64, _ db: Database) throws -> String? {
        if try db.tableExists("memories_metadata"),
           let id = try String.fetchOne(db, sql: "SELECT mem0_memory_id FROM memories_metadata WHERE id = ?",
                                        arguments: [legacyID]) {
            return id
        }
        if try db.tableExists(MigrationJournal.journalTable) {
            return try String.fetchOne(db, sql: """
                SELECT mem0_memory_id FROM \(MigrationJournal.journalTable) WHERE legacy_id = ?
                """, arguments: [legacyID])
        }
        return nil
    }

    /// Asks Mem0 for the record; a missing record is an answer (`record: nil`), an unreachable Mem0 a failure.
    func fetchRecord(_ ref: MemoryRef, legacy: LegacyMemoryValues, mem0ID: String?) async -> ConsoleCore.Message {
        guard let mem0 else {
            return .mem0RecordFailed(ref, legacy: legacy, message:
                "Mem0 is not configured: set MEM0_API_KEY (and --mem0-url or MEM0_URL for a self-hosted server) to compare.")
        }
        guard let mem0ID else { return .mem0RecordLoaded(ref, legacy: legacy, record: nil) }
        do {
            let memory = try await mem0.memory(id: mem0ID)
            return .mem0RecordLoaded(ref, legacy: legacy, record: memory.map(Mem0MemoryValues.init))
        } catch {
            return .mem0RecordFailed(ref, legacy: legacy, message: LiveEffects.describe(error))
        }
    }
}

enum DiffSourceError: Error, CustomStringConvertible {
    case legacyRowMissing(id: Int64)
    var description: String {
        switch self {
        case .legacyRowMissing(let id):
            return "Memory #\(id) has no legacy row in this file (no memories or memories_backup row); nothing to compare."
        }
    }
}
