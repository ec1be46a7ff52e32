import Foundation
import GRDB
@testable import Migration
import XCTest

/// Progress of the phases besides sending: the meter's throttle, and the counts the planner and the backup report.
final class PhaseProgressTests: XCTestCase {
    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [PhaseProgress] = []
        func append(_ p: PhaseProgress) { lock.lock(); items.append(p); lock.unlock() }
        var all: [PhaseProgress] { lock.lock(); defer { lock.unlock() }; return items }
    }

    func testTheMeterReportsTheStartTheEndAndLittleBetween() {
        let collected = Collected()
        let meter = PhaseMeter(.plan, unit: "rows", interval: 3600) { collected.append($0) }
        for done in 0...10_000 { meter.update(done: done, total: 10_000) }
        XCTAssertEqual(collected.all.map(\.done), [0, 10_000])
        XCTAssertEqual(collected.all.last?.etaSeconds, 0)
        XCTAssertTrue(collected.all.allSatisfy { $0.phase == .plan && $0.unit == "rows" && $0.total == 10_000 })
    }

    func testTheMeterReportsBetweenOnceTheIntervalHasPassed() {
        let collected = Collected()
        let meter = PhaseMeter(.verify, unit: "users", interval: 0) { collected.append($0) }
        for done in 0...5 { meter.update(done: done, total: 5) }
        XCTAssertEqual(collected.all.map(\.done), [0, 1, 2, 3, 4, 5])
        let middle = collected.all[2]
        XCTAssertGreaterThan(middle.perSecond, 0)
        XCTAssertNotNil(middle.etaSeconds, "a rate gives an ETA")
    }

    func testThePlannerCountsEveryRowReadAndClassified() throws {
        let file = try makeLegacyDatabase(memories: 3000, users: 12)
        var counts: [(Int, Int)] = []
        let plan = try readDB(file.path) { db in
            try MigrationPlanner().plan(db) { done, total in counts.append((done, total)) }
        }
        XCTAssertEqual(counts.first?.0, 0)
        XCTAssertEqual(counts.last?.0, plan.summary.legacyRows)
        XCTAssertTrue(counts.allSatisfy { $0.1 == plan.summary.legacyRows }, "the total is the exact row count")
        XCTAssertEqual(counts.map(\.0), counts.map(\.0).sorted(), "counts only grow")
        XCTAssertGreaterThanOrEqual(counts.count, 2 + plan.summary.legacyRows / MigrationPlanner.progressStride - 1)
    }

    func testTheBackupCountsItsPages() throws {
        let file = try makeLegacyDatabase(memories: 3000, users: 12)
        let source = try DatabaseQueue(path: file.path)
        defer { try? source.close() }
        let copy = file.deletingLastPathComponent().appendingPathComponent("copy-\(UUID().uuidString.prefix(6)).sqlite")
        defer { try? FileManager.default.removeItem(at: copy) }
        var counts: [(Int, Int)] = []
        _ = try BackupWriter.write(from: source, to: copy) { done, total in counts.append((done, total)) }
        let pages = try source.read { try Int.fetchOne($0, sql: "PRAGMA page_count") ?? 0 }
        XCTAssertEqual(counts.last?.0, pages)
        XCTAssertEqual(counts.last?.1, pages)
    }
}
