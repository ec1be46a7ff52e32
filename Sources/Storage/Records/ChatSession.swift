import Foundation
import GRDB

/// A row of `chat_sessions` (unchanged by the migration).
public struct ChatSession: Sendable, Hashable, Identifiable {
    public var id: Int64?
    public var userID: Int64
    public var profileID: Int64?
    public var title: String?
    public var startedAt: LegacyDate
    /// Nil while the session is open.
    public var endedAt: LegacyDate?

    public init(id: Int64? = nil, userID: Int64, profileID: Int64? = nil, title: String? = nil,
                startedAt: LegacyDate = .now(), endedAt: LegacyDate? = nil) {
        self.id = id; self.userID = userID; self.profileID = profileID; self.title = title
        self.startedAt = startedAt; self.endedAt = endedAt
    }
}

extension ChatSession: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "chat_sessions"

    public static let user = belongsTo(User.self, using: ForeignKey(["user_id"]))
    public static let messages = hasMany(ChatMessage.self, using: ForeignKey(["session_id"]))
    public static let agentLogs = hasMany(AgentLog.self, using: ForeignKey(["session_id"]))

    public var messages: QueryInterfaceRequest<ChatMessage> { request(for: ChatSession.messages) }
    public var agentLogs: QueryInterfaceRequest<AgentLog> { request(for: ChatSession.agentLogs) }

    public init(row: Row) throws {
        id = LegacyValue.integer(row["id"])
        userID = LegacyValue.integer(row["user_id"]) ?? 0
        profileID = LegacyValue.integer(row["memory_profile_id"])
        title = LegacyValue.text(row["title"])
        startedAt = LegacyDate(storedValue: row["started_at"])
        endedAt = LegacyDate.fromDatabaseValue(row["ended_at"])
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["user_id"] = userID
        container["memory_profile_id"] = profileID
        container["title"] = title
        container["started_at"] = startedAt
        container["ended_at"] = endedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
