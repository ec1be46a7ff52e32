import Foundation
import GRDB

/// A row of `memory_profiles` (unchanged by the migration). `is_default` is stored as 0/1.
public struct MemoryProfile: Sendable, Hashable, Identifiable {
    public var id: Int64?
    /// May name a user that no longer exists (foreign keys were never enforced).
    public var userID: Int64
    public var name: String
    public var description: String?
    public var isDefault: Bool
    public var createdAt: LegacyDate
    public var updatedAt: LegacyDate

    public init(id: Int64? = nil, userID: Int64, name: String, description: String? = nil, isDefault: Bool = false,
                createdAt: LegacyDate = .now(), updatedAt: LegacyDate? = nil) {
        self.id = id; self.userID = userID; self.name = name; self.description = description
        self.isDefault = isDefault; self.createdAt = createdAt; self.updatedAt = updatedAt ?? createdAt
    }
}

extension MemoryProfile: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "memory_profiles"

    public static let user = belongsTo(User.self, using: ForeignKey(["user_id"]))
    public static let memoryMetadata = hasMany(MemoryMetadata.self, using: ForeignKey(["memory_profile_id"]))
    public static let legacyMemories = hasMany(LegacyMemory.self, using: ForeignKey(["memory_profile_id"]))

    public var user: QueryInterfaceRequest<User> { request(for: MemoryProfile.user) }
    public var memoryMetadata: QueryInterfaceRequest<MemoryMetadata> { request(for: MemoryProfile.memoryMetadata) }

    public init(row: Row) throws {
        id = LegacyValue.integer(row["id"])
        userID = LegacyValue.integer(row["user_id"]) ?? 0
        name = LegacyValue.text(row["name"]) ?? ""
        description = LegacyValue.text(row["description"])
        isDefault = LegacyValue.bool(row["is_default"])
        createdAt = LegacyDate(storedValue: row["created_at"])
        updatedAt = LegacyDate(storedValue: row["updated_at"])
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["user_id"] = userID
        container["name"] = name
        container["description"] = description
        container["is_default"] = isDefault ? 1 : 0
        container["created_at"] = createdAt
        container["updated_at"] = updatedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
