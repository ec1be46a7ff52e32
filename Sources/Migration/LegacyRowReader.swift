import Foundation
import GRDB
import Storage

/// One legacy `memories` row with everything the migration needs, read defensively.
///
/// Columns are read through `CAST` and `fromDatabaseValue` so a value of an unexpected storage class becomes nil (and
/// a rejection reason) instead of a crash; content is read as bytes so invalid UTF-8 can be detected, not repaired.
struct LegacyRow: Sendable {
    var id: Int64
    var userID: Int64?
    var userExists: Bool
    var username: String?
    var profileID: Int64?
    var profileExists: Bool
    var content: [UInt8]?
    var importanceScore: Double?
    var mentionedCount: Int?
    var memoryType: String?
    var tagsRaw: String?
    var createdAtStored: LegacyDate
    var updatedAtStored: LegacyDate

    /// Storage's rules decode tags and dates, so the migration reads them exactly as the console shows them.
    var tags: [String] { LegacyTags(raw: tagsRaw).values }
    var createdAt: Date? { createdAtStored.date }
    var updatedAt: Date? { updatedAtStored.date }
    var createdAtRaw: String? { createdAtStored.storedValue.isNull ? nil : createdAtStored.text }
    var text: String? { content.flatMap { String(validating: $0, as: UTF8.self) } }

    var facts: RowClassifier.Facts {
        RowClassifier.Facts(legacyID: id, userID: userID, userExists: userExists, username: username,
                            content: content, createdAtRaw: createdAtRaw, createdAt: createdAt)
    }

    /// The legacy values for `MemoryComparison`.
    var comparable: LegacyMemoryValues {
        LegacyMemoryValues(id: id, content: text ?? String(decoding: content ?? [], as: UTF8.self),
                           memoryType: memoryType, tags: tags, importanceScore: importanceScore,
                           mentionedCount: mentionedCount, profileID: profileID, createdAt: createdAt,
                           updatedAt: updatedAt)
    }

    /// The SELECT every reader uses; `table` is `memories` before finalize and `memories_backup` after.
    static func selectSQL(table: String, whereClause: String = "") -> String {
        """
        SELECT m.id AS id, m.user_id AS user_id, m.memory_profile_id AS profile_id,
               CAST(m.content AS BLOB) AS content, m.importance_score AS importance_score,
               m.mentioned_count AS mentioned_count, CAST(m.memory_type AS TEXT) AS memory_type,
               CAST(m.tags AS TEXT) AS tags, m.created_at AS created_at, m.updated_at AS updated_at,
               u.id IS NOT NULL AS user_exists, CAST(u.username AS TEXT) AS username,
               p.id IS NOT NULL AS profile_exists
        FROM \(table) m
        LEFT JOIN users u ON u.id = m.user_id
        LEFT JOIN memory_profiles p ON p.id = m.memory_profile_id
        \(whereClause)
        ORDER BY m.id
        """
    }

    init(row: Row) {
        id = row["id"]
        userID = Int64.fromDatabaseValue(row["user_id"] as DatabaseValue)
        userExists = row["user_exists"] as Bool? ?? false
        username = String.fromDatabaseValue(row["username"] as DatabaseValue)
        profileID = Int64.fromDatabaseValue(row["profile_id"] as DatabaseValue)
        profileExists = row["profile_exists"] as Bool? ?? false
        content = (Data.fromDatabaseValue(row["content"] as DatabaseValue)).map { [UInt8]($0) }
        importanceScore = Double.fromDatabaseValue(row["importance_score"] as DatabaseValue)
        mentionedCount = Int.fromDatabaseValue(row["mentioned_count"] as DatabaseValue)
        memoryType = String.fromDatabaseValue(row["memory_type"] as DatabaseValue)
        tagsRaw = String.fromDatabaseValue(row["tags"] as DatabaseValue)
        createdAtStored = LegacyDate(storedValue: row["created_at"] as DatabaseValue)
        updatedAtStored = LegacyDate(storedValue: row["updated_at"] as DatabaseValue)
    }

    /// Rows with these ids (at most a few hundred at a time), in id order.
    static func fetch(ids: [Int64], table: String, in db: Database) throws -> [LegacyRow] {
        guard !ids.isEmpty else { return [] }
        let list = ids.map(String.init).joined(separator: ",")
        return try Row.fetchAll(db, sql: selectSQL(table: table, whereClause: "WHERE m.id IN (\(list))"))
            .map(LegacyRow.init(row:))
    }
}
