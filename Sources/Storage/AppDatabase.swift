import Foundation
import GRDB

/// The one door to a database file: opens it the safe way for the job, and owns the GRDB connection.
///
/// `.readOnly` opens with `SQLITE_OPEN_READONLY` (browsing, verification): it never creates, converts or journals
/// the file. `.readWrite` opens an existing file; `.create` also creates a missing one. Neither write mode changes the
/// journal mode (the legacy app uses SQLite's default rollback journal, and so do we). Foreign keys are off, as in the
/// legacy app: existing orphan rows stay readable and writable; `DatabaseService` deletes dependents itself.
public final class AppDatabase: Sendable {
    public enum OpenMode: Sendable, Hashable {
        case readOnly
        case readWrite
        case create
    }

    public let path: String
    public let mode: OpenMode
    /// The connection. In `.readOnly` mode every write through it fails with SQLITE_READONLY.
    public let writer: DatabaseQueue
    public var reader: any DatabaseReader { writer }

    private init(path: String, mode: OpenMode, writer: DatabaseQueue) {
        self.path = path; self.mode = mode; self.writer = writer
    }

    /// Opens `path` after checking, without writing, that the open can succeed.
    /// - Parameter busyTimeout: how long to wait for another writer's lock before failing with `.locked`
    ///   (0 = fail at once, which is what the CLI wants: a clear message instead of a hang).
    public static func open(at path: String, mode: OpenMode, busyTimeout: TimeInterval = 0)
        throws(StorageError) -> AppDatabase {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists, isDirectory.boolValue { throw .isDirectory(path: path) }
        if !exists, mode != .create { throw .fileNotFound(path: path) }
        if exists, mode != .readOnly, !FileAccess.isWritable(path: path) { throw .readOnly(path: path) }
        if !exists {
            let folder = (path as NSString).deletingLastPathComponent
            let folderPath = folder.isEmpty ? "." : folder
            var folderIsDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folderPath, isDirectory: &folderIsDirectory),
                  folderIsDirectory.boolValue else {
                throw .cannotCreate(path: path, reason: "the folder \(folderPath) does not exist")
            }
            guard FileAccess.isWritable(path: folderPath) else {
                throw .cannotCreate(path: path, reason: "the folder \(folderPath) is not writable")
            }
        }
        var configuration = Configuration()
        configuration.readonly = mode == .readOnly
        configuration.foreignKeysEnabled = false
        configuration.busyMode = busyTimeout > 0 ? .timeout(busyTimeout) : .immediateError
        configuration.label = "memconsole"
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            return AppDatabase(path: path, mode: mode, writer: queue)
        } catch let error as DatabaseError {
            throw StorageError(error, path: path)
        } catch {
            throw .sqlite(path: path, message: "\(error)")
        }
    }

    /// The state of the open file (from its schema).
    public func state() throws(StorageError) -> DatabaseState {
        try read { db in try DatabaseInspector.state(of: db) }
    }

    /// Runs `body` in a read transaction, mapping SQLite failures to `StorageError`.
    public func read<T>(_ body: (Database) throws -> T) throws(StorageError) -> T {
        do { return try writer.read(body) } catch { throw mapped(error) }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: all of it is written, or none of it.
    public func write<T>(_ body: (Database) throws -> T) throws(StorageError) -> T {
        do {
            var result: T?
            try writer.inDatabase { db in
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
            }
            return result!
        } catch { throw mapped(error) }
    }

    /// SQLite's `PRAGMA data_version` on this connection: it changes when another connection commits to the file
    /// (WAL or rollback journal alike) and never because of this one. Reading it is a header read; it writes nothing.
    public func dataVersion() throws(StorageError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    /// Closes the connection (also done on deinit).
    public func close() throws(StorageError) {
        do { try writer.close() } catch { throw mapped(error) }
    }

    func mapped(_ error: any Error) -> StorageError {
        if let error = error as? StorageError { return error }
        if let error = error as? DatabaseError { return StorageError(error, path: path) }
        return .sqlite(path: path, message: "\(error)")
    }
}

/// Whether memconsole may write a path.
///
/// Mode bits are honoured even for root: a file someone marked read-only (chmod a-w) is not written, although root
/// could. Then `access(2)` covers ACLs and read-only mounts.
public enum FileAccess {
    public static func isWritable(path: String) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue else { return false }
        if permissions & 0o222 == 0 { return false }
        return access(path, W_OK) == 0
    }
}
