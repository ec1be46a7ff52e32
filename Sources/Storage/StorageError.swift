import Foundation

/// Why Storage could not open, inspect or write a database file; each case says what the operator should do.
///
/// Every case leaves the file as it was: Storage checks before it writes and writes inside one transaction.
public enum StorageError: Error, Sendable, Equatable {
    case fileNotFound(path: String)
    case isDirectory(path: String)
    case notSQLite(path: String)
    case corrupt(path: String, detail: String)
    /// Another process holds a lock (SQLITE_BUSY / SQLITE_LOCKED).
    case locked(path: String)
    /// The file, or its folder, cannot be written (mode bits without write permission, or a read-only file system).
    case readOnly(path: String)
    case foreignSchema(path: String, missingTables: [String])
    /// `init` was given a file that already holds the legacy schema: it needs migrating, not initialising.
    case legacyDatabase(path: String)
    /// A migration started on this file and did not finish.
    case partlyMigrated(path: String)
    /// The file already holds the current schema where a legacy one was expected.
    case alreadyMigrated(path: String)
    /// A file that must not be overwritten exists (for example `demo-db` without `--force`).
    case fileExists(path: String)
    /// The file could not be created (missing folder, permissions, disk full).
    case cannotCreate(path: String, reason: String)
    /// A write broke a constraint (duplicate `mem0_memory_id`, a missing user with foreign keys on, ...).
    case constraintViolation(String)
    /// A row the caller named does not exist.
    case rowNotFound(table: String, id: String)
    /// Any other SQLite failure, with SQLite's message.
    case sqlite(path: String, message: String)

    /// One line: what is wrong, then what to do.
    public var operatorMessage: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file. Check the path, or create a database with `memconsole init --database \(path)` or `memconsole demo-db \(path)`."
        case .isDirectory(let path):
            return "\(path) is a directory, not a database file. Give the path of the .db file inside it."
        case .notSQLite(let path):
            return "\(path) is not an SQLite database (its header is not \"SQLite format 3\"). Point memconsole at the chat assistant's database file."
        case .corrupt(let path, let detail):
            return "\(path) is a damaged SQLite database (\(detail)). Restore it from a backup; memconsole did not change it."
        case .locked(let path):
            return "\(path) is locked by another process that is writing to it. Stop that process (or wait for it to finish) and run the command again."
        case .readOnly(let path):
            return "\(path) is read-only, so memconsole cannot write to it. Make it writable (chmod u+w) or work on a copy."
        case .foreignSchema(let path, let missing):
            return "\(path) is an SQLite database but not a chat-assistant one (missing tables: \(missing.joined(separator: ", "))). Point memconsole at the chat assistant's database file."
        case .legacyDatabase(let path):
            return "\(path) holds the legacy schema (a `memories` table); it needs migrating, not initialising. Run `memconsole migrate \(path) --dry-run` to see the plan."
        case .partlyMigrated(let path):
            return "\(path) holds an unfinished migration (both `memories` and `memories_metadata`, or an open migration run). Run `memconsole migrate \(path)` to resume it."
        case .alreadyMigrated(let path):
            return "\(path) already holds the current schema (`memories_metadata`); there is nothing to migrate. Use `memconsole info \(path)` to see its contents."
        case .fileExists(let path):
            return "\(path) already exists; memconsole will not overwrite it. Choose another path or add --force to replace it."
        case .cannotCreate(let path, let reason):
            return "Cannot open or create \(path) (\(reason)). Check that the folder exists and is writable."
        case .constraintViolation(let message):
            return "The change was refused by the database (\(message)). Nothing was written; check the ids and values."
        case .rowNotFound(let table, let id):
            return "No row with id \(id) in \(table). Check the id (it may have been deleted)."
        case .sqlite(let path, let message):
            return "SQLite failed on \(path): \(message). Nothing was written; check the file and run the command again."
        }
    }
}

extension StorageError: LocalizedError {
    public var errorDescription: String? { operatorMessage }
}
