import Foundation

/// What a file is, as far as memconsole is concerned. Detection never throws for these: they are answers.
public enum DatabaseState: Sendable, Hashable {
    /// A 0-byte file. SQLite treats it as a valid empty database, so `init` may initialise it.
    case emptyFile
    /// An SQLite database with no tables.
    case empty
    /// The phase-1 schema: `memories` and no `memories_metadata`.
    case legacy
    /// The current schema: `memories_metadata` and no `memories` (a `memories_backup` may be present).
    case migrated
    /// Both `memories` and `memories_metadata`, or a migration journal that records an unfinished run.
    case partlyMigrated
    /// An SQLite database without the chat assistant's tables; the text names what is missing.
    case foreignSchema(String)
    /// Not an SQLite file at all.
    case notSQLite
    /// An SQLite file that is damaged (truncated, malformed pages); the text is SQLite's or the header check's finding.
    case corrupt(String)

    /// A short name for lists and JSON: `empty file`, `empty`, `legacy`, `migrated`, `partly migrated`,
    /// `foreign schema`, `not SQLite`, `corrupt`.
    public var name: String {
        switch self {
        case .emptyFile: return "empty file"
        case .empty: return "empty"
        case .legacy: return "legacy"
        case .migrated: return "migrated"
        case .partlyMigrated: return "partly migrated"
        case .foreignSchema: return "foreign schema"
        case .notSQLite: return "not SQLite"
        case .corrupt: return "corrupt"
        }
    }

    /// One sentence for people.
    public var summary: String {
        switch self {
        case .emptyFile: return "an empty (0-byte) file; `memconsole init` can initialise it"
        case .empty: return "an SQLite database with no tables; `memconsole init` can initialise it"
        case .legacy: return "the legacy schema (memories stored locally); ready to migrate to Mem0"
        case .migrated: return "the current schema (memories_metadata linking to Mem0)"
        case .partlyMigrated: return "an unfinished migration; `memconsole migrate` resumes it"
        case .foreignSchema(let detail): return "an SQLite database that is not a chat-assistant database (\(detail))"
        case .notSQLite: return "not an SQLite database"
        case .corrupt(let detail): return "a damaged SQLite database (\(detail))"
        }
    }
}
