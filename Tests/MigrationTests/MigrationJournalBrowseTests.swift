import Foundation
import GRDB
@testable import Migration
import Storage
import XCTest

/// The journal's reads for the console: link states per row, and keyset pages of rejected and duplicate rows.
final class MigrationJournalBrowseTests: XCTestCase {
    private func journaledFile() throws -> DatabaseQueue {
        let url = try makeLegacyDatabase(memories: 40, users: 3)
        let queue = try DatabaseQueue(path: url.path)
        try queue.write { db in
            try MigrationJournal.create(db)
            try db.execute(sql: """
                INSERT INTO memconsole_migration_runs (id, state, started_at, source_file, mem0_endpoint, mem0_dialect,
                    user_id_source, keep_backup_table, legacy_row_count) VALUES ('r', 'running', 't', 'f', 'e', 'oss', 'id', 1, 40);
                UPDATE memories SET content = 'Crème ' || id WHERE id IN (3, 4);
                INSERT INTO memconsole_migration_journal (legacy_id, run_id, state, reason, duplicate_of, mem0_memory_id, updated_at) VALUES
                    (1, 'r', 'linked', NULL, NULL, 'm-1', 't'), (2, 'r', 'in_flight', NULL, NULL, NULL, 't'),
                    (3, 'r', 'rejected', 'empty_content: the row has no text', NULL, NULL, 't'),
                    (4, 'r', 'duplicate', NULL, 1, NULL, 't'), (5, 'r', 'pending', NULL, NULL, NULL, 't'),
                    (6, 'r', 'rejected', 'orphan_user: user 99 does not exist', NULL, NULL, 't');
                """)
        }
        return queue
    }

    func testLinksCarryEveryStateOfAPartlyMigratedFile() throws {
        let queue = try journaledFile()
        try queue.read { db in
            let links = try MigrationJournal.links([1, 2, 3, 4, 5, 7], db)
            XCTAssertEqual(links[1], RowLink(state: .linked, mem0MemoryID: "m-1", duplicateOf: nil, reason: nil))
            XCTAssertEqual(links[2]?.state, .inFlight)
            XCTAssertEqual(links[3]?.state, .rejected)
            XCTAssertEqual(links[3]?.reason, "empty_content: the row has no text")
            XCTAssertEqual(links[4]?.duplicateOf, 1)
            XCTAssertEqual(links[5]?.state, .pending)
            XCTAssertNil(links[7], "no entry: not in this run")
            XCTAssertEqual(try MigrationJournal.mem0MemoryID(legacyID: 1, db), "m-1")
        }
    }

    func testClassifiedRowsPageByKeysetWithTheirContentAndTheFoldedFilter() throws {
        let queue = try journaledFile()
        try queue.read { db in
            let rejected = try MigrationJournal.classified(.rejected, contentIn: .memories).fetchPage(.first(limit: 1), in: db)
            XCTAssertEqual(rejected.rows.map(\.legacyID), [3])
            XCTAssertEqual(rejected.rows.first?.content, "Crème 3")
            XCTAssertTrue(rejected.hasNext)
            let next = try MigrationJournal.classified(.rejected, contentIn: .memories).fetchPage(.after(3, limit: 5), in: db)
            XCTAssertEqual(next.rows.map(\.legacyID), [6])
            XCTAssertTrue(next.hasPrevious)
            XCTAssertFalse(next.hasNext)
            let last = try MigrationJournal.classified(.rejected, contentIn: .memories).fetchPage(.last(limit: 5), in: db)
            XCTAssertEqual(last.rows.map(\.legacyID), [3, 6])
            let byReason = try MigrationJournal.classified(.rejected, contentIn: .memories, matching: "ORPHAN")
                .fetchPage(.first(limit: 5), in: db)
            XCTAssertEqual(byReason.rows.map(\.legacyID), [6])
            let byContent = try MigrationJournal.classified(.rejected, contentIn: .memories, matching: "creme")
                .fetchPage(.first(limit: 5), in: db)
            XCTAssertEqual(byContent.rows.map(\.legacyID), [3])
            let duplicates = try MigrationJournal.classified(.duplicate, contentIn: .memories).fetchPage(.first(limit: 5), in: db)
            XCTAssertEqual(duplicates.rows.map(\.legacyID), [4])
            XCTAssertEqual(duplicates.rows.first?.duplicateOf, 1)
            XCTAssertEqual(duplicates.rows.first?.content, "Crème 4")
        }
        // After finalize with the old table dropped, the rows are still listed, without content.
        try queue.write { db in try db.execute(sql: "DROP TABLE memories") }
        try queue.read { db in
            let source = try LegacySource.of(db)
            let page = try MigrationJournal.classified(.rejected, contentIn: source).fetchPage(.first(limit: 5), in: db)
            XCTAssertEqual(page.rows.map(\.legacyID), [3, 6])
            XCTAssertNil(page.rows.first?.content)
        }
    }
}
