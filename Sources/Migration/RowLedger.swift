import Foundation
import GRDB
import Storage

/// One line per legacy row of a migrated file, read from the migration journal: what became of the row, where it
/// went in Mem0, and its profile and times as the legacy table stored them. The file an operator attaches to a change
/// ticket (`memconsole report`).
///
/// The statuses add up to verification's equation: `legacy rows = linked + duplicate + (rejected + failed) + pending`,
/// where `failed` is a row Mem0 refused during the run (journal reason `refused_by_mem0`) and `pending` includes rows
/// a crash left unconfirmed (`in_flight`).
public enum RowLedger {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case linked, duplicate, rejected, failed, pending
    }

    public struct Entry: Sendable, Equatable {
        public var legacyID: Int64
        public var status: Status
        /// The legacy row migrated in this one's place (`duplicate`).
        public var duplicateOf: Int64?
        /// The rejection code (`empty_content`, `orphan_user`, …) of a rejected or failed row.
        public var code: String?
        /// The sentence after the code: a rejection's reason, or a failure's error.
        public var reason: String?
        public var mem0UserID: String?
        public var mem0MemoryID: String?
        public var profileID: Int64?
        /// `created_at` / `updated_at` as the legacy table stored them (nil when the row is in no readable table).
        public var createdAt: String?
        public var updatedAt: String?
        /// When the journal last changed this row.
        public var journalUpdatedAt: String
        /// A crash left the add unconfirmed (`pending` status).
        public var unconfirmed: Bool
    }

    public struct Totals: Sendable, Equatable {
        public var legacyRows = 0
        public var linked = 0, duplicate = 0, rejected = 0, failed = 0, pending = 0
        public init() {}
        mutating func count(_ status: Status) {
            legacyRows += 1
            switch status {
            case .linked: linked += 1
            case .duplicate: duplicate += 1
            case .rejected: rejected += 1
            case .failed: failed += 1
            case .pending: pending += 1
            }
        }
        public var isBalanced: Bool { legacyRows == linked + duplicate + rejected + failed + pending }
    }

    /// Reads the ledger in legacy-id order, handing each entry to `body` (1,000 rows at a time from SQLite; the
    /// whole ledger is never held in memory). Returns the totals.
    @discardableResult
    public static func read(file: URL, _ body: (Entry) throws -> Void) throws -> Totals {
        let database = try MigrationFile.open(file, forWriting: false)
        defer { try? database.close() }
        try MigrationFile.requireChatDatabase(database, path: file.path)
        let queue = database.writer
        guard let run = try queue.read({ try MigrationJournal.currentRun($0) }) else {
            throw MigrationError.noMigrationRun(path: file.path)
        }
        // The legacy rows: still in the file (memories_backup after finalizing, memories before), else the backup file.
        let inFile: String? = try queue.read { db in
            try db.tableExists("memories_backup") ? "memories_backup" : (try db.tableExists("memories") ? "memories" : nil)
        }
        var backupQueue: DatabaseQueue?
        if inFile == nil, let path = run.backupPath, FileManager.default.fileExists(atPath: path) {
            var configuration = Configuration()
            configuration.readonly = true
            backupQueue = try DatabaseQueue(path: path, configuration: configuration)
        }
        let legacyReader: DatabaseQueue? = inFile != nil ? queue : backupQueue
        let legacyTable = inFile ?? "memories"

        var totals = Totals()
        var after: Int64 = .min
        while true {
            let chunk = try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT legacy_id, state, mem0_user_id, mem0_memory_id, reason, duplicate_of, updated_at
                    FROM memconsole_migration_journal WHERE legacy_id > ? ORDER BY legacy_id LIMIT 1000
                    """, arguments: [after])
            }
            guard let last = chunk.last else { break }
            after = last["legacy_id"]
            let ids: [Int64] = chunk.map { $0["legacy_id"] }
            let facts = try legacyReader.map { reader in
                try reader.read { db in try legacyFacts(ids: ids, table: legacyTable, db) }
            } ?? [:]
            for row in chunk {
                let entry = self.entry(row, facts: facts)
                totals.count(entry.status)
                try body(entry)
            }
        }
        return totals
    }

    private struct LegacyFacts { var profileID: Int64?; var createdAt: String?; var updatedAt: String? }

    private static func legacyFacts(ids: [Int64], table: String, _ db: Database) throws -> [Int64: LegacyFacts] {
        guard try db.tableExists(table) else { return [:] }
        var facts: [Int64: LegacyFacts] = [:]
        let list = ids.map(String.init).joined(separator: ",")
        for row in try Row.fetchAll(db, sql: """
            SELECT id, memory_profile_id, created_at, updated_at FROM "\(table)" WHERE id IN (\(list))
            """) {
            guard let id = LegacyValue.integer(row["id"]) else { continue }
            let created = row["created_at"] as DatabaseValue, updated = row["updated_at"] as DatabaseValue
            facts[id] = LegacyFacts(profileID: LegacyValue.integer(row["memory_profile_id"]),
                                    createdAt: created.isNull ? nil : LegacyDate(storedValue: created).text,
                                    updatedAt: updated.isNull ? nil : LegacyDate(storedValue: updated).text)
        }
        return facts
    }

    private static func entry(_ row: Row, facts: [Int64: LegacyFacts]) -> Entry {
        let id: Int64 = row["legacy_id"]
        let state = JournalState(rawValue: row["state"]) ?? .pending
        let reasonText: String? = row["reason"]
        // The journal stores a reason as "code: message" (RejectionReason.journalText).
        var code: String?, reason = reasonText
        if let reasonText, let colon = reasonText.range(of: ": ") {
            code = String(reasonText[..<colon.lowerBound]); reason = String(reasonText[colon.upperBound...])
        }
        let status: Status
        switch state {
        case .linked: status = .linked
        case .duplicate: status = .duplicate
        case .rejected: status = code == RejectionReason.refusedByMem0("").code ? .failed : .rejected
        case .pending, .inFlight: status = .pending
        }
        let legacy = facts[id]
        return Entry(legacyID: id, status: status, duplicateOf: row["duplicate_of"], code: code, reason: reason,
                     mem0UserID: row["mem0_user_id"], mem0MemoryID: row["mem0_memory_id"],
                     profileID: legacy?.profileID, createdAt: legacy?.createdAt, updatedAt: legacy?.updatedAt,
                     journalUpdatedAt: row["updated_at"], unconfirmed: state == .inFlight)
    }
}
