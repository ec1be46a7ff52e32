import Foundation
import GRDB
import Storage
import TestSupport
import XCTest

/// schema/*.sql are the source of truth; Storage must create exactly what they create.
final class SchemaTests: StorageTestCase {
    func loadSQLFile(_ relativePath: String, into file: String) throws -> DatabaseQueue {
        let sql = try String(contentsOf: repositoryRoot.appendingPathComponent(relativePath), encoding: .utf8)
        let queue = try queue(at: file)
        try queue.write { try $0.execute(sql: sql) }
        return queue
    }

    func testStorageCreatesExactlyTheSchemaOfCurrentSQL() throws {
        let (_, created) = try currentDatabase("created.db")
        let loaded = try loadSQLFile("schema/current.sql", into: path("loaded.db"))
        let createdSchema = try created.read(normalisedSchema)
        let loadedSchema = try loaded.read(normalisedSchema)
        XCTAssertEqual(createdSchema, loadedSchema)
        XCTAssertEqual(createdSchema.count, 17)   // 6 tables, sqlite_sequence, 10 indexes (4 of them autoindexes)
    }

    func testStorageCreatesExactlyTheSchemaOfLegacySQL() throws {
        let (_, created) = try legacyDatabase("created.db")
        let loaded = try loadSQLFile("schema/legacy.sql", into: path("loaded.db"))
        XCTAssertEqual(try created.read(normalisedSchema), try loaded.read(normalisedSchema))
    }

    func testLegacySQLLoadsAndIsDetectedAsLegacy() throws {
        let file = path("legacy.db")
        let queue = try loadSQLFile("schema/legacy.sql", into: file)
        try queue.close()
        XCTAssertEqual(try DatabaseInspector.inspect(path: file), .legacy)
    }

    func testCurrentSQLIsDetectedAsMigrated() throws {
        let file = path("current.db")
        try loadSQLFile("schema/current.sql", into: file).close()
        XCTAssertEqual(try DatabaseInspector.inspect(path: file), .migrated)
    }

    func testMemoriesMetadataHasExactlyThePlannedColumns() throws {
        let (_, queue) = try currentDatabase()
        try queue.read { db in
            let columns = try db.columns(in: "memories_metadata")
            XCTAssertEqual(columns.map(\.name), ["id", "user_id", "memory_profile_id", "memory_type", "tags",
                                                 "created_at", "updated_at", "mem0_memory_id"])
            let mem0 = try XCTUnwrap(columns.first { $0.name == "mem0_memory_id" })
            XCTAssertEqual(mem0.type, "TEXT")
            XCTAssertTrue(mem0.isNotNull)
            XCTAssertTrue(try db.table("memories_metadata", hasUniqueKey: ["mem0_memory_id"]))
            let indexes = try db.indexes(on: "memories_metadata").map(\.name)
            for name in StorageSchema.memoriesMetadataIndexes { XCTAssertTrue(indexes.contains(name), name) }
            XCTAssertFalse(try db.tableExists("memories"))
        }
    }

    func testOtherTablesAreUnchangedBetweenSchemas() throws {
        let (_, legacy) = try legacyDatabase()
        let (_, current) = try currentDatabase()
        let shared = { (db: Database) in
            try normalisedSchema(of: db).filter { !$0.contains("memories") && !$0.contains("sqlite_sequence") }
        }
        XCTAssertEqual(try legacy.read(shared), try current.read(shared))
    }

    func testMetadataTableCanBeAddedToALegacyFileForTheMigration() throws {
        let (file, queue) = try legacyDatabase()
        try queue.write { db in
            try StorageSchema.createMemoriesMetadataTable(in: db)
        }
        try queue.close()
        XCTAssertEqual(try DatabaseInspector.inspect(path: file), .partlyMigrated)
        let queue2 = try self.queue(at: file)
        try queue2.write { try $0.execute(sql: "ALTER TABLE memories RENAME TO memories_backup") }
        try queue2.close()
        XCTAssertEqual(try DatabaseInspector.inspect(path: file), .migrated)
    }
}
