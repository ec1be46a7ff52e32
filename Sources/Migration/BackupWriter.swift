import Foundation
import GRDB

/// Writes a verified copy of the database through SQLite's online backup, before the migration changes anything.
///
/// The copy is created with mode 0600 (it holds every user's memories) next to the file, named with the run id. It is
/// checked with `PRAGMA integrity_check` and a row count of every table against the source; a copy that fails the
/// check is deleted and the run stops with nothing changed.
enum BackupWriter {
    static func backupURL(for file: URL, runID: String) -> URL {
        file.deletingLastPathComponent().appendingPathComponent("\(file.lastPathComponent).backup-\(runID).sqlite")
    }

    /// Returns the size of the verified copy. `progress` gets (pages copied, pages in all) as SQLite's backup steps
    /// through the file, 1024 pages (4 MiB at the default page size) a step.
    static func write(from source: DatabaseQueue, to url: URL,
                      progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> Int64 {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: url.path) else {
            throw MigrationError.backupFailed("\(url.path) already exists")
        }
        guard manager.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw MigrationError.backupFailed("cannot create \(url.path) (is the folder writable?)")
        }
        do {
            let destination = try DatabaseQueue(path: url.path)
            try source.backup(to: destination, pagesPerStep: 1024) { step in
                progress?(step.completedPageCount, step.totalPageCount)
            }
            let check = try destination.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
            guard check == ["ok"] else { throw MigrationError.backupFailed("integrity_check said \(check.prefix(3))") }
            let sourceCounts = try source.read(rowCounts)
            let copyCounts = try destination.read(rowCounts)
            guard sourceCounts == copyCounts else {
                throw MigrationError.backupFailed("row counts differ between the file and its copy")
            }
            try destination.close()
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            let size = (try manager.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0
            return size
        } catch let error as MigrationError {
            try? manager.removeItem(at: url)
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL || error.resultCode == .SQLITE_IOERR {
            // SQLite's own text here is often "not an error" (it is read from the other connection): say what it means.
            try? manager.removeItem(at: url)
            throw MigrationError.backupFailed("the copy could not be written in \(url.deletingLastPathComponent().path) "
                + "(disk full or I/O error, SQLite code \(error.extendedResultCode.rawValue))")
        } catch {
            try? manager.removeItem(at: url)
            throw MigrationError.backupFailed("\(error)")
        }
    }

    static func rowCounts(_ db: Database) throws -> [String: Int] {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        var counts: [String: Int] = [:]
        for table in tables { counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.quotedDatabaseIdentifier)") }
        return counts
    }
}
