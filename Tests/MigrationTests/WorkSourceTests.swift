import Foundation
import GRDB
@testable import Migration
import XCTest

/// The send phase's row source under many workers at once: once it has said "no more rows" to one of them, it has
/// none left for any other (the engine closes the flow on the first "no more", so a row handed out later is never
/// sent and stays in flight).
final class WorkSourceTests: XCTestCase {
    func testNoRowIsHandedOutAfterTheFirstNoMore() async throws {
        for attempt in 0..<20 {
            let file = try makeLegacyDatabase(memories: 30, users: 3, seed: 40 + UInt64(attempt))
            let queue = try DatabaseQueue(path: file.path)
            let planner = MigrationPlanner()
            let plan = try await queue.read { try planner.plan($0) }
            let run = MigrationRun(id: "test-\(attempt)", state: .running, startedAt: "2026-01-01T00:00:00Z",
                                   sourceFile: file.lastPathComponent, endpoint: "-", dialect: "oss",
                                   mapping: Mem0UserMapping(), keepBackupTable: true, backupPath: nil,
                                   legacyRowCount: plan.summary.legacyRows, originalJournalMode: "delete")
            try await queue.write { db in
                try MigrationJournal.create(db)
                try MigrationJournal.insert(run: run, db)
                try MigrationJournal.insert(plan: plan, runID: run.id, db)
            }
            let source = WorkSource(queue: queue, chunk: 32, stop: StopSignal())
            let results = Locked<[Int64?]>([])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<64 {
                    group.addTask {
                        while true {
                            let item = try await source.next()
                            results.withLock { $0.append(item?.row.id) }
                            if item == nil { return }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let order = results.withLock { $0 }
            let firstNoMore = try XCTUnwrap(order.firstIndex(where: { $0 == nil }))
            XCTAssertEqual(order[..<firstNoMore].compactMap { $0 }.count, plan.summary.migratable,
                           "attempt \(attempt): every row is handed out before the first 'no more'")
            try queue.close()
            try? FileManager.default.removeItem(at: file.deletingLastPathComponent())
        }
    }
}
