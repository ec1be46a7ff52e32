import Foundation
import GRDB

/// A row of `agent_logs` (unchanged by the migration). `details` is a JSON object, NULL, or (in old rows) broken JSON.
public struct AgentLog: Sendable, Hashable, Identifiable {
    public var id: Int64?
    public var sessionID: Int64?
    public var userID: Int64?
    public var agentName: String
    public var action: String
    /// `DEBUG`, `INFO`, `WARNING` or `ERROR` in practice; kept as text.
    public var level: String
    /// The stored text, exactly.
    public var details: String?
    public var createdAt: LegacyDate

    public init(id: Int64? = nil, sessionID: Int64? = nil, userID: Int64? = nil, agentName: String, action: String,
                level: String = "INFO", details: String? = nil, createdAt: LegacyDate = .now()) {
        self.id = id; self.sessionID = sessionID; self.userID = userID; self.agentName = agentName
        self.action = action; self.level = level; self.details = details; self.createdAt = createdAt
    }

    /// What `details` holds, for display.
    public enum Details: Sendable, Hashable {
        case absent
        /// Valid JSON, re-printed with sorted keys and indentation.
        case json(pretty: String)
        /// Not JSON: shown as the stored text.
        case unreadable(raw: String)
    }

    public var parsedDetails: Details {
        guard let details else { return .absent }
        guard let object = try? JSONSerialization.jsonObject(with: Data(details.utf8), options: [.fragmentsAllowed]),
              let data = try? JSONSerialization.data(withJSONObject: object,
                                                     options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed])
        else { return .unreadable(raw: details) }
        return .json(pretty: String(decoding: data, as: UTF8.self))
    }
}

extension AgentLog: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "agent_logs"

    public static let session = belongsTo(ChatSession.self, using: ForeignKey(["session_id"]))
    public static let user = belongsTo(User.self, using: ForeignKey(["user_id"]))

    public init(row: Row) throws {
        id = LegacyValue.integer(row["id"])
        sessionID = LegacyValue.integer(row["session_id"])
        userID = LegacyValue.integer(row["user_id"])
        agentName = LegacyValue.text(row["agent_name"]) ?? ""
        action = LegacyValue.text(row["action"]) ?? ""
        level = LegacyValue.text(row["level"]) ?? ""
        details = LegacyValue.text(row["details"])
        createdAt = LegacyDate(storedValue: row["created_at"])
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["session_id"] = sessionID
        container["user_id"] = userID
        container["agent_name"] = agentName
        container["action"] = action
        container["level"] = level
        container["details"] = details
        container["created_at"] = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
