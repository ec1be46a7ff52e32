import Foundation
import GRDB
import Mem0Client
@testable import Migration
import Storage
import TestSupport
import XCTest

/// The repair directions and flags the end-to-end scenario does not take: `to-mem0` (the rows win, Mem0's metadata is
/// merged and merged back on undo), a user disagreement that Mem0 cannot take, `--delete-unlinked-memories` (the only
/// Mem0 deletion, never undone), and the audit's user sample. Real file, real local Mem0 (OSS).
final class DriftRepairTests: XCTestCase {
    private func migratedFile() async throws -> (URL, Mem0Client, MigrationSettings) {
        let file = try makeLegacyDatabase(memories: 60, users: 6, seed: 41)
        let client = try makeClient()
        let settings = testSettings()
        let report = await migrate(file, client: client, settings: settings)
        XCTAssertNil(report.failure)
        return (file, client, settings)
    }

    func testToMem0MergesTheRowsIntoMem0AndUndoMergesBack() async throws {
        let (file, client, _) = try await migratedFile()
        let service = DatabaseService(database: try AppDatabase.open(at: file.path, mode: .readWrite))
        let rows = try service.database.read { try MemoryMetadata.order(Column("id")).limit(3).fetchAll($0) }
        try service.updateMemoryMetadata(id: rows[0].id!, changes: .init(memoryType: .some("edited-type")))
        try service.updateMemoryMetadata(id: rows[1].id!, changes: .init(tags: ["x", "y"]))
        // A row moved to another user: Mem0 cannot move the memory, so to-mem0 must leave it alone.
        let otherUser = try service.database.read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(id) FROM users WHERE id <> ?", arguments: [rows[2].userID])!
        }
        try service.database.write { db in
            try db.execute(sql: "UPDATE memories_metadata SET user_id = ? WHERE id = ?", arguments: [otherUser, rows[2].id!])
        }
        try service.database.close()
        let before0 = try await client.memory(id: rows[0].mem0MemoryID)

        let audit = try await DriftAudit(file: file, client: client).run()
        XCTAssertEqual(audit.disagreeing, 3)
        XCTAssertEqual(audit.metadataRows, audit.linkedOK + 3)
        XCTAssertTrue(audit.metadataEquationHolds && audit.mem0EquationHolds)
        let userFinding = try XCTUnwrap(audit.findings.first { $0.metadataID == rows[2].id })
        XCTAssertEqual(userFinding.differences.map(\.field), [.user])

        XCTAssertThrowsError(try RepairPlan(audit: audit, options: RepairOptions())) {
            XCTAssertEqual($0 as? DriftAuditError, .directionRequired(disagreeing: 3))
        }
        let plan = try RepairPlan(audit: audit, options: RepairOptions(direction: .toMem0))
        XCTAssertEqual(plan.actions.map(\.kind), [.syncToMem0, .syncToMem0])
        XCTAssertEqual(plan.skipped.map(\.finding.metadataID), [rows[2].id])
        let repair = DriftRepair(file: file, client: client)
        let run = try await repair.apply(plan)
        XCTAssertEqual(run.applied.count, 2)

        let synced = try await client.memory(id: rows[0].mem0MemoryID)
        XCTAssertEqual(synced?.metadata[Mem0MetadataKey.memoryType], "edited-type")
        XCTAssertEqual(synced?.metadata[Mem0MetadataKey.legacyID], before0?.metadata[Mem0MetadataKey.legacyID],
                       "a merge leaves the other keys alone")
        let tagged = try await client.memory(id: rows[1].mem0MemoryID)
        XCTAssertEqual(tagged?.metadata[Mem0MetadataKey.tags], ["x", "y"])
        let after = try await DriftAudit(file: file, client: client).run()
        XCTAssertEqual(after.disagreeing, 1, "only the user disagreement is left")

        let undo = try await repair.undo(runID: run.runID)
        XCTAssertEqual(undo.restored, 2)
        let restored = try await client.memory(id: rows[0].mem0MemoryID)
        XCTAssertEqual(restored?.metadata, before0?.metadata)
        let undone = try await DriftAudit(file: file, client: client).run()
        XCTAssertEqual(undone.disagreeing, 3)

        // to-metadata takes the user too: the row goes back to the memory's user.
        let toMetadata = try await repair.apply(try RepairPlan(audit: undone, options: RepairOptions(direction: .toMetadata)))
        XCTAssertEqual(toMetadata.applied.count, 3)
        let repaired = try await DriftAudit(file: file, client: client).run()
        XCTAssertTrue(repaired.isClean)
        let moved = try AppDatabase.open(at: file.path, mode: .readOnly).read { try MemoryMetadata.fetchOne($0, key: rows[2].id!) }
        XCTAssertEqual(moved?.userID, rows[2].userID)
    }

    func testDeletingUnlinkedMemoriesNeedsTheFlagAndCannotBeUndone() async throws {
        let (file, client, settings) = try await migratedFile()
        let user = settings.mapping.prefix + "1"
        guard case .created(let ids) = try await client.add(Mem0AddRequest(text: "no row for me", userID: user)) else {
            return XCTFail("add")
        }
        let audit = try await DriftAudit(file: file, client: client).run()
        XCTAssertEqual(audit.findings.filter { $0.kind == .unlinked }.map(\.mem0MemoryID), ids)
        let adopt = try RepairPlan(audit: audit, options: RepairOptions())
        XCTAssertEqual(adopt.actions.map(\.kind), [.adoptMemory], "without the flag an unlinked memory is adopted")

        let plan = try RepairPlan(audit: audit, options: RepairOptions(only: .unlinked, deleteUnlinkedMemories: true))
        XCTAssertEqual(plan.actions.map(\.kind), [.deleteMem0Memory])
        let repair = DriftRepair(file: file, client: client)
        let run = try await repair.apply(plan)
        XCTAssertEqual(run.applied.count, 1)
        let gone = try await client.memory(id: ids[0])
        XCTAssertNil(gone)
        let clean = try await DriftAudit(file: file, client: client).run()
        XCTAssertTrue(clean.isClean)
        do {
            _ = try await repair.undo(runID: run.runID)
            XCTFail("a deleted Mem0 memory cannot be undone")
        } catch let error as DriftAuditError {
            guard case .undoConflicts(_, let restored, let conflicts) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(restored, 0)
            XCTAssertEqual(conflicts.count, 1)
        }
        do {
            _ = try await repair.undo(runID: "nope")
            XCTFail("unknown run")
        } catch let error as DriftAuditError {
            guard case .repairRunNotFound = error else { return XCTFail("\(error)") }
        }
    }

    func testAMemoryLeadsToItsMetadataRowAndLegacyRow() async throws {
        let (file, client, settings) = try await migratedFile()
        guard case .created(let ids) = try await client.add(Mem0AddRequest(text: "app-written", userID: settings.mapping.prefix + "1"))
        else { return XCTFail("add") }
        let database = try AppDatabase.open(at: file.path, mode: .readOnly)
        let first = try XCTUnwrap(try database.read { try MemoryMetadata.order(Column("id")).fetchOne($0) })
        let links = try database.read { try MemoryLink.links(for: [first.mem0MemoryID, ids[0]], in: $0) }
        XCTAssertEqual(links[first.mem0MemoryID]?.metadata, first)
        XCTAssertEqual(links[first.mem0MemoryID]?.legacyID, first.id, "the migration keeps the legacy id as the row id")
        XCTAssertEqual(links[first.mem0MemoryID]?.legacyTable, "memories_backup")
        XCTAssertEqual(links[ids[0]]?.isLinked, false)
        XCTAssertNil(links[ids[0]]?.legacyID)
    }

    func testTheAuditStreamReportsProgressThenTheResult() async throws {
        let (file, client, _) = try await migratedFile()
        var progress: [DriftAuditProgress] = []
        var finished: DriftAuditResult?
        for await event in DriftAudit(file: file, client: client).events() {
            switch event {
            case .progress(let p): progress.append(p)
            case .finished(let result): finished = result
            case .failed(let failure): XCTFail(failure.operatorMessage)
            }
        }
        let result = try XCTUnwrap(finished)
        XCTAssertTrue(result.isClean)
        XCTAssertEqual(progress.first, DriftAuditProgress(phase: .listingUsers, done: 0, total: result.usersAudited))
        XCTAssertEqual(progress.last?.done, progress.last?.total)
        let legacy = try makeLegacyDatabase(memories: 5, users: 2, seed: 3)
        var failure: DriftAuditFailure?
        for await event in DriftAudit(file: legacy, client: client).events() {
            if case .failed(let f) = event { failure = f }
        }
        XCTAssertEqual(failure, .audit(.noMetadataTable(path: legacy.path)))
    }

    /// OSS lists at most 1,000 memories per user: the list says so, the audit checks the rest by id, names the user,
    /// and both equations still hold.
    func testAUserAtTheOSSListCapIsCheckedByIdAndNamed() async throws {
        let file = try makeTemporaryDirectory("drift-cap").appendingPathComponent("app.db")
        let database = try AppDatabase.open(at: file.path, mode: .create)
        let prefix = "cap-\(UUID().uuidString.prefix(8).lowercased())-"
        let client = try makeClient()
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            var ids: [String] = []
            for i in 0..<1001 {
                if i >= 8, let id = try await group.next() { ids.append(id) }
                group.addTask {
                    guard case .created(let created) = try await client.add(Mem0AddRequest(
                        text: "memory \(i)", userID: prefix + "1", metadata: ["legacy_memory_type": "fact", "legacy_tags": []]))
                    else { throw Mem0Error.badResponse(reason: "add \(i) created nothing") }
                    return created[0]
                }
            }
            for try await id in group { ids.append(id) }
            return ids
        }
        XCTAssertEqual(Set(ids).count, 1001)
        try database.write { db in
            try StorageSchema.createCurrentSchema(in: db)
            var user = User(username: "cap")
            try user.insert(db)
            for id in ids {
                var row = MemoryMetadata(userID: user.id!, profileID: nil, mem0MemoryID: id, memoryType: "fact")
                try row.insert(db)
            }
        }
        try database.close()

        let page = try await client.memoriesPage(userID: prefix + "1", page: 1)
        XCTAssertTrue(page.reachedServerCap)
        XCTAssertEqual(page.memories.count, 1000)

        let audit = try await DriftAudit(file: file, client: client, mapping: Mem0UserMapping(source: .id, prefix: prefix)).run()
        XCTAssertEqual(audit.usersAtServerCap, [prefix + "1"])
        XCTAssertEqual(audit.metadataRows, 1001)
        XCTAssertEqual(audit.linkedOK, 1001, "the row the list could not return was checked by id")
        XCTAssertEqual(audit.mem0Memories, 1000)
        XCTAssertEqual(audit.unlinked, 0)
        XCTAssertTrue(audit.metadataEquationHolds && audit.mem0EquationHolds)
        XCTAssertTrue(audit.notes.contains { $0.contains("1,000-memory list cap") }, "\(audit.notes)")
    }

    func testASampleAuditsWholeUsers() async throws {
        let (file, client, _) = try await migratedFile()
        let full = try await DriftAudit(file: file, client: client).run()
        let sample = try await DriftAudit(file: file, client: client, sampleUsers: 2).run()
        XCTAssertTrue(sample.sampled)
        XCTAssertEqual(sample.usersAudited, 2)
        XCTAssertEqual(sample.usersInFile, full.usersInFile)
        XCTAssertLessThan(sample.metadataRows, full.metadataRows)
        XCTAssertEqual(sample.metadataRows, sample.mem0Memories, "a clean sample: each audited user's rows and memories match")
        XCTAssertTrue(sample.isClean)
    }
}
