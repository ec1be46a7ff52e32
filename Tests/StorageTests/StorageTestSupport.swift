import Foundation
import GRDB
import Storage
import TestSupport
import XCTest

/// A temp folder per test case, with helpers to make real database files in it.
class StorageTestCase: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryDirectory("storage-tests")
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A writable connection on a new file, foreign keys off like the legacy app.
    func queue(at path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    func legacyDatabase(_ name: String = "legacy.db") throws -> (String, DatabaseQueue) {
        let file = path(name)
        let queue = try queue(at: file)
        try queue.write { try StorageSchema.createLegacySchema(in: $0) }
        return (file, queue)
    }

    func currentDatabase(_ name: String = "current.db") throws -> (String, DatabaseQueue) {
        let file = path(name)
        let queue = try queue(at: file)
        try queue.write { try StorageSchema.createCurrentSchema(in: $0) }
        return (file, queue)
    }

    /// Names of the files in the temp folder (to prove no `-journal`/`-wal` was left behind).
    func folderContents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }
}

/// `sqlite_master` with whitespace collapsed: what "the same schema" means.
func normalisedSchema(of db: Database) throws -> [String] {
    try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").map { row in
        let sql: String? = row["sql"]
        let normalised = sql.map { $0.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") } ?? "NULL"
        return "\(row["type"] as String) | \(row["name"] as String) | \(row["tbl_name"] as String) | \(normalised)"
    }
}
