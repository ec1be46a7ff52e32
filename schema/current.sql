-- The database after plan step 2.1 ("phase 2"): what `memconsole init` creates and
-- what `memconsole migrate` leaves behind (plus `memories_backup` and the
-- migration's journal tables).
--
-- The legacy `memories` table is replaced by `memories_metadata`: it keeps id,
-- user_id, memory_profile_id, memory_type, tags, created_at, updated_at, drops
-- content, importance_score and mentioned_count (now in Mem0), and adds
-- mem0_memory_id. Every other table is unchanged, byte for byte.
--
-- Storage creates exactly this schema (StorageSchema.createCurrentSchema);
-- StorageTests proves the two agree. Documented in docs/database_schema.md.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      VARCHAR(80)  NOT NULL UNIQUE,
    email         VARCHAR(255) UNIQUE,
    display_name  VARCHAR(120),
    created_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

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

-- Metadata linking each memory to the Mem0 memory that now holds its content
-- (content, importance score and mention count live in Mem0; see docs/database_schema.md).
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
-- Carried over from the legacy memories table: the console pages metadata by user and by profile.
CREATE INDEX idx_memories_metadata_user_id    ON memories_metadata(user_id);
CREATE INDEX idx_memories_metadata_profile_id ON memories_metadata(memory_profile_id);

CREATE TABLE chat_sessions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    memory_profile_id  INTEGER REFERENCES memory_profiles(id) ON DELETE SET NULL,
    title              VARCHAR(200),
    started_at         DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ended_at           DATETIME
);
CREATE INDEX idx_chat_sessions_user_id ON chat_sessions(user_id);

CREATE TABLE chat_messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  INTEGER NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
    role        VARCHAR(20) NOT NULL,   -- user | assistant | system
    content     TEXT NOT NULL,
    created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_chat_messages_session_id ON chat_messages(session_id);

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
