@testable import Mem0Client
import XCTest

/// Response bodies exactly as the spec documents them (mem0-api.md).
final class DecodingTests: XCTestCase {
    private func decode(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }

    func testPlatformInferFalseAddReturnsTheResultIds() throws {
        let body = try decode("""
        {"message": "Memories stored successfully", "status": "SUCCEEDED",
         "event_id": "8c1f5e2b-3d47-4a9e-b6c1-5f2a7d3e9b04",
         "results": [{"id": "19d6d7aa-2454-4e58-96fc-e74d9e9f8dd1", "data": {"memory": "Alice loves badminton"}, "event": "ADD"}]}
        """)
        XCTAssertEqual(try Mem0Decoding.addResult(body), .created(ids: ["19d6d7aa-2454-4e58-96fc-e74d9e9f8dd1"]))
    }

    func testAnEmptyResultListIsDeduplicationNotAGuessedId() throws {
        let body = try decode(#"{"message": "ok", "status": "SUCCEEDED", "event_id": "e", "results": []}"#)
        XCTAssertEqual(try Mem0Decoding.addResult(body), .deduplicated)
    }

    func testAQueuedAddIsPendingWithItsEventAndTheEventGivesTheIds() throws {
        let body = try decode(#"{"event_id": "2c4d", "status": "PENDING"}"#)
        XCTAssertEqual(try Mem0Decoding.addResult(body), .pending(eventID: "2c4d"))
        let queued = try decode(#"[{"message": "queued", "status": "PENDING", "event_id": "e1"}]"#)
        XCTAssertThrowsError(try Mem0Decoding.addResult(queued), "a bare array is not the v3 answer")
        let noEvent = try decode(#"{"status": "PENDING"}"#)
        XCTAssertThrowsError(try Mem0Decoding.addResult(noEvent)) { error in
            guard case Mem0Error.badResponse = error else { return XCTFail("\(error)") }
        }
        let running = try Mem0Decoding.event(try decode(#"{"id": "e1", "status": "RUNNING", "results": []}"#), id: "e1")
        XCTAssertEqual(running.status, .running)
        let done = try Mem0Decoding.event(try decode("""
            {"id": "e1", "status": "SUCCEEDED", "results": [{"id": "m1", "data": {"memory": "x"}, "event": "ADD"}]}
            """), id: "e1")
        XCTAssertEqual(done.memoryIDs, ["m1"])
        let failed = try Mem0Decoding.event(try decode(#"{"id": "e1", "status": "FAILED", "error": "boom"}"#), id: "e1")
        XCTAssertEqual(failed.status, .failed)
        XCTAssertEqual(failed.error, "boom")
    }

    func testOSSAddReturnsTheResultIds() throws {
        let body = try decode("""
        {"results": [{"id": "87acbc92-912f-44fc-80f6-860a2e9978fb", "memory": "I prefer aisle seats", "event": "ADD", "actor_id": null, "role": "user"}]}
        """)
        XCTAssertEqual(try Mem0Decoding.addResult(body), .created(ids: ["87acbc92-912f-44fc-80f6-860a2e9978fb"]))
    }

    func testOSSMemoryDecodes() throws {
        let memory = try Mem0Decoding.memory(try decode("""
        {"id": "87acbc92", "memory": "I prefer aisle seats", "hash": "3e33", "metadata": {"legacy_id": 1017, "tags": ["travel"], "score": 1.0},
         "score": null, "created_at": "2026-11-25T06:17:02.091902+00:00", "updated_at": "2026-11-25T06:17:02.091902+00:00",
         "user_id": "alice", "run_id": "chat-42", "role": "user"}
        """))
        XCTAssertEqual(memory.id, "87acbc92")
        XCTAssertEqual(memory.text, "I prefer aisle seats")
        XCTAssertEqual(memory.userID, "alice")
        XCTAssertEqual(memory.runID, "chat-42")
        XCTAssertEqual(memory.metadata, ["legacy_id": .int(1017), "tags": ["travel"], "score": .double(1.0)])
        XCTAssertEqual(memory.createdAt?.timeIntervalSince1970 ?? 0, 1_795_587_422.091902, accuracy: 0.000_01)
    }

    func testOSSMemoryWithNullMetadataHasEmptyMetadata() throws {
        let memory = try Mem0Decoding.memory(try decode(#"{"id": "a", "memory": "t", "metadata": null}"#))
        XCTAssertEqual(memory.metadata, [:])
        XCTAssertNil(memory.createdAt)
    }

    func testPlatformMemoryReadsTheRunIdFromSessionId() throws {
        let memory = try Mem0Decoding.memory(try decode("""
        {"id": "u1", "memory": "text", "user_id": "alice", "agent_id": null, "app_id": null, "session_id": "legacy-chat-881",
         "metadata": {"k": "v"}, "categories": ["travel"], "created_at": "2024-07-01T12:00:00Z", "updated_at": "2024-07-01T05:00:00-07:00"}
        """))
        XCTAssertEqual(memory.runID, "legacy-chat-881")
        XCTAssertEqual(memory.createdAt, memory.updatedAt)
    }

    func testAMemoryWithoutAnIdIsABadResponse() {
        XCTAssertThrowsError(try Mem0Decoding.memory(["memory": "x"]))
    }

    func testErrorsMapByStatus() {
        XCTAssertEqual(Mem0Decoding.error(status: 401, headers: [:], body: Data(#"{"detail":"Invalid API key."}"#.utf8)),
                       .unauthorized)
        XCTAssertEqual(Mem0Decoding.error(status: 429, headers: ["retry-after": "7"], body: Data()),
                       .rateLimited(retryAfter: .seconds(7)))
        XCTAssertEqual(Mem0Decoding.error(status: 429, headers: [:], body: Data(#"{"error":"Rate limit exceeded"}"#.utf8)),
                       .rateLimited(retryAfter: nil))
    }

    func testServerMessagesComeFromEveryDocumentedField() {
        func message(_ body: String) -> String? {
            guard case .server(_, _, let message) = Mem0Decoding.error(status: 400, headers: [:], body: Data(body.utf8))
            else { return "not a server error" }
            return message
        }
        XCTAssertEqual(message(#"{"detail":"At least one identifier is required."}"#), "At least one identifier is required.")
        XCTAssertEqual(message(#"{"error":"memory_id should be a valid UUID"}"#), "memory_id should be a valid UUID")
        XCTAssertEqual(message(#"{"message":"Invalid entity type"}"#), "Invalid entity type")
        XCTAssertEqual(message(#"{"error":"400 Bad Request","details":{"message":"Invalid input data."}}"#), "Invalid input data.")
        XCTAssertEqual(message(#"{"detail":[{"type":"string_type","loc":["body","messages",0,"content"],"msg":"Input should be a valid string","input":5}]}"#),
                       "body.messages.0.content: Input should be a valid string")
        XCTAssertEqual(message("<html>Bad Gateway</html>"), "<html>Bad Gateway</html>")
        XCTAssertNil(message(""))
    }

    func testOSSUpstreamErrorKeepsItsCodeAndDecidesRetry() {
        let error = Mem0Decoding.error(status: 502, headers: [:], body: Data(
            #"{"detail": "Upstream provider error.", "code": "vector_store_unavailable", "request_id": "1a2b"}"#.utf8))
        XCTAssertEqual(error, .server(status: 502, code: "vector_store_unavailable", message: "Upstream provider error."))
        XCTAssertTrue(error.isTransient)
        XCTAssertFalse(Mem0Error.server(status: 502, code: "provider_auth_failed", message: nil).isTransient)
        XCTAssertTrue(Mem0Error.server(status: 503, code: nil, message: nil).isTransient)
        XCTAssertFalse(Mem0Error.server(status: 500, code: nil, message: nil).isTransient)
        XCTAssertFalse(Mem0Error.server(status: 400, code: nil, message: nil).isTransient)
    }

    func testLongMessagesAreCutToOneLine() {
        let long = String(repeating: "x", count: 1000) + "\nsecond line"
        let clipped = Mem0Decoding.clip(long)
        XCTAssertEqual(clipped.count, 301)
        XCTAssertFalse(clipped.contains("\n"))
    }

    func testNonJSONSuccessBodyIsABadResponse() {
        XCTAssertThrowsError(try Mem0Decoding.json(Data("<html>".utf8))) { error in
            guard case Mem0Error.badResponse = error else { return XCTFail("\(error)") }
        }
    }
}
