import Foundation
import GRDB

/// A row of the pre-migration `memories` table (or of `memories_backup`, its name after the migration).
///
/// The one place a legacy memory's quirks become values: dates through `LegacyDate`, tags through `LegacyTags`,
/// NULL score and count stay nil (the columns' defaults, 0.5 and 1, only applied to rows inserted without them),
/// and a row whose user or profile is gone still decodes.
public struct LegacyMemory: Sendable, Hashable, Identifiable {
    public var id: Int64?
    public var userID: Int64
    public var profileID: Int64?
    public var content: String
    public var importanceScore: Double?
    public var mentionedCount: Int?
    public var memoryType: String?
    public var tags: LegacyTags
    public var createdAt: LegacyDate
    public var updatedAt: LegacyDate

    public init(id: Int64? = nil, userID: Int64, profileID: Int64?, content: String, importanceScore: Double? = 0.5,
                mentionedCount: Int? = 1, memoryType: String? = "fact", tags: LegacyTags = LegacyTags([]),
                createdAt: LegacyDate = .now(), updatedAt: LegacyDate? = nil) {
        self.id = id; self.userID = userID; self.profileID = profileID; self.content = content
        self.importanceScore = importanceScore; self.mentionedCount = mentionedCount; self.memoryType = memoryType
        self.tags = tags; self.createdAt = createdAt; self.updatedAt = updatedAt ?? createdAt
    }

    /// All rows of `source`, as a request to refine (`.filter`, `.order`, `.limit`). For `.backupFile`, run it on
    /// the backup copy's connection.
    public static func all(in source: LegacySource) -> QueryInterfaceRequest<LegacyMemory> {
        Table<LegacyMemory>(source.tableName).all()
    }
}

extension LegacyMemory: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "memories"

    public static let user = belongsTo(User.self, using: ForeignKey(["user_id"]))
    public static let profile = belongsTo(MemoryProfile.self, using: ForeignKey(["memory_profile_id"]))

    public init(row: Row) throws {
        id = LegacyValue.integer(row["id"])
        userID = LegacyValue.integer(row["user_id"]) ?? 0
        profileID = LegacyValue.integer(row["memory_profile_id"])
        content = LegacyValue.text(row["content"]) ?? ""
        importanceScore = LegacyValue.double(row["importance_score"])
        mentionedCount = LegacyValue.integer(row["mentioned_count"]).map { Int(clamping: $0) }
        memoryType = LegacyValue.text(row["memory_type"])
        tags = LegacyTags(raw: LegacyValue.text(row["tags"]))
        createdAt = LegacyDate(storedValue: row["created_at"])
        updatedAt = LegacyDate(storedValue: row["updated_at"])
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["user_id"] = userID
        container["memory_profile_id"] = profileID
        container["content"] = content
        container["importance_score"] = importanceScore
        container["mentioned_count"] = mentionedCount
        container["memory_type"] = memoryType
        container["tags"] = tags
        container["created_at"] = createdAt
        container["updated_at"] = updatedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
