import Foundation
import GRDB
import Mem0Client
@testable import Migration
import Storage
import TestSupport
import XCTest

/// A fresh legacy demo database (Storage's `DemoDatabaseGenerator`: every legacy mess) in its own temp folder.
func makeLegacyDatabase(memories: Int = 300, users: Int = 12, seed: UInt64 = 7) throws -> URL {
    let folder = try makeTemporaryDirectory("migration")
    let url = folder.appendingPathComponent("chat.db")
    try DemoDatabaseGenerator.write(to: url.path, options: .init(users: users, memories: memories, messages: 80, seed: seed))
    return url
}

/// A client for the shared local server (or a proxy in front of it).
func makeClient(_ url: URL? = nil, dialect: Mem0Dialect = .oss, key: String? = nil, timeout: Duration = .seconds(10))
    throws -> Mem0Client {
    let server = try LocalMem0Server.shared()
    let configuration = Mem0Configuration(baseURL: url ?? server.url, dialect: dialect,
                                          apiKey: APIKey(key ?? server.apiKey)!, connectTimeout: .seconds(2),
                                          requestTimeout: timeout, maxConcurrentRequests: 64,
                                          retryPolicy: Mem0RetryPolicy(maxRetries: 5, baseDelay: .milliseconds(50), maxDelay: .seconds(1)))
    return Mem0Client(configuration: configuration)
}

/// Settings with a unique user-id prefix so tests never see each other's memories.
func testSettings(_ configure: (inout MigrationSettings) -> Void = { _ in }) -> MigrationSettings {
    var settings = MigrationSettings()
    settings.mapping = Mem0UserMapping(source: .id, prefix: "mt-\(UUID().uuidString.prefix(8).lowercased())-")
    settings.sweepDelay = 0.5
    configure(&settings)
    return settings
}

/// Runs the engine to the end and returns the folded report.
func migrate(_ file: URL, client: Mem0Client, settings: MigrationSettings) async -> MigrationReport {
    await MigrationReport.consume(MigrationEngine(file: file, client: client, settings: settings).events())
}

func fingerprint(_ url: URL) -> Data { (try? Data(contentsOf: url)) ?? Data() }

/// `sqlite_master` as comparable text: type, name, table and whitespace-collapsed SQL, sorted (creation order is not
/// part of a schema).
func normalizedSchema(_ db: Database, excluding tables: Set<String> = []) throws -> [String] {
    try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        .filter { !tables.contains($0["tbl_name"]) }
        .map { row in
            let sql: String = row["sql"] ?? ""
            let collapsed = sql.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            return "\(row["type"] as String) \(row["name"] as String) \(row["tbl_name"] as String) \(collapsed)"
        }.sorted()
}

/// Every table's rows as text, for "the file is back to what it was" comparisons.
func tableContents(_ url: URL) throws -> [String: [String]] {
    let queue = try DatabaseQueue(path: url.path)
    return try queue.read { db in
        var result: [String: [String]] = [:]
        for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
            // Sorted: sqlite_sequence rows move when a table is recreated; order is not content.
            result[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)").map { "\($0)" }.sorted()
        }
        return result
    }
}

/// The journal's links per Mem0 user.
func linkedPerUser(_ url: URL) throws -> [String: Int] {
    let queue = try DatabaseQueue(path: url.path)
    return try queue.read { db in
        var result: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT mem0_user_id, COUNT(*) AS n FROM memconsole_migration_journal WHERE state = 'linked' GROUP BY mem0_user_id") {
            result[row["mem0_user_id"]] = row["n"]
        }
        return result
    }
}

/// Asserts Mem0 stores exactly one memory per link for every user (the server's own count, test-only route).
func assertNothingLostOrDuplicated(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws {
    let server = try LocalMem0Server.shared()
    let perUser = try linkedPerUser(url)
    XCTAssertFalse(perUser.isEmpty, "no links", file: file, line: line)
    for (user, linked) in perUser {
        XCTAssertEqual(try server.storedCount(userID: user), linked, "Mem0 count for \(user)", file: file, line: line)
    }
}

func legacyRowCount(_ url: URL) throws -> Int {
    try DatabaseQueue(path: url.path).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM memories") ?? 0 }
}

/// A synchronous read of a database file (GRDB picks its async `read` inside async tests otherwise).
func readDB<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
    try DatabaseQueue(path: path).read(body)
}

func inMemorySchema(_ body: (Database) throws -> Void) throws -> [String] {
    try DatabaseQueue().write { db in try body(db); return try normalizedSchema(db) }
}

/// Another program (the `sqlite3` shell, as the chat app would) holding the file's write lock until `release()`.
final class WriteLockHolder {
    private let process = Process()
    private let input = Pipe()

    init(_ url: URL) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [url.path]
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nSELECT 1;\n".utf8))
        // Wait until the lock is really held: a second writer must be refused.
        let probe = try DatabaseQueue(path: url.path)
        for _ in 0..<100 {
            let held = (try? probe.inDatabase { db -> Bool in
                try db.execute(sql: "BEGIN IMMEDIATE"); try db.execute(sql: "ROLLBACK"); return false
            }) ?? true
            if held { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw NSError(domain: "WriteLockHolder", code: 1, userInfo: [NSLocalizedDescriptionKey: "sqlite3 never took the lock"])
    }

    func release() {
        input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// Asserts two snapshots of table contents are equal, naming only the tables that differ (not dumping them).
func assertSameContents(_ a: [String: [String]], _ b: [String: [String]], file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.keys.sorted(), b.keys.sorted(), "tables", file: file, line: line)
    for table in a.keys.sorted() where a[table] != b[table] {
        XCTFail("table \(table) differs (\(a[table]?.count ?? 0) vs \(b[table]?.count ?? 0) rows)", file: file, line: line)
    }
}
