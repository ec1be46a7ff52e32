import GRDB

/// A user with the sizes of what they own, for the users list.
public struct UserSummary: FetchableRecord, Sendable, Hashable {
    public var user: User
    public var profileCount: Int64
    public var sessionCount: Int64
    /// The user's legacy memory rows (in the file's `LegacySource`); when the old table was dropped, the user's
    /// `memories_metadata` rows (each a migrated memory).
    public var memoryCount: Int64

    public init(row: Row) throws {
        user = try User(row: row)
        profileCount = row["profile_count"] ?? 0
        sessionCount = row["session_count"] ?? 0
        memoryCount = row["memory_count"] ?? 0
    }
}

/// The browse lists, each a keyset query over an index (or the rowid), filtered by an optional text.
///
/// Usage: `try Browse.messages(ofSession: 7).fetchPage(.last(limit: 50), in: db)`.
/// The text filter is a substring match that folds case and diacritics the same way for every script
/// (`TextFold`, through the `memconsole_fold` SQL function), parameterised; a filtered page walks the ids in order
/// until it has `limit` matches, so a rare match on a huge table costs more.
/// `agentLogs(ofUser:)` walks the rowid range too: the legacy schema has no index on `agent_logs.user_id`, and
/// memconsole does not change the app's tables.
public enum Browse {
    /// Users, with per-user counts of profiles, sessions and memories computed for the page's rows only.
    /// Filter: `username`, `email`, `display_name`.
    public static func users(matching text: String? = nil, countingMemoriesIn source: LegacySource = .memories)
        -> KeysetQuery<UserSummary> {
        let table = source.isInThisFile ? source.tableName : "memories_metadata"
        let memoryCount = "(SELECT count(*) FROM \(table) WHERE \(table).user_id = users.id)"
        let selection = """
            users.*, \
            (SELECT count(*) FROM memory_profiles WHERE memory_profiles.user_id = users.id) AS profile_count, \
            (SELECT count(*) FROM chat_sessions WHERE chat_sessions.user_id = users.id) AS session_count, \
            \(memoryCount) AS memory_count
            """
        return KeysetQuery(table: "users", selection: selection, conditions: [],
                           textColumns: ["username", "email", "display_name"], matching: text) { $0.user.id ?? 0 }
    }

    /// Users, counting memories where the file's legacy rows are (`LegacySource.of(_:)`).
    public static func users(matching text: String? = nil, in db: Database) throws -> KeysetQuery<UserSummary> {
        users(matching: text, countingMemoriesIn: try LegacySource.of(db))
    }

    /// Profiles of a user. Filter: `name`.
    public static func profiles(ofUser userID: Int64, matching text: String? = nil) -> KeysetQuery<MemoryProfile> {
        KeysetQuery(table: "memory_profiles", conditions: [equal("memory_profiles", "user_id", userID)],
                    textColumns: ["name"], matching: text) { $0.id ?? 0 }
    }

    /// Chat sessions of a user. Filter: `title`.
    public static func sessions(ofUser userID: Int64, matching text: String? = nil) -> KeysetQuery<ChatSession> {
        KeysetQuery(table: "chat_sessions", conditions: [equal("chat_sessions", "user_id", userID)],
                    textColumns: ["title"], matching: text) { $0.id ?? 0 }
    }

    /// Messages of a session. Filter: `content`.
    public static func messages(ofSession sessionID: Int64, matching text: String? = nil)
        -> KeysetQuery<ChatMessage> {
        KeysetQuery(table: "chat_messages", conditions: [equal("chat_messages", "session_id", sessionID)],
                    textColumns: ["content"], matching: text) { $0.id ?? 0 }
    }

    /// All agent logs. Filter: `agent_name`, `action`.
    public static func agentLogs(matching text: String? = nil) -> KeysetQuery<AgentLog> {
        KeysetQuery(table: "agent_logs", conditions: [], textColumns: ["agent_name", "action"],
                    matching: text) { $0.id ?? 0 }
    }

    /// Agent logs of a session. Filter: `agent_name`, `action`.
    public static func agentLogs(ofSession sessionID: Int64, matching text: String? = nil)
        -> KeysetQuery<AgentLog> {
        KeysetQuery(table: "agent_logs", conditions: [equal("agent_logs", "session_id", sessionID)],
                    textColumns: ["agent_name", "action"], matching: text) { $0.id ?? 0 }
    }

    /// Agent logs of a user (a rowid walk: there is no index on `agent_logs.user_id`). Filter: `agent_name`, `action`.
    public static func agentLogs(ofUser userID: Int64, matching text: String? = nil) -> KeysetQuery<AgentLog> {
        KeysetQuery(table: "agent_logs", conditions: [equal("agent_logs", "user_id", userID)],
                    textColumns: ["agent_name", "action"], matching: text) { $0.id ?? 0 }
    }

    /// Memory metadata of a user. Filter: `mem0_memory_id`, `tags`.
    public static func memoryMetadata(ofUser userID: Int64, matching text: String? = nil)
        -> KeysetQuery<MemoryMetadata> {
        KeysetQuery(table: "memories_metadata", conditions: [equal("memories_metadata", "user_id", userID)],
                    textColumns: ["mem0_memory_id", "tags"], matching: text) { $0.id ?? 0 }
    }

    /// Every memory metadata row of the file, by id. Filter: `mem0_memory_id`, `tags`, `memory_type`.
    public static func memoryMetadata(matching text: String? = nil) -> KeysetQuery<MemoryMetadata> {
        KeysetQuery(table: "memories_metadata", conditions: [], textColumns: ["mem0_memory_id", "tags", "memory_type"],
                    matching: text) { $0.id ?? 0 }
    }

    /// Memory metadata of a profile. Filter: `mem0_memory_id`, `tags`.
    public static func memoryMetadata(ofProfile profileID: Int64, matching text: String? = nil)
        -> KeysetQuery<MemoryMetadata> {
        KeysetQuery(table: "memories_metadata",
                    conditions: [equal("memories_metadata", "memory_profile_id", profileID)],
                    textColumns: ["mem0_memory_id", "tags"], matching: text) { $0.id ?? 0 }
    }

    /// Legacy memories of a user, from the file's `LegacySource`. Filter: `content`, `tags`.
    public static func legacyMemories(ofUser userID: Int64, in source: LegacySource = .memories,
                                      matching text: String? = nil) -> KeysetQuery<LegacyMemory> {
        KeysetQuery(table: source.tableName, conditions: [equal(source.tableName, "user_id", userID)],
                    textColumns: ["content", "tags"], matching: text) { $0.id ?? 0 }
    }

    /// Legacy memories of a profile, from the file's `LegacySource`. Filter: `content`, `tags`.
    public static func legacyMemories(ofProfile profileID: Int64, in source: LegacySource = .memories,
                                      matching text: String? = nil) -> KeysetQuery<LegacyMemory> {
        KeysetQuery(table: source.tableName, conditions: [equal(source.tableName, "memory_profile_id", profileID)],
                    textColumns: ["content", "tags"], matching: text) { $0.id ?? 0 }
    }

    private static func equal(_ table: String, _ column: String, _ value: Int64) -> QueryCondition {
        QueryCondition("\(table).\(column) = ?", [value.databaseValue])
    }
}
