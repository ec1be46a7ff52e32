import Foundation
import GRDB
import Mem0Client

/// What a rollback did.
public struct RollbackSummary: Sendable, Equatable, Codable {
    public var runID: String
    public var deleted: Int
    /// Links whose memory was already gone (404): counted, not an error.
    public var alreadyGone: Int
    /// Unconfirmed rows found in Mem0 by their legacy id and deleted.
    public var foundByLookup: Int
    /// `memories_backup`, the backup file's path, or `memories` (the run had not finalized).
    public var restoredFrom: String
}

/// Undoes a run: deletes the Mem0 memories it created (from the journal; unconfirmed rows are looked up by legacy id)
/// and restores the file to its legacy state, exactly (the table's original DDL and AUTOINCREMENT counter).
///
/// Safe to repeat: deletions that already happened answer 404, and the file is restored in one transaction at the end.
public struct MigrationRollback: Sendable {
    public let file: URL
    public let client: Mem0Client
    public var concurrency = 8

    public init(file: URL, client: Mem0Client) { self.file = file; self.client = client }

    public func run() async throws -> RollbackSummary {
        let database = try MigrationFile.open(file, forWriting: true)
        defer { try? database.close() }
        try MigrationFile.requireChatDatabase(database, path: file.path)
        try MigrationFile.checkWriteLock(database)
        let runLock = try RunLock.acquire(for: file)
        defer { runLock.release() }
        return try await rollBack(queue: database.writer)
    }

    func rollBack(queue: DatabaseQueue) async throws -> RollbackSummary {
        guard let run = try await queue.read({ try MigrationJournal.currentRun($0) }) else {
            throw MigrationError.noMigrationRun(path: file.path)
        }
        let entries = try await queue.read {
            try MigrationJournal.entries(where: "mem0_memory_id IS NOT NULL OR state = 'in_flight' OR ambiguous = 1", $0)
        }
        var summary = RollbackSummary(runID: run.id, deleted: 0, alreadyGone: 0, foundByLookup: 0, restoredFrom: "")
        let counters = Locked(summary)
        let limit = concurrency
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, entry) in entries.enumerated() {
                    if index >= limit { try await group.next() }
                    group.addTask { try await self.undo(entry, run: run, counters: counters) }
                }
                try await group.waitForAll()
            }
        } catch let error as Mem0Error {
            throw MigrationError.rollbackIncomplete(error.operatorMessage)
        }
        summary = counters.withLock { $0 }
        summary.restoredFrom = try await restoreFile(run: run, queue: queue)
        _ = await JournalMode.restore(run.originalJournalMode, queue: queue)
        return summary
    }

    private func undo(_ entry: MigrationJournal.Entry, run: MigrationRun, counters: Locked<RollbackSummary>) async throws {
        var ids: [String] = entry.mem0MemoryID.map { [$0] } ?? []
        if (entry.state == .inFlight || entry.ambiguous), let user = entry.mem0UserID {
            let mine = try await Mem0Lookup.copies(of: entry.legacyID, user: user, runID: run.id, client: client)
            let extra = mine.filter { !ids.contains($0) }
            counters.withLock { $0.foundByLookup += extra.count }
            ids += extra
        }
        for id in ids {
            switch try await retryingMem0({ try await self.client.delete(id: id) }) {
            case .deleted: counters.withLock { $0.deleted += 1 }
            case .alreadyAbsent: counters.withLock { $0.alreadyGone += 1 }
            }
        }
    }

    /// One transaction: `memories` back (from `memories_backup` or the backup file), `memories_metadata` and the
    /// journal tables gone.
    private func restoreFile(run: MigrationRun, queue: DatabaseQueue) async throws -> String {
        let (hasMemories, hasBackupTable) = try await queue.read { db in
            (try db.tableExists("memories"), try db.tableExists("memories_backup"))
        }
        var attached = false
        if !hasMemories && !hasBackupTable {
            guard let path = run.backupPath, FileManager.default.fileExists(atPath: path) else {
                throw MigrationError.rollbackIncomplete("the legacy table was dropped and the backup file \(run.backupPath ?? "(none)") is missing")
            }
            try await queue.writeWithoutTransaction { db in
                try db.execute(sql: "ATTACH DATABASE ? AS legacy_backup", arguments: [path])
            }
            attached = true
        }
        defer {
            if attached { try? queue.writeWithoutTransaction { try $0.execute(sql: "DETACH DATABASE legacy_backup") } }
        }
        return try await queue.write { db -> String in
            var source = "memories (the run had not finalized)"
            if !hasMemories {
                let saved = try LegacyTableDefinition.load(runID: run.id, db)
                if hasBackupTable {
                    if let saved {
                        // The renamed table kept the legacy index names: drop them so the saved DDL recreates them.
                        let indexes = try String.fetchAll(db, sql: """
                            SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'memories_backup' AND sql IS NOT NULL
                            """)
                        for index in indexes { try db.execute(sql: "DROP INDEX \(index.quotedDatabaseIdentifier)") }
                        try LegacyTableDefinition.restore(saved, from: "memories_backup", db)
                        try db.execute(sql: "DROP TABLE memories_backup")
                    } else {
                        try db.execute(sql: "ALTER TABLE memories_backup RENAME TO memories")
                    }
                    source = "memories_backup"
                } else {
                    guard let saved else {
                        throw MigrationError.rollbackIncomplete("the run record lost the legacy table definition")
                    }
                    try LegacyTableDefinition.restore(saved, from: "legacy_backup.memories", db)
                    source = run.backupPath ?? "the backup file"
                }
            }
            try db.execute(sql: "DROP TABLE IF EXISTS memories_metadata")
            if try db.tableExists("sqlite_sequence") {
                try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = 'memories_metadata'")
            }
            try MigrationJournal.drop(db)
            return source
        }
    }
}
