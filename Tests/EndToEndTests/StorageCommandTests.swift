import Foundation
import GRDB
import Storage
import TestSupport
import XCTest

/// `init`, `info` and `demo-db` through the real binary, on real files: what they print, their exit codes, and that a
/// refused file is left byte for byte as it was.
final class StorageCommandTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryDirectory("storage-cli")
    }

    override func tearDownWithError() throws {
        if let folder {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
            try? FileManager.default.removeItem(at: folder)
        }
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    private func listing() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    private func makeDatabase(_ name: String, _ body: (Database) throws -> Void) throws -> String {
        let file = path(name)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: file, configuration: configuration)
        try queue.write(body)
        try queue.close()
        return file
    }

    // MARK: - init

    func testInitCreatesTheCurrentSchemaAndWarnsWhenTheKeyIsUnset() throws {
        let file = path("new.db")
        let output = try runMemconsole(["init", "--database", file], removing: ["MEM0_API_KEY"])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("memories_metadata"), output.stdout)
        XCTAssertTrue(output.stdout.contains("idx_memories_mem0_id"), output.stdout)
        XCTAssertTrue(output.stdout.contains("Mem0, which is initialised separately"), output.stdout)
        XCTAssertTrue(output.stdout.contains("Database ready for Mem0 integration."), output.stdout)
        XCTAssertTrue(output.stderr.contains("warning: MEM0_API_KEY is not set"), output.stderr)
        XCTAssertEqual(try DatabaseInspector.inspect(path: file), .migrated)
        let queue = try DatabaseQueue(path: file)
        try queue.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM memories_metadata"), 0)   // no samples
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "delete")
        }
        XCTAssertEqual(try listing(), ["new.db"])
    }

    func testInitNeverPrintsTheKey() throws {
        let secret = "m0-secret-\(UUID().uuidString)"
        let output = try runMemconsole(["init", "--database", path("k.db")], environment: ["MEM0_API_KEY": secret])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertFalse(output.stdout.contains(secret) || output.stderr.contains(secret))
        XCTAssertFalse(output.stderr.contains("warning"), output.stderr)
        XCTAssertTrue(output.stdout.contains("MEM0_API_KEY is set"), output.stdout)
    }

    func testInitUsesMemconsoleDatabaseFromTheEnvironment() throws {
        let file = path("from-env.db")
        let output = try runMemconsole(["init"], environment: ["MEMCONSOLE_DATABASE": file])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try DatabaseInspector.inspect(path: file), .migrated)
    }

    func testInitOnAnAlreadyCurrentFileChangesNothing() throws {
        let file = path("current.db")
        XCTAssertEqual(try runMemconsole(["init", "--database", file]).status, 0)
        let before = fileFingerprint(URL(fileURLWithPath: file))
        let output = try runMemconsole(["init", "--database", file])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("already holds the current schema"), output.stdout)
        XCTAssertTrue(output.stdout.contains("nothing changed"), output.stdout)
        XCTAssertEqual(fileFingerprint(URL(fileURLWithPath: file)), before)
    }

    func testInitInitialisesAZeroByteFile() throws {
        let file = path("zero.db")
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data()))
        XCTAssertEqual(try runMemconsole(["info", file]).stdout.contains("empty file"), true)
        let output = try runMemconsole(["init", "--database", file])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try DatabaseInspector.inspect(path: file), .migrated)
    }

    // MARK: - info

    func testInfoReportsStateAndEveryTablesRowCount() throws {
        let file = path("demo.db")
        XCTAssertEqual(try runMemconsole(["demo-db", file, "--users", "7", "--memories", "120", "--messages", "800"])
            .status, 0)
        let before = fileFingerprint(URL(fileURLWithPath: file))
        let text = try runMemconsole(["info", file])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("state:   legacy"), text.stdout)
        XCTAssertTrue(text.stdout.contains("memories         120 rows"), text.stdout)
        XCTAssertTrue(text.stdout.contains("chat_messages    800 rows"), text.stdout)

        let json = try runMemconsole(["info", file, "--json", "--check"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["state"] as? String, "legacy")
        let tables = try XCTUnwrap(object["tables"] as? [[String: Any]])
        XCTAssertEqual(tables.map { $0["name"] as? String },
                       ["users", "memory_profiles", "memories", "chat_sessions", "chat_messages", "agent_logs"])
        XCTAssertEqual(tables.first { $0["name"] as? String == "users" }?["rows"] as? Int, 7)
        XCTAssertEqual(fileFingerprint(URL(fileURLWithPath: file)), before)
        XCTAssertEqual(try listing(), ["demo.db"])
    }

    func testInfoWorksOnAReadOnlyFileAndReportsPartlyMigrated() throws {
        let file = try makeDatabase("partly.db") { db in
            try StorageSchema.createLegacySchema(in: db)
            try StorageSchema.createMemoriesMetadataTable(in: db)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file)
        let before = fileFingerprint(URL(fileURLWithPath: file))
        let output = try runMemconsole(["info", file])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("state:   partly migrated"), output.stdout)
        XCTAssertTrue(output.stdout.contains("memories_metadata  0 rows"), output.stdout)
        XCTAssertEqual(fileFingerprint(URL(fileURLWithPath: file)), before)
    }

    // MARK: - demo-db

    func testDemoDatabaseIsDeterministicAndRefusesToOverwrite() throws {
        let arguments = ["--users", "5", "--memories", "60", "--messages", "400", "--seed", "9"]
        XCTAssertEqual(try runMemconsole(["demo-db", path("a.db")] + arguments).status, 0)
        XCTAssertEqual(try runMemconsole(["demo-db", path("b.db")] + arguments).status, 0)
        XCTAssertEqual(fileFingerprint(URL(fileURLWithPath: path("a.db"))),
                       fileFingerprint(URL(fileURLWithPath: path("b.db"))))
        let forced = try runMemconsole(["demo-db", path("b.db"), "--force", "--seed", "10"] + arguments.prefix(6))
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertNotEqual(fileFingerprint(URL(fileURLWithPath: path("a.db"))),
                          fileFingerprint(URL(fileURLWithPath: path("b.db"))))
        XCTAssertEqual(try listing(), ["a.db", "b.db"])
    }

    // MARK: - Bad input

    /// One bad input: the command, what it is given, the exit code and the words the message must carry.
    private struct BadInput {
        var name: String
        var arguments: [String]
        var file: String
        var status: Int32
        var says: String
    }

    /// Runs the case and checks the one-line message, the exit code, and the file (and folder) unchanged.
    private func check(_ input: BadInput, line: UInt = #line) throws {
        let isDirectory = (try? FileManager.default.attributesOfItem(atPath: input.file)[.type] as? FileAttributeType)
            == .typeDirectory
        let before = isDirectory ? nil : fileFingerprint(URL(fileURLWithPath: input.file))
        let files = try listing()
        let output = try runMemconsole(input.arguments)
        XCTAssertEqual(output.status, input.status, "\(input.name): \(output.stderr)", line: line)
        let lines = output.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "\(input.name): one line expected: \(output.stderr)", line: line)
        XCTAssertTrue(output.stderr.hasPrefix("memconsole: error: "), "\(input.name): \(output.stderr)", line: line)
        XCTAssertTrue(output.stderr.contains(input.says), "\(input.name): \(output.stderr)", line: line)
        if !isDirectory {
            XCTAssertEqual(fileFingerprint(URL(fileURLWithPath: input.file)), before, "\(input.name) changed the file",
                           line: line)
        }
        XCTAssertEqual(try listing(), files, "\(input.name) left files behind", line: line)
    }

    func testNotSQLite() throws {
        let file = path("notes.db")
        try Data("these are not the droids\n".utf8).write(to: URL(fileURLWithPath: file))
        try check(BadInput(name: "info", arguments: ["info", file], file: file, status: 12, says: "not an SQLite"))
        try check(BadInput(name: "init", arguments: ["init", "--database", file], file: file, status: 12,
                           says: "not an SQLite"))
    }

    func testTruncatedDatabase() throws {
        let file = path("truncated.db")
        XCTAssertEqual(try runMemconsole(["demo-db", file, "--memories", "300", "--messages", "2000"]).status, 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: file))
        try check(BadInput(name: "info", arguments: ["info", file], file: file, status: 13, says: "damaged"))
        try check(BadInput(name: "init", arguments: ["init", "--database", file], file: file, status: 13,
                           says: "truncated"))
    }

    func testDirectory() throws {
        let dir = path("a-folder")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        try check(BadInput(name: "info", arguments: ["info", dir], file: dir, status: 11, says: "is a directory"))
        try check(BadInput(name: "init", arguments: ["init", "--database", dir], file: dir, status: 11,
                           says: "is a directory"))
        try check(BadInput(name: "demo-db", arguments: ["demo-db", dir], file: dir, status: 11, says: "is a directory"))
    }

    func testMissingPath() throws {
        let file = path("missing.db")
        try check(BadInput(name: "info", arguments: ["info", file], file: file, status: 10, says: "no such file"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: file))
        let inMissingFolder = path("no-such-folder/x.db")
        try check(BadInput(name: "init", arguments: ["init", "--database", inMissingFolder], file: inMissingFolder,
                           status: 21, says: "does not exist"))
    }

    func testReadOnlyFile() throws {
        let zero = path("zero.db")
        XCTAssertTrue(FileManager.default.createFile(atPath: zero, contents: Data()))
        let empty = try makeDatabase("empty.db") { try $0.execute(sql: "PRAGMA user_version = 1") }
        for file in [zero, empty] {
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file)
            try check(BadInput(name: "init read-only", arguments: ["init", "--database", file], file: file, status: 15,
                               says: "read-only"))
        }
        let forced = path("forced.db")
        XCTAssertTrue(FileManager.default.createFile(atPath: forced, contents: Data("x".utf8)))
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: forced)
        try check(BadInput(name: "demo-db --force read-only", arguments: ["demo-db", forced, "--force"], file: forced,
                           status: 15, says: "read-only"))
    }

    func testDatabaseLockedByAnotherWriter() throws {
        let file = try makeDatabase("locked.db") { try StorageSchema.createLegacySchema(in: $0) }
        // The lock is held by another process (the sqlite3 shell): a lock held by this test process would be dropped
        // as soon as the test reads the file for its fingerprint (POSIX locks die with any close() in the process).
        let exclusive = try SQLiteLockHolder(path: file, begin: "BEGIN EXCLUSIVE")
        try check(BadInput(name: "info", arguments: ["info", file], file: file, status: 14, says: "locked"))
        try check(BadInput(name: "init", arguments: ["init", "--database", file], file: file, status: 14,
                           says: "locked"))
        try exclusive.release()
        XCTAssertEqual(try runMemconsole(["info", file]).status, 0)

        // A writer in the middle of a transaction (RESERVED lock) blocks `init` but not `info`.
        let empty = try makeDatabase("empty.db") { try $0.execute(sql: "PRAGMA user_version = 1") }
        let writer = try SQLiteLockHolder(path: empty, begin: "BEGIN IMMEDIATE")
        try check(BadInput(name: "init while writing", arguments: ["init", "--database", empty], file: empty,
                           status: 14, says: "locked"))
        XCTAssertEqual(try runMemconsole(["info", empty]).status, 0)
        try writer.release()
    }

    func testForeignSchema() throws {
        let file = try makeDatabase("photos.db") {
            try $0.execute(sql: "CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT); CREATE TABLE users (id)")
        }
        try check(BadInput(name: "info", arguments: ["info", file], file: file, status: 16,
                           says: "missing tables: memory_profiles, chat_sessions, chat_messages, agent_logs"))
        try check(BadInput(name: "init", arguments: ["init", "--database", file], file: file, status: 16,
                           says: "not a chat-assistant"))
    }

    func testLegacyFileGivenToInit() throws {
        let file = path("legacy.db")
        XCTAssertEqual(try runMemconsole(["demo-db", file, "--memories", "50", "--messages", "100"]).status, 0)
        try check(BadInput(name: "init legacy", arguments: ["init", "--database", file], file: file, status: 17,
                           says: "memconsole migrate \(file) --dry-run"))
    }

    func testPartlyMigratedFileGivenToInit() throws {
        let file = try makeDatabase("partly.db") { db in
            try StorageSchema.createLegacySchema(in: db)
            try StorageSchema.createMemoriesMetadataTable(in: db)
        }
        try check(BadInput(name: "init partly", arguments: ["init", "--database", file], file: file, status: 18,
                           says: "memconsole migrate \(file)"))
    }

    func testDemoDatabaseWithoutForceKeepsTheFile() throws {
        let file = path("precious.db")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: file))
        try check(BadInput(name: "demo-db exists", arguments: ["demo-db", file], file: file, status: 20,
                           says: "--force"))
    }

    func testBadOptionsAreUsageErrors() throws {
        let output = try runMemconsole(["demo-db", path("x.db"), "--users", "0"])
        XCTAssertEqual(output.status, 64, output.stderr)
        XCTAssertTrue(output.stderr.contains("--users must be at least 1"), output.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.db")))
    }
}

/// A `sqlite3` shell process holding a transaction open on a file until `release()`.
private final class SQLiteLockHolder {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init(path: String, begin: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("\(begin);\nSELECT 'holding';\n".utf8))
        // Wait until the shell has the lock (it prints after BEGIN succeeded).
        var received = Data()
        while !String(decoding: received, as: UTF8.self).contains("holding") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw CocoaError(.fileReadUnknown) }
            received.append(chunk)
        }
    }

    func release() throws {
        input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { if process.isRunning { process.terminate() } }
}
