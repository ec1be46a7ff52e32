import GRDB
import Storage

/// A legacy row's place in the migration, as the journal records it.
public struct RowLink: Sendable, Equatable {
    public var state: JournalState
    /// Set once the row is linked.
    public var mem0MemoryID: String?
    /// For a duplicate: the row whose memory holds it.
    public var duplicateOf: Int64?
    /// For a rejected row: why.
    public var reason: String?
}

/// A row the journal put outside "linked" (rejected or duplicate), with its legacy content.
public struct ClassifiedEntry: FetchableRecord, Sendable, Equatable {
    public var legacyID: Int64
    public var legacyUserID: Int64?
    public var reason: String?
    public var duplicateOf: Int64?
    public var content: String?

    public init(row: Row) throws {
        legacyID = row["legacy_id"]; legacyUserID = row["legacy_user_id"]; reason = row["reason"]
        duplicateOf = row["duplicate_of"]; content = row["content"]
    }
}

/// The journal's reads for browsing: per-row link states, and keyset pages of the rejected and duplicate rows.
extension MigrationJournal {
    /// The journal's entry for each of these legacy ids (empty when the file has no journal).
    public static func links(_ legacyIDs: [Int64], _ db: Database) throws -> [Int64: RowLink] {
        guard !legacyIDs.isEmpty, try db.tableExists(journalTable) else { return [:] }
        let placeholders = Array(repeating: "?", count: legacyIDs.count).joined(separator: ",")
        var result: [Int64: RowLink] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT legacy_id, state, mem0_memory_id, duplicate_of, reason FROM \(journalTable)
            WHERE legacy_id IN (\(placeholders))
            """, arguments: StatementArguments(legacyIDs)) {
            guard let state = JournalState(rawValue: row["state"]) else { continue }
            result[row["legacy_id"]] = RowLink(state: state, mem0MemoryID: row["mem0_memory_id"],
                                               duplicateOf: row["duplicate_of"], reason: row["reason"])
        }
        return result
    }

    /// The rows in `state` (`.rejected` or `.duplicate`) by keyset on `legacy_id`, with their contents from `source`.
    /// Filter: the reason and the content, folded like every browse filter. A file without a journal has none.
    public static func classified(_ state: JournalState, contentIn source: LegacySource,
                                  matching text: String? = nil) -> KeysetQuery<ClassifiedEntry> {
        let j = journalTable
        let content = source.isInThisFile
            ? "(SELECT content FROM \(source.tableName) WHERE \(source.tableName).id = \(j).legacy_id)" : "NULL"
        return KeysetQuery(table: j, idColumn: "\(j).legacy_id",
                           selection: "\(j).legacy_id, \(j).legacy_user_id, \(j).reason, \(j).duplicate_of, \(content) AS content",
                           equal: [("\(j).state", state.rawValue.databaseValue)],
                           textExpressions: ["\(j).reason", content], matching: text) { $0.legacyID }
    }

    /// The Mem0 id the journal recorded for a legacy row (linked, or found by reconciling an add).
    public static func mem0MemoryID(legacyID: Int64, _ db: Database) throws -> String? {
        guard try db.tableExists(journalTable) else { return nil }
        return try String.fetchOne(db, sql: "SELECT mem0_memory_id FROM \(journalTable) WHERE legacy_id = ?",
                                   arguments: [legacyID])
    }
}
