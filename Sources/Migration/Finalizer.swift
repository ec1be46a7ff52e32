import Foundation
import GRDB
import Mem0Client

/// Turns a fully sent run into the new schema in one transaction, or rolls the run back when that fails.
struct Finalizer {
    let file: URL
    let queue: DatabaseQueue
    let client: Mem0Client
    let sink: EventSink

    func finalize(run: MigrationRun) async throws {
        let summary: FinalizeSummary
        do {
            summary = try await queue.write { db -> FinalizeSummary in
                let counts = try MigrationJournal.counts(db)
                guard counts.pending == 0, counts.inFlight == 0 else {
                    throw MigrationError.unaccountedRows(pending: counts.pending, inFlight: counts.inFlight)
                }
                let unexplained = try MigrationJournal.unexplainedRefusals(db)
                guard unexplained.isEmpty else {
                    throw MigrationError.unexplainedRefusals(count: unexplained.count)
                }
                let legacyRows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM memories") ?? 0
                let unjournaled = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM memories m LEFT JOIN memconsole_migration_journal j ON j.legacy_id = m.id
                    WHERE j.legacy_id IS NULL
                    """) ?? 0
                guard unjournaled == 0, counts.total == legacyRows else {
                    throw MigrationError.finalizeFailed("\(unjournaled) rows appeared in memories during the run (was the app writing?)", rolledBack: false)
                }
                let metadataRows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM memories_metadata") ?? 0
                guard metadataRows == counts.linked else {
                    throw MigrationError.finalizeFailed("memories_metadata has \(metadataRows) rows for \(counts.linked) links", rolledBack: false)
                }
                if run.keepBackupTable {
                    // Indexes follow the table (idx_memories_user_id, idx_memories_profile_id); their names do not
                    // collide with current.sql's idx_memories_metadata_* ones.
                    try db.execute(sql: "ALTER TABLE memories RENAME TO memories_backup")
                } else {
                    try db.execute(sql: "DROP TABLE memories")
                }
                try MigrationJournal.setRunState(.finalized, runID: run.id, db)
                return FinalizeSummary(linked: counts.linked, duplicates: counts.duplicate, rejected: counts.rejected,
                                       keptBackupTable: run.keepBackupTable, backupPath: run.backupPath)
            }
        } catch let error as MigrationError {
            if case .unaccountedRows = error { throw error }
            if case .unexplainedRefusals = error { throw error }
            throw await rollBack(after: error.operatorMessage)
        } catch {
            throw await rollBack(after: "\(error)")
        }
        sink.emit(.finalized(summary))
        if let problem = await JournalMode.restore(run.originalJournalMode, queue: queue) { sink.note(problem) }
    }

    private func rollBack(after detail: String) async -> MigrationError {
        sink.note("finalize failed (\(detail)); rolling back")
        do {
            _ = try await MigrationRollback(file: file, client: client).rollBack(queue: queue)
            return .finalizeFailed(detail, rolledBack: true)
        } catch {
            return .finalizeFailed(detail + "; rollback: \(error)", rolledBack: false)
        }
    }
}

enum JournalMode {
    /// Puts back the journal mode the run found, when it differs (a file left in WAL by an earlier memconsole, which
    /// switched modes during a run; this one never does). Leaving WAL needs every other connection closed, so a busy
    /// file is retried for a few seconds and then left as it is: the run's result does not depend on it. Returns
    /// what went wrong, for the run log, or nil.
    static func restore(_ mode: String, queue: DatabaseQueue) async -> String? {
        let wanted = ["delete", "truncate", "persist", "memory", "wal", "off"].contains(mode.lowercased()) ? mode.lowercased() : "delete"
        for attempt in 1...10 {
            do {
                let now = try await queue.writeWithoutTransaction { db -> String in
                    let current = try String.fetchOne(db, sql: "PRAGMA journal_mode")?.lowercased() ?? wanted
                    guard current != wanted else { return current }
                    if current == "wal" { try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
                    return try String.fetchOne(db, sql: "PRAGMA journal_mode = \(wanted)")?.lowercased() ?? current
                }
                if now == wanted { return nil }
            } catch {
                if attempt == 10 { return "journal mode left as it is, not \(wanted): \(error)" }
            }
            try? await Task.sleep(nanoseconds: 300_000_000)
        }
        return "journal mode left as it is, not \(wanted): another program has the file open"
    }
}
