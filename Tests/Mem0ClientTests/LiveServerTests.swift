import Foundation
import Mem0Client
import TestSupport
import XCTest

/// Helpers shared by the tests that talk to the real local Mem0 server (scripts/mem0-local, real mem0ai).
enum Live {
    static func server() throws -> LocalMem0Server { try LocalMem0Server.shared() }

    static func client(_ dialect: Mem0Dialect, url: URL? = nil, key: String? = nil,
                       timeout: Duration = .seconds(30), retry: Mem0RetryPolicy = .standard, concurrency: Int = 8,
                       observer: (@Sendable (Mem0Observation) -> Void)? = nil) throws -> Mem0Client {
        let server = try server()
        let configuration = Mem0Configuration(
            baseURL: url ?? server.url, dialect: dialect, apiKey: APIKey(key ?? server.apiKey)!,
            connectTimeout: .seconds(2), requestTimeout: timeout, maxConcurrentRequests: concurrency,
            retryPolicy: retry)
        return Mem0Client(configuration: configuration, observer: observer)
    }
}

/// Collects observations from the client's callback.
final class ObservationLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Mem0Observation] = []
    func record(_ observation: Mem0Observation) { lock.lock(); items.append(observation); lock.unlock() }
    var all: [Mem0Observation] { lock.lock(); defer { lock.unlock() }; return items }
}

/// Round trips through both dialects of the real server.
final class LiveRoundTripTests: XCTestCase {
    static let unicode = "Grüße, 東京 and 🏳️‍🌈👩🏽‍💻 — مرحبا بالعالم (RTL) ‏שלום‏ ✓ \u{0301}e"

    func testRoundTripPlatform() async throws { try await roundTrip(.platform) }
    func testRoundTripOSS() async throws { try await roundTrip(.oss) }

    private func roundTrip(_ dialect: Mem0Dialect) async throws {
        let client = try Live.client(dialect)
        let user = LocalMem0Server.uniqueUserID("rt-\(dialect.rawValue)")
        let bigText = String(repeating: "40 KB of legacy text, ünïcödé 🎉. ", count: 1260)  // ~42 KB of UTF-8
        XCTAssertGreaterThan(bigText.utf8.count, 40_000)
        let metadata: [String: JSONValue] = [
            "legacy_id": 881, "legacy_score": 0.5, "legacy_whole_double": 2.0, "legacy_big": 9_007_199_254_740_993,
            "legacy_null": nil, "legacy_flag": true,
            "legacy_nested": ["tags": ["travel", "家"], "inner": ["depth": [1, 2, ["x": "y"]]]],
            "legacy_text": .string(Self.unicode),
        ]
        var ids: [String: String] = [:]
        for (label, text) in [("unicode", Self.unicode), ("big", bigText)] {
            let result = try await client.add(Mem0AddRequest(text: text, userID: user, runID: "chat-\(label)",
                                                             metadata: metadata))
            guard case .created(let created) = result else { return XCTFail("\(label): \(result)") }
            XCTAssertEqual(created.count, 1)
            ids[label] = created[0]
        }
        for (label, text) in [("unicode", Self.unicode), ("big", bigText)] {
            let memory = try await client.memory(id: ids[label]!)
            let got = try XCTUnwrap(memory, "\(label) not found after add")
            XCTAssertEqual(got.text, text, label)
            XCTAssertEqual(got.userID, user)
            XCTAssertEqual(got.runID, "chat-\(label)")
            for (key, value) in metadata {
                XCTAssertEqual(got.metadata[key], value, "\(dialect) \(label) metadata \(key)")
            }
            XCTAssertNotNil(got.createdAt, "created_at should parse: \(got.createdAtText ?? "nil")")
        }

        let list = try await client.memories(userID: user)
        XCTAssertFalse(list.truncated)
        XCTAssertEqual(Set(list.memories.map(\.id)), Set(ids.values))

        let deleted = try await client.delete(id: ids["unicode"]!)
        XCTAssertEqual(deleted, .deleted)
        let gone = try await client.memory(id: ids["unicode"]!)
        XCTAssertNil(gone)
        let deletedAgain = try await client.delete(id: ids["unicode"]!)
        XCTAssertEqual(deletedAgain, .alreadyAbsent)
        let after = try await client.memories(userID: user)
        XCTAssertEqual(after.memories.map(\.id), [ids["big"]!])
    }

    func testUnknownIdIsNilInBothDialects() async throws {
        for dialect in [Mem0Dialect.platform, .oss] {
            let memory = try await Live.client(dialect).memory(id: UUID().uuidString.lowercased())
            XCTAssertNil(memory, "\(dialect)")
        }
    }

    /// Spec B.4 / mem0-local.md: reserved metadata keys are dropped or overwritten by mem0 itself. This records
    /// exactly which, per dialect of the local server, so the migration knows to namespace legacy fields.
    func testReservedMetadataKeys() async throws {
        let reserved: [String: JSONValue] = [
            "user_id": "spoof", "agent_id": "spoof", "run_id": "spoof", "actor_id": "spoof",
            "hash": "spoof", "data": "spoof", "id": "spoof", "role": "assistant", "legacy_kept": "kept",
        ]
        for dialect in [Mem0Dialect.platform, .oss] {
            let client = try Live.client(dialect)
            let user = LocalMem0Server.uniqueUserID("reserved")
            guard case .created(let ids) = try await client.add(Mem0AddRequest(text: "reserved keys", userID: user,
                                                                             metadata: reserved))
            else { return XCTFail("add did not create") }
            let memory = try await client.memory(id: ids[0])
            let got = try XCTUnwrap(memory)
            XCTAssertEqual(got.metadata["legacy_kept"], "kept", "\(dialect)")
            XCTAssertEqual(got.userID, user, "\(dialect): metadata.user_id must not override the real user")
            XCTAssertNotEqual(got.id, "spoof")
            for key in ["user_id", "agent_id", "run_id", "actor_id", "hash", "data", "id"] {
                XCTAssertNotEqual(got.metadata[key], "spoof", "\(dialect): reserved metadata key \(key) survived")
            }
            XCTAssertNotEqual(got.metadata["role"], "assistant", "\(dialect): role should be the message role")
        }
    }

    func testCreatedTimeIsPreserved() async throws {
        let original = Date(timeIntervalSince1970: 1_551_675_967)  // 2019-03-04T05:06:07Z
        for dialect in [Mem0Dialect.platform, .oss] {
            let client = try Live.client(dialect)
            let user = LocalMem0Server.uniqueUserID("time")
            guard case .created(let ids) = try await client.add(Mem0AddRequest(text: "an old memory", userID: user,
                                                                             metadata: ["legacy_id": 1],
                                                                             createdAt: original))
            else { return XCTFail("add did not create") }
            let memory = try await client.memory(id: ids[0])
            let got = try XCTUnwrap(memory)
            XCTAssertEqual(got.createdAt, original, "\(dialect): created_at was \(got.createdAtText ?? "nil")")
            let listed = try await client.memories(userID: user).memories.first
            XCTAssertEqual(listed?.createdAt, original, "\(dialect) list")
        }
    }

    func testLookupByMetadataKey() async throws {
        for dialect in [Mem0Dialect.platform, .oss] {
            let client = try Live.client(dialect)
            let user = LocalMem0Server.uniqueUserID("lookup")
            var idsByKey: [String: String] = [:]
            // The value never appears in the text, so a similarity search alone could rank it below mem0's cut-off.
            for (index, key) in ["m-1", "m-2", "m-3"].enumerated() {
                guard case .created(let ids) = try await client.add(Mem0AddRequest(
                    text: ["Likes green tea", "Moved to Lisbon in 2019", "Allergic to peanuts"][index], userID: user,
                    metadata: ["legacy_key": .string(key)]))
                else { return XCTFail("add did not create") }
                idsByKey[key] = ids[0]
            }
            let found = try await client.memories(userID: user, metadataKey: "legacy_key", value: "m-2")
            XCTAssertEqual(found.memories.map(\.id), [idsByKey["m-2"]!], "\(dialect)")
            let none = try await client.memories(userID: user, metadataKey: "legacy_key", value: "m-9")
            XCTAssertEqual(none.memories, [], "\(dialect)")
            let otherUser = try await client.memories(userID: LocalMem0Server.uniqueUserID("nobody"),
                                                      metadataKey: "legacy_key", value: "m-2")
            XCTAssertEqual(otherUser.memories, [], "\(dialect)")
        }
    }

    /// The local server answers a scoped list from its entity index (scripts/mem0_server.py `_indexed_list`), not
    /// from embedded qdrant's scan of every point. The index must say what the scan says after adds, deletes and
    /// metadata updates, for one user among others, in both dialects: `storedCount` is the server's full scan.
    func testScopedListAgreesWithTheStoreScanAfterAddsDeletesAndUpdates() async throws {
        let server = try Live.server()
        for dialect in [Mem0Dialect.platform, .oss] {
            let client = try Live.client(dialect)
            let user = LocalMem0Server.uniqueUserID("indexed-\(dialect.rawValue)")
            let neighbour = LocalMem0Server.uniqueUserID("neighbour-\(dialect.rawValue)")
            var ids: [String] = []
            for i in 0..<12 {
                for owner in [user, neighbour] {
                    guard case .created(let created) = try await client.add(Mem0AddRequest(
                        text: "\(owner) remembers item \(i)", userID: owner,
                        metadata: ["legacy_key": .string("k-\(i % 3)")])) else { return XCTFail("add \(i)") }
                    if owner == user { ids.append(created[0]) }
                }
            }
            for id in ids.prefix(4) {
                let deleted = try await client.delete(id: id)
                XCTAssertEqual(deleted, .deleted)
            }
            let updated = try await client.updateMetadata(id: ids[5], merging: ["legacy_key": "moved"])
            XCTAssertTrue(updated)

            let listed = try await client.memories(userID: user).memories
            XCTAssertEqual(Set(listed.map(\.id)), Set(ids.dropFirst(4)), "\(dialect)")
            XCTAssertEqual(listed.count, try server.storedCount(userID: user), "\(dialect): the scan's count")
            XCTAssertTrue(listed.allSatisfy { $0.userID == user && $0.text.hasPrefix(user) }, "\(dialect)")
            // ids[4..11] with k-1 are 4, 7, 10 (1 was deleted); 5 moved away from k-2.
            let byKey = try await client.memories(userID: user, metadataKey: "legacy_key", value: "k-1").memories
            XCTAssertEqual(Set(byKey.map(\.id)), Set([ids[4], ids[7], ids[10]]), "\(dialect)")
            let moved = try await client.memories(userID: user, metadataKey: "legacy_key", value: "moved").memories
            XCTAssertEqual(moved.map(\.id), [ids[5]], "\(dialect)")
            let neighbours = try await client.memories(userID: neighbour).memories
            XCTAssertEqual(neighbours.count, 12, "\(dialect)")
        }
    }

    func testPlatformDeduplicatesIdenticalTextAndSaysSo() async throws {
        let client = try Live.client(.platform)
        let user = LocalMem0Server.uniqueUserID("dedup")
        let first = try await client.add(Mem0AddRequest(text: "the very same text", userID: user))
        guard case .created = first else { return XCTFail("\(first)") }
        let second = try await client.add(Mem0AddRequest(text: "the very same text", userID: user))
        XCTAssertEqual(second, .deduplicated)
        // OSS never de-duplicates (/work/shared/spec/mem0-api.md §B.4).
        let oss = try Live.client(.oss)
        let ossUser = LocalMem0Server.uniqueUserID("nodedup")
        for _ in 0..<2 {
            guard case .created = try await oss.add(Mem0AddRequest(text: "the very same text", userID: ossUser))
            else { return XCTFail("OSS should create every time") }
        }
        let ossCount = try await oss.memories(userID: ossUser).memories.count
        XCTAssertEqual(ossCount, 2)
    }
}

/// Auth, dialect detection and every error class, against the real server and the fault proxy.
final class LiveErrorTests: XCTestCase {
    func testPingDetectsTheDialectAndChecksTheKey() async throws {
        let auto = try await Live.client(.auto).ping()
        XCTAssertEqual(auto.dialect, .platform, "the Platform probe comes first and the local server speaks both")
        let oss = try await Live.client(.oss).ping()
        XCTAssertEqual(oss.dialect, .oss)
        let platform = try await Live.client(.platform).ping()
        XCTAssertEqual(platform.dialect, .platform)
    }

    func testWrongKeyIsUnauthorizedInEveryDialect() async throws {
        for dialect in Mem0Dialect.allCases {
            let client = try Live.client(dialect, key: "wrong-\(UUID().uuidString)")
            do {
                _ = try await client.ping()
                XCTFail("\(dialect): ping with a wrong key succeeded")
            } catch let error as Mem0Error {
                XCTAssertEqual(error, .unauthorized, "\(dialect)")
            }
            do {
                _ = try await client.add(Mem0AddRequest(text: "x", userID: LocalMem0Server.uniqueUserID()))
                XCTFail("\(dialect): add with a wrong key succeeded")
            } catch let error as Mem0Error {
                XCTAssertEqual(error, .unauthorized, "\(dialect)")
            }
        }
    }

    func testRefusedPortIsUnreachable() async throws {
        let client = try Live.client(.oss, url: URL(string: "http://127.0.0.1:1")!, retry: .none)
        do {
            _ = try await client.ping()
            XCTFail("ping to a closed port succeeded")
        } catch let error as Mem0Error {
            XCTAssertEqual(error, .unreachable(host: "127.0.0.1:1"))
            XCTAssertTrue(error.operatorMessage.contains("127.0.0.1:1"))
        }
    }

    func testStallBecomesATimeout() async throws {
        let proxy = try Live.server().startProxy(["--stall-rate", "1", "--stall-seconds", "20"])
        let client = try Live.client(.platform, url: proxy.url, timeout: .milliseconds(800), retry: .none)
        let started = ContinuousClock.now
        do {
            _ = try await client.memory(id: UUID().uuidString.lowercased())
            XCTFail("a stalled request returned")
        } catch let error as Mem0Error {
            XCTAssertEqual(error, .timeout)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(10), "the client timeout did not fire")
    }

    func testCancellingATaskAbortsItsStalledRequest() async throws {
        let proxy = try Live.server().startProxy(["--stall-rate", "1", "--stall-seconds", "20"])
        let client = try Live.client(.oss, url: proxy.url, timeout: .seconds(30), retry: .none)
        let task = Task { try await client.memory(id: "x") }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("a cancelled request returned")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
    }

    func testRateLimitedIdempotentCallWaitsRetryAfterAndSucceeds() async throws {
        let server = try Live.server()
        let proxy = try server.startProxy(["--rate-per-minute", "60", "--rate-paths", "all"])
        // Drain the bucket with a client that does not retry, until the proxy answers 429.
        let drain = try Live.client(.platform, url: proxy.url, retry: .none)
        var limitedAfter = 0
        while limitedAfter < 200 {
            do { _ = try await drain.ping(); limitedAfter += 1 } catch Mem0Error.rateLimited(let retryAfter) {
                XCTAssertNotNil(retryAfter, "the proxy sends Retry-After")
                break
            }
        }
        XCTAssertLessThan(limitedAfter, 200, "the proxy never rate-limited")

        // An add is never resent: it surfaces the 429 with the server's Retry-After.
        let log = ObservationLog()
        let client = try Live.client(.platform, url: proxy.url, observer: log.record)
        let user = LocalMem0Server.uniqueUserID("ratelimit")
        do {
            _ = try await client.add(Mem0AddRequest(text: "must not be stored twice", userID: user))
            XCTFail("the add was not rate-limited")
        } catch Mem0Error.rateLimited(let retryAfter) {
            let wait = try XCTUnwrap(retryAfter)
            XCTAssertGreaterThan(wait, .zero)
            XCTAssertLessThanOrEqual(wait, .seconds(2))
        }

        // A get waits for Retry-After and then succeeds. It goes at once, while the bucket is still empty: the store's
        // count below is a full scan of the server's store, long enough on a loaded machine for a token to refill.
        let started = ContinuousClock.now
        let memory = try await client.memory(id: UUID().uuidString.lowercased())
        XCTAssertNil(memory)
        let waited = ContinuousClock.now - started
        let observed = log.all
        XCTAssertTrue(observed.contains { if case .rateLimited(.add, _?) = $0 { return true }; return false }, "\(observed)")
        let retries = observed.compactMap { observation -> Duration? in
            if case .retrying(.get, _, let delay, .rateLimited) = observation { return delay }
            return nil
        }
        XCTAssertFalse(retries.isEmpty, "the get never retried: \(observed)")
        XCTAssertGreaterThanOrEqual(waited, retries.reduce(.zero, +), "the client did not wait Retry-After")
        XCTAssertEqual(try server.storedCount(userID: user), 0, "a rate-limited add reached the store")
    }

    /// The proxy answers a share of requests with 500, 502 or 503. 502/503 are passing trouble: retried until the get
    /// succeeds. 500 is a server bug: surfaced at once, never retried.
    func testTransient5xxOnIdempotentCallsIsRetriedButA500IsNot() async throws {
        let proxy = try Live.server().startProxy(["--error-rate", "0.5", "--fault-phase", "before", "--seed", "7"])
        let log = ObservationLog()
        let policy = Mem0RetryPolicy(maxRetries: 12, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50))
        let client = try Live.client(.oss, url: proxy.url, retry: policy, observer: log.record)
        var succeeded = 0, surfaced500 = 0
        for _ in 0..<30 {
            do {
                let memory = try await client.memory(id: UUID().uuidString.lowercased())
                XCTAssertNil(memory)
                succeeded += 1
            } catch Mem0Error.server(status: 500, _, _) {
                surfaced500 += 1
            }
        }
        XCTAssertGreaterThan(try proxy.stats()["errors_injected"] ?? 0, 0)
        XCTAssertGreaterThan(succeeded, 0)
        let retriedStatuses = log.all.compactMap { observation -> Int? in
            if case .retrying(.get, _, _, .server(let status, _, _)) = observation { return status }
            return nil
        }
        XCTAssertFalse(retriedStatuses.isEmpty, "no 502/503 was retried")
        XCTAssertTrue(retriedStatuses.allSatisfy { $0 == 502 || $0 == 503 }, "retried: \(retriedStatuses)")
        XCTAssertGreaterThan(surfaced500, 0, "seed 7 should inject at least one 500 in 30 requests")
    }

    func testDroppedConnectionOnAddIsReportedNotResent() async throws {
        let server = try Live.server()
        let proxy = try server.startProxy(["--drop-rate", "1", "--fault-phase", "after"])
        let client = try Live.client(.oss, url: proxy.url)
        let user = LocalMem0Server.uniqueUserID("drop")
        do {
            _ = try await client.add(Mem0AddRequest(text: "landed but unanswered", userID: user))
            XCTFail("the add succeeded through a dropping proxy")
        } catch let error as Mem0Error {
            XCTAssertEqual(error, .connectionLost(host: proxy.url.host! + ":" + String(proxy.url.port!)))
            XCTAssertTrue(error.addMayHaveLanded)
        }
        XCTAssertEqual(try server.storedCount(userID: user), 1, "fault phase 'after': stored exactly once, never resent")
    }

    /// libcurl re-sends a POST by itself when a reused keep-alive connection dies before the answer: the proxy drops
    /// half the answers after the server applied the add, so some adds "succeed" on libcurl's second copy while the
    /// first is stored too. Every add the server holds twice must come back flagged `mayHaveBeenSentTwice`, so the
    /// migration can look it up; the seeded proxy makes the sequence repeatable.
    func testAnAddLibcurlResentSilentlyIsFlagged() async throws {
        let server = try Live.server()
        let proxy = try server.startProxy(["--drop-rate", "0.5", "--fault-phase", "after", "--seed", "11"])
        let client = try Live.client(.oss, url: proxy.url, concurrency: 1)
        var storedTwice = 0, flagged = 0
        for index in 0..<40 {
            let user = LocalMem0Server.uniqueUserID("resend\(index)")
            let outcome: Mem0AddOutcome
            do {
                outcome = try await client.addReportingResends(Mem0AddRequest(text: "resend probe \(index)", userID: user))
            } catch let error as Mem0Error where error.addMayHaveLanded {
                continue   // reported as ambiguous already
            }
            let stored = try server.storedCount(userID: user)
            if outcome.mayHaveBeenSentTwice { flagged += 1 }
            if stored > 1 {
                storedTwice += 1
                XCTAssertTrue(outcome.mayHaveBeenSentTwice, "add \(index) is stored \(stored) times but was not flagged")
            }
        }
        XCTAssertGreaterThan(storedTwice, 0, "seed 11 should make libcurl re-send at least one add silently")
        XCTAssertGreaterThanOrEqual(flagged, storedTwice)
    }
}

/// 8 clients × 500 adds at once: nothing lost, nothing duplicated; the OSS list cap is reported honestly.
final class LiveConcurrencyTests: XCTestCase {
    func testEightClientsAddFiveHundredEachWithoutLoss() async throws {
        let server = try Live.server()
        let platformUser = LocalMem0Server.uniqueUserID("conc-platform")
        let ossUser = LocalMem0Server.uniqueUserID("conc-oss")
        let perClient = 500
        let ids = try await withThrowingTaskGroup(of: [String].self) { group in
            for index in 0..<8 {
                let dialect: Mem0Dialect = index % 2 == 0 ? .platform : .oss
                let user = dialect == .platform ? platformUser : ossUser
                let client = try Live.client(dialect, concurrency: 4)
                group.addTask {
                    var ids: [String] = []
                    for item in 0..<perClient {
                        let request = Mem0AddRequest(text: "client \(index) item \(item)", userID: user,
                                                     metadata: ["legacy_key": .string("\(index)-\(item)")])
                        guard case .created(let created) = try await client.add(request) else {
                            throw Mem0Error.badResponse(reason: "not created: \(index)-\(item)")
                        }
                        ids += created
                    }
                    return ids
                }
            }
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        XCTAssertEqual(ids.count, 8 * perClient)
        XCTAssertEqual(Set(ids).count, ids.count, "duplicate ids")
        XCTAssertEqual(try server.storedCount(userID: platformUser), 4 * perClient)
        XCTAssertEqual(try server.storedCount(userID: ossUser), 4 * perClient)

        let platformList = try await Live.client(.platform).memories(userID: platformUser)
        XCTAssertEqual(platformList.memories.count, 4 * perClient, "Platform list walks every page")
        XCTAssertEqual(Set(platformList.memories.map(\.id)).count, 4 * perClient)
        XCTAssertFalse(platformList.truncated)

        let ossList = try await Live.client(.oss).memories(userID: ossUser)
        XCTAssertEqual(ossList.memories.count, 1000, "OSS returns at most 1000")
        XCTAssertTrue(ossList.truncated, "2000 stored, 1000 listed: must say truncated")
    }
}

/// The Mem0 side of a user, as the console's screens read it: pages, search with scores, history, metadata merges.
final class LiveUserMemoryTests: XCTestCase {
    func testPagesSearchHistoryAndMetadataMergePlatform() async throws { try await userSide(.platform) }
    func testPagesSearchHistoryAndMetadataMergeOSS() async throws { try await userSide(.oss) }

    private func userSide(_ dialect: Mem0Dialect) async throws {
        let client = try Live.client(dialect)
        let user = LocalMem0Server.uniqueUserID("side-\(dialect.rawValue)")
        var ids: [String] = []
        for i in 0..<205 {
            let text = i == 7 ? "green tea with jasmine, every morning" : "note \(i) about the weather"
            guard case .created(let created) = try await client.add(Mem0AddRequest(
                text: text, userID: user, metadata: ["legacy_memory_type": "fact", "n": .int(Int64(i))])) else {
                return XCTFail("add \(i)")
            }
            ids.append(created[0])
        }

        // Pages: the Platform in pages of 200 with a count; OSS in one page, under its cap.
        let first = try await client.memoriesPage(userID: user, page: 1)
        switch dialect {
        case .oss:
            XCTAssertEqual(first.memories.count, 205)
            XCTAssertNil(first.nextPage)
            XCTAssertNil(first.totalCount)
            XCTAssertFalse(first.reachedServerCap)
        default:
            XCTAssertEqual(first.memories.count, 200)
            XCTAssertEqual(first.totalCount, 205)
            XCTAssertEqual(first.nextPage, 2)
            let second = try await client.memoriesPage(userID: user, page: 2)
            XCTAssertEqual(second.memories.count, 5)
            XCTAssertNil(second.nextPage)
            XCTAssertEqual(Set(first.memories.map(\.id) + second.memories.map(\.id)), Set(ids))
            let past = try await client.memoriesPage(userID: user, page: 3)
            XCTAssertTrue(past.memories.isEmpty)
        }

        // Search: ranked, scored, only this user's memories.
        let hits = try await client.search(userID: user, query: "jasmine green tea", limit: 5)
        XCTAssertEqual(hits.first?.memory.id, ids[7])
        XCTAssertEqual(hits.first?.memory.text, "green tea with jasmine, every morning")
        XCTAssertLessThanOrEqual(hits.count, 5)
        let scores = hits.compactMap(\.score)
        XCTAssertEqual(scores.count, hits.count, "every hit has a score")
        XCTAssertEqual(scores, scores.sorted(by: >))
        XCTAssertTrue(hits.allSatisfy { $0.memory.userID == user })
        let stranger = try await client.search(userID: LocalMem0Server.uniqueUserID("nobody"), query: "jasmine", limit: 5)
        XCTAssertTrue(stranger.isEmpty)

        // A metadata merge keeps the other keys; history shows the add (metadata changes carry no text change).
        let found = try await client.updateMetadata(id: ids[7], merging: ["legacy_memory_type": "preference"])
        XCTAssertTrue(found)
        let merged = try await client.memory(id: ids[7])
        XCTAssertEqual(merged?.metadata["legacy_memory_type"], "preference")
        XCTAssertEqual(merged?.metadata["n"], 7)
        XCTAssertEqual(merged?.text, "green tea with jasmine, every morning")
        let history = try await client.history(id: ids[7])
        XCTAssertEqual(history.first?.kind, .add)
        XCTAssertEqual(history.first?.newText, "green tea with jasmine, every morning")
        XCTAssertNil(history.first?.oldText)
        XCTAssertTrue(history.allSatisfy { $0.memoryID == ids[7] })

        let deleted = try await client.delete(id: ids[7])
        XCTAssertEqual(deleted, .deleted)
        let afterDelete = try await client.history(id: ids[7])
        XCTAssertEqual(afterDelete.last?.kind, .delete)
        XCTAssertEqual(afterDelete.last?.oldText, "green tea with jasmine, every morning")
        XCTAssertNil(afterDelete.last?.newText)
        let gone = try await client.updateMetadata(id: ids[7], merging: ["x": 1])
        XCTAssertFalse(gone, "a merge into a deleted memory reports it gone")
        let unknown = try await client.history(id: "00000000-0000-4000-8000-000000000000")
        XCTAssertTrue(unknown.isEmpty)
    }
}
