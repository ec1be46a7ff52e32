import Foundation
import GRDB

/// A row of `chat_messages` (unchanged by the migration).
public struct ChatMessage: Sendable, Hashable, Identifiable {
    public var id: Int64?
    /// May name a session that no longer exists.
    public var sessionID: Int64
    /// `user`, `assistant` or `system` in practice; kept as text.
    public var role: String
    public var content: String
    public var createdAt: LegacyDate

    public init(id: Int64? = nil, sessionID: Int64, role: String, content: String, createdAt: LegacyDate = .now()) {
        self.id = id; self.sessionID = sessionID; self.role = role; self.content = content; self.createdAt = createdAt
    }
}

extension ChatMessage: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "chat_messages"

    public static let session = belongsTo(ChatSession.self, using: ForeignKey(["session_id"]))

    public init(row: Row) throws {
        id = LegacyValue.integer(row["id"])
        sessionID = LegacyValue.integer(row["session_id"]) ?? 0
        role = LegacyValue.text(row["role"]) ?? ""
        content = LegacyValue.text(row["content"]) ?? ""
        createdAt = LegacyDate(storedValue: row["created_at"])
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["session_id"] = sessionID
        container["role"] = role
        container["content"] = content
        container["created_at"] = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
