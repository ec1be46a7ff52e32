import Foundation
import GRDB
import Storage
import XCTest

/// The console's `memories_metadata` list (every row, paged, filtered) and live refresh's `PRAGMA data_version`:
/// it moves when another connection commits, and not for this connection's own reads.
final class MetadataListAndDataVersionTests: StorageTestCase {
    func testEveryMetadataRowPagesByIDAndTheFilterMatchesIDTagsAndType() throws {
        let (path, queue) = try currentDatabase()
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO users (id, username) VALUES (1, 'a'), (2, 'b');
                INSERT INTO memories_metadata (id, user_id, mem0_memory_id, memory_type, tags) VALUES
                    (1, 1, 'm-1', 'fact', '["Crème"]'), (2, 2, 'm-2', 'preference', NULL), (3, 1, 'm-3', 'fact', 'x,y');
                """)
        }
        try queue.close()
        let database = try AppDatabase.open(at: path, mode: .readOnly)
        try database.read { db in
            let first = try Browse.memoryMetadata().fetchPage(PageRequest(.first, limit: 2), in: db)
            XCTAssertEqual(first.rows.map(\.id), [1, 2])
            XCTAssertTrue(first.hasNext)
            XCTAssertEqual(try Browse.memoryMetadata().fetchPage(PageRequest(.after(2), limit: 2), in: db).rows.map(\.id), [3])
            XCTAssertEqual(try Browse.memoryMetadata(matching: "creme").fetchPage(PageRequest(.first, limit: 9), in: db).rows.map(\.id), [1])
            XCTAssertEqual(try Browse.memoryMetadata(matching: "PREFER").fetchPage(PageRequest(.first, limit: 9), in: db).rows.map(\.id), [2])
            XCTAssertEqual(try Browse.memoryMetadata(matching: "m-3").fetchPage(PageRequest(.first, limit: 9), in: db).rows.map(\.id), [3])
        }
    }

    func testDataVersionMovesWhenAnotherConnectionCommitsInWALMode() throws {
        let (path, queue) = try legacyDatabase()
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode=WAL") }
        let watched = try AppDatabase.open(at: path, mode: .readOnly)
        let before = try watched.dataVersion()
        XCTAssertEqual(try watched.dataVersion(), before, "reading moves nothing")
        try queue.write { db in try db.execute(sql: "INSERT INTO users (username) VALUES ('new')") }
        XCTAssertNotEqual(try watched.dataVersion(), before)
    }
}
