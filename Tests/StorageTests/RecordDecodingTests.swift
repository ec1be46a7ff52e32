import Foundation
import GRDB
import Storage
import XCTest

/// Records decode every legacy mess from a real file; each test inserts the mess with raw SQL, as the old app did.
final class RecordDecodingTests: StorageTestCase {
    var queue: DatabaseQueue!

    override func setUpWithError() throws {
        try super.setUpWithError()
        (_, queue) = try legacyDatabase()
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO users (id, username, email, display_name, created_at, updated_at)
                    VALUES (1, 'alice', NULL, '李小龙 🌸', '2024-03-01 07:15:00.123456', '2024-03-01T09:15:00+02:00');
                INSERT INTO memory_profiles (id, user_id, name, is_default, created_at, updated_at)
                    VALUES (1, 1, 'default', 1, '2024-03-01 07:15:00', '2024-03-01 07:15:00'),
                           (2, 1, 'work', 0, '2024-03-01 07:15:00', '2024-03-01 07:15:00'),
                           (3, 1, 'odd', 'true', '2024-03-01 07:15:00', '2024-03-01 07:15:00');
                """)
        }
    }

    func insertMemory(_ columns: String, _ values: String) throws -> LegacyMemory {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO memories (\(columns)) VALUES (\(values))")
            return try XCTUnwrap(LegacyMemory.fetchOne(db, key: db.lastInsertedRowID))
        }
    }

    func testBooleansStoredAsZeroOneOrText() throws {
        let profiles = try queue.read { try MemoryProfile.order(Column("id")).fetchAll($0) }
        XCTAssertEqual(profiles.map(\.isDefault), [true, false, true])
    }

    func testNullScoreAndCountStayNil() throws {
        let memory = try insertMemory("user_id, content, importance_score, mentioned_count",
                                      "1, 'x', NULL, NULL")
        XCTAssertNil(memory.importanceScore)
        XCTAssertNil(memory.mentionedCount)
    }

    func testColumnDefaultsApplyWhenTheAppOmittedThem() throws {
        let memory = try insertMemory("user_id, content", "1, 'x'")
        XCTAssertEqual(memory.importanceScore, 0.5)
        XCTAssertEqual(memory.mentionedCount, 1)
        XCTAssertEqual(memory.memoryType, "fact")
        XCTAssertEqual(memory.tags.format, .null)
        XCTAssertEqual(memory.createdAt.format, .sqlWithoutFraction)   // CURRENT_TIMESTAMP
        XCTAssertNotNil(memory.createdAt.date)
    }

    func testNumbersStoredAsText() throws {
        let memory = try insertMemory("user_id, content, importance_score, mentioned_count",
                                      "1, 'x', '0.75', '4'")
        XCTAssertEqual(memory.importanceScore, 0.75)
        XCTAssertEqual(memory.mentionedCount, 4)
    }

    func testOrphanMemoryStillDecodes() throws {
        let memory = try insertMemory("user_id, memory_profile_id, content", "999, 424242, 'orphan'")
        XCTAssertEqual(memory.userID, 999)
        XCTAssertEqual(memory.profileID, 424242)
        XCTAssertNil(try queue.read { try memory.request(for: LegacyMemory.user).fetchOne($0) })
    }

    func testAllThreeDateFormatsInOneTable() throws {
        let a = try insertMemory("user_id, content, created_at", "1, 'a', '2024-03-01 07:15:00.000001'")
        let b = try insertMemory("user_id, content, created_at", "1, 'b', '2024-03-01 07:15:00'")
        let c = try insertMemory("user_id, content, created_at", "1, 'c', '2024-03-01T09:15:00+02:00'")
        XCTAssertEqual([a, b, c].map(\.createdAt.format), [.sqlWithFraction, .sqlWithoutFraction, .iso8601])
        XCTAssertEqual(b.createdAt.date, c.createdAt.date)
        XCTAssertEqual(c.createdAt.text, "2024-03-01T09:15:00+02:00")
    }

    func testTagsInEveryFormat() throws {
        let values = ["'[\"food\",\"drink\"]'", "'food, drink'", "NULL", "''", "'[\"food\", \"drink\"'"]
        let decoded = try values.map { try insertMemory("user_id, content, tags", "1, 'x', \($0)").tags }
        XCTAssertEqual(decoded.map(\.values), [["food", "drink"], ["food", "drink"], [], [], ["food", "drink"]])
        XCTAssertEqual(decoded.map(\.format), [.jsonArray, .commaList, .null, .empty, .malformedJSON])
    }

    func testUnicodeEmptyWhitespaceLongAndSQLLookingContent() throws {
        let long = String(repeating: "é🍣", count: 8_000)
        let contents = ["", "  \n\t ", long, "يحب القهوة", "Cafe\u{301}", "Robert'); DROP TABLE users;--"]
        for content in contents {
            let memory = try queue.write { db -> LegacyMemory in
                try db.execute(sql: "INSERT INTO memories (user_id, content) VALUES (1, ?)", arguments: [content])
                return try XCTUnwrap(LegacyMemory.fetchOne(db, key: db.lastInsertedRowID))
            }
            XCTAssertEqual(Array(memory.content.utf8), Array(content.utf8))   // byte for byte, no normalisation
        }
        XCTAssertEqual(try queue.read { try User.fetchCount($0) }, 1)
    }

    func testRowsRoundTripUnchanged() throws {
        _ = try insertMemory("user_id, content, tags, created_at, updated_at, importance_score",
                             "1, 'x', 'a,  b', '2024-03-01T09:15:00+02:00', '2024-03-01 07:15:00', NULL")
        try queue.write { db in
            let before = try Row.fetchOne(db, sql: "SELECT * FROM memories")
            var memory = try XCTUnwrap(LegacyMemory.fetchOne(db))
            try memory.update(db)
            memory.id = nil
            try memory.insert(db)
            let copy = try Row.fetchOne(db, sql: "SELECT * FROM memories WHERE id = ?", arguments: [memory.id])
            XCTAssertEqual(try Row.fetchOne(db, sql: "SELECT * FROM memories WHERE id = 1"), before)
            XCTAssertEqual(copy?["tags"] as String?, "a,  b")
            XCTAssertEqual(copy?["created_at"] as String?, "2024-03-01T09:15:00+02:00")
            XCTAssertNil(copy?["importance_score"] as Double?)
        }
    }

    func testLegacyMemoriesAreReadableFromTheBackupTable() throws {
        _ = try insertMemory("user_id, content", "1, 'kept'")
        try queue.write { try $0.execute(sql: "ALTER TABLE memories RENAME TO memories_backup") }
        let rows = try queue.read { try LegacyMemory.all(in: .memoriesBackup).fetchAll($0) }
        XCTAssertEqual(rows.map(\.content), ["kept"])
    }

    func testAgentLogDetailsJSONNullAndBroken() throws {
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO agent_logs (session_id, user_id, agent_name, action, details) VALUES
                    (NULL, NULL, 'memory_agent', 'store', '{"b": 1, "a": "寿司"}'),
                    (77, 1, 'memory_agent', 'store', NULL),
                    (NULL, 1, 'memory_agent', 'store', '{"broken": ');
                """)
        }
        let logs = try queue.read { try AgentLog.order(Column("id")).fetchAll($0) }
        XCTAssertEqual(logs.map(\.level), ["INFO", "INFO", "INFO"])
        XCTAssertNil(logs[0].sessionID)
        XCTAssertNil(logs[0].userID)
        guard case .json(let pretty) = logs[0].parsedDetails else { return XCTFail("\(logs[0].parsedDetails)") }
        XCTAssertTrue(pretty.contains("\"a\""))
        XCTAssertEqual(logs[1].parsedDetails, .absent)
        XCTAssertEqual(logs[2].parsedDetails, .unreadable(raw: #"{"broken": "#))
    }

    func testAssociationsFollowTheSeedsRelationships() throws {
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO chat_sessions (id, user_id, title) VALUES (1, 1, 'hello');
                INSERT INTO chat_messages (session_id, role, content) VALUES (1, 'user', 'hi'), (1, 'assistant', 'hey');
                INSERT INTO agent_logs (session_id, agent_name, action) VALUES (1, 'chat_agent', 'reply');
                INSERT INTO memories (user_id, memory_profile_id, content) VALUES (1, 2, 'at work');
                """)
        }
        try queue.read { db in
            let user = try XCTUnwrap(User.fetchOne(db, key: 1))
            XCTAssertEqual(try user.profiles.fetchCount(db), 3)
            XCTAssertEqual(try user.sessions.fetchCount(db), 1)
            XCTAssertEqual(try user.legacyMemories.fetchCount(db), 1)
            let session = try XCTUnwrap(ChatSession.fetchOne(db, key: 1))
            XCTAssertEqual(try session.messages.order(Column("id")).fetchAll(db).map(\.content), ["hi", "hey"])
            XCTAssertEqual(try session.agentLogs.fetchCount(db), 1)
            let profile = try XCTUnwrap(MemoryProfile.fetchOne(db, key: 2))
            XCTAssertEqual(try profile.user.fetchOne(db)?.username, "alice")
        }
    }

    func testUserDecodesNullEmailAndMixedDateFormats() throws {
        let user = try XCTUnwrap(try queue.read { try User.fetchOne($0, key: 1) })
        XCTAssertNil(user.email)
        XCTAssertEqual(user.displayName, "李小龙 🌸")
        XCTAssertEqual(user.createdAt.format, .sqlWithFraction)
        XCTAssertEqual(user.updatedAt.format, .iso8601)
    }
}

/// `MemoryMetadata`'s seed helpers, on a current-schema file.
final class MemoryMetadataRecordTests: StorageTestCase {
    func testDescriptionAndDictionaryIncludeTheMem0ID() throws {
        let (_, queue) = try currentDatabase()
        let row = try queue.write { db -> MemoryMetadata in
            try db.execute(sql: "INSERT INTO users (id, username) VALUES (1, 'alice')")
            var row = MemoryMetadata(userID: 1, profileID: nil, mem0MemoryID: "mem-123", memoryType: "preference",
                                     tags: LegacyTags(["food"]), createdAt: LegacyDate(text: "2024-03-01 07:15:00"))
            try row.insert(db)
            return try XCTUnwrap(MemoryMetadata.fetchOne(db, key: row.id))
        }
        XCTAssertEqual(row.description,
                       "<MemoryMetadata(id=1, user_id=1, mem0_memory_id='mem-123', type='preference')>")
        XCTAssertEqual(row.dictionary["mem0_memory_id"], .string("mem-123"))
        XCTAssertEqual(row.dictionary["memory_profile_id"], .null)
        XCTAssertEqual(row.dictionary["tags"], .strings(["food"]))
        XCTAssertNil(row.dictionary["content"])
        let json = String(decoding: try row.jsonData(), as: UTF8.self)
        XCTAssertEqual(json, #"{"created_at":"2024-03-01T07:15:00.000000Z","id":1,"mem0_memory_id":"mem-123","#
                       + #""memory_profile_id":null,"memory_type":"preference","tags":["food"],"#
                       + #""updated_at":"2024-03-01T07:15:00.000000Z","user_id":1}"#)
    }
}
