import GRDB

/// The two schemas memconsole knows, as the DDL Storage executes.
///
/// `schema/legacy.sql` and `schema/current.sql` hold the same statements; `StorageTests` proves that what these
/// functions create is identical (normalised `sqlite_master`) to what those files create. The unchanged tables keep
/// the legacy app's exact text, comments included, so a migrated legacy file and a freshly initialised one have the
/// same `sqlite_master` apart from `memories_backup` and the migration's own tables.
public enum StorageSchema {
    /// The five tables both schemas share, in creation order. A file missing any of them is a foreign schema.
    public static let coreTables = ["users", "memory_profiles", "chat_sessions", "chat_messages", "agent_logs"]

    /// Tables of the current schema, in creation order.
    public static let currentTables = ["users", "memory_profiles", "memories_metadata", "chat_sessions",
                                       "chat_messages", "agent_logs"]

    /// Tables of the legacy schema, in creation order.
    public static let legacyTables = ["users", "memory_profiles", "memories", "chat_sessions", "chat_messages",
                                      "agent_logs"]

    /// Indexes `createMemoriesMetadataTable` adds: the plan's `idx_memories_mem0_id`, plus the per-user and
    /// per-profile indexes the legacy `memories` table had (renamed, because the legacy ones stay with
    /// `memories_backup` after the migration renames that table).
    public static let memoriesMetadataIndexes = ["idx_memories_mem0_id", "idx_memories_metadata_user_id",
                                                 "idx_memories_metadata_profile_id"]

    /// Creates the schema of `schema/current.sql` in an empty database.
    public static func createCurrentSchema(in db: Database) throws {
        try db.execute(sql: usersTable)
        try db.execute(sql: memoryProfilesTable)
        try createMemoriesMetadataTable(in: db)
        try db.execute(sql: chatSessionsTable)
        try db.execute(sql: chatMessagesTable)
        try db.execute(sql: agentLogsTable)
    }

    /// Creates the schema of `schema/legacy.sql` (the phase-1 app's tables): for the demo generator and tests.
    public static func createLegacySchema(in db: Database) throws {
        try db.execute(sql: usersTable)
        try db.execute(sql: memoryProfilesTable)
        try db.execute(sql: legacyMemoriesTable)
        try db.execute(sql: chatSessionsTable)
        try db.execute(sql: chatMessagesTable)
        try db.execute(sql: agentLogsTable)
    }

    /// Creates `memories_metadata` and its indexes: the one DDL both `init` and the migration engine use.
    public static func createMemoriesMetadataTable(in db: Database) throws {
        try db.execute(sql: memoriesMetadataTable)
    }

    // MARK: - DDL (keep identical to schema/*.sql)

    static let usersTable = """
        CREATE TABLE users (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            username      VARCHAR(80)  NOT NULL UNIQUE,
            email         VARCHAR(255) UNIQUE,
            display_name  VARCHAR(120),
            created_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
            updated_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
        """

    static let memoryProfilesTable = """
        CREATE TABLE memory_profiles (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name         VARCHAR(120) NOT NULL,
            description  TEXT,
            is_default   BOOLEAN NOT NULL DEFAULT 0,
            created_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
            updated_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
            UNIQUE (user_id, name)
        );
        """

    static let legacyMemoriesTable = """
        CREATE TABLE memories (
            id                 INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            memory_profile_id  INTEGER REFERENCES memory_profiles(id) ON DELETE SET NULL,
            content            TEXT NOT NULL,
            importance_score   FLOAT DEFAULT 0.5,      -- 0.0 .. 1.0
            mentioned_count    INTEGER DEFAULT 1,
            memory_type        VARCHAR(50) DEFAULT 'fact',  -- fact | preference | event | relationship | ...
            tags               TEXT,
            created_at         DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
            updated_at         DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
        CREATE INDEX idx_memories_user_id    ON memories(user_id);
        CREATE INDEX idx_memories_profile_id ON memories(memory_profile_id);
        """

    static let memoriesMetadataTable = """
        CREATE TABLE memories_metadata (
            id                 INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            memory_profile_id  INTEGER REFERENCES memory_profiles(id) ON DELETE SET NULL,
            memory_type        VARCHAR(50) DEFAULT 'fact',  -- fact | preference | event | relationship | ...
            tags               TEXT,
            created_at         DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
            updated_at         DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
            mem0_memory_id     TEXT UNIQUE NOT NULL    -- the id of the Mem0 memory holding the content
        );
        CREATE INDEX idx_memories_mem0_id              ON memories_metadata(mem0_memory_id);
        CREATE INDEX idx_memories_metadata_user_id    ON memories_metadata(user_id);
        CREATE INDEX idx_memories_metadata_profile_id ON memories_metadata(memory_profile_id);
        """

    static let chatSessionsTable = """
        CREATE TABLE chat_sessions (
            id                 INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            memory_profile_id  INTEGER REFERENCES memory_profiles(id) ON DELETE SET NULL,
            title              VARCHAR(200),
            started_at         DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
            ended_at           DATETIME
        );
        CREATE INDEX idx_chat_sessions_user_id ON chat_sessions(user_id);
        """

    static let chatMessagesTable = """
        CREATE TABLE chat_messages (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id  INTEGER NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
            role        VARCHAR(20) NOT NULL,   -- user | assistant | system
            content     TEXT NOT NULL,
            created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
        CREATE INDEX idx_chat_messages_session_id ON chat_messages(session_id);
        """

    static let agentLogsTable = """
        CREATE TABLE agent_logs (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id  INTEGER REFERENCES chat_sessions(id) ON DELETE SET NULL,
            user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
            agent_name  VARCHAR(80) NOT NULL,
            action      VARCHAR(80) NOT NULL,
            level       VARCHAR(10) NOT NULL DEFAULT 'INFO',  -- DEBUG | INFO | WARNING | ERROR
            details     TEXT,                                  -- JSON object, or NULL
            created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
        CREATE INDEX idx_agent_logs_session_id ON agent_logs(session_id);
        """
}
