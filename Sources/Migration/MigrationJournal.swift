import Foundation
import GRDB

/// The state of a row in a run, as stored in `memconsole_migration_journal.state`.
public enum JournalState: String, Sendable, Codable, CaseIterable {
    /// Not yet sent.
    case pending
    /// Claimed for sending: its add may have reached Mem0. After a crash it is looked up before it is sent again.
    case inFlight = "in_flight"
    /// Has its Mem0 memory (`mem0_memory_id`) and its `memories_metadata` row.
    case linked
    /// Will not be sent (`reason`).
    case rejected
    /// Same user, profile and content as `duplicate_of`, which is migrated in its place.
    case duplicate
}

/// One run, as stored in `memconsole_migration_runs`.
public struct MigrationRun: Sendable, Equatable {
    public enum State: String, Sendable, Codable { case running, finalized, rolledBack = "rolled_back" }
    public var id: String
    public var state: State
    public var startedAt: String
    public var sourceFile: String
    public var endpoint: String
    public var dialect: String
    public var mapping: Mem0UserMapping
    public var keepBackupTable: Bool
    public var backupPath: String?
    public var legacyRowCount: Int
    public var originalJournalMode: String
}

/// Row counts per journal state.
public struct JournalCounts: Sendable, Equatable, Codable {
    public var pending = 0, inFlight = 0, linked = 0, rejected = 0, duplicate = 0
    public var total: Int { pending + inFlight + linked + rejected + duplicate }
    public var accountedFor: Int { linked + rejected + duplicate }
    public init() {}
}

/// The journal tables in the migrated file, and every read and write of them.
///
/// Storage's `DatabaseInspector` recognises a partly migrated file by these table names, so they are fixed here.
public enum MigrationJournal {
    public static let runsTable = "memconsole_migration_runs"
    public static let journalTable = "memconsole_migration_journal"

    static let createSQL = """
    CREATE TABLE IF NOT EXISTS memconsole_migration_runs (
        id                   TEXT PRIMARY KEY,
        state                TEXT NOT NULL CHECK (state IN ('running','finalized','rolled_back')),
        started_at           TEXT NOT NULL,
        finished_at          TEXT,
        source_file          TEXT NOT NULL,
        mem0_endpoint        TEXT NOT NULL,
        mem0_dialect         TEXT NOT NULL,
        user_id_source       TEXT NOT NULL,
        user_id_prefix       TEXT NOT NULL DEFAULT '',
        keep_backup_table    INTEGER NOT NULL,
        backup_path          TEXT,
        legacy_row_count     INTEGER NOT NULL,
        original_journal_mode TEXT NOT NULL DEFAULT 'delete',
        legacy_ddl           TEXT,
        legacy_sequence      INTEGER
    );
    CREATE TABLE IF NOT EXISTS memconsole_migration_journal (
        legacy_id       INTEGER PRIMARY KEY,
        run_id          TEXT NOT NULL REFERENCES memconsole_migration_runs(id),
        state           TEXT NOT NULL CHECK (state IN ('pending','in_flight','linked','rejected','duplicate')),
        legacy_user_id  INTEGER,
        mem0_user_id    TEXT,
        mem0_memory_id  TEXT UNIQUE,
        reason          TEXT,
        duplicate_of    INTEGER,
        attempts        INTEGER NOT NULL DEFAULT 0,
        ambiguous       INTEGER NOT NULL DEFAULT 0,
        updated_at      TEXT NOT NULL,
        event_id        TEXT
    );
    CREATE INDEX IF NOT EXISTS memconsole_migration_journal_state ON memconsole_migration_journal(state);
    """

    static func now() -> String { ISOTime.string(from: Date()) }

    public static func exists(_ db: Database) throws -> Bool {
        try db.tableExists(runsTable) && db.tableExists(journalTable)
    }

    static func create(_ db: Database) throws { try db.execute(sql: createSQL) }

    /// Brings a journal written by an earlier memconsole up to this one's columns (`event_id` came later), so a
    /// resume of an older partly migrated file works.
    static func upgrade(_ db: Database) throws {
        guard try db.tableExists(journalTable) else { return }
        if try !db.columns(in: journalTable).contains(where: { $0.name == "event_id" }) {
            try db.execute(sql: "ALTER TABLE memconsole_migration_journal ADD COLUMN event_id TEXT")
        }
    }

    /// Records the Platform event of a queued add: from now on the row's truth is that event.
    static func recordEvent(_ eventID: String, for id: Int64, _ db: Database) throws {
        try db.execute(sql: "UPDATE memconsole_migration_journal SET event_id = ?, updated_at = ? WHERE legacy_id = ?",
                       arguments: [eventID, now(), id])
    }

    /// Rows no request was applied for (never sent, or refused before anything was stored) go back to pending,
    /// without the rejection a refusal streak may have given them.
    static func returnToPending(_ ids: [Int64], _ db: Database) throws {
        guard !ids.isEmpty else { return }
        try db.execute(sql: """
            UPDATE memconsole_migration_journal SET state = 'pending', reason = NULL, updated_at = ?
            WHERE legacy_id IN (\(ids.map(String.init).joined(separator: ",")))
            """, arguments: [now()])
    }

    /// Rows Mem0 refused for a reason that is not the row's own (anything but HTTP 400/422 or the Platform's
    /// de-duplication). Finalize refuses while there is one: such a refusal was the account's, and the row must be
    /// sent again. `markRejected` writes the text this reads (`RejectionReason.refusedByMem0`).
    static func unexplainedRefusals(_ db: Database) throws -> [Int64] {
        try Int64.fetchAll(db, sql: """
            SELECT legacy_id FROM memconsole_migration_journal
            WHERE state = 'rejected' AND reason LIKE 'refused_by_mem0: Mem0 refused it: HTTP %'
              AND reason NOT LIKE 'refused_by_mem0: Mem0 refused it: HTTP 400%'
              AND reason NOT LIKE 'refused_by_mem0: Mem0 refused it: HTTP 422%'
            """)
    }

    static func insert(run: MigrationRun, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO memconsole_migration_runs (id, state, started_at, source_file, mem0_endpoint, mem0_dialect,
                user_id_source, user_id_prefix, keep_backup_table, backup_path, legacy_row_count, original_journal_mode)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [run.id, run.state.rawValue, run.startedAt, run.sourceFile, run.endpoint, run.dialect,
                             run.mapping.source.rawValue, run.mapping.prefix, run.keepBackupTable, run.backupPath,
                             run.legacyRowCount, run.originalJournalMode])
    }

    static func insert(plan: MigrationPlan, runID: String, _ db: Database) throws {
        let statement = try db.makeStatement(sql: """
            INSERT INTO memconsole_migration_journal (legacy_id, run_id, state, legacy_user_id, mem0_user_id, reason,
                duplicate_of, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let stamp = now()
        for row in plan.rows {
            let state: JournalState, reason: String?, duplicateOf: Int64?
            switch row.decision {
            case .migrate: (state, reason, duplicateOf) = (.pending, nil, nil)
            case .reject(let why): (state, reason, duplicateOf) = (.rejected, why.journalText, nil)
            case .duplicate(let of): (state, reason, duplicateOf) = (.duplicate, nil, of)
            }
            try statement.execute(arguments: [row.legacyID, runID, state.rawValue, row.legacyUserID, row.mem0UserID,
                                              reason, duplicateOf, stamp])
        }
    }

    /// The latest run (there is one per file: a finished or rolled-back file carries no journal).
    public static func currentRun(_ db: Database) throws -> MigrationRun? {
        guard try exists(db) else { return nil }
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM memconsole_migration_runs ORDER BY started_at DESC LIMIT 1")
        else { return nil }
        return MigrationRun(
            id: row["id"], state: MigrationRun.State(rawValue: row["state"]) ?? .running, startedAt: row["started_at"],
            sourceFile: row["source_file"], endpoint: row["mem0_endpoint"], dialect: row["mem0_dialect"],
            mapping: Mem0UserMapping(source: UserIDSource(rawValue: row["user_id_source"]) ?? .id,
                                     prefix: row["user_id_prefix"]),
            keepBackupTable: row["keep_backup_table"], backupPath: row["backup_path"],
            legacyRowCount: row["legacy_row_count"], originalJournalMode: row["original_journal_mode"])
    }

    public static func counts(_ db: Database) throws -> JournalCounts {
        var counts = JournalCounts()
        for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM memconsole_migration_journal GROUP BY state") {
            let n: Int = row["n"]
            switch JournalState(rawValue: row["state"]) {
            case .pending: counts.pending = n
            case .inFlight: counts.inFlight = n
            case .linked: counts.linked = n
            case .rejected: counts.rejected = n
            case .duplicate: counts.duplicate = n
            case nil: break
            }
        }
        return counts
    }

    /// Marks up to `limit` pending rows in flight (the intent, committed before any of them is sent).
    static func claimPending(limit: Int, _ db: Database) throws -> [Int64] {
        let ids = try Int64.fetchAll(db, sql: """
            SELECT legacy_id FROM memconsole_migration_journal WHERE state = 'pending' ORDER BY legacy_id LIMIT ?
            """, arguments: [limit])
        guard !ids.isEmpty else { return [] }
        try db.execute(sql: """
            UPDATE memconsole_migration_journal SET state = 'in_flight', attempts = attempts + 1, updated_at = ?
            WHERE legacy_id IN (\(ids.map(String.init).joined(separator: ",")))
            """, arguments: [now()])
        return ids
    }

    static func ids(in state: JournalState, _ db: Database) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT legacy_id FROM memconsole_migration_journal WHERE state = ? ORDER BY legacy_id",
                           arguments: [state.rawValue])
    }

    /// legacy id → duplicate ids, for `legacy_duplicate_ids`.
    static func duplicates(of canonical: [Int64], _ db: Database) throws -> [Int64: [Int64]] {
        guard !canonical.isEmpty else { return [:] }
        var result: [Int64: [Int64]] = [:]
        let rows = try Row.fetchAll(db, sql: """
            SELECT legacy_id, duplicate_of FROM memconsole_migration_journal
            WHERE state = 'duplicate' AND duplicate_of IN (\(canonical.map(String.init).joined(separator: ",")))
            ORDER BY legacy_id
            """)
        for row in rows { result[row["duplicate_of"], default: []].append(row["legacy_id"]) }
        return result
    }

    /// A journal row with its Mem0 side.
    public struct Entry: Sendable, Equatable {
        public var legacyID: Int64
        public var state: JournalState
        public var legacyUserID: Int64?
        public var mem0UserID: String?
        public var mem0MemoryID: String?
        public var ambiguous: Bool
    }

    static func entries(where clause: String, _ db: Database) throws -> [Entry] {
        try Row.fetchAll(db, sql: """
            SELECT legacy_id, state, legacy_user_id, mem0_user_id, mem0_memory_id, ambiguous
            FROM memconsole_migration_journal WHERE \(clause) ORDER BY legacy_id
            """).map {
            Entry(legacyID: $0["legacy_id"], state: JournalState(rawValue: $0["state"]) ?? .pending,
                  legacyUserID: $0["legacy_user_id"], mem0UserID: $0["mem0_user_id"],
                  mem0MemoryID: $0["mem0_memory_id"], ambiguous: $0["ambiguous"])
        }
    }

    static func setState(_ state: JournalState, ids: [Int64], _ db: Database) throws {
        guard !ids.isEmpty else { return }
        try db.execute(sql: """
            UPDATE memconsole_migration_journal SET state = ?, updated_at = ?
            WHERE legacy_id IN (\(ids.map(String.init).joined(separator: ",")))
            """, arguments: [state.rawValue, now()])
    }

    static func markAmbiguous(_ id: Int64, _ db: Database) throws {
        try db.execute(sql: "UPDATE memconsole_migration_journal SET ambiguous = 1 WHERE legacy_id = ?", arguments: [id])
    }

    static func markRejected(_ id: Int64, reason: RejectionReason, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE memconsole_migration_journal SET state = 'rejected', reason = ?, updated_at = ? WHERE legacy_id = ?
            """, arguments: [reason.journalText, now(), id])
    }

    static func markLinked(_ id: Int64, mem0ID: String, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE memconsole_migration_journal SET state = 'linked', mem0_memory_id = ?, updated_at = ? WHERE legacy_id = ?
            """, arguments: [mem0ID, now(), id])
    }

    static func setRunState(_ state: MigrationRun.State, runID: String, _ db: Database) throws {
        try db.execute(sql: "UPDATE memconsole_migration_runs SET state = ?, finished_at = ? WHERE id = ?",
                       arguments: [state.rawValue, now(), runID])
    }

    static func drop(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS memconsole_migration_journal; DROP TABLE IF EXISTS memconsole_migration_runs")
    }
}
