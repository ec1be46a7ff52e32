import Foundation
import GRDB
import Storage
import TestSupport
import XCTest

/// The demo generator writes a deterministic legacy file that carries every mess, and every row decodes.
final class DemoDatabaseGeneratorTests: StorageTestCase {
    let small = DemoDatabaseGenerator.Options(users: 12, memories: 300, messages: 3_000, seed: 42)

    func testSameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws {
        try DemoDatabaseGenerator.write(to: path("a.db"), options: small)
        try DemoDatabaseGenerator.write(to: path("b.db"), options: small)
        var other = small
        other.seed = 43
        try DemoDatabaseGenerator.write(to: path("c.db"), options: other)
        let a = try Data(contentsOf: URL(fileURLWithPath: path("a.db")))
        XCTAssertEqual(a, try Data(contentsOf: URL(fileURLWithPath: path("b.db"))))
        XCTAssertNotEqual(a, try Data(contentsOf: URL(fileURLWithPath: path("c.db"))))
        XCTAssertEqual(try folderContents(), ["a.db", "b.db", "c.db"])   // no partial or journal files left
    }

    func testFileIsLegacyInDeleteJournalModeWithTheRequestedCounts() throws {
        let file = path("demo.db")
        let summary = try DemoDatabaseGenerator.write(to: file, options: small)
        XCTAssertEqual(try DatabaseInspector.inspect(path: file), .legacy)
        let queue = try DatabaseQueue(path: file)
        try queue.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "delete")
            XCTAssertEqual(try User.fetchCount(db), 12)
            XCTAssertEqual(try LegacyMemory.fetchCount(db), 300)
            XCTAssertEqual(try ChatMessage.fetchCount(db), 3_000)
            XCTAssertEqual(summary.sessions, 75)
            XCTAssertEqual(try AgentLog.fetchCount(db), summary.agentLogs)
        }
    }

    func testEveryMessIsPresentAndEveryRowDecodes() throws {
        let file = path("demo.db")
        try DemoDatabaseGenerator.write(to: file, options: small)
        let queue = try DatabaseQueue(path: file)
        try queue.read { db in
            let memories = try LegacyMemory.order(Column("id")).fetchAll(db)
            let contents = memories.map(\.content)
            XCTAssertTrue(contents.contains(""))
            XCTAssertTrue(contents.contains { !$0.isEmpty && $0.allSatisfy(\.isWhitespace) })
            XCTAssertTrue(contents.contains { $0.utf8.count >= 40_000 })
            XCTAssertTrue(contents.contains { $0.contains("寿司") })
            XCTAssertTrue(contents.contains { $0.contains("👨‍👩‍👧‍👦") })
            XCTAssertTrue(contents.contains { $0.contains("القهوة") })
            XCTAssertTrue(contents.contains { $0.unicodeScalars.contains("\u{301}") })
            XCTAssertTrue(contents.contains { $0.contains("'); DROP TABLE users;--") })
            let formats = Set(memories.map(\.tags.format))
            XCTAssertEqual(formats, Set(LegacyTags.Format.allCases))
            let dates = Set(memories.map(\.createdAt.format))
            XCTAssertTrue(dates.isSuperset(of: [.sqlWithFraction, .sqlWithoutFraction, .iso8601]))
            XCTAssertTrue(memories.allSatisfy { $0.createdAt.date != nil && $0.updatedAt.date != nil })
            XCTAssertTrue(memories.contains { $0.importanceScore == nil })
            XCTAssertTrue(memories.contains { $0.mentionedCount == nil })
            XCTAssertTrue(memories.contains { $0.memoryType == nil })
            // Orphans and duplicates.
            XCTAssertGreaterThan(try Int.fetchOne(db, sql: """
                SELECT count(*) FROM memories WHERE user_id NOT IN (SELECT id FROM users)
                """) ?? 0, 0)
            XCTAssertGreaterThan(try Int.fetchOne(db, sql: """
                SELECT count(*) FROM memories
                WHERE memory_profile_id IS NOT NULL AND memory_profile_id NOT IN (SELECT id FROM memory_profiles)
                """) ?? 0, 0)
            XCTAssertGreaterThan(try Int.fetchOne(db, sql: """
                SELECT count(*) FROM (SELECT 1 FROM memories GROUP BY user_id, memory_profile_id, content
                                      HAVING count(*) > 1)
                """) ?? 0, 0)
            XCTAssertGreaterThan(try Int.fetchOne(db, sql: """
                SELECT count(*) FROM chat_messages WHERE session_id NOT IN (SELECT id FROM chat_sessions)
                """) ?? 0, 0)
            let logs = try AgentLog.fetchAll(db)
            XCTAssertTrue(logs.contains { $0.sessionID == nil && $0.userID == nil })
            XCTAssertTrue(logs.contains { $0.parsedDetails == .absent })
            XCTAssertTrue(logs.contains { if case .unreadable = $0.parsedDetails { return true } else { return false } })
            XCTAssertTrue(logs.contains { if case .json = $0.parsedDetails { return true } else { return false } })
            // Everything else decodes too.
            XCTAssertEqual(try User.fetchAll(db).count, 12)
            XCTAssertTrue(try MemoryProfile.fetchAll(db).contains { $0.isDefault })
            XCTAssertTrue(try ChatSession.fetchAll(db).contains { $0.endedAt == nil })
            XCTAssertEqual(try ChatMessage.fetchAll(db).count, 3_000)
        }
    }

    func testRefusesToOverwriteWithoutForce() throws {
        let file = path("taken.db")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: file))
        XCTAssertThrowsError(try DemoDatabaseGenerator.write(to: file, options: small)) {
            XCTAssertEqual($0 as? StorageError, .fileExists(path: file))
        }
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "keep me")
        try DemoDatabaseGenerator.write(to: file, options: small, overwrite: true)
        XCTAssertEqual(try DatabaseInspector.inspect(path: file), .legacy)
    }
}
