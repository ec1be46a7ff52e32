@testable import Mem0Client
import XCTest

/// The exact wire format of every call, per dialect (spec mem0-api.md A.3–A.8, B.3–B.8).
final class RequestBuildingTests: XCTestCase {
    let request = Mem0AddRequest(text: "I moved to Austin 🏠", userID: "alice", runID: "legacy-chat-881",
                                 metadata: ["legacy_id": 881, "legacy_tags": ["a", "b"]],
                                 createdAt: Date(timeIntervalSince1970: 1_700_000_000.75))

    func testPlatformAddSendsOneUserMessageInferFalseAndEpochTimestamp() {
        let call = Mem0Calls.add(request, dialect: .platform)
        XCTAssertEqual(call.method, .post)
        XCTAssertEqual(call.path, "/v3/memories/add/")
        XCTAssertFalse(call.isIdempotent)
        XCTAssertEqual(call.body, [
            "messages": [["role": "user", "content": "I moved to Austin 🏠"]],
            "user_id": "alice", "run_id": "legacy-chat-881", "infer": false,
            "timestamp": 1_700_000_000,
            "metadata": ["legacy_id": 881, "legacy_tags": ["a", "b"]],
        ])
    }

    func testOSSAddCarriesCreationTimeInMetadataAndHasNoTimestampField() {
        let call = Mem0Calls.add(request, dialect: .oss)
        XCTAssertEqual(call.path, "/memories")
        XCTAssertNil(call.body?["timestamp"])
        XCTAssertEqual(call.body?["infer"], false)
        XCTAssertEqual(call.body?["metadata"], [
            "legacy_id": 881, "legacy_tags": ["a", "b"], "created_at": "2023-11-14T22:13:20.750000+00:00",
        ])
    }

    func testAddWithoutMetadataOrTimeSendsNoMetadata() {
        let plain = Mem0AddRequest(text: "x", userID: "u")
        XCTAssertNil(Mem0Calls.add(plain, dialect: .platform).body?["metadata"])
        XCTAssertNil(Mem0Calls.add(plain, dialect: .oss).body?["metadata"])
        XCTAssertNil(Mem0Calls.add(plain, dialect: .platform).body?["run_id"])
    }

    func testGetAndDeletePathsKeepTheDialectsSlashRules() {
        XCTAssertEqual(Mem0Calls.get(id: "abc", dialect: .platform).path, "/v1/memories/abc/")
        XCTAssertEqual(Mem0Calls.get(id: "abc", dialect: .oss).path, "/memories/abc")
        XCTAssertEqual(Mem0Calls.delete(id: "abc", dialect: .platform).method, .delete)
        XCTAssertEqual(Mem0Calls.delete(id: "abc", dialect: .oss).path, "/memories/abc")
        XCTAssertTrue(Mem0Calls.delete(id: "abc", dialect: .oss).isIdempotent)
    }

    func testAnIdCannotChangeTheRoute() {
        XCTAssertEqual(Mem0Calls.get(id: "../x?y#z", dialect: .oss).path, "/memories/..%2Fx%3Fy%23z")
    }

    func testPingProbesPerDialect() {
        XCTAssertEqual(Mem0Calls.ping(.platform).path, "/v1/ping/")
        XCTAssertEqual(Mem0Calls.ping(.oss).path, "/configure/providers")
    }

    func testPlatformListUsesFiltersAndTheLargestPage() {
        let call = Mem0Calls.platformList(userID: "alice", page: 3)
        XCTAssertEqual(call.path, "/v3/memories/")
        XCTAssertEqual(call.method, .post)
        XCTAssertEqual(call.query.map { "\($0.0)=\($0.1)" }, ["page=3", "page_size=200"])
        XCTAssertEqual(call.body, ["filters": ["AND": [["user_id": "alice"]]]])
    }

    func testPlatformLookupAddsAMetadataClause() {
        let call = Mem0Calls.platformList(userID: "alice", metadata: (key: "legacy_id", value: 881), page: 1)
        XCTAssertEqual(call.body, ["filters": ["AND": [["user_id": "alice"], ["metadata": ["legacy_id": 881]]]]])
    }

    func testOSSListAsksForTheMaximum() {
        let call = Mem0Calls.ossList(userID: "alice")
        XCTAssertEqual(call.path, "/memories")
        XCTAssertEqual(call.query.map { "\($0.0)=\($0.1)" }, ["user_id=alice", "top_k=1000"])
        XCTAssertNil(call.body)
    }

    func testOSSLookupSearchesWithFilters() {
        let call = Mem0Calls.ossSearch(userID: "alice", key: "legacy_key", value: "m-17")
        XCTAssertEqual(call.path, "/search")
        XCTAssertEqual(call.body?["filters"], ["user_id": "alice", "legacy_key": "m-17"])
        XCTAssertEqual(call.body?["top_k"], 1000)
    }

    func testSearchWithinAUserFiltersByUserAndKeepsEveryScore() {
        let platform = Mem0Calls.search(userID: "alice", query: "tea", limit: 25, dialect: .platform)
        XCTAssertEqual(platform.method, .post)
        XCTAssertEqual(platform.path, "/v3/memories/search/")
        XCTAssertEqual(platform.body, ["query": "tea", "filters": ["user_id": "alice"], "top_k": 25, "threshold": 0.0])
        XCTAssertNil(platform.body?["user_id"], "Platform v3 refuses top-level entity ids")
        let oss = Mem0Calls.search(userID: "alice", query: "tea", limit: 25, dialect: .oss)
        XCTAssertEqual(oss.path, "/search")
        XCTAssertEqual(oss.body, platform.body)
    }

    func testHistoryAndUpdatePathsKeepTheDialectsSlashRules() {
        XCTAssertEqual(Mem0Calls.history(id: "m/1", dialect: .platform).path, "/v1/memories/m%2F1/history/")
        XCTAssertEqual(Mem0Calls.history(id: "m1", dialect: .oss).path, "/memories/m1/history")
        let update = Mem0Calls.updateMetadata(id: "m1", metadata: ["legacy_memory_type": "fact"], dialect: .platform)
        XCTAssertEqual(update.method, .put)
        XCTAssertEqual(update.path, "/v1/memories/m1/")
        XCTAssertEqual(update.body, ["metadata": ["legacy_memory_type": "fact"]])
        XCTAssertTrue(update.isIdempotent, "a metadata merge repeated leaves the same record")
        XCTAssertEqual(Mem0Calls.updateMetadata(id: "m1", metadata: [:], dialect: .oss).path, "/memories/m1")
    }
}

