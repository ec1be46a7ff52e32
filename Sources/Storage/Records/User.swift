import Foundation
import GRDB

/// A row of `users` (unchanged by the migration).
public struct User: Sendable, Hashable, Identifiable {
    public var id: Int64?
    public var username: String
    public var email: String?
    public var displayName: String?
    public var createdAt: LegacyDate
    public var updatedAt: LegacyDate

    public init(id: Int64? = nil, username: String, email: String? = nil, displayName: String? = nil,
                createdAt: LegacyDate = .now(), updatedAt: LegacyDate? = nil) {
        self.id = id; self.username = username; self.email = email; self.displayName = displayName
        self.createdAt = createdAt; self.updatedAt = updatedAt ?? createdAt
    }
}

extension User: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "users"

    public static let profiles = hasMany(MemoryProfile.self, using: ForeignKey(["user_id"]))
    public static let sessions = hasMany(ChatSession.self, using: ForeignKey(["user_id"]))
    public static let memoryMetadata = hasMany(MemoryMetadata.self, using: ForeignKey(["user_id"]))
    /// Pre-migration memories (`memories`); only on a legacy or partly migrated file.
    public static let legacyMemories = hasMany(LegacyMemory.self, using: ForeignKey(["user_id"]))
    public static let agentLogs = hasMany(AgentLog.self, using: ForeignKey(["user_id"]))

    public var profiles: QueryInterfaceRequest<MemoryProfile> { request(for: User.profiles) }
    public var sessions: QueryInterfaceRequest<ChatSession> { request(for: User.sessions) }
    public var memoryMetadata: QueryInterfaceRequest<MemoryMetadata> { request(for: User.memoryMetadata) }
    public var legacyMemories: QueryInterfaceRequest<LegacyMemory> { request(for: User.legacyMemories) }

    public init(row: Row) throws {
        id = LegacyValue.integer(row["id"])
        username = LegacyValue.text(row["username"]) ?? ""
        email = LegacyValue.text(row["email"])
        displayName = LegacyValue.text(row["display_name"])
        createdAt = LegacyDate(storedValue: row["created_at"])
        updatedAt = LegacyDate(storedValue: row["updated_at"])
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["username"] = username
        container["email"] = email
        container["display_name"] = displayName
        container["created_at"] = createdAt
        container["updated_at"] = updatedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
