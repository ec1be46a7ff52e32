import Foundation
import GRDB

/// A file's state plus what `memconsole info` shows: its tables and their row counts.
public struct DatabaseInspection: Sendable, Hashable {
    public struct Table: Sendable, Hashable {
        public var name: String
        /// Exact `count(*)`; nil when counting was not asked for.
        public var rowCount: Int64?
    }

    public var path: String
    public var fileSize: Int64
    public var state: DatabaseState
    /// Tables in `sqlite_master` order (empty for `.emptyFile`, `.notSQLite`, `.corrupt`).
    public var tables: [Table]
    public var indexes: [String]
    /// Core tables the file lacks (non-empty only for `.foreignSchema`).
    public var missingCoreTables: [String]
}

/// Tells what a file is without changing a byte of it.
///
/// Reads the 100-byte header first (magic, page size, page count: a truncated file is caught without reading it
/// all), then opens the file with `SQLITE_OPEN_READONLY` (no journal switch, no `-journal` or `-wal` left behind)
/// and reads `sqlite_master`. A lock held by another writer is thrown as `StorageError.locked`; missing paths and
/// directories as their own errors; everything else is a `DatabaseState`.
public enum DatabaseInspector {
    /// Name of the migration engine's journal of per-row work (owned by Migration).
    public static let migrationJournalTable = "memconsole_migration_journal"
    /// Name of the migration engine's table of runs (owned by Migration).
    public static let migrationRunsTable = "memconsole_migration_runs"

    /// The state of the file at `path`.
    public static func inspect(path: String) throws(StorageError) -> DatabaseState {
        try inspection(path: path, countingRows: false).state
    }

    /// The state, tables, indexes and (when asked) exact row counts of the file at `path`.
    /// - Parameter thorough: also run `PRAGMA quick_check` (reads every page: seconds on a large file).
    public static func inspection(path: String, countingRows: Bool, thorough: Bool = false)
        throws(StorageError) -> DatabaseInspection {
        let size = try fileSize(path: path)
        var result = DatabaseInspection(path: path, fileSize: size, state: .emptyFile, tables: [], indexes: [],
                                        missingCoreTables: [])
        if size == 0 { return result }
        if let headerState = try headerState(path: path, fileSize: size) {
            result.state = headerState
            return result
        }
        do {
            let queue = try openReadOnly(path: path)
            defer { try? queue.close() }
            try queue.read { db in
                let tables = try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                    ORDER BY rowid
                    """)
                result.indexes = try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                    ORDER BY rowid
                    """)
                let names = Set(tables)
                result.missingCoreTables = names.isEmpty ? [] : StorageSchema.coreTables.filter { !names.contains($0) }
                result.state = try state(tables: names, in: db)
                if thorough {
                    let findings = try String.fetchAll(db, sql: "PRAGMA quick_check(5)")
                    if findings != ["ok"] { result.state = .corrupt(findings.joined(separator: "; ")) }
                }
                if countingRows, !isDamaged(result.state) {
                    result.tables = try tables.map { name in
                        DatabaseInspection.Table(
                            name: name,
                            rowCount: try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(name.quotedDatabaseIdentifier)"))
                    }
                } else {
                    result.tables = tables.map { DatabaseInspection.Table(name: $0, rowCount: nil) }
                }
            }
        } catch let error as DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB: result.state = .notSQLite
            case .SQLITE_CORRUPT, .SQLITE_IOERR, .SQLITE_FORMAT, .SQLITE_RANGE:
                result.state = .corrupt(error.message ?? "\(error.resultCode)")
            default: throw StorageError(error, path: path)
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.sqlite(path: path, message: "\(error)")
        }
        return result
    }

    /// The state of an open database, from its schema (for callers that already hold a connection).
    public static func state(of db: Database) throws -> DatabaseState {
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
            """)
        return try state(tables: Set(tables), in: db)
    }

    static func state(tables names: Set<String>, in db: Database) throws -> DatabaseState {
        if names.isEmpty { return .empty }
        let missing = StorageSchema.coreTables.filter { !names.contains($0) }
        if !missing.isEmpty { return .foreignSchema("missing tables: \(missing.joined(separator: ", "))") }
        let hasMemories = names.contains("memories")
        let hasMetadata = names.contains("memories_metadata")
        if hasMemories && hasMetadata { return .partlyMigrated }
        if try hasUnfinishedMigration(tables: names, hasMemories: hasMemories, in: db) { return .partlyMigrated }
        if hasMemories { return .legacy }
        if hasMetadata { return .migrated }
        return .foreignSchema("neither memories nor memories_metadata")
    }

    /// A migration run still `running` (Migration's `memconsole_migration_runs.state`; `finished_at IS NULL` when the
    /// table has no `state` column), or journal rows while `memories` is still in place.
    private static func hasUnfinishedMigration(tables: Set<String>, hasMemories: Bool, in db: Database) throws -> Bool {
        if tables.contains(migrationRunsTable) {
            let columns = Set(try db.columns(in: migrationRunsTable).map(\.name))
            let unfinished = columns.contains("state") ? "state = 'running'"
                : columns.contains("finished_at") ? "finished_at IS NULL" : nil
            if let unfinished,
               try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(migrationRunsTable) WHERE \(unfinished))")
                ?? false {
                return true
            }
        }
        if hasMemories, tables.contains(migrationJournalTable),
           try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(migrationJournalTable))") ?? false {
            return true
        }
        return false
    }

    private static func isDamaged(_ state: DatabaseState) -> Bool {
        if case .corrupt = state { return true }
        return state == .notSQLite
    }

    // MARK: - File checks

    /// The file's size; throws for a missing path or a directory.
    static func fileSize(path: String) throws(StorageError) -> Int64 {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .fileNotFound(path: path)
        }
        if isDirectory.boolValue { throw .isDirectory(path: path) }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// `.notSQLite` or `.corrupt` when the header alone shows it; nil when the header looks sound.
    static func headerState(path: String, fileSize: Int64) throws(StorageError) -> DatabaseState? {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .sqlite(path: path, message: "the file cannot be read (permission denied)")
        }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        let magic = Array("SQLite format 3\0".utf8)
        guard header.count >= magic.count, Array(header[0..<magic.count]) == magic else { return .notSQLite }
        guard header.count == 100 else { return .corrupt("the file is truncated inside its 100-byte header") }
        func be(_ offset: Int, _ count: Int) -> Int64 {
            (0..<count).reduce(Int64(0)) { $0 << 8 | Int64(header[offset + $1]) }
        }
        var pageSize = be(16, 2)
        if pageSize == 1 { pageSize = 65_536 }
        guard pageSize >= 512, pageSize <= 65_536, pageSize & (pageSize - 1) == 0 else {
            return .corrupt("the header has an invalid page size \(pageSize)")
        }
        let pageCount = be(28, 4)
        let headerCountIsValid = pageCount > 0 && be(24, 4) == be(92, 4)
        if headerCountIsValid, fileSize < pageCount * pageSize {
            return .corrupt("the file is truncated: the header says \(pageCount) pages of \(pageSize) bytes "
                            + "(\(pageCount * pageSize) bytes) but the file has \(fileSize)")
        }
        return nil
    }

    static func openReadOnly(path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.foreignKeysEnabled = false
        configuration.label = "memconsole.inspect"
        return try DatabaseQueue(path: path, configuration: configuration)
    }
}

extension StorageError {
    /// Maps an SQLite failure on `path` to what the operator must know.
    public init(_ error: DatabaseError, path: String) {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .locked(path: path)
        case .SQLITE_READONLY, .SQLITE_PERM: self = .readOnly(path: path)
        case .SQLITE_NOTADB: self = .notSQLite(path: path)
        case .SQLITE_CORRUPT, .SQLITE_IOERR, .SQLITE_FORMAT:
            self = .corrupt(path: path, detail: error.message ?? "\(error.resultCode)")
        case .SQLITE_CONSTRAINT: self = .constraintViolation(error.message ?? "constraint failed")
        case .SQLITE_CANTOPEN: self = .cannotCreate(path: path, reason: error.message ?? "unable to open")
        default: self = .sqlite(path: path, message: error.message ?? "\(error.resultCode)")
        }
    }
}
