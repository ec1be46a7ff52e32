import Foundation
import GRDB

/// The application's database operations (plan step 2.4: /work/shared/spec/000_bfc2f0b03bd6db9b.txt, STEP 2.4), one type over one `AppDatabase`.
///
/// This service manages memory *metadata* only: the `memories_metadata` rows that link a user and profile to a Mem0
/// memory. Memory content operations (add, search, read, delete the content) are in `Mem0Client`; there is no
/// `incrementMentionCount` and no `searchMemories` here any more. The user, profile, session, message and agent-log
/// operations are the ones the app always had. Every method is one transaction; failures are `StorageError`s.
public struct DatabaseService: Sendable {
    public let database: AppDatabase

    public init(database: AppDatabase) { self.database = database }

    // MARK: - Memory metadata

    /// Inserts a metadata row for a Mem0 memory. Fails with `.constraintViolation` when `mem0MemoryID` is already linked.
    @discardableResult
    public func createMemoryMetadata(userID: Int64, profileID: Int64?, mem0MemoryID: String,
                                     memoryType: String? = "fact", tags: [String] = []) throws(StorageError)
        -> MemoryMetadata {
        guard !mem0MemoryID.isEmpty else { throw .constraintViolation("mem0_memory_id must not be empty") }
        return try database.write { db in
            var row = MemoryMetadata(userID: userID, profileID: profileID, mem0MemoryID: mem0MemoryID,
                                     memoryType: memoryType, tags: LegacyTags(tags))
            try row.insert(db)
            return row
        }
    }

    /// Links a Mem0 memory to a user and profile; safe to repeat (after a crash, or a retried add).
    ///
    /// Creates the row when the Mem0 id is new; when it is already linked to the same user, updates profile, type and
    /// tags and returns it. Linking one Mem0 memory to two users is refused (`.constraintViolation`).
    @discardableResult
    public func linkMem0Memory(userID: Int64, profileID: Int64?, mem0MemoryID: String, memoryType: String? = "fact",
                               tags: [String] = []) throws(StorageError) -> MemoryMetadata {
        guard !mem0MemoryID.isEmpty else { throw .constraintViolation("mem0_memory_id must not be empty") }
        return try database.write { db in
            if var existing = try MemoryMetadata.filter(Column("mem0_memory_id") == mem0MemoryID).fetchOne(db) {
                guard existing.userID == userID else {
                    throw StorageError.constraintViolation(
                        "Mem0 memory \(mem0MemoryID) is already linked to user \(existing.userID)")
                }
                existing.profileID = profileID
                existing.memoryType = memoryType
                existing.tags = LegacyTags(tags)
                existing.updatedAt = .now()
                try existing.update(db)
                return existing
            }
            var row = MemoryMetadata(userID: userID, profileID: profileID, mem0MemoryID: mem0MemoryID,
                                     memoryType: memoryType, tags: LegacyTags(tags))
            try row.insert(db)
            return row
        }
    }

    /// Every metadata row of a profile, by id (a profile holds hundreds of rows, not millions; browse with
    /// `Browse.memoryMetadata(ofProfile:)` when in doubt).
    public func memoryMetadata(byProfile profileID: Int64) throws(StorageError) -> [MemoryMetadata] {
        try database.read { db in
            try MemoryMetadata.filter(Column("memory_profile_id") == profileID).order(Column("id")).fetchAll(db)
        }
    }

    public func memoryMetadata(id: Int64) throws(StorageError) -> MemoryMetadata? {
        try database.read { db in try MemoryMetadata.fetchOne(db, key: id) }
    }

    public func memoryMetadata(byMem0ID mem0MemoryID: String) throws(StorageError) -> MemoryMetadata? {
        try database.read { db in
            try MemoryMetadata.filter(Column("mem0_memory_id") == mem0MemoryID).fetchOne(db)
        }
    }

    /// The Mem0 ids linked to a profile, by metadata id.
    public func allMem0IDs(byProfile profileID: Int64) throws(StorageError) -> [String] {
        try database.read { db in
            try String.fetchAll(db, sql: """
                SELECT mem0_memory_id FROM memories_metadata WHERE memory_profile_id = ? ORDER BY id
                """, arguments: [profileID])
        }
    }

    /// Changes to a metadata row; nil fields stay as they are. `updated_at` is set to now.
    public struct MemoryMetadataChanges: Sendable {
        public var profileID: Int64??
        public var memoryType: String??
        public var tags: [String]?
        public var mem0MemoryID: String?
        public init(profileID: Int64?? = nil, memoryType: String?? = nil, tags: [String]? = nil,
                    mem0MemoryID: String? = nil) {
            self.profileID = profileID; self.memoryType = memoryType; self.tags = tags
            self.mem0MemoryID = mem0MemoryID
        }
    }

    @discardableResult
    public func updateMemoryMetadata(id: Int64, changes: MemoryMetadataChanges) throws(StorageError)
        -> MemoryMetadata {
        try modify(MemoryMetadata.self, id: id) { row in
            if let profileID = changes.profileID { row.profileID = profileID }
            if let memoryType = changes.memoryType { row.memoryType = memoryType }
            if let tags = changes.tags { row.tags = LegacyTags(tags) }
            if let mem0MemoryID = changes.mem0MemoryID { row.mem0MemoryID = mem0MemoryID }
            row.updatedAt = .now()
        }
    }

    /// Deletes a metadata row (not the Mem0 memory: delete that through `Mem0Client`). Returns whether a row existed.
    @discardableResult
    public func deleteMemoryMetadata(id: Int64) throws(StorageError) -> Bool {
        try database.write { db in try MemoryMetadata.deleteOne(db, key: id) }
    }

    // MARK: - Users

    @discardableResult
    public func createUser(username: String, email: String? = nil, displayName: String? = nil)
        throws(StorageError) -> User {
        try database.write { db in
            var user = User(username: username, email: email, displayName: displayName)
            try user.insert(db)
            return user
        }
    }

    public func user(id: Int64) throws(StorageError) -> User? {
        try database.read { db in try User.fetchOne(db, key: id) }
    }

    /// A page of users with their profile, session and memory counts (keyset; never the whole table).
    public func users(_ page: PageRequest, matching text: String? = nil) throws(StorageError) -> Page<UserSummary> {
        try database.read { db in try Browse.users(matching: text, in: db).fetchPage(page, in: db) }
    }

    public func user(username: String) throws(StorageError) -> User? {
        try database.read { db in try User.filter(Column("username") == username).fetchOne(db) }
    }

    /// Changes to a user; nil fields stay as they are.
    public struct UserChanges: Sendable {
        public var username: String?
        public var email: String??
        public var displayName: String??
        public init(username: String? = nil, email: String?? = nil, displayName: String?? = nil) {
            self.username = username; self.email = email; self.displayName = displayName
        }
    }

    @discardableResult
    public func updateUser(id: Int64, changes: UserChanges) throws(StorageError) -> User {
        try modify(User.self, id: id) { user in
            if let username = changes.username { user.username = username }
            if let email = changes.email { user.email = email }
            if let displayName = changes.displayName { user.displayName = displayName }
            user.updatedAt = .now()
        }
    }

    /// Deletes a user and what the app's cascades deleted with it (profiles, sessions and their messages, memory
    /// metadata); agent logs keep their rows with `user_id` and `session_id` set to NULL. Foreign keys are off in
    /// these files, so the service does the cascade itself, in one transaction.
    @discardableResult
    public func deleteUser(id: Int64) throws(StorageError) -> Bool {
        try database.write { db in
            try db.execute(sql: """
                UPDATE agent_logs SET session_id = NULL
                    WHERE session_id IN (SELECT id FROM chat_sessions WHERE user_id = ?);
                UPDATE agent_logs SET user_id = NULL WHERE user_id = ?;
                DELETE FROM chat_messages WHERE session_id IN (SELECT id FROM chat_sessions WHERE user_id = ?);
                DELETE FROM chat_sessions WHERE user_id = ?;
                """, arguments: [id, id, id, id])
            if try db.tableExists("memories_metadata") {
                try db.execute(sql: "DELETE FROM memories_metadata WHERE user_id = ?", arguments: [id])
            }
            try db.execute(sql: "DELETE FROM memory_profiles WHERE user_id = ?", arguments: [id])
            return try User.deleteOne(db, key: id)
        }
    }

    // MARK: - Profiles

    @discardableResult
    public func createProfile(userID: Int64, name: String, description: String? = nil, isDefault: Bool = false)
        throws(StorageError) -> MemoryProfile {
        try database.write { db in
            var profile = MemoryProfile(userID: userID, name: name, description: description, isDefault: isDefault)
            try profile.insert(db)
            return profile
        }
    }

    public func profile(id: Int64) throws(StorageError) -> MemoryProfile? {
        try database.read { db in try MemoryProfile.fetchOne(db, key: id) }
    }

    /// A user's profiles, by id (a handful per user).
    public func profiles(ofUser userID: Int64) throws(StorageError) -> [MemoryProfile] {
        try database.read { db in
            try MemoryProfile.filter(Column("user_id") == userID).order(Column("id")).fetchAll(db)
        }
    }

    /// The user's default profile (the lowest id when several claim to be default).
    public func defaultProfile(ofUser userID: Int64) throws(StorageError) -> MemoryProfile? {
        try profiles(ofUser: userID).first { $0.isDefault }
    }

    /// Changes to a profile; nil fields stay as they are.
    public struct ProfileChanges: Sendable {
        public var name: String?
        public var description: String??
        public var isDefault: Bool?
        public init(name: String? = nil, description: String?? = nil, isDefault: Bool? = nil) {
            self.name = name; self.description = description; self.isDefault = isDefault
        }
    }

    @discardableResult
    public func updateProfile(id: Int64, changes: ProfileChanges) throws(StorageError) -> MemoryProfile {
        try modify(MemoryProfile.self, id: id) { profile in
            if let name = changes.name { profile.name = name }
            if let description = changes.description { profile.description = description }
            if let isDefault = changes.isDefault { profile.isDefault = isDefault }
            profile.updatedAt = .now()
        }
    }

    /// Deletes a profile; rows that pointed at it keep their row with `memory_profile_id` NULL (ON DELETE SET NULL).
    @discardableResult
    public func deleteProfile(id: Int64) throws(StorageError) -> Bool {
        try database.write { db in
            for table in ["memories_metadata", "memories", "chat_sessions"] where try db.tableExists(table) {
                try db.execute(sql: "UPDATE \(table) SET memory_profile_id = NULL WHERE memory_profile_id = ?",
                               arguments: [id])
            }
            return try MemoryProfile.deleteOne(db, key: id)
        }
    }

    // MARK: - Sessions

    @discardableResult
    public func createSession(userID: Int64, profileID: Int64? = nil, title: String? = nil)
        throws(StorageError) -> ChatSession {
        try database.write { db in
            var session = ChatSession(userID: userID, profileID: profileID, title: title)
            try session.insert(db)
            return session
        }
    }

    public func session(id: Int64) throws(StorageError) -> ChatSession? {
        try database.read { db in try ChatSession.fetchOne(db, key: id) }
    }

    /// A page of a user's sessions (keyset).
    public func sessions(ofUser userID: Int64, _ page: PageRequest) throws(StorageError) -> Page<ChatSession> {
        try database.read { db in try Browse.sessions(ofUser: userID).fetchPage(page, in: db) }
    }

    /// Sets `ended_at` to now. Returns the session.
    @discardableResult
    public func endSession(id: Int64) throws(StorageError) -> ChatSession {
        try modify(ChatSession.self, id: id) { session in session.endedAt = .now() }
    }

    /// Deletes a session and its messages; its agent logs keep their rows with `session_id` NULL.
    @discardableResult
    public func deleteSession(id: Int64) throws(StorageError) -> Bool {
        try database.write { db in
            try db.execute(sql: "DELETE FROM chat_messages WHERE session_id = ?", arguments: [id])
            try db.execute(sql: "UPDATE agent_logs SET session_id = NULL WHERE session_id = ?", arguments: [id])
            return try ChatSession.deleteOne(db, key: id)
        }
    }

    // MARK: - Messages

    @discardableResult
    public func addMessage(sessionID: Int64, role: String, content: String) throws(StorageError) -> ChatMessage {
        try database.write { db in
            var message = ChatMessage(sessionID: sessionID, role: role, content: content)
            try message.insert(db)
            return message
        }
    }

    /// The last `limit` messages of a session, oldest first (the conversation context the app sends).
    public func recentMessages(ofSession sessionID: Int64, limit: Int = 20) throws(StorageError) -> [ChatMessage] {
        try database.read { db in
            try Browse.messages(ofSession: sessionID).fetchPage(.last(limit: limit), in: db).rows
        }
    }

    // MARK: - Agent logs

    @discardableResult
    public func logAgentAction(agentName: String, action: String, level: String = "INFO", details: String? = nil,
                               sessionID: Int64? = nil, userID: Int64? = nil) throws(StorageError) -> AgentLog {
        try database.write { db in
            var log = AgentLog(sessionID: sessionID, userID: userID, agentName: agentName, action: action,
                               level: level, details: details)
            try log.insert(db)
            return log
        }
    }

    /// The last `limit` agent logs of a session, oldest first.
    public func agentLogs(ofSession sessionID: Int64, limit: Int = 100) throws(StorageError) -> [AgentLog] {
        try database.read { db in
            try Browse.agentLogs(ofSession: sessionID).fetchPage(.last(limit: limit), in: db).rows
        }
    }

    /// Fetches one row by id, lets `change` edit it and saves it, in one write transaction; a missing row is
    /// `StorageError.rowNotFound` naming the table.
    private func modify<Record: FetchableRecord & MutablePersistableRecord & TableRecord>(
        _ type: Record.Type, id: Int64, _ change: (inout Record) -> Void
    ) throws(StorageError) -> Record {
        try database.write { db in
            guard var row = try Record.fetchOne(db, key: id) else {
                throw StorageError.rowNotFound(table: Record.databaseTableName, id: String(id))
            }
            change(&row)
            try row.update(db)
            return row
        }
    }
}
