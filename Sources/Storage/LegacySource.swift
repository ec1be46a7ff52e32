import GRDB

/// Where a file's legacy memory rows are, decided once from the file's tables and passed to every reader (the
/// browse lists, the user counts, the diff, the journal pages, verification).
///
/// - `memories`: the app's table, before the migration finalizes (a legacy or a partly migrated file);
/// - `memoriesBackup`: the same rows after the migration finalized and kept the old table under its new name;
/// - `backupFile`: the migration dropped the old table (`--skip-backup-table`); the rows are only in the backup copy
///   of the file written before the run (its path is in the migration's run record), as table `memories`.
public enum LegacySource: String, Sendable, Hashable, CaseIterable {
    case memories
    case memoriesBackup = "memories_backup"
    case backupFile = "the backup file"

    /// `memories` when it exists, else `memories_backup`, else the backup file.
    public static func of(_ db: Database) throws -> LegacySource {
        if try db.tableExists(LegacySource.memories.tableName) { return .memories }
        if try db.tableExists(LegacySource.memoriesBackup.tableName) { return .memoriesBackup }
        return .backupFile
    }

    /// The table that holds the rows; for `backupFile` that is `memories` in the backup copy, not in this file.
    public var tableName: String {
        switch self {
        case .memories, .backupFile: return "memories"
        case .memoriesBackup: return "memories_backup"
        }
    }

    /// Whether the rows are in this file (they are not when the old table was dropped).
    public var isInThisFile: Bool { self != .backupFile }

    /// How the operator reads it: `memories`, `memories_backup` or `the backup file`.
    public var name: String { rawValue }
}
