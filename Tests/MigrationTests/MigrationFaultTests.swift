import Foundation
import GRDB
import Mem0Client
@testable import Migration
import TestSupport
import XCTest

/// The engine through the fault proxy (scripts/fault_proxy.py) in front of the real local Mem0: whatever the network
/// does, every row ends up in Mem0 exactly once (the server's own per-user count equals the journal's links).
final class MigrationFaultTests: XCTestCase {
    private func runThrough(_ options: [String], dialect: Mem0Dialect, memories: Int = 250, seed: UInt64,
                            timeout: Duration = .seconds(10),
                            configure: (inout MigrationSettings) -> Void = { _ in }) async throws -> (MigrationReport, [String: Int]) {
        let server = try LocalMem0Server.shared()
        let proxy = try server.startProxy(options)
        defer { proxy.stop() }
        let file = try makeLegacyDatabase(memories: memories, seed: seed)
        let report = await migrate(file, client: try makeClient(proxy.url, dialect: dialect, timeout: timeout),
                                   settings: testSettings { $0.verifySample = nil; configure(&$0) })
        XCTAssertNil(report.failure, report.failure?.operatorMessage ?? "")
        XCTAssertNotNil(report.finalized)
        try assertNothingLostOrDuplicated(file)
        let verification = try await Verifier.verify(file: file, client: try makeClient(dialect: dialect), sample: nil)
        XCTAssertTrue(verification.isPassing, "\(verification.mismatches.prefix(3))")
        return (report, try proxy.stats())
    }

    func testServerErrorsBeforeAndAfterUpstreamAndDroppedConnections() async throws {
        for (phase, dialect) in [("before", Mem0Dialect.oss), ("after", .oss), ("mixed", .platform)] {
            let (report, stats) = try await runThrough(["--error-rate", "0.12", "--drop-rate", "0.06",
                                                        "--fault-phase", phase, "--seed", "5"],
                                                       dialect: dialect, seed: 21)
            XCTAssertGreaterThan((stats["errors_injected"] ?? 0) + (stats["drops"] ?? 0), 10, "\(phase): faults happened")
            XCTAssertGreaterThan(report.retries, 0, phase)
            if phase == "after" { XCTAssertGreaterThan(report.reconciled, 0, "applied-but-lost adds were found by lookup") }
        }
    }

    func testStallsLongerThanTheTimeoutLeaveNoDuplicate() async throws {
        // A stalled add is forwarded after the client gave up (timeout 1 s, stall 2.5 s): the lookup may miss it,
        // the row is resent, and the sweep (after 3.5 s) must find and delete the late copy.
        let (report, stats) = try await runThrough(["--stall-rate", "0.04", "--stall-seconds", "2.5", "--seed", "9"],
                                                   dialect: .oss, memories: 150, seed: 22, timeout: .seconds(1)) {
            $0.sweepDelay = 3.5
        }
        XCTAssertGreaterThan(stats["stalls"] ?? 0, 0)
        XCTAssertGreaterThan(report.retries, 0)
    }

    func testRateLimitBurstsArePacedWithoutLosingRows() async throws {
        // Bucket of 400 with refill 400/min: the first 400 adds pass, then 429s with Retry-After until paced. 700 rows,
        // so that the limit is reached even when the machine is slow: at 37 adds/s (measured under load) 460 rows took
        // 12 s, in which the bucket refilled by 80 and no 429 ever came.
        let (report, stats) = try await runThrough(["--rate-per-minute", "400", "--rate-paths", "add", "--seed", "2"],
                                                   dialect: .platform, memories: 700, seed: 23)
        XCTAssertGreaterThan(stats["rate_limited"] ?? 0, 0, "the limit was hit")
        XCTAssertGreaterThan(report.rateLimitHits, 0)
        let requests = Double(stats["requests"] ?? 1)
        XCTAssertLessThan(Double(stats["rate_limited"] ?? 0) / requests, 0.1, "429s stay a small share")
    }
}
