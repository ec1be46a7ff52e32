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

    /// The legacy row (from the file's `LegacySource`), where it was read from, and the Mem0 id it is linked to:
    /// by the journal (a run) or by its `memories_metadata` row.
    func legacyRow(_ ref: MemoryRef) throws -> (LegacyMemoryValues, source: LegacySource, mem0ID: String?) {
        try database.read { db in
            try schema.check(db)
            let source = try LegacySource.of(db)
            guard let row = try Browse.legacyMemory(id: ref.legacyID, in: source, db) else {
                throw DiffSourceError.legacyRowMissing(id: ref.legacyID, source: source)
            }
            let mem0ID = try ref.mem0ID ?? MigrationJournal.mem0MemoryID(legacyID: ref.legacyID, db)
                ?? Browse.linkedMem0IDs([ref.legacyID], db)[ref.legacyID]
            var values = LegacyMemoryValues(row)
            values.source = source
            return (values, source, mem0ID)
        }
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
    case legacyRowMissing(id: Int64, source: LegacySource)
    var description: String {
        switch self {
        case .legacyRowMissing(let id, let source) where source.isInThisFile:
            return "Memory #\(id) has no row in \(source.name); nothing to compare."
        case .legacyRowMissing(let id, _):
            return "Memory #\(id): the old table was dropped, so its legacy row is only in the backup file; nothing to compare here."
        }
    }
}
