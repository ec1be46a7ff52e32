import Foundation
import GRDB
import Storage
import XCTest

/// Keyset pages: correct rows in both directions, filters, counts, and query plans that never scan a big table.
final class KeysetPagingTests: StorageTestCase {
    var queue: DatabaseQueue!

    override func setUpWithError() throws {
        try super.setUpWithError()
        (_, queue) = try legacyDatabase()
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO users (id, username, email) VALUES (1, 'alice', 'a@x'), (2, 'bob', NULL), (3, 'carol_50%', NULL);
                INSERT INTO memory_profiles (id, user_id, name) VALUES (1, 1, 'default'), (2, 1, 'work'), (3, 2, 'default');
                INSERT INTO chat_sessions (id, user_id) VALUES (1, 1), (2, 2), (3, 1);
                """)
            // Messages of session 1 interleaved with session 2: ids 1..200, odd ids in session 1.
            for i in 1...200 {
                try db.execute(sql: "INSERT INTO chat_messages (id, session_id, role, content) VALUES (?, ?, 'user', ?)",
                               arguments: [i, i % 2 == 1 ? 1 : 2, i % 10 == 0 ? "100% sure_\(i)" : "msg \(i)"])
            }
            for i in 1...30 {
                try db.execute(sql: "INSERT INTO memories (user_id, memory_profile_id, content) VALUES (?, ?, ?)",
                               arguments: [i % 3 == 0 ? 2 : 1, i % 3 == 0 ? 3 : 1 + i % 2, "memory \(i)"])
            }
        }
    }

    func ids(_ page: Page<ChatMessage>) -> [Int64] { page.rows.compactMap(\.id) }

    func testForwardAndBackwardPagesAreAscendingAndComplete() throws {
        let query = Browse.messages(ofSession: 1)
        try queue.read { db in
            let first = try query.fetchPage(.first(limit: 10), in: db)
            XCTAssertEqual(ids(first), Array(stride(from: 1, through: 19, by: 2)))
            XCTAssertFalse(first.hasPrevious)
            XCTAssertTrue(first.hasNext)
            let second = try query.fetchPage(.after(19, limit: 10), in: db)
            XCTAssertEqual(ids(second).first, 21)
            XCTAssertTrue(second.hasPrevious)
            let last = try query.fetchPage(.last(limit: 10), in: db)
            XCTAssertEqual(ids(last), Array(stride(from: 181, through: 199, by: 2)))
            XCTAssertTrue(last.hasPrevious)
            XCTAssertFalse(last.hasNext)
            let before = try query.fetchPage(.before(181, limit: 10), in: db)
            XCTAssertEqual(ids(before), Array(stride(from: 161, through: 179, by: 2)))
            XCTAssertTrue(before.hasNext)
            XCTAssertTrue(before.hasPrevious)
            let start = try query.fetchPage(.before(5, limit: 10), in: db)
            XCTAssertEqual(ids(start), [1, 3])
            XCTAssertFalse(start.hasPrevious)
            let end = try query.fetchPage(.after(199, limit: 10), in: db)
            XCTAssertEqual(ids(end), [])
            XCTAssertTrue(end.hasPrevious)
            XCTAssertFalse(end.hasNext)
        }
    }

    func testWalkingEveryPageVisitsEveryRowOnce() throws {
        try queue.read { db in
            var seen: [Int64] = []
            var page = try Browse.messages(ofSession: 2).fetchPage(.first(limit: 7), in: db)
            seen += ids(page)
            while page.hasNext, let last = page.rows.last?.id {
                page = try Browse.messages(ofSession: 2).fetchPage(.after(last, limit: 7), in: db)
                seen += ids(page)
            }
            XCTAssertEqual(seen, Array(stride(from: 2, through: 200, by: 2)))
        }
    }

    func testTextFilterIsLiteralAndParameterised() throws {
        try queue.read { db in
            let percent = try Browse.messages(ofSession: 2, matching: "100%").fetchPage(.first(limit: 50), in: db)
            XCTAssertEqual(percent.rows.count, 20)
            let underscore = try Browse.messages(ofSession: 2, matching: "sure_2").fetchPage(.first(limit: 50), in: db)
            XCTAssertEqual(ids(underscore), [20, 200])
            let injection = try Browse.messages(ofSession: 1, matching: "'); DROP TABLE users;--")
                .fetchPage(.first(limit: 5), in: db)
            XCTAssertEqual(injection.rows.count, 0)
            XCTAssertEqual(try User.fetchCount(db), 3)
            let users = try Browse.users(matching: "50%").fetchPage(.first(limit: 5), in: db)
            XCTAssertEqual(users.rows.map(\.user.username), ["carol_50%"])
        }
    }

    func testUsersPageCarriesCountsOfItsRows() throws {
        try queue.read { db in
            let page = try Browse.users(in: db).fetchPage(.first(limit: 2), in: db)
            XCTAssertEqual(page.rows.map(\.user.username), ["alice", "bob"])
            XCTAssertEqual(page.rows.map(\.profileCount), [2, 1])
            XCTAssertEqual(page.rows.map(\.sessionCount), [2, 1])
            XCTAssertEqual(page.rows.map(\.memoryCount), [20, 10])
            XCTAssertTrue(page.hasNext)
        }
    }

    func testListsOfAUserAndOfAProfile() throws {
        try queue.read { db in
            XCTAssertEqual(try Browse.profiles(ofUser: 1).fetchPage(.last(limit: 5), in: db).rows.map(\.name),
                           ["default", "work"])
            XCTAssertEqual(try Browse.sessions(ofUser: 1).fetchPage(.first(limit: 5), in: db).rows.compactMap(\.id),
                           [1, 3])
            let ofProfile = try Browse.legacyMemories(ofProfile: 2).fetchPage(.first(limit: 100), in: db)
            XCTAssertEqual(ofProfile.rows.count, 10)
            XCTAssertTrue(ofProfile.rows.allSatisfy { $0.profileID == 2 })
            let ofUser = try Browse.legacyMemories(ofUser: 2, matching: "memory 3").fetchPage(.first(limit: 9), in: db)
            XCTAssertEqual(ofUser.rows.map(\.content), ["memory 3", "memory 30"])
        }
    }

    func testMetadataAndBackupLists() throws {
        try queue.write { db in
            try StorageSchema.createMemoriesMetadataTable(in: db)
            try db.execute(sql: """
                INSERT INTO memories_metadata (user_id, memory_profile_id, tags, mem0_memory_id)
                    SELECT user_id, memory_profile_id, '["t"]', 'mem-' || id FROM memories;
                ALTER TABLE memories RENAME TO memories_backup;
                """)
        }
        try queue.read { db in
            XCTAssertEqual(try LegacySource.of(db), .memoriesBackup)
            XCTAssertEqual(try Browse.memoryMetadata(ofProfile: 3).fetchPage(.first(limit: 50), in: db).rows.count, 10)
            XCTAssertEqual(try Browse.memoryMetadata(ofUser: 1, matching: "mem-1")
                .fetchPage(.first(limit: 50), in: db).rows.map(\.mem0MemoryID),
                           ["mem-1", "mem-10", "mem-11", "mem-13", "mem-14", "mem-16", "mem-17", "mem-19"])
            XCTAssertEqual(try Browse.legacyMemories(ofUser: 2, in: .memoriesBackup)
                .fetchPage(.first(limit: 50), in: db).rows.count, 10)
        }
    }

    /// Every list's page query, in every direction, is an index or rowid range (no full table scan).
    func testQueryPlansUseIndexesOrRowidRanges() throws {
        try queue.write { db in
            try StorageSchema.createMemoriesMetadataTable(in: db)
            // Realistic proportions, so the planner's choice is the one a real file gets.
            try db.execute(sql: """
                WITH RECURSIVE n(i) AS (SELECT 4 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
                INSERT INTO users (id, username) SELECT i, 'user' || i FROM n;
                INSERT INTO memory_profiles (user_id, name) SELECT id, 'default' FROM users WHERE id > 3;
                INSERT INTO memory_profiles (user_id, name) SELECT id, 'work' FROM users WHERE id > 3;
                INSERT INTO chat_sessions (user_id) SELECT id FROM users WHERE id > 3;
                INSERT INTO agent_logs (session_id, user_id, agent_name, action) SELECT id, user_id, 'a', 'b' FROM chat_sessions;
                INSERT INTO memories (user_id, content) SELECT id, 'x' FROM users;
                ANALYZE;
                """)
        }
        try queue.read { db in
            let requests: [PageRequest] = [.first(limit: 50), .after(10, limit: 50), .before(100, limit: 50),
                                           .last(limit: 50)]
            // (list, its table, whether an index on the equality column must be used, the plan)
            let plans: [(String, String, Bool, (PageRequest) throws -> [String])] = [
                ("users", "users", false, { try Browse.users(countingMemoriesIn: .memories).queryPlan($0, in: db) }),
                ("profiles of user", "memory_profiles", true, { try Browse.profiles(ofUser: 1).queryPlan($0, in: db) }),
                ("sessions of user", "chat_sessions", true, { try Browse.sessions(ofUser: 1).queryPlan($0, in: db) }),
                ("messages of session", "chat_messages", true,
                 { try Browse.messages(ofSession: 1).queryPlan($0, in: db) }),
                ("agent logs", "agent_logs", false, { try Browse.agentLogs().queryPlan($0, in: db) }),
                ("agent logs of session", "agent_logs", true,
                 { try Browse.agentLogs(ofSession: 1).queryPlan($0, in: db) }),
                // No index on agent_logs.user_id in the app's schema: a rowid walk (documented).
                ("agent logs of user", "agent_logs", false, { try Browse.agentLogs(ofUser: 1).queryPlan($0, in: db) }),
                ("metadata of user", "memories_metadata", true,
                 { try Browse.memoryMetadata(ofUser: 1).queryPlan($0, in: db) }),
                ("metadata of profile", "memories_metadata", true,
                 { try Browse.memoryMetadata(ofProfile: 1).queryPlan($0, in: db) }),
                ("legacy memories of user", "memories", true,
                 { try Browse.legacyMemories(ofUser: 1).queryPlan($0, in: db) }),
                ("legacy memories of profile", "memories", true,
                 { try Browse.legacyMemories(ofProfile: 1).queryPlan($0, in: db) }),
            ]
            for (name, table, usesIndex, plan) in plans {
                for request in requests {
                    let details = try plan(request)
                    let context = "\(name) \(request.anchor): \(details)"
                    let access = try XCTUnwrap(details.first { $0.hasPrefix("SCAN \(table)") || $0.hasPrefix("SEARCH \(table)") },
                                               context)
                    if usesIndex {
                        XCTAssertTrue(access.hasPrefix("SEARCH \(table) USING") && access.contains("INDEX"), context)
                    } else {
                        // Rowid order: a range search, or a walk in id order that stops at the LIMIT.
                        XCTAssertTrue(access == "SCAN \(table)" || access.contains("INTEGER PRIMARY KEY"), context)
                    }
                    // Profiles come from the (user_id, name) unique index and are sorted: a user has a handful.
                    if name != "profiles of user" {
                        XCTAssertFalse(details.contains { $0.contains("TEMP B-TREE") }, context)
                    }
                    if name == "users" {
                        for counted in ["memory_profiles", "chat_sessions", "memories"] {
                            XCTAssertTrue(details.contains { $0.contains("SEARCH \(counted) USING") && $0.contains("INDEX") },
                                          "count of \(counted): \(context)")
                        }
                    }
                }
            }
        }
    }

    /// The last page of a 1M-row messages table is exact, and its plan is an index range.
    func testLastPageOfAMillionMessages() throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM chat_messages")
            try db.execute(sql: """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
                INSERT INTO chat_messages (id, session_id, role, content) SELECT i, i % 1000, 'user', 'm' || i FROM n
                """)
        }
        try queue.read { db in
            XCTAssertEqual(try ChatMessage.fetchCount(db), 1_000_000)
            let query = Browse.messages(ofSession: 7)
            let last = try query.fetchPage(.last(limit: 25), in: db)
            XCTAssertEqual(last.rows.compactMap(\.id), (975..<1000).map { Int64($0 * 1000 + 7) })
            XCTAssertEqual(last.rows.last?.content, "m999007")
            XCTAssertTrue(last.hasPrevious)
            XCTAssertFalse(last.hasNext)
            let plan = try query.queryPlan(.last(limit: 25), in: db)
            XCTAssertTrue(plan.contains { $0.contains("SEARCH chat_messages USING") && $0.contains("session_id=?") },
                          "\(plan)")
            XCTAssertFalse(plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
            let everything = try Browse.agentLogs().fetchPage(.last(limit: 5), in: db)
            XCTAssertEqual(everything.rows.count, 0)
        }
    }
}
