import Foundation
import Mem0Client
@testable import Migration
import XCTest

/// The pure parts: row classification, the comparison, the report fold and the pacing rules.
final class MigrationRulesTests: XCTestCase {
    private let mapping = Mem0UserMapping()
    private func facts(_ content: String?, user: Int64? = 1, exists: Bool = true, username: String? = "alice",
                       date: Date? = Date(timeIntervalSince1970: 1_700_000_000)) -> RowClassifier.Facts {
        RowClassifier.Facts(legacyID: 1, userID: user, userExists: exists, username: username,
                            content: content.map { Array($0.utf8) }, createdAtRaw: "x", createdAt: date)
    }

    func testClassifierRejectsEachKindOfBadRowWithItsReason() {
        XCTAssertNil(RowClassifier.rejection(for: facts("I like tea"), mapping: mapping))
        XCTAssertEqual(RowClassifier.rejection(for: facts(""), mapping: mapping), .emptyContent)
        XCTAssertEqual(RowClassifier.rejection(for: facts(" \n\t\u{3000}"), mapping: mapping), .emptyContent)
        XCTAssertEqual(RowClassifier.rejection(for: facts("x", exists: false), mapping: mapping), .orphanUser(userID: 1))
        XCTAssertEqual(RowClassifier.rejection(for: facts("x", user: nil), mapping: mapping), .orphanUser(userID: nil))
        var invalid = facts("x"); invalid.content = [0x66, 0xFF, 0xFE]
        XCTAssertEqual(RowClassifier.rejection(for: invalid, mapping: mapping), .invalidUTF8)
        XCTAssertEqual(RowClassifier.rejection(for: facts(String(repeating: "a", count: 11)), mapping: mapping, maxContentBytes: 10),
                       .contentTooLarge(bytes: 11, limit: 10))
        XCTAssertEqual(RowClassifier.rejection(for: facts("x", date: nil), mapping: mapping), .unreadableDate(column: "created_at", raw: "x"))
        let byName = Mem0UserMapping(source: .username, prefix: "")
        XCTAssertEqual(RowClassifier.rejection(for: facts("x", username: "ann smith"), mapping: byName), .unusableMem0UserID("ann smith"))
        XCTAssertNil(RowClassifier.rejection(for: facts("😀 東京 שלום"), mapping: byName))
    }

    func testUserMappingUsesIdOrUsernameWithPrefix() {
        XCTAssertEqual(Mem0UserMapping().mem0UserID(legacyUserID: 42, username: "bob"), "42")
        XCTAssertEqual(Mem0UserMapping(source: .username, prefix: "app-").mem0UserID(legacyUserID: 42, username: "bob"), "app-bob")
        XCTAssertNil(Mem0UserMapping(source: .username).mem0UserID(legacyUserID: 42, username: nil))
    }

    private let legacy = LegacyMemoryValues(id: 7, content: "café", memoryType: "fact", tags: ["a", "b"], importanceScore: 0.7,
                                            mentionedCount: 3, profileID: 2, createdAt: Date(timeIntervalSince1970: 1_700_000_000.25),
                                            updatedAt: Date(timeIntervalSince1970: 1_700_000_100))

    func testComparisonIsFieldByFieldAndTextIsByteExact() {
        let same = Mem0MemoryValues(id: "m", text: "café", memoryType: "fact", tags: ["a", "b"], importanceScore: 0.7,
                                    mentionedCount: 3, profileID: 2, createdAt: Date(timeIntervalSince1970: 1_700_000_000.9),
                                    updatedAt: Date(timeIntervalSince1970: 1_700_000_100))
        let equal = MemoryComparison(legacy: legacy, record: same)
        XCTAssertTrue(equal.isIdentical, "\(equal.lines)")
        XCTAssertTrue(equal.isFaithful)

        var decomposed = same; decomposed.text = "cafe\u{301}"   // canonically equal, different bytes
        let textDiff = MemoryComparison(legacy: legacy, record: decomposed)
        XCTAssertEqual(textDiff.outcome(of: .text), .different)
        XCTAssertFalse(textDiff.isFaithful)

        var later = same; later.createdAt = Date(timeIntervalSince1970: 1_700_000_001); later.tags = nil
        let dateDiff = MemoryComparison(legacy: legacy, record: later)
        XCTAssertEqual(dateDiff.outcome(of: .createdAt), .different)
        XCTAssertEqual(dateDiff.outcome(of: .tags), .missing)

        let absent = MemoryComparison(legacy: legacy, record: nil)
        XCTAssertNil(absent.mem0ID)
        XCTAssertTrue(absent.lines.allSatisfy { $0.outcome == .missing })
        XCTAssertEqual(absent.lines.map(\.field), MemoryComparison.Field.allCases)
    }

    func testReportFoldsEveryEvent() {
        var report = MigrationReport()
        report.apply(.planned(MigrationPlanSummary(legacyRows: 5, migratable: 3, rejected: 1, duplicates: 1)))
        report.apply(.rowRejected(legacyID: 1, reason: .emptyContent))
        report.apply(.duplicate(legacyID: 3, canonicalID: 2))
        report.apply(.runStarted(runID: "r", resumed: false, pendingRows: 3))
        report.apply(.rowLinked(legacyID: 2, mem0ID: "a"))
        report.apply(.retry(legacyID: 4, attempt: 1, reason: "HTTP 502"))
        report.apply(.rateLimited(retryAfterSeconds: 1, newRate: 16))
        report.apply(.reconciled(legacyID: 4, outcome: .foundDuplicates(kept: "b", deleted: ["c"])))
        report.apply(.rowLinked(legacyID: 4, mem0ID: "b"))
        report.apply(.rowLinked(legacyID: 5, mem0ID: "d"))
        XCTAssertFalse(report.isFinished)
        report.apply(.finalized(FinalizeSummary(linked: 3, duplicates: 1, rejected: 1, keptBackupTable: true, backupPath: nil)))
        XCTAssertEqual(report.accountedFor, 5)
        XCTAssertEqual([report.retries, report.rateLimitHits, report.reconciled, report.extrasDeleted], [1, 1, 1, 1])
        XCTAssertEqual(report.rejectedByCode, ["empty_content": 1])
        XCTAssertFalse(report.isFinished, "only the end event finishes a run")
        report.apply(.ended(.finalized(report.finalized, verification: nil)))
        XCTAssertTrue(report.isFinished)
        XCTAssertTrue(report.succeeded)
        // The end is what the file says, not the last failure: a stop after linking rows is resumable, not success.
        report.apply(.failed(.cancelled(path: "x")))
        report.apply(.ended(.stopped(runID: "r", counts: JournalCounts(), reason: .cancelled(path: "x"))))
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(report.end?.isResumable, true)
    }

    func testReportFoldsPhaseTimes() {
        var report = MigrationReport()
        report.apply(.phaseFinished(.send, seconds: 2))
        report.apply(.phaseFinished(.sweep, seconds: 0.5))
        report.apply(.phaseFinished(.send, seconds: 1))   // a resume inside one stream cannot happen; sums if it did
        XCTAssertEqual(report.phaseSeconds, [.send: 3, .sweep: 0.5])
    }

    func testAPacedPassLargerThanTheWindowHandsEveryItemToExactlyOneWorker() async throws {
        // More items than the initial window (8) and a window that cannot grow (latency rises with every request):
        // the workers above the window must not take an item they would then wait on forever.
        // The requests here never reach a network: the pass only needs a client to hand to each request.
        let client = Mem0Client(configuration: Mem0Configuration(baseURL: URL(string: "http://127.0.0.1:9")!,
                                                                 dialect: .oss, apiKey: APIKey("unused")!))
        let paced = PacedRequests(client: client, initialConcurrency: 8, maximumConcurrency: 64)
        let seen = Locked<[Int: Int]>([:])
        let latency = Locked(0.0)
        try await paced.forEach(Array(0..<300)) { item, slot in
            try await slot.request { _ in
                let delay = latency.withLock { $0 += 0.00002; return $0 }
                try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            }
            seen.withLock { $0[item, default: 0] += 1 }
        }
        XCTAssertEqual(seen.withLock { $0 }, Dictionary(uniqueKeysWithValues: (0..<300).map { ($0, 1) }))
    }

    func testWindowGrowsWhileLatencyIsFlatAndHalvesOnOverload() {
        var window = ConcurrencyWindow(initial: 8)
        for i in 0..<200 { window.record(.accepted, latency: 0.08, at: Double(i) * 0.01) }
        XCTAssertGreaterThan(window.limit, 8)
        let grown = window.limit
        window.record(.overloaded, at: 10)
        window.record(.overloaded, at: 10.1)   // same bad moment: halves once
        XCTAssertEqual(window.limit, grown / 2)

        var queued = ConcurrencyWindow(initial: 8)
        queued.record(.accepted, latency: 0.005, at: 0)
        for i in 1..<200 { queued.record(.accepted, latency: 0.05, at: Double(i) * 0.01) }   // the server queues
        XCTAssertLessThan(queued.limit, 8, "fewer in flight once latency shows queueing")
        XCTAssertGreaterThanOrEqual(queued.limit, 2)

        // Slow start: one more per success while latency is flat (8 → 64 within three round trips of 8, 16, 32);
        // the first request that queues ends it at half the window it had reached.
        var starting = ConcurrencyWindow(initial: 8)
        for i in 0..<56 { starting.record(.accepted, latency: 0.08, at: Double(i) * 0.001) }
        XCTAssertEqual(starting.limit, 64)
        XCTAssertTrue(starting.inSlowStart)
        var climbing = ConcurrencyWindow(initial: 8)
        for i in 0..<24 { climbing.record(.accepted, latency: 0.08, at: Double(i) * 0.001) }
        XCTAssertEqual(climbing.limit, 32)
        climbing.record(.accepted, latency: 0.2, at: 1)
        XCTAssertFalse(climbing.inSlowStart)
        XCTAssertEqual(climbing.limit, 16)

        var fixed = ConcurrencyWindow(initial: 4, adaptive: false)
        fixed.record(.overloaded, at: 0)
        XCTAssertEqual(fixed.limit, 4)
    }

    /// The learned pace against the fault proxy's limiter (token bucket: capacity N, refill N/min, 429 before
    /// forwarding, integer Retry-After), simulated with the estimator's own code: after the first burst it must use
    /// ≥95 % of the refill rate with few 429s.
    func testRateEstimatorConvergesOnATokenBucketLimit() {
        let perMinute = 1000.0, refill = perMinute / 60
        var tokens = perMinute
        var estimator = RateEstimator(cap: nil, now: 0)
        var t = 0.0, lastRefill = 0.0, next = 0.0
        var accepted = 0, limited = 0, acceptedAfterWarmup = 0
        let warmup = 20.0, end = 200.0
        let unpacedInterval = 1 / 170.0   // the local server's speed when nothing paces us
        while t < end {
            t = max(t, next, estimator.pausedUntil)
            tokens = min(perMinute, tokens + (t - lastRefill) * refill); lastRefill = t
            if tokens >= 1 {
                tokens -= 1; accepted += 1
                if t >= warmup { acceptedAfterWarmup += 1 }
                estimator.record(.accepted, at: t)
            } else {
                limited += 1
                estimator.record(.rateLimited(retryAfter: ceil((1 - tokens) / refill)), at: t)
            }
            next = t + (estimator.effectiveRate.map { 1 / $0 } ?? unpacedInterval)
        }
        let utilisation = Double(acceptedAfterWarmup) / ((end - warmup) * refill)
        XCTAssertGreaterThanOrEqual(utilisation, 0.95, "steady use of the limit")
        XCTAssertLessThanOrEqual(utilisation, 1.01)
        XCTAssertLessThanOrEqual(Double(limited) / Double(accepted + limited), 0.01, "share of 429s (\(limited))")
    }

    func testISOTimeWritesMicrosecondsAndReadsPythonForms() {
        let date = Date(timeIntervalSince1970: 1_709_284_500.123456)
        XCTAssertEqual(ISOTime.string(from: date), "2024-03-01T09:15:00.123456+00:00")
        for text in ["2024-03-01T09:15:00.123456+00:00", "2024-03-01T09:15:00Z", "2024-03-01T11:15:00+02:00", "2024-03-01T09:15:00.5"] {
            XCTAssertEqual(ISOTime.date(from: text).map { floor($0.timeIntervalSince1970) }, 1_709_284_500, text)
        }
    }
}
