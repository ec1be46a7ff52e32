import Foundation
import GRDB
import Storage
import TestSupport
import XCTest

/// Detection of every state, on real files, without changing them.
final class DetectionTests: StorageTestCase {
    /// Inspects `file` and proves the bytes and the folder's file list did not change.
    func inspectUnchanged(_ file: String, line: UInt = #line) throws -> DatabaseState {
        let before = fileFingerprint(URL(fileURLWithPath: file))
        let listing = try folderContents()
        let state = try DatabaseInspector.inspection(path: file, countingRows: true, thorough: true).state
        XCTAssertEqual(fileFingerprint(URL(fileURLWithPath: file)), before, "file changed", line: line)
        XCTAssertEqual(try folderContents(), listing, "files left behind", line: line)
        return state
    }

    func testZeroByteFileIsAnEmptyFile() throws {
        let file = path("zero.db")
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data()))
        XCTAssertEqual(try inspectUnchanged(file), .emptyFile)
    }

    func testDatabaseWithoutTablesIsEmpty() throws {
        let file = path("empty.db")
        let queue = try queue(at: file)
        try queue.write { try $0.execute(sql: "PRAGMA user_version = 3") }   // forces a real header
        try queue.close()
        XCTAssertEqual(try inspectUnchanged(file), .empty)
    }

    func testLegacyAndMigrated() throws {
        let (legacy, q1) = try legacyDatabase()
        try q1.close()
        XCTAssertEqual(try inspectUnchanged(legacy), .legacy)
        let (current, q2) = try currentDatabase()
        try q2.close()
        XCTAssertEqual(try inspectUnchanged(current), .migrated)
    }

    func testMigratedWithBackupTableIsMigrated() throws {
        let (file, queue) = try legacyDatabase()
        try queue.write { db in
            try StorageSchema.createMemoriesMetadataTable(in: db)
            try db.execute(sql: "ALTER TABLE memories RENAME TO memories_backup")
        }
        try queue.close()
        XCTAssertEqual(try inspectUnchanged(file), .migrated)
    }

    func testBothTablesArePartlyMigrated() throws {
        let (file, queue) = try legacyDatabase()
        try queue.write { try StorageSchema.createMemoriesMetadataTable(in: $0) }
        try queue.close()
        XCTAssertEqual(try inspectUnchanged(file), .partlyMigrated)
    }

    func testRunningMigrationRunIsPartlyMigratedAndAFinishedOneIsNot() throws {
        let (file, queue) = try currentDatabase()
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE memconsole_migration_runs (id TEXT PRIMARY KEY, state TEXT NOT NULL, finished_at TEXT);
                INSERT INTO memconsole_migration_runs VALUES ('r1', 'running', NULL);
                """)
        }
        XCTAssertEqual(try DatabaseInspector.inspect(path: file), .partlyMigrated)
        try queue.write { try $0.execute(sql: "UPDATE memconsole_migration_runs SET state = 'finalized', finished_at = 'x'") }
        try queue.close()
        XCTAssertEqual(try inspectUnchanged(file), .migrated)
    }

    func testJournalRowsBesideTheLegacyTableArePartlyMigrated() throws {
        let (file, queue) = try legacyDatabase()
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE memconsole_migration_journal (legacy_id INTEGER PRIMARY KEY, state TEXT);
                INSERT INTO memconsole_migration_journal VALUES (1, 'pending');
                """)
        }
        try queue.close()
        XCTAssertEqual(try inspectUnchanged(file), .partlyMigrated)
    }

    func testForeignSchemaNamesTheMissingTables() throws {
        let file = path("foreign.db")
        let queue = try queue(at: file)
        try queue.write { try $0.execute(sql: "CREATE TABLE users (id INTEGER PRIMARY KEY); CREATE TABLE photos (x)") }
        try queue.close()
        let inspection = try DatabaseInspector.inspection(path: file, countingRows: false)
        XCTAssertEqual(inspection.state,
                       .foreignSchema("missing tables: memory_profiles, chat_sessions, chat_messages, agent_logs"))
        XCTAssertEqual(inspection.missingCoreTables, ["memory_profiles", "chat_sessions", "chat_messages", "agent_logs"])
    }

    func testTextFileIsNotSQLite() throws {
        let file = path("notes.db")
        try "just some notes\n".write(toFile: file, atomically: false, encoding: .utf8)
        XCTAssertEqual(try inspectUnchanged(file), .notSQLite)
    }

    func testTruncatedDatabaseIsCorrupt() throws {
        let (file, queue) = try legacyDatabase()
        try queue.write { db in
            for i in 0..<2_000 {
                try db.execute(sql: "INSERT INTO chat_messages (session_id, role, content) VALUES (1, 'user', ?)",
                               arguments: [String(repeating: "x", count: 200) + "\(i)"])
            }
        }
        try queue.close()
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: file))
        guard case .corrupt(let detail) = try inspectUnchanged(file) else { return XCTFail("not corrupt") }
        XCTAssertTrue(detail.contains("truncated"), detail)
    }

    func testDamagedPagesAreCorrupt() throws {
        let (file, queue) = try legacyDatabase()
        try queue.write { db in
            for i in 0..<500 {
                try db.execute(sql: "INSERT INTO memories (user_id, content) VALUES (1, ?)",
                               arguments: [String(repeating: "y", count: 300) + "\(i)"])
            }
        }
        try queue.close()
        var data = try Data(contentsOf: URL(fileURLWithPath: file))
        // Overwrite the middle of the file (table and index pages) with garbage, keeping the size.
        for offset in stride(from: data.count / 3, to: data.count * 2 / 3, by: 1) { data[offset] = 0xA5 }
        try data.write(to: URL(fileURLWithPath: file))
        guard case .corrupt = try inspectUnchanged(file) else { return XCTFail("not corrupt") }
    }

    func testMissingPathAndDirectoryThrow() {
        XCTAssertThrowsError(try DatabaseInspector.inspect(path: path("nope.db"))) {
            XCTAssertEqual($0 as? StorageError, .fileNotFound(path: path("nope.db")))
        }
        XCTAssertThrowsError(try DatabaseInspector.inspect(path: folder.path)) {
            XCTAssertEqual($0 as? StorageError, .isDirectory(path: folder.path))
        }
    }

    func testExclusiveLockOfAnotherWriterIsReportedAsLocked() throws {
        let (file, queue) = try legacyDatabase()
        try queue.close()
        // A second process would hold the lock in production; SQLite's locks also apply between connections.
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let holder = try DatabaseQueue(path: file, configuration: configuration)
        try holder.inDatabase { db in
            try db.execute(sql: "BEGIN EXCLUSIVE")
            XCTAssertThrowsError(try DatabaseInspector.inspect(path: file)) {
                XCTAssertEqual($0 as? StorageError, .locked(path: file))
            }
            try db.execute(sql: "ROLLBACK")
        }
        XCTAssertEqual(try DatabaseInspector.inspect(path: file), .legacy)
    }

    func testReadOnlyOpenRefusesWrites() throws {
        let (file, queue) = try legacyDatabase()
        try queue.close()
        let database = try AppDatabase.open(at: file, mode: .readOnly)
        XCTAssertThrowsError(try database.write { try $0.execute(sql: "DELETE FROM users") }) {
            XCTAssertEqual($0 as? StorageError, .readOnly(path: file))
        }
        XCTAssertThrowsError(try AppDatabase.open(at: path("missing.db"), mode: .readOnly))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("missing.db")))
    }

    func testWriteModeHonoursReadOnlyModeBitsEvenForRoot() throws {
        let (file, queue) = try legacyDatabase()
        try queue.close()
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file)
        XCTAssertThrowsError(try AppDatabase.open(at: file, mode: .readWrite)) {
            XCTAssertEqual($0 as? StorageError, .readOnly(path: file))
        }
    }
}
