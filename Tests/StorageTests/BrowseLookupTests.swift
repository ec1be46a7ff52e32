import Foundation
import GRDB
import Storage
import XCTest

/// The legacy source decided from the file's tables, the folded filter, and the per-page names and counts.
final class BrowseLookupTests: StorageTestCase {
    var queue: DatabaseQueue!

    override func setUpWithError() throws {
        try super.setUpWithError()
        (_, queue) = try legacyDatabase()
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO users (id, username, display_name) VALUES (1, 'alice', 'Ødegård'), (2, 'bob', 'ΣΟΦΊΑ');
                INSERT INTO memory_profiles (id, user_id, name) VALUES (1, 1, 'default'), (2, 1, 'Ärbeit'), (3, 2, 'x');
                INSERT INTO chat_sessions (id, user_id, memory_profile_id) VALUES (1, 1, 2), (2, 1, NULL);
                INSERT INTO chat_messages (session_id, role, content) VALUES (1, 'user', 'a'), (1, 'user', 'b'), (2, 'user', 'c');
                INSERT INTO memories (id, user_id, memory_profile_id, content, tags) VALUES
                    (1, 1, 1, 'likes Crème brûlée', '["Dessert"]'), (2, 1, 2, 'works at 50% time', 'job,part_time'),
                    (3, 1, 2, 'plain', NULL), (4, 2, 3, 'Straße', NULL);
                """)
        }
    }

    func testTheLegacySourceFollowsTheFilesTables() throws {
        try queue.read { db in XCTAssertEqual(try LegacySource.of(db), .memories) }
        try queue.write { db in try db.execute(sql: "ALTER TABLE memories RENAME TO memories_backup") }
        try queue.read { db in XCTAssertEqual(try LegacySource.of(db), .memoriesBackup) }
        try queue.write { db in try db.execute(sql: "DROP TABLE memories_backup") }
        try queue.read { db in
            let source = try LegacySource.of(db)
            XCTAssertEqual(source, .backupFile)
            XCTAssertFalse(source.isInThisFile)
            XCTAssertNil(try Browse.legacyRowCount(in: source, db))
            XCTAssertNil(try Browse.legacyMemory(id: 1, in: source, db))
        }
    }

    func testTheFilterFoldsCaseAndDiacriticsForEveryScript() throws {
        try queue.read { db in
            func users(_ text: String) throws -> [String] {
                try Browse.users(matching: text).fetchPage(.first(limit: 10), in: db).rows.compactMap(\.user.displayName)
            }
            XCTAssertEqual(try users("ødeg"), ["Ødegård"])      // LIKE folded ASCII only: this found nothing
            XCTAssertEqual(try users("ODEGARD"), [])              // ø is a letter of its own, not o with a mark
            XCTAssertEqual(try users("ødegard"), ["Ødegård"])     // å → a
            XCTAssertEqual(try users("σοφια"), ["ΣΟΦΊΑ"])         // Greek, with its tonos
            func memories(_ text: String) throws -> [Int64] {
                try Browse.legacyMemories(ofUser: 1, matching: text).fetchPage(.first(limit: 10), in: db).rows.compactMap(\.id)
            }
            XCTAssertEqual(try memories("creme BRULEE"), [1])
            XCTAssertEqual(try memories("dessert"), [1], "the filter also matches tags")
            XCTAssertEqual(try memories("50%"), [2], "% is literal")
            XCTAssertEqual(try memories("part_t"), [2], "_ is literal")
            XCTAssertEqual(try memories("'); DROP TABLE memories;--"), [])
            XCTAssertEqual(try Browse.legacyRowCount(in: .memories, db), 4)
        }
    }

    func testPerPageNamesAndCounts() throws {
        try queue.read { db in
            XCTAssertEqual(try Browse.profileNames([1, 2, 99], in: db), [1: "default", 2: "Ärbeit"])
            XCTAssertEqual(try Browse.memoryCounts(ofProfiles: [1, 2, 3], in: .memories, db), [1: 1, 2: 2, 3: 1])
            XCTAssertEqual(try Browse.messageCounts(ofSessions: [1, 2], db), [1: 2, 2: 1])
            XCTAssertEqual(try Browse.legacyContents([2, 4], in: .memories, db), [2: "works at 50% time", 4: "Straße"])
            XCTAssertEqual(try Browse.legacyMemory(id: 3, in: .memories, db)?.content, "plain")
            XCTAssertEqual(try Browse.linkedMem0IDs([1], db), [:], "no metadata table yet")
            XCTAssertEqual(try Browse.profileNames([], in: db), [:])
        }
    }

    /// A partly migrated file: the users list counts every legacy row (it counted the linked ones: 69 became 38).
    func testCountsOfAPartlyMigratedFileAreLegacyRows() throws {
        try queue.write { db in
            try StorageSchema.createMemoriesMetadataTable(in: db)
            try db.execute(sql: "INSERT INTO memories_metadata (id, user_id, memory_profile_id, mem0_memory_id) VALUES (1, 1, 1, 'm-1')")
        }
        try queue.read { db in
            let source = try LegacySource.of(db)
            XCTAssertEqual(source, .memories)
            let users = try Browse.users(in: db).fetchPage(.first(limit: 5), in: db).rows
            XCTAssertEqual(users.map(\.memoryCount), [3, 1])
            XCTAssertEqual(try Browse.memoryCounts(ofProfiles: [1, 2], in: source, db), [1: 1, 2: 2])
            XCTAssertEqual(try Browse.linkedMem0IDs([1, 2], db), [1: "m-1"])
        }
        // Once the old table is dropped, the counts are of metadata rows (each a migrated memory).
        try queue.write { db in try db.execute(sql: "DROP TABLE memories") }
        try queue.read { db in
            let users = try Browse.users(in: db).fetchPage(.first(limit: 5), in: db).rows
            XCTAssertEqual(users.map(\.memoryCount), [1, 0])
        }
    }
}
