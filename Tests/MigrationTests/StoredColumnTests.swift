import Foundation
import GRDB
import Migration
import XCTest

/// A memory's rows as stored, for the console's raw view: every column with its storage class, only for the tables
/// a memory leads to.
final class StoredColumnTests: XCTestCase {
    func testEveryStorageClassReadsAsStoredAndOtherTablesAreRefused() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE memories (id INTEGER PRIMARY KEY, content TEXT, importance_score REAL, tags, created_at, blob BLOB);
                INSERT INTO memories VALUES (7, '京都 🌸', 0.1, 'a, b', '03/01/2024 09:00', x'00ff');
                CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT);
                INSERT INTO users VALUES (7, 'alice');
                """)
        }
        try queue.read { db in
            let columns = try XCTUnwrap(try StoredColumn.row(table: "memories", id: 7, db))
            XCTAssertEqual(columns.map(\.storageClass), ["integer", "text", "real", "text", "text", "blob"])
            XCTAssertEqual(columns.map(\.value), ["7", "京都 🌸", "0.1", "a, b", "03/01/2024 09:00", "00ff"])
            XCTAssertNil(try StoredColumn.row(table: "memories", id: 8, db), "no such row")
            XCTAssertNil(try StoredColumn.row(table: "memories_backup", id: 7, db), "no such table")
            XCTAssertNil(try StoredColumn.row(table: "users", id: 7, db), "only the tables a memory leads to")
        }
    }
}
